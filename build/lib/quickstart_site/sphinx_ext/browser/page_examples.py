"""A page's examples for the HTML build's consumers (the Run buttons and the notebook): the
model read once per page from the resolved doctree, so both get the very same objects."""

from __future__ import annotations

from weakref import WeakKeyDictionary

from docutils import nodes
from sphinx.application import Sphinx

from quickstart_site.examples.grouping import examples_of
from quickstart_site.examples.model import Example, UnsupportedExample

_read: WeakKeyDictionary[nodes.document, list[Example]] = WeakKeyDictionary()


def page_examples(app: Sphinx, doctree: nodes.document, docname: str) -> list[Example]:
    """The page's examples; none where the model refused the page (the read-time check has
    already warned, naming the block, and -W fails the build)."""
    if doctree not in _read:
        try:
            _read[doctree] = examples_of(
                doctree,
                docname,
                global_setup=app.config.doctest_global_setup,
                global_cleanup=app.config.doctest_global_cleanup,
            )
        except UnsupportedExample:
            _read[doctree] = []
    return _read[doctree]
