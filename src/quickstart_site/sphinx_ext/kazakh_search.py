"""Search for Kazakh pages: Sphinx and Snowball have no Kazakh stemmer."""

from __future__ import annotations

from sphinx.application import Sphinx


def setup_kazakh_search(app: Sphinx) -> None:
    """Register the Kazakh search language (called from the extension's setup)."""
