"""The example model on small pages: Sphinx's doctest grouping, read once for every consumer."""

from __future__ import annotations

import contextlib
import io
import pickle
import shutil
import subprocess

import nbformat
import pytest

from quickstart_site.examples.grouping import examples_of
from quickstart_site.examples.model import Role, join_code
from quickstart_site.orchestration.build import runtime_settings, sphinx_command
from quickstart_site.orchestration.runtime import ensure_runtime
from quickstart_site.sphinx_ext.browser.runner import run_of
from tests.helpers import PROJECT, ROOTS, by_name, sphinx

GLOBAL_SETUP = '__name__ = "hello"'  # conf.py's doctest_global_setup


def test_a_star_setup_and_skipif_reach_the_run_program_as_ci_ran_them(tmp_path) -> None:
    """Defect B: a ``{testsetup} *`` joins every example, and a ``:skipif:`` block none, in the
    builder's program and in the Run button's program alike."""
    build = sphinx("examples", ROOTS / "star", tmp_path)
    assert build.returncode == 0, build.output
    entries = by_name(build.report)
    assert entries["one"].passed and entries["two"].passed
    doctree = pickle.loads((tmp_path / ".doctrees" / "index.doctree").read_bytes())
    examples = {e.name: e for e in examples_of(doctree, "index", global_setup=GLOBAL_SETUP)}
    for name, example in examples.items():
        assert [s.role for s in example.steps][:2] == [Role.CONFIG_SETUP, Role.SETUP]
        run = run_of(example.parts()[-1], 1, "index.md")
        program = join_code([run["prelude"], run["source"], run["epilogue"]])
        assert program == entries[name].program
        assert "never runs" not in program
        printed = io.StringIO()
        with contextlib.redirect_stdout(printed):
            exec(program, {})  # noqa: S102 - the example's own code
        assert printed.getvalue() == run["expected"] == f"Hello {name}\n"


@pytest.mark.site
def test_an_incremental_build_keeps_the_notebooks_of_pages_it_did_not_rewrite(tmp_path) -> None:
    """Defect D: touch one of two pages with examples, rebuild: both notebooks are there."""
    source = tmp_path / "source"
    shutil.copytree(ROOTS / "two-pages", source)
    settings = runtime_settings(ensure_runtime(PROJECT.runtime_cache))
    command = sphinx_command(
        "html",
        tmp_path / "html",
        tmp_path / "doctrees",
        confdir=PROJECT.root,
        source=source,
        settings=settings,
    )
    first = subprocess.run(command, capture_output=True, text=True, timeout=300)
    assert first.returncode == 0, first.stdout + first.stderr
    (source / "other.md").write_text((source / "other.md").read_text() + "\nMore words.\n")
    second = subprocess.run(command, capture_output=True, text=True, timeout=300)
    assert second.returncode == 0, second.stdout + second.stderr
    files = tmp_path / "html" / "lite" / "files"
    assert sorted(path.name for path in files.glob("*.ipynb")) == ["index.ipynb", "other.ipynb"]
    index = nbformat.read(files / "index.ipynb", 4)
    assert any('print("first")' in cell.source for cell in index.cells)
    assert not (source / ".jupyterlite.doit.db").exists()
    assert sorted(path.name for path in source.iterdir()) == ["index.md", "other.md"]
