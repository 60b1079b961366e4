from __future__ import annotations

import functools
import pickle
import shutil

import pytest
from docutils import nodes

from quickstart_site import paths
from quickstart_site.build import build_site, examples_command, run_parallel
from quickstart_site.languages import CODES
from tests.helpers import Build

REPORTS = pytest.StashKey()


@functools.cache
def quickstart_site() -> Build:
    """One fresh build of every language of the real site, run once per test session."""
    outdir = paths.BUILD / "pytest" / "site"
    shutil.rmtree(outdir, ignore_errors=True)
    status, output = build_site(
        fresh=True, site=outdir, doctrees=paths.BUILD / "pytest" / "doctrees", capture=True
    )
    return Build(status, output, outdir)


@functools.cache
def quickstart_doctree(language: str) -> nodes.document:
    """The quickstart page as the site build read it in ``language`` (translated)."""
    build = quickstart_site()
    assert build.returncode == 0, build.output
    path = paths.BUILD / "pytest" / "doctrees" / language / "quickstart.doctree"
    return pickle.loads(path.read_bytes())


@functools.cache
def quickstart_examples() -> dict[str, Build]:
    """Every example and transcript run on each language's page (the translated doctree, with
    its translated comments), all languages side by side, once per test session."""
    root = paths.BUILD / "pytest" / "examples"
    shutil.rmtree(root, ignore_errors=True)
    results = run_parallel([examples_command(root / code, code) for code in CODES], capture=True)
    return {
        code: Build(status, output, root / code)
        for code, (status, output) in zip(CODES, results, strict=True)
    }


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    """One test item per language and example, transcript or exemption of the quickstart."""
    if "quickstart_entry" not in metafunc.fixturenames:
        return
    reports, entries, ids = {}, [], []
    for code, build in quickstart_examples().items():
        if not (build.outdir / "examples.json").exists():
            pytest.fail(f"the {code} examples build produced no report:\n{build.output}")
        reports[code] = build.report
        entries += build.report.entries
        ids += [f"{code}:{entry.label}" for entry in build.report.entries]
    metafunc.config.stash[REPORTS] = reports
    metafunc.parametrize("quickstart_entry", entries, ids=ids)


def pytest_terminal_summary(terminalreporter, exitstatus, config) -> None:
    for code, report in config.stash.get(REPORTS, {}).items():
        terminalreporter.write_line(f"quickstart ({code}): {report.summary()}")
