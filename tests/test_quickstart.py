"""The real quickstart: every example and transcript runs and matches the page."""

from __future__ import annotations

from quickstart_site import paths
from quickstart_site.report import Entry
from tests.conftest import quickstart_examples
from tests.helpers import sphinx


def test_example_runs_and_matches_the_page(quickstart_entry: Entry) -> None:
    if quickstart_entry.kind == "exempt":
        raise AssertionError(
            f"{quickstart_entry.source}:{quickstart_entry.line}: exempt example "
            f"({quickstart_entry.name}); the quickstart's target is zero exemptions"
        )
    assert quickstart_entry.passed, quickstart_entry.output


def test_examples_build_is_clean_and_covers_the_page() -> None:
    build = quickstart_examples()
    assert build.returncode == 0, build.output
    counts = build.report.counts()
    assert counts["example"] >= 30, counts
    assert counts["transcript"] >= 5, counts


def test_html_build_has_no_warnings(tmp_path) -> None:
    build = sphinx("html", paths.DOCS, tmp_path / "html")
    assert build.returncode == 0, build.output
    assert "WARNING" not in build.output
    assert (tmp_path / "html" / "quickstart.html").exists()
