from __future__ import annotations

import functools
import shutil

import pytest

from quickstart_site import paths
from tests.helpers import Build, sphinx

REPORT = pytest.StashKey()


@functools.cache
def quickstart_examples() -> Build:
    """One fresh examples build of the real docs, run once per test session."""
    outdir = paths.BUILD / "pytest" / "examples-en"
    shutil.rmtree(outdir, ignore_errors=True)
    return sphinx("examples", paths.DOCS, outdir)


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    """One test item per example, transcript and exemption of the quickstart."""
    if "quickstart_entry" not in metafunc.fixturenames:
        return
    build = quickstart_examples()
    if not (build.outdir / "examples.json").exists():
        pytest.fail(f"the examples build produced no report:\n{build.output}")
    report = build.report
    metafunc.config.stash[REPORT] = report
    metafunc.parametrize("quickstart_entry", report.entries, ids=[e.label for e in report.entries])


def pytest_terminal_summary(terminalreporter, exitstatus, config) -> None:
    report = config.stash.get(REPORT, None)
    if report is not None:
        terminalreporter.write_line(f"quickstart: {report.summary()}")
