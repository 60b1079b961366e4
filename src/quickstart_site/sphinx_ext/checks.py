"""Read-time checks: no Python on a page escapes execution, and every example has a name.

They run on ``doctree-read`` for every builder, so the HTML build with ``-W`` already refuses
a plain ``python`` code block that nothing executes.
"""

from __future__ import annotations

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.util import logging

logger = logging.getLogger(__name__)

PYTHON_LANGUAGES = {"python", "python3", "py", "py3", "pycon", "ipython"}
TEST_NODE_TYPES = {"testsetup", "testcode", "testoutput", "testcleanup", "doctest"}


def check_examples(app: Sphinx, doctree: nodes.document) -> None:
    for node in doctree.findall(nodes.Element):
        kind = node.get("testnodetype")
        if kind in TEST_NODE_TYPES:
            if node.get("groups") in (None, ["default"]):
                logger.warning(
                    "%s block without an example name: write {%s} <example-name>",
                    kind,
                    kind,
                    type="examples",
                    subtype="unnamed",
                    location=node,
                )
        elif (
            isinstance(node, nodes.literal_block)
            and node.get("language") in PYTHON_LANGUAGES
            and "exempt_reason" not in node
        ):
            logger.warning(
                "Python code block that nothing executes: make it a {testcode} example, "
                "or an {example-exempt} block with the reason it cannot run",
                type="examples",
                subtype="not-executable",
                location=node,
            )
