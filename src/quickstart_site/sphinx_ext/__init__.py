"""Sphinx extension: executable examples, verified transcripts and the checks that keep them so.

Add ``"quickstart_site.sphinx_ext"`` after ``"sphinx.ext.doctest"`` in ``extensions`` and build
with ``-b examples`` to run every example and transcript.
"""

from __future__ import annotations

from typing import Any

from sphinx.application import Sphinx

from quickstart_site.sphinx_ext.browser_runner import setup_browser_runner
from quickstart_site.sphinx_ext.builder import ExamplesBuilder
from quickstart_site.sphinx_ext.checks import check_examples
from quickstart_site.sphinx_ext.chinese_search import setup_chinese_search
from quickstart_site.sphinx_ext.code_comments import (
    TranslateCodeComments,
    extract_hidden_blocks_whole,
)
from quickstart_site.sphinx_ext.directives import ExampleExempt, ExampleFile, Transcript
from quickstart_site.sphinx_ext.interface import setup_interface
from quickstart_site.sphinx_ext.kazakh_search import setup_kazakh_search
from quickstart_site.sphinx_ext.language_switcher import setup_language_switcher
from quickstart_site.sphinx_ext.lite_site import setup_lite_site
from quickstart_site.sphinx_ext.plural_rules import setup_plural_rules
from quickstart_site.sphinx_ext.translation_status import LabelUntranslated


def setup(app: Sphinx) -> dict[str, Any]:
    app.setup_extension("sphinx.ext.doctest")
    app.add_config_value("examples_timeout", 10, "", types=frozenset({int}))  # seconds
    app.add_directive("example-file", ExampleFile)
    app.add_directive("transcript", Transcript)
    app.add_directive("example-exempt", ExampleExempt)
    app.add_builder(ExamplesBuilder)
    app.connect("doctree-read", check_examples)
    app.add_transform(TranslateCodeComments)
    app.connect("doctree-resolved", extract_hidden_blocks_whole)
    app.add_transform(LabelUntranslated)
    setup_interface(app)
    setup_plural_rules(app)
    setup_kazakh_search(app)
    setup_chinese_search(app)
    setup_language_switcher(app)
    setup_browser_runner(app)
    setup_lite_site(app)
    return {"version": "0.1", "parallel_read_safe": True, "parallel_write_safe": True}
