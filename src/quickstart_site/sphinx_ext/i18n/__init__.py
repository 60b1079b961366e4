"""Translated pages: code comments from the catalogs, labels for what is not translated yet,
interface strings Sphinx and the theme leave in English, plural rules without eval, and
translated messages parsed without rebuilding docutils' defaults for each."""

from __future__ import annotations

from typing import Any

from sphinx.application import Sphinx

from quickstart_site.sphinx_ext.i18n.code_comments import (
    TranslateCodeComments,
    extract_hidden_blocks_whole,
)
from quickstart_site.sphinx_ext.i18n.interface import setup_interface
from quickstart_site.sphinx_ext.i18n.myst_settings import make_docutils_defaults_once
from quickstart_site.sphinx_ext.i18n.plural_rules import setup_plural_rules
from quickstart_site.sphinx_ext.i18n.translation_status import LabelUntranslated


def setup(app: Sphinx) -> dict[str, Any]:
    app.add_transform(TranslateCodeComments)
    app.connect("doctree-resolved", extract_hidden_blocks_whole)
    app.add_transform(LabelUntranslated)
    setup_interface(app)
    setup_plural_rules(app)
    make_docutils_defaults_once()
    return {"version": "0.1", "parallel_read_safe": True, "parallel_write_safe": True}
