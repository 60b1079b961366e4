"""One example, every consumer: for every example of every language, the program behind the
Run button and the notebook's code cells are the program the examples builder ran.

The builder records, in examples.json, the code it handed to the doctest runner; the Run
programs and the notebook are read from what the site ships. Nothing here re-derives an
example: a consumer that reads the page differently fails."""

from __future__ import annotations

import json
import runpy

import nbformat
import pytest

from quickstart_site.examples.model import join_code
from quickstart_site.languages import CODES
from tests.conftest import quickstart_examples, quickstart_site
from tests.helpers import PROJECT

pytestmark = [pytest.mark.site]

PROGRAM_KINDS = {"testsetup", "testcode", "testcleanup"}


def ran(language: str) -> dict[str, str]:
    build = quickstart_examples()[language]
    assert (build.outdir / "examples.json").exists(), build.output
    return {entry.name: entry.program for entry in build.report.of_kind("example")}


def configuration() -> tuple[str, str]:
    conf = runpy.run_path(str(PROJECT.root / "conf.py"))
    return conf.get("doctest_global_setup", ""), conf.get("doctest_global_cleanup", "")


@pytest.mark.parametrize("language", CODES)
def test_each_run_button_runs_the_program_ci_ran(language: str) -> None:
    site = quickstart_site()
    assert site.returncode == 0, site.output
    runs = json.loads((site.outdir / language / "_examples" / "quickstart.json").read_text())
    programs = ran(language)
    last: dict[str, dict] = {}
    for run in runs["runs"].values():
        last[run["example"]] = run  # the last button of an example runs all of it
    assert len(last) >= 20
    for name, run in last.items():
        program = join_code([run["prelude"], run["source"], run["epilogue"]])
        assert program == programs[name], f"{language} {name}: the Run button's program differs"
        assert join_code(step["code"] for step in run["steps"]) == run["source"]


@pytest.mark.parametrize("language", CODES)
def test_the_notebook_cells_of_each_example_are_the_program_ci_ran(language: str) -> None:
    site = quickstart_site()
    assert site.returncode == 0, site.output
    book = nbformat.read(site.outdir / "lite" / "files" / language / "quickstart.ipynb", 4)
    setup, cleanup = configuration()
    programs = ran(language)
    for name, program in programs.items():
        cells = [
            cell.source
            for cell in book.cells
            if cell.cell_type == "code"
            and cell.metadata["quickstart"]["kind"] in PROGRAM_KINDS
            and {name, "*"} & set(cell.metadata["quickstart"]["examples"])
        ]
        assert join_code([setup, *cells, cleanup]) == program, f"{language} {name}"
    assert len(programs) >= 20
