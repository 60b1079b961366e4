"""The examples builder, on tiny pages made to pass or to fail in one particular way."""

from __future__ import annotations

import shutil
import time
from pathlib import Path

import pytest

from tests.helpers import ROOTS, Build, by_name, sphinx, sphinx_side_by_side

SPECS = {
    "passing": ("examples", ROOTS / "passing", ()),
    "failing-output": ("examples", ROOTS / "failing-output", ()),
    "hangs": ("examples", ROOTS / "hangs", ("examples_timeout=1",)),
    "route-not-requested": ("examples", ROOTS / "route-not-requested", ()),
    "plain-python": ("html", ROOTS / "plain-python", ()),
    "unnamed-example": ("html", ROOTS / "unnamed-example", ()),
    "removed-api": ("html", ROOTS / "removed-api", ()),
    "stuck": ("examples", ROOTS / "stuck", ("examples_timeout=1",)),
    "console-html": ("html", ROOTS / "console-session", ()),
    "console-examples": ("examples", ROOTS / "console-session", ()),
    "uninterruptible": ("examples", ROOTS / "uninterruptible", ("examples_timeout=1",)),
}


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Build]:
    """Every small project of this file, built side by side once."""
    started = time.perf_counter()
    builds = sphinx_side_by_side(SPECS, tmp_path_factory.mktemp("roots"))
    # No example may hold a build for ever: the slowest here gives up after its limit + 3 s.
    assert time.perf_counter() - started < 90
    return builds


def test_a_passing_page_runs_examples_files_and_transcripts(built) -> None:
    build = built["passing"]
    assert build.returncode == 0, build.output
    entries = by_name(build.report)
    assert {name: e.passed for name, e in entries.items() if e.kind != "exempt"} == {
        "greet": True,
        "card": True,
        "stays-inside": True,
        "root-path": True,
        "serve": True,
    }
    assert entries["it needs a database server"].kind == "exempt"
    assert build.report.counts()["exempt"] == 1


def test_a_stray_module_where_the_build_starts_is_not_the_examples_app(tmp_path) -> None:
    (tmp_path / "hello.py").write_text("raise SystemExit('imported the wrong hello')\n")
    build = sphinx("examples", ROOTS / "passing", tmp_path / "out", cwd=tmp_path)
    assert build.returncode == 0, build.output
    assert by_name(build.report)["root-path"].passed


def test_examples_write_only_in_their_own_temporary_folder(built) -> None:
    build = built["passing"]
    assert build.returncode == 0, build.output
    assert by_name(build.report)["stays-inside"].passed
    assert not (ROOTS / "passing" / "notes.txt").exists()
    assert not list(build.outdir.rglob("notes.txt"))


def test_wrong_output_fails_naming_page_line_and_example_with_expected_and_got(built) -> None:
    build = built["failing-output"]
    assert build.returncode != 0
    entries = by_name(build.report)
    assert entries["fine"].passed
    arithmetic = entries["arithmetic"]
    assert not arithmetic.passed
    assert 'File "index.md", line 3, in arithmetic' in arithmetic.output
    assert "Expected:\n    43\nGot:\n    42" in arithmetic.output


def test_a_transcript_that_differs_fails_showing_both_sides(built) -> None:
    build = built["failing-output"]
    transcript = by_name(build.report)["wrong-key-length"]
    assert not transcript.passed
    assert "in transcript wrong-key-length" in transcript.output
    assert "expected (page):\n    {{hex:0123456789abcdef}}" in transcript.output
    assert "got (real command):\n    short" in transcript.output


def test_an_example_that_hangs_is_stopped_and_named(built) -> None:
    build = built["hangs"]
    assert build.returncode != 0
    entries = by_name(build.report)
    assert not entries["forever"].passed
    message = "ExampleTimeout: example 'forever' did not finish within 1 s"
    assert message in entries["forever"].output
    assert entries["after-it"].passed


def test_every_route_must_be_requested(built) -> None:
    build = built["route-not-requested"]
    assert build.returncode != 0
    entry = by_name(build.report)["two-routes"]
    assert not entry.passed
    assert "routes never requested by this example: /about (view 'about')" in entry.output


def test_a_python_block_that_nothing_runs_fails_the_html_build(built) -> None:
    build = built["plain-python"]
    assert build.returncode != 0
    assert "index.md:3: WARNING: Python code block that nothing executes" in build.output


def test_an_example_without_a_name_fails_the_build(built) -> None:
    build = built["unnamed-example"]
    assert build.returncode != 0
    assert "testcode block without an example name" in build.output


def test_a_removed_flask_api_name_fails_the_build(built) -> None:
    build = built["removed-api"]
    assert build.returncode != 0
    assert "py:func reference target not found: flask.escape" in build.output
    assert "markupsafe.escape" not in build.output.split("flask.escape")[-1]


def test_a_build_writes_nothing_into_the_source_folder(tmp_path):
    source = tmp_path / "source"
    shutil.copytree(ROOTS / "passing", source)
    before = sorted(path.relative_to(source) for path in source.rglob("*"))
    build = sphinx("html", source, tmp_path / "html")
    assert build.returncode == 0, build.output
    assert sorted(path.relative_to(source) for path in source.rglob("*")) == before


def test_an_example_cannot_swallow_its_timeout_and_a_hanging_view_is_named(built) -> None:
    """Defect A: ``except Exception`` in a loop, and a Flask view that never returns, each
    fail within the limit, under their own name, saying so."""
    build = built["stuck"]
    assert build.returncode != 0
    entries = by_name(build.report)
    for name in ("swallows-the-timeout", "hanging-view"):
        assert not entries[name].passed, name
        message = f"ExampleTimeout: example {name!r} did not finish within 1 s"
        assert message in entries[name].output, entries[name].output
    assert "500 INTERNAL SERVER ERROR" not in entries["hanging-view"].output
    assert entries["after-them"].passed


def test_a_doctest_console_session_is_refused_at_read_time_with_its_line(built) -> None:
    """Defect C: every consumer of the model refuses {doctest}, before any build writes."""
    for builder in ("html", "examples"):
        build = built[f"console-{builder}"]
        assert build.returncode != 0
        assert "index.md:3: WARNING: {doctest} blocks are not supported" in build.output
        assert "[quickstart.example]" in build.output
        assert "please open an issue" not in build.output.lower()


def test_an_example_that_catches_every_interruption_ends_the_build_with_its_name(built):
    """A bare ``except:`` in a loop swallows every interruption: the build gives it up a few
    seconds after its limit, names it in the report, and stops instead of waiting for ever."""
    build = built["uninterruptible"]
    assert build.returncode != 0
    entries = by_name(build.report)
    assert entries["before-it"].passed
    stuck = entries["swallows-everything"]
    assert not stuck.passed
    assert "did not finish within 1 s, and caught every interruption" in stuck.output
    # Nothing the build started outlives it (a process naming its output folder).
    assert processes_naming(build.outdir) == []


def processes_naming(folder: Path) -> list[str]:
    """The command lines of this machine's processes that name ``folder``."""
    found = []
    for cmdline in Path("/proc").glob("[0-9]*/cmdline"):
        try:
            words = cmdline.read_bytes().decode(errors="replace").split("\0")
        except OSError:  # it ended meanwhile
            continue
        if str(folder) in words:
            found.append(" ".join(words))
    return found
