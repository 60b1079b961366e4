"""Interface strings in the reader's language, where Sphinx or the theme ships none."""

from __future__ import annotations

from sphinx.application import Sphinx


def setup_interface(app: Sphinx) -> None:
    """Register what the interface translations need (called from the extension's setup)."""
