"""Examples on a page: their directives, the read-time checks and the ``examples`` builder."""

from __future__ import annotations

from typing import Any

from sphinx.application import Sphinx

from quickstart_site.sphinx_ext.examples.builder import ExamplesBuilder
from quickstart_site.sphinx_ext.examples.checks import check_examples
from quickstart_site.sphinx_ext.examples.directives import ExampleExempt, ExampleFile, Transcript


def setup(app: Sphinx) -> dict[str, Any]:
    app.setup_extension("sphinx.ext.doctest")
    app.add_config_value("examples_timeout", 10, "", types=frozenset({int}))  # seconds
    # Off only where the transcripts are not what is tested (tests/test_mutations.py's code
    # rounds): each runs real processes.
    app.add_config_value("examples_transcripts", True, "", types=frozenset({bool}))
    app.add_directive("example-file", ExampleFile)
    app.add_directive("transcript", Transcript)
    app.add_directive("example-exempt", ExampleExempt)
    app.add_builder(ExamplesBuilder)
    app.connect("doctree-read", check_examples)
    return {"version": "0.1", "parallel_read_safe": True, "parallel_write_safe": True}
