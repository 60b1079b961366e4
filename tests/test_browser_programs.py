"""What a Run button runs is the example CI runs, in the page's language, and it prints what
the page shows. The browser runs these programs through run_example.py in Pyodide; here the
same file runs them in CPython, so every run of every language is checked on every test run
(tests/test_browser_runner.py runs some of them in Chromium). The tests below them hold
run_example.py to CI's rules (the examples builder's): a fresh folder, removed afterwards;
sys.path without the runner's own folder; tracebacks that name the page's lines."""

from __future__ import annotations

import json
import os
import runpy
import subprocess
import sys
from pathlib import Path

import pytest

from quickstart_site.languages import CODES
from quickstart_site.orchestration import runtime
from quickstart_site.sphinx_ext.browser import runner as browser_runner
from tests.conftest import quickstart_site
from tests.helpers import PROJECT, TIME_LIMIT_META

RUN_EXAMPLE = browser_runner.STATIC / "runner" / "run_example.py"
GLOBAL_SETUP = '__name__ = "hello"'  # conf.py's doctest_global_setup


def page_runs(language: str) -> dict[str, dict]:
    build = quickstart_site()
    assert build.returncode == 0, build.output
    data = json.loads((build.outdir / language / "_examples" / "quickstart.json").read_text())
    return data["runs"]


# The runs in a fresh CPython whose working directory is on sys.path, as the worker's
# (/home/pyodide) is in Pyodide and the build's is under `python -m sphinx`. A run may be given
# edited code, and a time after which the main thread is interrupted (KeyboardInterrupt, as
# Pyodide's interrupt buffer raises it when the reader stops a run). SIGINT's handler is set
# here: a process started from a shell's background job inherits SIGINT ignored, Python then
# installs no handler, and interrupt_main() does nothing (seen: the loop ran until the timeout).
RUN_ALL = """
import _thread, json, os, runpy, signal, sys, threading
signal.signal(signal.SIGINT, signal.default_int_handler)
sys.path.insert(0, os.getcwd())
run_example = runpy.run_path(sys.argv[1])["run_example"]
results = {}
for key, (run, edited, interrupt_after) in json.load(sys.stdin).items():
    if interrupt_after:
        threading.Timer(interrupt_after, _thread.interrupt_main).start()
    results[key] = run_example(run, edited)
json.dump(results, sys.stdout)
"""


def run_in_cpython(
    runs: dict[str, dict],
    folder: Path,
    *,
    edited: dict[str, str] | None = None,
    interrupt_after: dict[str, float] | None = None,
    temp: Path | None = None,
) -> dict[str, dict]:
    """What run_example returns for each run, run in this order in one process; ``edited``
    code replaces a run's, ``temp`` is the process's TMPDIR."""
    edited, interrupt_after = edited or {}, interrupt_after or {}
    cases = {key: [run, edited.get(key), interrupt_after.get(key)] for key, run in runs.items()}
    env = {**os.environ, "TMPDIR": str(temp)} if temp else None
    done = subprocess.run(
        [sys.executable, "-c", RUN_ALL, str(RUN_EXAMPLE)],
        input=json.dumps(cases),
        capture_output=True,
        text=True,
        cwd=folder,
        env=env,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def program(*steps: tuple[str, int], prelude="", epilogue="", files=None) -> dict:
    """A run as runner.py writes it: ``steps`` are (code, page line) of quickstart.md."""
    return {
        "id": "test-1",
        "example": "test",
        "prelude": prelude,
        "source": "".join(code.rstrip("\n") + "\n" for code, _line in steps),
        "epilogue": epilogue,
        "steps": [{"code": code, "file": "quickstart.md", "line": line} for code, line in steps],
        "files": files or {},
        "expected": "",
    }


@pytest.mark.site
@pytest.mark.parametrize("language", CODES)
def test_every_run_prints_what_the_page_shows(language: str, tmp_path: Path):
    runs = page_runs(language)
    results = run_in_cpython(runs, tmp_path)
    for key, run in runs.items():
        result = results[key]
        assert result["error"] == "", f"{language} {key}:\n{result['error']}"
        assert result["stdout"] == run["expected"], f"{language} {key}"
    assert list(tmp_path.iterdir()) == [], "a run wrote outside its own folder"


@pytest.mark.site
def test_translated_runs_carry_the_translated_comments():
    english, russian = page_runs("en"), page_runs("ru")
    assert english.keys() == russian.keys()
    source = russian["request-form-1"]["source"]
    assert "# Show the form" in english["request-form-1"]["source"]
    assert "# Show the form" not in source
    assert any("а" <= char <= "я" for char in source), "no Cyrillic comment in the ru run"


def test_a_failing_run_names_the_page_line_of_the_failing_code(tmp_path: Path):
    """Unedited, a run's blocks are compiled at their page lines, as sphinx.ext.doctest reports
    a failing block: the traceback names quickstart.md and quotes the line."""
    run = program(
        ("x = 1\n", 40), ("def fail():\n    raise ValueError('boom')\n", 52), ("fail()\n", 60)
    )
    result = run_in_cpython({"broken": run}, tmp_path)["broken"]
    error = result["error"]
    assert result["stdout"] == ""
    assert error.startswith("Traceback")
    assert 'File "quickstart.md", line 60, in <module>\n    fail()\n' in error
    assert "File \"quickstart.md\", line 53, in fail\n    raise ValueError('boom')\n" in error
    assert "run_example" not in error
    assert error.rstrip().endswith("ValueError: boom")
    assert not result["interrupted"]


def test_an_edited_run_names_the_edit_in_its_traceback(tmp_path: Path):
    run = program(("x = 1\n", 40))
    edit = "x = 1\nraise ValueError('boom')\n"
    result = run_in_cpython({"edited": run}, tmp_path, edited={"edited": edit})["edited"]
    error = result["error"]
    assert "File \"<your edit>\", line 2, in <module>\n    raise ValueError('boom')\n" in error
    assert "quickstart.md" not in error
    assert "run_example" not in error
    assert error.rstrip().endswith("ValueError: boom")


def test_the_global_setup_runs_first_and_the_global_cleanup_last(tmp_path: Path):
    """As the doctest runner does: the cleanup also runs after the example's code failed."""
    around = {"prelude": '__name__ = "hello"', "epilogue": "print('cleanup')\n"}
    run = program(("print(__name__)\n", 10), **around)
    failing = program(("print(__name__)\n1 / 0\n", 10), **around)
    results = run_in_cpython({"ok": run, "failing": failing}, tmp_path)
    assert results["ok"]["stdout"] == "hello\ncleanup\n"
    assert results["ok"]["error"] == ""
    assert results["failing"]["stdout"] == "hello\ncleanup\n"
    assert "ZeroDivisionError" in results["failing"]["error"]


def test_each_run_starts_from_a_fresh_namespace_and_folder(tmp_path: Path):
    first = program(("x = 1\nopen('made.txt', 'w').write('1')\n", 1))
    second = program(
        ("import os\nprint('x' in globals(), os.path.exists('made.txt'))\n", 1),
        files={"templates/page.html": "<p>hi</p>\n"},
    )
    results = run_in_cpython({"a": first, "b": second}, tmp_path)
    assert results["b"]["stdout"] == "False False\n"


def test_the_runs_folder_is_removed_afterwards(tmp_path: Path):
    temp, cwd = tmp_path / "temp", tmp_path / "cwd"
    temp.mkdir()
    cwd.mkdir()
    writes = program(
        ("import os\nos.makedirs('instance')\nopen('instance/db.txt', 'w').write('1')\n", 1),
        files={"templates/page.html": "<p>hi</p>\n"},
    )
    fails = program(("open('made.txt', 'w').write('1')\n1 / 0\n", 1))
    results = run_in_cpython({"writes": writes, "fails": fails}, cwd, temp=temp)
    assert results["writes"]["error"] == ""
    assert "ZeroDivisionError" in results["fails"]["error"]
    assert list(temp.iterdir()) == [], "a run's folder was left behind"
    assert list(cwd.iterdir()) == [], "a run wrote outside its own folder"


def test_sys_path_holds_the_runs_folder_and_not_the_runners(tmp_path: Path):
    """As in the examples builder: a stray module beside the runner is not importable, the
    example's own files are, and a module imported by one run is not the next run's."""
    (tmp_path / "stray.py").write_text("print('the runner folder was imported')\n")
    check = program(("import os, sys\nprint(sys.path[0] == os.getcwd())\nimport stray\n", 1))
    first = program(("import helper\nprint(helper.VALUE)\n", 1), files={"helper.py": "VALUE = 1\n"})
    second = program(
        ("import helper\nprint(helper.VALUE)\n", 1), files={"helper.py": "VALUE = 2\n"}
    )
    results = run_in_cpython({"check": check, "first": first, "second": second}, tmp_path)
    assert results["check"]["stdout"] == "True\n"
    assert "ModuleNotFoundError: No module named 'stray'" in results["check"]["error"]
    assert (results["first"]["stdout"], results["second"]["stdout"]) == ("1\n", "2\n")


def test_megabytes_of_output_are_capped(tmp_path: Path):
    run = program(
        (
            "import sys\n"
            "for _ in range(100_000):\n"
            "    print('x' * 99)\n"
            "print('e' * 1_000_000, file=sys.stderr)\n",
            1,
        )
    )
    small = program(("print('x' * 99)\n", 1))
    results = run_in_cpython({"big": run, "small": small}, tmp_path)
    big = results["big"]
    assert big["stdout"] == ("x" * 99 + "\n") * 2000, "the first 200,000 characters"
    assert big["stderr"] == "e" * 200_000
    assert big["truncated"] is True
    assert big["error"] == ""
    assert results["small"]["truncated"] is False


def test_a_stopped_run_says_so_and_the_next_run_is_fresh(tmp_path: Path):
    """The reader's Stop and the time limit interrupt the run (Pyodide's interrupt buffer
    raises KeyboardInterrupt): the run reports it, its folder goes, the next run works."""
    temp, cwd = tmp_path / "temp", tmp_path / "cwd"
    temp.mkdir()
    cwd.mkdir()
    loop = program(("print('started')\nwhile True:\n    pass\n", 20), epilogue="print('cleanup')\n")
    after = program(("print('next')\n", 30))
    results = run_in_cpython(
        {"loop": loop, "after": after}, cwd, interrupt_after={"loop": 0.5}, temp=temp
    )
    stopped = results["loop"]
    assert stopped["interrupted"] is True
    assert stopped["stdout"] == "started\n", "nothing runs after an interruption"
    assert 'File "quickstart.md", line 21, in <module>' in stopped["error"]
    assert stopped["error"].rstrip().endswith("KeyboardInterrupt")
    assert results["after"] == {
        "stdout": "next\n",
        "stderr": "",
        "error": "",
        "interrupted": False,
        "truncated": False,
    }
    assert list(temp.iterdir()) == []


@pytest.mark.site
def test_the_browsers_time_limit_is_cis():
    """The page carries the examples builder's examples_timeout, and runner.js stops a run
    after the time that page says."""
    page = (quickstart_site().outdir / "en" / "quickstart.html").read_text(encoding="utf-8")
    limit = TIME_LIMIT_META.search(page)
    assert limit, "the page states its time limit"
    timeout = runpy.run_path(str(PROJECT.root / "conf.py")).get("examples_timeout", 10)
    assert int(limit[1]) == timeout
    script = (RUN_EXAMPLE.parent / "runner.js").read_text(encoding="utf-8")
    assert 'meta[name="example-time-limit"]' in script


@pytest.mark.site
def test_the_page_says_which_flask_the_browser_runs():
    manifest = runtime.manifest(runtime.ensure_runtime(PROJECT.runtime_cache))
    page = (quickstart_site().outdir / "en" / "quickstart.html").read_text()
    flask = manifest["packages"]["flask"]
    assert f"with Flask {flask} on Python {manifest['python']}" in page
    # ... which is the Flask the doctests ran against.
    assert f"built with Flask {flask}" in page
