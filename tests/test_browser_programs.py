"""What a Run button runs is the example CI runs, in the page's language, and it prints what
the page shows. The browser runs these programs through run_example.py in Pyodide; here the
same file runs them in CPython, so every run of every language is checked on every test run
(tests/test_browser_runner.py runs some of them in Chromium)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from quickstart_site import runtime
from quickstart_site.languages import CODES
from quickstart_site.sphinx_ext import browser_runner
from quickstart_site.sphinx_ext.example_programs import programs
from tests.conftest import quickstart_doctree, quickstart_site

RUN_EXAMPLE = browser_runner.STATIC / "runner" / "run_example.py"
GLOBAL_SETUP = '__name__ = "hello"'  # conf.py's doctest_global_setup


def page_runs(language: str) -> dict[str, dict]:
    build = quickstart_site()
    assert build.returncode == 0, build.output
    data = json.loads((build.outdir / language / "_examples" / "quickstart.json").read_text())
    return data["runs"]


RUN_ALL = """
import json, runpy, sys
run_example = runpy.run_path(sys.argv[1])["run_example"]
results = {}
for key, run in json.load(sys.stdin).items():
    results[key] = run_example(run["prelude"], run["source"], run["files"])
json.dump(results, sys.stdout)
"""


def run_in_cpython(runs: dict[str, dict], folder: Path) -> dict[str, list[str]]:
    done = subprocess.run(
        [sys.executable, "-c", RUN_ALL, str(RUN_EXAMPLE)],
        input=json.dumps(runs),
        capture_output=True,
        text=True,
        cwd=folder,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


@pytest.mark.parametrize("language", CODES)
def test_every_run_prints_what_the_page_shows(language: str, tmp_path: Path):
    runs = page_runs(language)
    results = run_in_cpython(runs, tmp_path)
    for key, run in runs.items():
        stdout, _stderr, error = results[key]
        assert error == "", f"{language} {key}:\n{error}"
        assert stdout == run["expected"], f"{language} {key}"
    assert list(tmp_path.iterdir()) == [], "a run wrote outside its own folder"


@pytest.mark.parametrize("language", CODES)
def test_every_example_has_a_run_and_its_code_is_the_pages(language: str):
    runs = page_runs(language)
    doctree = quickstart_doctree(language)
    examples = programs(doctree, "quickstart")
    assert {run["example"] for run in runs.values()} == {p.name for p in examples}
    for program in examples:
        own = [run for run in runs.values() if run["example"] == program.name]
        # The last run holds the whole example: setup, every block, cleanup, as CI runs it.
        assert own[-1]["source"] == program.source()
        assert own[-1]["expected"] == program.expected_output
        assert own[-1]["files"] == program.files
        assert all(run["prelude"] == GLOBAL_SETUP for run in own)


def test_translated_runs_carry_the_translated_comments():
    english, russian = page_runs("en"), page_runs("ru")
    assert english.keys() == russian.keys()
    source = russian["request-form-1"]["source"]
    assert "# Show the form" in english["request-form-1"]["source"]
    assert "# Show the form" not in source
    assert any("а" <= char <= "я" for char in source), "no Cyrillic comment in the ru run"


def test_a_failing_run_reports_the_readers_traceback(tmp_path: Path):
    run = {"prelude": "", "source": "x = 1\nraise ValueError('boom')\n", "files": {}}
    stdout, _stderr, error = run_in_cpython({"broken": run}, tmp_path)["broken"]
    assert stdout == ""
    assert error.startswith("Traceback")
    assert 'File "example.py", line 2' in error
    assert "run_example" not in error
    assert error.rstrip().endswith("ValueError: boom")


def test_each_run_starts_from_a_fresh_namespace_and_folder(tmp_path: Path):
    first = {"prelude": "", "source": "x = 1\nopen('made.txt', 'w').write('1')\n", "files": {}}
    second = {
        "prelude": "",
        "source": "import os\nprint('x' in globals(), os.path.exists('made.txt'))\n",
        "files": {"templates/page.html": "<p>hi</p>\n"},
    }
    results = run_in_cpython({"a": first, "b": second}, tmp_path)
    assert results["b"][0] == "False False\n"


def test_the_page_says_which_flask_the_browser_runs():
    manifest = runtime.manifest()
    page = (quickstart_site().outdir / "en" / "quickstart.html").read_text()
    flask = manifest["packages"]["flask"]
    assert f"with Flask {flask} on Python {manifest['python']}" in page
    # ... which is the Flask the doctests ran against.
    assert f"built with Flask {flask}" in page
