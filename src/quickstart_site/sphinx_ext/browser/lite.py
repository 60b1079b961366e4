"""Each page's notebook, for the site's one JupyterLite app.

The HTML build writes the notebook of each page with examples into
``<doctrees>/notebooks/<page>.ipynb`` (beside the doctrees: its own for each language, never
in the sources), generated from the page's translated doctree and its examples
(notebook.py). A page Sphinx does not rewrite keeps its notebook there, so an incremental
build leaves every notebook current. The app itself, with every language's notebooks as
``<lang>/<page>.ipynb``, is built after the languages' builds, once for the site
(orchestration/lite_app.py): no Sphinx build runs ``jupyter lite build``.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.locale import _
from sphinx.util import logging

from quickstart_site.orchestration.lite_app import NOTEBOOKS
from quickstart_site.sphinx_ext.browser.labels import labels
from quickstart_site.sphinx_ext.browser.page_examples import page_examples
from quickstart_site.sphinx_ext.browser.runner import exercise_programs, page_exercises
from quickstart_site.sphinx_ext.warnings import QuickstartWarning, warn

logger = logging.getLogger(__name__)


def notebooks_dir(app: Sphinx) -> Path:
    return Path(app.doctreedir) / NOTEBOOKS


def import_nbformat_quickly() -> None:
    """jsonschema (which nbformat validates with) registers its "iri" format checks when
    rfc3987_syntax is installed, and that module compiles 38 lark grammars on import: 1.5 s
    (of a 2 s incremental build) for checks the notebook schema never asks for (it names no
    "iri" format). Marked missing before jsonschema's first import, it is skipped, as
    jsonschema does when it is not installed. Nothing else in a Sphinx process checks IRIs."""
    if "jsonschema" not in sys.modules:
        sys.modules.setdefault("rfc3987_syntax", None)  # type: ignore[arg-type]  # None: "not installed"


def write_notebook(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    """The page's notebook, when the page has examples (doctree-resolved, HTML only)."""
    if app.builder.format != "html" or not app.config.examples_in_browser:
        return
    target = notebooks_dir(app) / f"{docname}.ipynb"
    examples = page_examples(app, doctree, docname)
    exercises = page_exercises(app, doctree, docname)
    if not any(example.code_steps for example in examples) and not exercises:
        target.unlink(missing_ok=True)
        return
    # Imported here: builds that write no notebook (the examples, gettext, the tests' small
    # projects) need no nbformat.
    import_nbformat_quickly()
    import nbformat

    from quickstart_site.sphinx_ext.browser.notebook import UntranslatedLabel, notebook

    intro = _(
        "This notebook is the tutorial page, generated from the page itself. Run the cells "
        "from top to bottom: each example's app answers a request made with its test client, "
        "because a Flask app cannot listen on a network port inside the browser."
    )
    locale_dirs = tuple(str(Path(app.srcdir, folder)) for folder in app.config.locale_dirs)
    try:
        book = notebook(
            doctree,
            language=app.config.language or "en",
            examples=examples,
            locale_dirs=locale_dirs,
            intro=intro,
            exercises=exercise_programs(app, docname, exercises),
            words=notebook_words(app),
        )
    except UntranslatedLabel as error:
        warn(logger, QuickstartWarning.BROWSER, str(error), location=docname)
        return
    target.parent.mkdir(parents=True, exist_ok=True)
    # What nbformat.write writes, without its second schema check of the whole notebook
    # (notebook() has just checked it): a sixth of the notebook's time.
    text: str = nbformat.v4.nbjson.writes(book)  # type: ignore[no-untyped-call]
    target.write_text(text if text.endswith("\n") else text + "\n", encoding="utf-8")


def notebook_words(app: Sphinx) -> dict[str, str]:
    """The page's labels, and numfig's translated "Exercise %s" (sphinx-exercise's)."""
    return {**labels(), "exercise": str(app.config.numfig_format.get("exercise", "Exercise %s"))}


def forget_notebook(app: Sphinx, env: Any, docname: str) -> None:
    """A page that is re-read (or removed) loses its notebook until it is written again."""
    (notebooks_dir(app) / f"{docname}.ipynb").unlink(missing_ok=True)


def setup_lite(app: Sphinx) -> None:
    app.connect("env-purge-doc", forget_notebook)
    # Before the Run buttons are added to the same doctree (runner.py, priority 500).
    app.connect("doctree-resolved", write_notebook, priority=400)
