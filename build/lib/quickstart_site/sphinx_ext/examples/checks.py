"""Read-time checks: no Python on a page escapes execution, and every example is one the
model (``examples.grouping``) can give to every consumer.

They run on ``doctree-read`` for every builder, so the HTML build with ``-W`` already refuses
what the examples builder, the Run buttons or the notebook could not run as CI does.
"""

from __future__ import annotations

from pathlib import Path

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.util import logging

from quickstart_site.examples.exercises import is_exercise_code
from quickstart_site.examples.grouping import problems
from quickstart_site.sphinx_ext.warnings import QuickstartWarning, warn

logger = logging.getLogger(__name__)

PYTHON_LANGUAGES = {"python", "python3", "py", "py3", "pycon", "ipython"}


def page_file(app: Sphinx, docname: str) -> Path:
    """The page's source file. MyST gives a directive's nodes the source "<page>.md.rst", and
    while pages are read Sphinx's doc2path answers the same."""
    for suffix in app.config.source_suffix:
        path = Path(app.srcdir, docname + suffix)
        if path.is_file():
            return path
    return Path(app.env.doc2path(docname))


def check_examples(app: Sphinx, doctree: nodes.document) -> None:
    docname = app.env.docname
    for problem in problems(
        doctree,
        docname,
        global_setup=app.config.doctest_global_setup,
        global_cleanup=app.config.doctest_global_cleanup,
    ):
        where = f"{page_file(app, docname)}:{problem.location.line}"
        warn(logger, QuickstartWarning.EXAMPLE, problem.message, location=where)
    for node in doctree.findall(nodes.literal_block):
        if (
            "testnodetype" not in node
            and node.get("language") in PYTHON_LANGUAGES
            and "exempt_reason" not in node
            and not is_exercise_code(node)
        ):
            warn(
                logger,
                QuickstartWarning.NOT_EXECUTABLE,
                "Python code block that nothing executes: make it a {testcode} example, "
                "or an {example-exempt} block with the reason it cannot run",
                location=node,
            )
