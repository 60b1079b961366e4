"""Sphinx extension: executable examples, verified transcripts and the checks that keep them so.

Add ``"quickstart_site.sphinx_ext"`` after ``"sphinx.ext.doctest"`` in ``extensions`` and build
with ``-b examples`` to run every example and transcript. Each feature is its own
sub-extension, registered here: ``examples`` (directives, read-time checks, the builder),
``exercises`` (checked exercises on sphinx-exercise: directives, read-time checks, the page),
``i18n`` (code comments, interface strings, plural rules), ``search`` (Kazakh, Chinese),
``site`` (the language switcher) and ``browser`` (Run buttons, notebooks, JupyterLite).
"""

from __future__ import annotations

from typing import Any

from sphinx.application import Sphinx

EXTENSION_METADATA = {"version": "0.1", "parallel_read_safe": True, "parallel_write_safe": True}

FEATURES = (
    "quickstart_site.sphinx_ext.examples",
    "quickstart_site.sphinx_ext.exercises",
    "quickstart_site.sphinx_ext.i18n",
    "quickstart_site.sphinx_ext.search",
    "quickstart_site.sphinx_ext.site",
    "quickstart_site.sphinx_ext.browser",
)


def setup(app: Sphinx) -> dict[str, Any]:
    for feature in FEATURES:
        app.setup_extension(feature)
    return EXTENSION_METADATA
