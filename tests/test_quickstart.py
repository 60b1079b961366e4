"""The real quickstart: every example and transcript runs and matches the page."""

from __future__ import annotations

import pytest

from quickstart_site import paths
from quickstart_site.languages import CODES
from quickstart_site.report import Entry
from tests.conftest import quickstart_examples
from tests.mutations import fences


def test_example_runs_and_matches_the_page(quickstart_entry: Entry) -> None:
    if quickstart_entry.kind == "exempt":
        raise AssertionError(
            f"{quickstart_entry.source}:{quickstart_entry.line}: exempt example "
            f"({quickstart_entry.name}); the quickstart's target is zero exemptions"
        )
    assert quickstart_entry.passed, quickstart_entry.output


@pytest.mark.parametrize("language", CODES)
def test_every_example_and_transcript_in_the_source_ran(language: str) -> None:
    build = quickstart_examples()[language]
    assert build.returncode == 0, build.output
    in_source = {"example": set(), "transcript": set()}
    for page in paths.DOCS.glob("*.md"):
        for fence in fences(page.read_text(encoding="utf-8")):
            if fence.directive in ("testcode", "testsetup", "testoutput", "testcleanup"):
                in_source["example"].update(f"{page.stem}:{name}" for name in fence.names)
            elif fence.directive == "transcript":
                in_source["transcript"].add(f"{page.stem}:{fence.argument}")
    for kind, names in in_source.items():
        ran = {f"{e.docname}:{e.name}" for e in build.report.of_kind(kind)}
        assert ran == names, f"{kind}s in the source vs run: {sorted(ran ^ names)}"
    assert len(in_source["example"]) >= 20 and len(in_source["transcript"]) >= 5
