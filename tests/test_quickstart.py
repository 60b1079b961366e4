"""The real quickstart: every example and transcript runs and matches the page, in every
language; the run and the source agree on what there is."""

from __future__ import annotations

import pytest

from quickstart_site.languages import CODES
from tests.conftest import quickstart_examples, source_labels

pytestmark = pytest.mark.site


def test_example_runs_and_matches_the_page(language: str, quickstart_label: str) -> None:
    build = quickstart_examples()[language]
    assert (build.outdir / "examples.json").exists(), f"no report:\n{build.output}"
    entries = {entry.label: entry for entry in build.report.entries}
    entry = entries.get(quickstart_label)
    assert entry is not None, f"{quickstart_label} is in the source but did not run"
    assert entry.passed, entry.output


@pytest.mark.parametrize("language", CODES)
def test_every_example_and_transcript_that_ran_is_in_the_source(language: str) -> None:
    build = quickstart_examples()[language]
    assert build.returncode == 0, build.output
    ran = {entry.label for entry in build.report.entries}
    exempt = [entry for entry in build.report.entries if entry.kind == "exempt"]
    assert not exempt, f"exempt examples ({exempt}); the quickstart's target is zero"
    assert ran == set(source_labels())
    assert len(build.report.of_kind("example")) >= 20
    assert len(build.report.of_kind("transcript")) >= 5
