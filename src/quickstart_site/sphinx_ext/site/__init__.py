"""The site around the pages: the language switcher, site names per language, 404 pages."""

from __future__ import annotations

from typing import Any

from sphinx.application import Sphinx

from quickstart_site.sphinx_ext.site.language_switcher import setup_language_switcher


def setup(app: Sphinx) -> dict[str, Any]:
    setup_language_switcher(app)
    return {"version": "0.1", "parallel_read_safe": True, "parallel_write_safe": True}
