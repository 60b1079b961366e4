"""MyST-Parser's docutils defaults, made once per parser class instead of once per parse.

Sphinx parses each translated message of a page on its own, with the page's parser, into the
page's document. MyST-Parser 5.2 still makes a throwaway document for every such parse: its
renderer looks the document up as ``options.get("document", make_document())``, whose default
is built whether it is used or not, and ``make_document`` asks docutils for its default
settings, which builds docutils' whole option parser again (2 ms). A translated quickstart has
550 messages: a second of each translated read, a third of it (measured with cProfile on the
ru examples build). Nothing else changes: every document still gets its own settings, a copy
of the same defaults.
"""

from __future__ import annotations

import functools
from typing import Any

from docutils.frontend import Values, get_default_settings
from docutils.utils import DependencyList
from myst_parser.mdit_to_docutils import base


@functools.cache
def defaults_made_once(*components: Any) -> Values:
    return get_default_settings(*components)


def default_settings(*components: Any) -> Values:
    """docutils' default settings for ``components``: a copy of the ones made once, with a
    dependency list of its own (the one mutable default; docutils makes one per call)."""
    settings = defaults_made_once(*components).copy()
    settings.record_dependencies = DependencyList()
    return settings


def make_docutils_defaults_once() -> None:
    # make_document is the one user of this name in MyST's renderer module.
    setattr(base, "get_default_settings", default_settings)  # noqa: B010 (not re-exported)
