"""The example model on small pages: Sphinx's doctest grouping, read once for every consumer."""

from __future__ import annotations

import contextlib
import io
import json
import pickle
import shutil

import nbformat
import pytest

from quickstart_site.examples.grouping import examples_of
from quickstart_site.examples.model import Role, join_code
from quickstart_site.orchestration.build import build_site
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
    """Defect D: touch one of two pages with examples, rebuild: both notebooks are in the
    site's JupyterLite app, the touched one current; the app and the runtime are not copied
    again. Then a page removed: its notebook leaves the app."""
    source = tmp_path / "source"
    shutil.copytree(ROOTS / "two-pages", source)
    site, doctrees = tmp_path / "site", tmp_path / "doctrees"

    def build() -> str:
        printed = io.StringIO()
        with contextlib.redirect_stdout(printed):
            status, output = build_site(
                PROJECT, ("en",), site=site, doctrees=doctrees, source=source, capture=True
            )
        assert status == 0, output
        return printed.getvalue()

    build()
    files = site / "lite" / "files" / "en"
    app_page = site / "lite" / "notebooks" / "index.html"
    copied = (app_page.stat().st_mtime_ns, (site / "_runtime" / "runtime.json").stat().st_ino)
    (source / "other.md").write_text((source / "other.md").read_text() + "\nMore words.\n")
    progress = build()
    assert "app current" in progress and "runtime: current" in progress, progress
    assert (app_page.stat().st_mtime_ns, (site / "_runtime" / "runtime.json").stat().st_ino) == (
        copied
    )
    assert sorted(path.name for path in files.glob("*.ipynb")) == ["index.ipynb", "other.ipynb"]
    index = nbformat.read(files / "index.ipynb", 4)
    assert any('print("first")' in cell.source for cell in index.cells)
    other = nbformat.read(files / "other.ipynb", 4)
    assert any("More words." in cell.source for cell in other.cells)
    assert listed(site, "en") == ["en/index.ipynb", "en/other.ipynb"]
    assert sorted(path.name for path in source.iterdir()) == ["index.md", "other.md"]

    (source / "other.md").unlink()
    (source / "index.md").write_text((source / "index.md").read_text().replace("other\n", ""))
    build()
    assert sorted(path.name for path in files.glob("*.ipynb")) == ["index.ipynb"]
    assert listed(site, "en") == ["en/index.ipynb"]


def listed(site, language: str) -> list[str]:
    """The notebooks the app's contents listing names for ``language``'s folder."""
    listing = json.loads((site / "lite" / "api" / "contents" / language / "all.json").read_text())
    return sorted(entry["path"] for entry in listing["content"] if entry["type"] == "notebook")
