"""Search in every language: a Kazakh search language, and Chinese search that works."""

from __future__ import annotations

from typing import Any

from sphinx.application import Sphinx

from quickstart_site.sphinx_ext.search.chinese import setup_chinese_search
from quickstart_site.sphinx_ext.search.kazakh import setup_kazakh_search


def setup(app: Sphinx) -> dict[str, Any]:
    setup_kazakh_search(app)
    setup_chinese_search(app)
    return {"version": "0.1", "parallel_read_safe": True, "parallel_write_safe": True}
