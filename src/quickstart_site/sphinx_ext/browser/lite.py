"""The JupyterLite apps of each language, built by jupyterlite-sphinx on the shared runtime.

jupyterlite-sphinx builds a JupyterLite site into ``<outdir>/lite`` when Sphinx finishes. This
module sets, through its public configuration values only, per language:
- its lite folder beside the doctrees (``jupyterlite_dir``: our ``jupyter_lite_config.json``
  and ``jupyter-lite.json``), so the four languages, built side by side, never share a file;
- its staging folder (``jupyterlite_content_dir``), which jupyterlite-sphinx empties on every
  build, in that lite folder too, never in the sources;
- its contents (``jupyterlite_contents``): the notebooks of the pages, generated from each
  page's translated doctree and its examples (notebook.py), kept in a folder of ours beside
  the doctrees, so an incremental build keeps the notebooks of pages it did not rewrite;
- a ``jupyter-lite.json`` that points the Pyodide kernel at the site's runtime (one copy of
  Pyodide and the wheels for every language) and forbids falling back to PyPI.

jupyterlite-sphinx runs ``jupyter lite build`` with the source folder as working folder, where
that command keeps its doit state: the languages' builds take turns (a lock), and each removes
the state it left there. Its page assets (an ``onclick`` script the site's CSP refuses, a
Google Fonts stylesheet, the only request that would leave the site) are left out of our pages.
Each app page also loads our fixes for its bundled libraries first (lite_fixes.py).
"""

from __future__ import annotations

import fcntl
import hashlib
import json
import posixpath
import tempfile
from pathlib import Path
from typing import Any

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.config import Config
from sphinx.errors import ExtensionError
from sphinx.locale import _
from sphinx.util import logging

from quickstart_site.sphinx_ext.browser.labels import labels
from quickstart_site.sphinx_ext.browser.lite_fixes import add_early_scripts
from quickstart_site.sphinx_ext.browser.page_examples import page_examples
from quickstart_site.sphinx_ext.browser.runner import exercise_programs, page_exercises
from quickstart_site.sphinx_ext.warnings import QuickstartWarning, warn

logger = logging.getLogger(__name__)

KERNEL_PLUGIN = "@jupyterlite/pyodide-kernel-extension:kernel"
# What the kernel imports while it starts (jupyterlite-pyodide-kernel's lock addon default).
KERNEL_PREFETCH = ["ipykernel", "comm", "pyodide-kernel", "ipython"]
LITE_OUTPUT = "lite"  # jupyterlite-sphinx's output folder in the HTML output
DOIT_STATE = ".jupyterlite.doit.db"
# jupyterlite-sphinx's own page assets, which our pages do without; and any from outside.
DROPPED_ASSETS = {"jupyterlite_sphinx.css", "jupyterlite_sphinx.js"}


def lite_dir(app: Sphinx) -> Path:
    """Beside the build's doctrees: its own for each language and each build."""
    return Path(app.doctreedir) / "jupyterlite"


def notebooks_dir(app: Sphinx) -> Path:
    return Path(app.doctreedir) / "notebooks"


def lite_config() -> dict[str, Any]:
    return {
        "LiteBuildConfig": {
            # Source maps (about half of the app) and the unused shared packages: not served.
            "no_sourcemaps": True,
            "no_unused_shared_packages": True,
        }
    }


def jupyter_lite_json(runtime_url: str) -> dict[str, Any]:
    # "./" URLs are resolved against this file's folder, <outdir>/lite/; runtime_url is
    # relative to <outdir> (or absolute).
    runtime = runtime_url if runtime_url.startswith("/") else f"./../{runtime_url}"
    runtime = runtime.rstrip("/")
    return {
        "jupyter-lite-schema-version": 0,
        "jupyter-config-data": {
            "litePluginSettings": {
                KERNEL_PLUGIN: {
                    "pyodideUrl": f"{runtime}/pyodide/pyodide.mjs",
                    "disablePyPIFallback": True,
                    "loadPyodideOptions": {"packages": KERNEL_PREFETCH},
                }
            },
            "settingsOverrides": {
                # Every cell stays in the page: a long tutorial scrolls smoothly enough, and
                # the browser test can see every cell's prompt and output.
                "@jupyterlab/notebook-extension:tracker": {"windowingMode": "none"}
            },
        },
    }


def configure(app: Sphinx, config: Config) -> None:
    """Before jupyterlite-sphinx's own config step (which empties its staging folder): its
    folders go beside the doctrees, whether or not the Run buttons are on, so that no build
    ever writes into the sources."""
    if "jupyterlite_sphinx" not in app.extensions:
        if config.examples_in_browser:
            raise ExtensionError(
                'examples_in_browser needs "jupyterlite_sphinx" in conf.py\'s extensions'
            )
        return
    folder = lite_dir(app)
    folder.mkdir(parents=True, exist_ok=True)
    notebooks_dir(app).mkdir(parents=True, exist_ok=True)
    (folder / "jupyter_lite_config.json").write_text(json.dumps(lite_config(), indent=1))
    settings = jupyter_lite_json(config.examples_runtime_url)
    (folder / "jupyter-lite.json").write_text(json.dumps(settings, indent=1))
    config.jupyterlite_dir = str(folder)
    config.jupyterlite_content_dir = str(folder / "staging")  # absolute: used as it is
    config.jupyterlite_contents = [str(notebooks_dir(app) / "*.ipynb")]
    config.jupyterlite_bind_ipynb_suffix = False
    config.jupyterlite_silence = True


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
    # Imported here: nbformat's schema validator compiles grammars on import (about 1.5 s),
    # which every build that writes no notebook (the examples, gettext, the tests' small
    # projects) would pay.
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
    nbformat.write(book, target)  # type: ignore[no-untyped-call]  # unannotated in nbformat


def notebook_words(app: Sphinx) -> dict[str, str]:
    """The page's labels, and numfig's translated "Exercise %s" (sphinx-exercise's)."""
    return {**labels(), "exercise": str(app.config.numfig_format.get("exercise", "Exercise %s"))}


def forget_notebook(app: Sphinx, env: Any, docname: str) -> None:
    """A page that is re-read (or removed) loses its notebook until it is written again."""
    (notebooks_dir(app) / f"{docname}.ipynb").unlink(missing_ok=True)


def drop_page_assets(
    app: Sphinx, pagename: str, templatename: str, context: dict[str, Any], doctree: Any
) -> None:
    for key in ("css_files", "script_files"):
        if key in context:
            context[key] = [asset for asset in context[key] if not dropped(asset)]


def dropped(asset: Any) -> bool:
    name = str(getattr(asset, "filename", asset))
    return "://" in name or posixpath.basename(name) in DROPPED_ASSETS


class LiteBuildTurn:
    """jupyterlite-sphinx's build step, one language at a time: it runs ``jupyter lite
    build`` in the source folder, which keeps its doit state there. Taken before that step
    (priority 400) and given back after it (600), removing the state."""

    def __init__(self) -> None:
        self.lock: Any = None

    def take(self, app: Sphinx, error: Exception | None) -> None:
        if not self.wanted(app, error):
            return
        digest = hashlib.sha256(str(Path(app.srcdir).resolve()).encode()).hexdigest()[:16]
        self.lock = open(Path(tempfile.gettempdir()) / f"jupyterlite-{digest}.lock", "w")  # noqa: SIM115
        fcntl.flock(self.lock, fcntl.LOCK_EX)
        (Path(app.srcdir) / DOIT_STATE).unlink(missing_ok=True)

    def give_back(self, app: Sphinx, error: Exception | None) -> None:
        if self.lock is None:
            return
        try:
            (Path(app.srcdir) / DOIT_STATE).unlink(missing_ok=True)
            if error is None and app.config.examples_in_browser:
                add_early_scripts(Path(app.outdir) / LITE_OUTPUT)
        finally:
            self.lock.close()
            self.lock = None

    @staticmethod
    def wanted(app: Sphinx, error: Exception | None) -> bool:
        return (
            error is None
            and app.builder.format == "html"
            and "jupyterlite_sphinx" in (app.extensions)
        )


def setup_lite(app: Sphinx) -> None:
    turn = LiteBuildTurn()
    app.connect("config-inited", configure, priority=400)
    app.connect("env-purge-doc", forget_notebook)
    # Before the Run buttons are added to the same doctree (runner.py, priority 500).
    app.connect("doctree-resolved", write_notebook, priority=400)
    app.connect("html-page-context", drop_page_assets)
    app.connect("build-finished", turn.take, priority=400)
    app.connect("build-finished", turn.give_back, priority=600)
