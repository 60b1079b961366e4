"""Checked exercises: the harness (check_exercise.py), the read-time refusals, the examples
builder's verdicts, the page's markup and program JSON, and the notebook, on tiny roots made to
pass or to fail in one particular way (tests/roots/exercise-*)."""

from __future__ import annotations

import ast
import json
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
from bs4 import BeautifulSoup
from docutils import nodes
from docutils.core import publish_doctree

from quickstart_site.examples.report import Entry, Report
from quickstart_site.sphinx_ext.browser import runner as browser_runner
from tests.conftest import quickstart_site
from tests.helpers import ROOTS, TEST_CONF, Build, by_name, sphinx_side_by_side

RUNNER = browser_runner.STATIC / "runner"
GOOD = ROOTS / "exercise-good"
KK = ("language=kk", f"locale_dirs={GOOD / 'locales'}")
KK_UNTRANSLATED = ("language=kk", f"locale_dirs={ROOTS / 'exercise-untranslated' / 'locales'}")

SPECS = {
    "good": ("examples", GOOD, ()),
    "good-kk": ("examples", GOOD, KK),
    "solution-fails": ("examples", ROOTS / "exercise-solution-fails", ()),
    "starter-passes": ("examples", ROOTS / "exercise-starter-passes", ()),
    "check-raises": ("examples", ROOTS / "exercise-check-raises", ()),
    "hangs": ("examples", ROOTS / "exercise-hangs", ("examples_timeout=1",)),
    "untranslated": ("examples", ROOTS / "exercise-untranslated", KK_UNTRANSLATED),
    "malformed": ("html", ROOTS / "exercise-malformed", ()),
    "html": ("html", GOOD, ()),
    "html-kk": ("html", GOOD, KK),
    "gettext": ("gettext", GOOD, ()),
}


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Build]:
    return sphinx_side_by_side(SPECS, tmp_path_factory.mktemp("exercise-roots"))


# --- the harness -------------------------------------------------------------------------


@pytest.fixture(scope="module")
def harness() -> Iterator[Any]:
    sys.path.insert(0, str(RUNNER))
    try:
        import check_exercise

        yield check_exercise
    finally:
        sys.path.remove(str(RUNNER))


MESSAGES = {"no_app": "NO APP", "program_failed": "FAILED", "check_raised": "RAISED {error}"}
EXERCISE = {
    "id": "exercise-greet",
    "file": "index.md",
    "line": 5,
    "prelude": '__name__ = "hello"\n',
    "checks": [
        {
            "message": "status {status}",
            "code": (
                'r = client.get("/hello/Ada")\nexpect(r.status_code == 200, status=r.status_code)\n'
            ),
            "line": 30,
        },
        {
            "message": "body {body!r}",
            "code": 'r = client.get("/hello/Ada")\nexpect(r.text == "Hello, Ada!", body=r.text)\n',
            "line": 40,
        },
    ],
    "messages": MESSAGES,
}
SOLUTION = (
    "from flask import Flask\n\napp = Flask(__name__)\n\n\n"
    '@app.route("/hello/<name>")\ndef hello(name):\n    return f"Hello, {name}!"\n'
)


def messages_of(result: dict[str, Any]) -> list[str]:
    return [check["message"] for check in result["checks"]]


def test_a_solution_passes_every_check(harness) -> None:
    result = harness.check_exercise(EXERCISE, SOLUTION)
    assert result["error"] == ""
    assert result["checks"] == [{"passed": True, "message": "", "raised": False}] * 2


@pytest.mark.parametrize(
    ("source", "error", "messages"),
    [
        ("def (", "SyntaxError", ["FAILED", "FAILED"]),
        ("1 / 0", "ZeroDivisionError", ["FAILED", "FAILED"]),
        ("raise SystemExit(3)", "SystemExit", ["FAILED", "FAILED"]),
        ("from flask import Flask\n", "", ["NO APP", "NO APP"]),
        ("app = 3\n", "", ["NO APP", "NO APP"]),
        (
            "from flask import Flask\napp = Flask(__name__)\n",
            "",
            ["status 404", "body '<!doctype html>"],
        ),
    ],
    ids=["syntax-error", "exception", "exit", "no-app", "app-not-flask", "missing-route"],
)
def test_a_broken_program_fails_every_check_with_a_clear_message(
    harness, source: str, error: str, messages: list[str]
) -> None:
    result = harness.check_exercise(EXERCISE, source)
    assert error in result["error"]
    assert (error == "") == (result["error"] == "")
    # The traceback starts in the reader's code, not in the harness.
    assert "check_exercise.py" not in result["error"]
    assert "run_example.py" not in result["error"]
    assert [
        m[: len(expected)] for m, expected in zip(messages_of(result), messages, strict=True)
    ] == messages
    assert not any(check["passed"] for check in result["checks"])


def test_a_check_that_raises_fails_with_the_exception(harness) -> None:
    exercise = dict(EXERCISE, checks=[dict(EXERCISE["checks"][0], code="{}['x']\n")])
    result = harness.check_exercise(exercise, SOLUTION)
    assert result["checks"] == [
        {"passed": False, "message": "RAISED KeyError: 'x'", "raised": True}
    ]


def test_megabytes_of_output_are_capped(harness) -> None:
    result = harness.check_exercise(EXERCISE, "print('x' * 5_000_000)\n" + SOLUTION)
    assert result["truncated"]
    assert len(result["stdout"]) == harness.OUTPUT_LIMIT
    assert all(check["passed"] for check in result["checks"])
    # A huge value in a message is cut too.
    huge = SOLUTION.replace('f"Hello, {name}!"', '"y" * 3_000_000')
    message = harness.check_exercise(EXERCISE, huge)["checks"][1]["message"]
    assert len(message) <= harness.MESSAGE_LIMIT


def test_a_long_answer_shows_its_start_and_leaves_the_message_readable(harness) -> None:
    """A whole error page in {body!r} would bury the message's own words."""
    assert harness.formatted("It answered {body!r}; expected 'Hi'.", {"body": "<p>" * 500}) == (
        "It answered " + repr("<p>" * 26 + "<" + "…") + "; expected 'Hi'."
    )
    assert harness.formatted("{data!r}", {"data": b"x" * 100}) == repr(b"x" * 77 + b"...")
    assert harness.formatted("{status}", {"status": 404}) == "404"
    assert harness.formatted("{short!r}", {"short": "Hello"}) == "'Hello'"


@contextmanager
def interrupted_after(seconds: float) -> Iterator[None]:
    """What the page's Stop does: a KeyboardInterrupt in the running Python."""

    def interrupt(_signum, _frame) -> None:
        raise KeyboardInterrupt

    previous = signal.signal(signal.SIGALRM, interrupt)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def test_an_endless_program_is_stopped_and_fails(harness) -> None:
    with interrupted_after(0.3):
        result = harness.check_exercise(EXERCISE, "while True:\n    pass\n")
    assert result["interrupted"]
    assert "KeyboardInterrupt" in result["error"]
    assert messages_of(result) == ["FAILED", "FAILED"]


def test_an_endless_view_is_stopped_in_its_check(harness) -> None:
    endless = SOLUTION.replace('return f"Hello, {name}!"', "while True:\n        pass")
    with interrupted_after(0.3):
        result = harness.check_exercise(EXERCISE, endless)
    assert result["interrupted"]
    assert result["checks"][0]["raised"]
    assert result["checks"][0]["message"].startswith("RAISED KeyboardInterrupt")
    assert result["checks"][1] == {"passed": False, "message": "FAILED", "raised": False}


def test_check_app_checks_an_app_already_made(harness) -> None:
    namespace: dict[str, Any] = {"__name__": "hello"}
    exec(SOLUTION, namespace)
    result = harness.check_app(EXERCISE, namespace["app"])
    words = {"passed": "ok", "all_passed": "all done"}
    assert harness.report(result, words) == "1. ✓ ok\n2. ✓ ok\nall done"
    assert messages_of(harness.check_app(EXERCISE, None)) == ["NO APP", "NO APP"]


# --- the examples builder ----------------------------------------------------------------


def exercise_entry(build: Build) -> Entry:
    (entry,) = build.report.of_kind("exercise")
    return entry


def test_a_good_exercise_passes_in_english_and_translated(built) -> None:
    for name in ("good", "good-kk"):
        build = built[name]
        assert build.returncode == 0, build.output
        entry = exercise_entry(build)
        assert (entry.name, entry.passed, entry.solution, entry.starter, entry.untranslated) == (
            "exercise-greet",
            True,
            "passed",
            "fails",
            [],
        )
        assert build.report.exercise_summary() == (
            "1 exercises checked: 1 solutions pass, 1 starters fail"
        )
        # The examples command prints the exercises' line once per language, on its own.
        assert build.report.exercise_summary() in build.report.summary().splitlines()
        assert "exercises checked" not in build.report.summary(exercises=False)


@pytest.mark.parametrize(
    ("name", "solution", "starter", "said"),
    [
        (
            "solution-fails",
            "failed: check 2: /hello/Ada answered 'Hello Ada'; it should answer 'Hello, Ada!'.",
            "fails",
            "its solution (line 50) must pass every check",
        ),
        ("starter-passes", "passed", "passes", "its starter (line 11) passes every check"),
        ("check-raises", "failed: check 2 raised: ", "fails", "TypeError"),
        ("hangs", "failed: ", "fails", "KeyboardInterrupt: exercise 'exercise-greet' did not"),
    ],
)
def test_a_wrong_exercise_fails_the_build_naming_page_line_and_exercise(
    built, name: str, solution: str, starter: str, said: str
) -> None:
    build = built[name]
    assert build.returncode != 0, build.output
    entry = exercise_entry(build)
    assert not entry.passed
    assert entry.solution.startswith(solution)
    assert entry.starter == starter
    assert "File index.md, line 8, in exercise exercise-greet" in build.output
    assert said in build.output


def test_an_endless_solution_costs_only_the_time_limit(built) -> None:
    assert exercise_entry(built["hangs"]).seconds < 5


def test_an_untranslated_check_message_fails_the_translated_build(built) -> None:
    build = built["untranslated"]
    assert build.returncode != 0
    entry = exercise_entry(build)
    assert entry.solution == "passed"
    assert entry.untranslated == ["/hello/Ada answered {body!r}; it should answer 'Hello, Ada!'."]
    assert "the message of the check at line 35 is not translated" in build.output
    assert "1 check messages not translated" in build.report.exercise_summary()


def test_the_report_line_per_language() -> None:
    entries = [
        Entry("exercise", f"exercise-{n}", "quickstart", "quickstart.md", n, solution=s, starter=t)
        for n, (s, t) in enumerate(
            [("passed", "fails"), ("failed: x", "fails"), ("passed", "passes")]
        )
    ]
    assert Report(entries).exercise_summary() == (
        "3 exercises checked: 2 solutions pass, 2 starters fail"
    )


def test_a_malformed_exercise_is_refused_at_read_time_with_its_line(built) -> None:
    build = built["malformed"]
    assert build.returncode != 0
    page = str(ROOTS / "exercise-malformed" / "index.md")
    for line, message in [
        (4, "an {exercise} needs a :label: exercise-<topic>"),
        (26, "exercise 'exercise-two-starters' has 2 {exercise-starter}: give one"),
        (56, "exercise 'exercise-no-hint' has 0 {exercise-hint}: give 1 to 3"),
        (60, "an {exercise-check} of 'exercise-no-hint' is one message paragraph and one"),
        (83, "the check message of 'exercise-lost-value' names status, which its code does"),
        (100, "exercise 'exercise-unsolved' has no {solution} exercise-unsolved"),
        (117, "an {exercise-starter} belongs inside an {exercise}"),
    ]:
        assert f"{page}:{line}: WARNING: {message}" in build.output, build.output
    assert build.output.count("[quickstart.exercise]") == 7
    # Exercise code is run by the checks: it is not "Python that nothing executes".
    assert "quickstart.not-executable" not in build.output


# --- the page ----------------------------------------------------------------------------


def page(build: Build) -> BeautifulSoup:
    return BeautifulSoup((build.outdir / "index.html").read_text(encoding="utf-8"), "html.parser")


def test_the_page_has_the_workbench_and_the_hints_and_no_checks(built) -> None:
    build = built["html"]
    assert build.returncode == 0, build.output
    soup = page(build)
    statement = soup.select_one("div.exercise#exercise-greet")
    workbench = statement.select_one('div.exercise-workbench[data-exercise="exercise-greet"]')
    assert "# Add the view here." in workbench.select_one("div.highlight pre").get_text()
    hints = statement.select("div.exercise-hints > details.exercise-hint")
    assert [hint.summary.get_text() for hint in hints] == ["Hint 1", "Hint 2"]
    assert "becomes an argument of the view" in hints[0].get_text()
    # After the task, before the hints.
    children = [c for c in workbench.parent.children if getattr(c, "name", None)]
    assert children.index(workbench) < children.index(statement.select_one("div.exercise-hints"))
    text = soup.get_text()
    assert "should answer 200" not in text and "expect(" not in text
    # sphinx-exercise turns numfig on: only the exercises are numbered.
    assert [n.get_text() for n in soup.select(".caption-number")] == ["Exercise 1 "]


def test_the_translated_page_reads_in_kazakh(built) -> None:
    build = built["html-kk"]
    assert build.returncode == 0, build.output
    soup = page(build)
    title = soup.select_one("div.exercise#exercise-greet .admonition-title").get_text()
    assert title.startswith("Жаттығу 1") and "Оқырманды атымен қарсы алыңыз" in title
    assert soup.select_one("div.solution .admonition-title").get_text().startswith("Шешімі:")
    assert "# Көріністі осында қосыңыз." in soup.select_one("div.exercise-workbench").get_text()
    assert "f-жолды қайтарыңыз." in soup.select_one("div.exercise-hints").get_text()


def test_the_catalog_gets_the_title_hints_messages_and_code_comments(built) -> None:
    build = built["gettext"]
    assert build.returncode == 0, build.output
    catalog = (build.outdir / "index.pot").read_text(encoding="utf-8")
    for msgid in [
        'msgid "Greet a reader by name"',
        'msgid "Return an f-string."',
        'msgid "`/hello/Ada` answered with status {status}; it should answer 200."',
        '"# Add the view here."',
        '"# One more request.\\n"',
        '"    # The name comes from the URL.\\n"',
    ]:
        assert msgid in catalog


# --- the program JSON and the notebook ---------------------------------------------------

# Builds the root in this separate process (Sphinx's translators are process-wide), then gives
# the page's exercises as the program JSON holds them and the notebook made from its doctree.
PAGE_PARTS = """
import json, sys
from pathlib import Path
from sphinx.application import Sphinx
from quickstart_site.sphinx_ext.browser.labels import labels
from quickstart_site.sphinx_ext.browser.lite import notebook_words
from quickstart_site.sphinx_ext.browser.notebook import notebook
from quickstart_site.sphinx_ext.browser.runner import (
    add_run_controls, exercise_programs, page_exercises)

source, confdir, out, language, locale_dir = sys.argv[1:6]
runtime = Path(out, "runtime")  # what the Run buttons' introduction reads
runtime.mkdir(parents=True)
(runtime / "runtime.json").write_text(json.dumps(
    {"python": "3.13.2", "pyodide": "314.0.6", "packages": {"flask": "3.1.2"}}))
app = Sphinx(source, confdir, out + "/html", out + "/doctrees", "html", status=None,
             confoverrides={"language": language, "locale_dirs": [locale_dir],
                            "examples_runtime": str(runtime)})
found = {}

def collect(app, doctree, docname):
    # Where the build makes them: between the notebook (400) and the exercises' HTML (600).
    programs = exercise_programs(app, docname, page_exercises(app, doctree, docname))
    words = notebook_words(app)
    book = notebook(doctree, language=language, examples=[], exercises=programs, words=words)
    found.update(programs=programs, labels=labels(), notebook=book)
    # The Run buttons' step, as the site's build runs it (the roots' configuration has no
    # JupyterLite, which examples_in_browser needs).
    app.config.examples_in_browser = True
    add_run_controls(app, doctree, docname)
    app.config.examples_in_browser = False

app.connect("doctree-resolved", collect, priority=450)
app.build()
html = Path(out, "html")
found["json"] = json.loads((html / "_examples" / "index.json").read_text(encoding="utf-8"))
found["html"] = (html / "index.html").read_text(encoding="utf-8")
json.dump(found, sys.stdout)
"""


@pytest.fixture(scope="module")
def page_parts(tmp_path_factory: pytest.TempPathFactory) -> dict[str, dict[str, Any]]:
    folder = tmp_path_factory.mktemp("page-parts")
    commands = {
        language: [
            sys.executable,
            "-c",
            PAGE_PARTS,
            str(GOOD),
            str(TEST_CONF),
            str(folder / language),
            language,
            str(GOOD / "locales"),
        ]
        for language in ("en", "kk")
    }
    running = {
        language: subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        for language, command in commands.items()
    }
    parts = {}
    for language, process in running.items():
        stdout, stderr = process.communicate(timeout=300)
        assert process.returncode == 0, stderr.decode()
        parts[language] = json.loads(stdout)
    return parts


def test_the_program_json_holds_each_exercise(page_parts) -> None:
    programs = page_parts["en"]["programs"]
    assert list(programs) == ["exercise-greet"]
    exercise = programs["exercise-greet"]
    assert sorted(exercise) == sorted(
        [
            "id",
            "number",
            "title",
            "file",
            "line",
            "starter",
            "solution",
            "checks",
            "messages",
            "prelude",
        ]
    )
    assert (exercise["id"], exercise["number"], exercise["title"]) == (
        "exercise-greet",
        "1",
        "Greet a reader by name",
    )
    assert (exercise["file"], exercise["line"]) == ("index.md", 8)
    assert exercise["starter"].endswith("# Add the view here.")
    assert 'return f"Hello, {name}!"' in exercise["solution"]
    assert [(c["message"], c["line"]) for c in exercise["checks"]] == [
        ("/hello/Ada answered with status {status}; it should answer 200.", 30),
        ("/hello/Ada answered {body!r}; it should answer 'Hello, Ada!'.", 39),
    ]
    assert exercise["prelude"] == '__name__ = "hello"'
    assert set(exercise["messages"]) == {"no_app", "program_failed", "check_raised"}
    assert "{error}" in exercise["messages"]["check_raised"]
    labels = page_parts["en"]["labels"]
    for key in ("check", "stop", "show_solution", "reset", "next_hint", "progress", "passed"):
        assert labels[key]
    # The page's file: the same map beside "runs", and the labels.
    written = page_parts["en"]["json"]
    assert written == {"labels": labels, "runs": {}, "exercises": programs}


def test_a_page_with_exercises_gets_the_progress_line_and_the_runner(page_parts) -> None:
    soup = BeautifulSoup(page_parts["kk"]["html"], "html.parser")
    intro = soup.select_one("aside.example-runner-intro")
    progress = intro.find_next_sibling()
    assert (progress.name, progress["class"], progress["data-total"]) == (
        "p",
        ["exercise-progress"],
        "1",
    )
    assert soup.select_one('meta[name="example-programs"]')["content"] == "_examples/index.json"
    assert soup.select_one('script[src^="_static/runner/runner.js"]') is not None
    # The checks left the page after the program was read.
    assert "күйімен жауап берді" not in soup.get_text()
    assert page_parts["kk"]["json"]["exercises"]["exercise-greet"]["checks"][0]["message"]


def test_the_translated_program_has_the_translated_messages_and_comments(page_parts) -> None:
    exercise = page_parts["kk"]["programs"]["exercise-greet"]
    assert exercise["title"] == "Оқырманды атымен қарсы алыңыз"
    assert exercise["checks"][0]["message"] == (
        "/hello/Ada {status} күйімен жауап берді; 200 деп жауап беруі керек."
    )
    assert exercise["checks"][1]["code"].startswith("# Тағы бір сұрау.\n")
    assert "# Аты URL-ден келеді." in exercise["solution"]


def run_cells(cells: list[str], folder: Path) -> str:
    """The cells in one fresh Python, as the kernel runs them; what they print."""
    script = folder / "cells.py"
    script.write_text("\n\n".join(cells), encoding="utf-8")
    done = subprocess.run(
        [sys.executable, str(script)], capture_output=True, text=True, timeout=60, cwd=folder
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


def test_the_notebook_has_the_task_the_starter_and_the_checks(page_parts, tmp_path) -> None:
    cells = page_parts["kk"]["notebook"]["cells"]
    kinds = [c["metadata"].get("quickstart", {}).get("kind") for c in cells]
    harness, starter, check = (
        kinds.index("exercise-harness"),
        kinds.index("exercise-starter"),
        kinds.index("exercise-check"),
    )
    assert harness < starter == harness + 1 < check == starter + 1
    assert cells[harness]["metadata"]["jupyter"] == {"source_hidden": True}
    task = cells[harness - 1]["source"]
    assert "**Жаттығу 1 (Оқырманды атымен қарсы алыңыз)**" in task
    assert "<details><summary>" in task and "f-жолды қайтарыңыз." in task
    assert cells[starter]["source"].endswith("# Көріністі осында қосыңыз.")
    program = page_parts["kk"]["programs"]["exercise-greet"]
    sources = [c["source"] for c in cells]
    # The starter fails with the page's messages; the solution passes, offline, in a fresh
    # Python that has only the notebook's cells.
    prelude = '__name__ = "hello"'
    printed = run_cells([prelude, sources[harness], sources[starter], sources[check]], tmp_path)
    assert "1. ✗ /hello/Ada 404 күйімен жауап берді; 200 деп жауап беруі керек." in printed
    printed = run_cells([prelude, sources[harness], program["solution"], sources[check]], tmp_path)
    labels = page_parts["kk"]["labels"]
    assert printed.splitlines()[-1] == labels["all_passed"]


def test_checks_are_fast_enough_for_the_inner_loop(harness) -> None:
    started = time.perf_counter()
    for _ in range(10):
        harness.check_exercise(EXERCISE, SOLUTION)
    assert time.perf_counter() - started < 5


def test_by_name_helper_still_reads_exercise_entries(built) -> None:
    assert by_name(built["good"].report)["exercise-greet"].kind == "exercise"


# --- the page's assets and progress line (browser/runner.py), without a browser build --------


def fake_app(tmp_path: Path, metadata: dict[str, Any]) -> Any:
    runtime = tmp_path / "runtime"
    runtime.mkdir(parents=True)
    manifest = {"python": "3.13.2", "pyodide": "314.0.6", "packages": {"flask": "3.1.2"}}
    (runtime / browser_runner.MANIFEST).write_text(json.dumps(manifest), encoding="utf-8")
    added: list[tuple[str, str]] = []
    return SimpleNamespace(
        config=SimpleNamespace(
            examples_runtime=str(runtime),
            examples_runtime_url="../_runtime/",
            examples_lite_url="../lite/",
            examples_timeout=10,
            language="en",
        ),
        env=SimpleNamespace(metadata=metadata),
        add_js_file=lambda name, **_: added.append(("js", name)),
        add_css_file=lambda name, **_: added.append(("css", name)),
        added=added,
    )


def test_a_page_with_exercises_and_no_examples_gets_the_runner(tmp_path) -> None:
    app = fake_app(tmp_path, {"index": {"example_runs": 0, "exercises": 2}})
    context: dict[str, Any] = {}
    browser_runner.add_assets(app, "index", "page.html", context, None)
    assert app.added == [("js", "runner/runner.js"), ("css", "runner/runner.css")]
    assert '<meta name="example-programs" content="_examples/index.json">' in context["metatags"]
    nothing = fake_app(tmp_path / "other", {"index": {"example_runs": 0, "exercises": 0}})
    browser_runner.add_assets(nothing, "index", "page.html", {}, None)
    assert nothing.added == []


NO_DOCTITLE = {"doctitle_xform": False}  # the page's title stays its first section's, as in MyST


def test_the_progress_line_goes_under_the_introduction(tmp_path) -> None:
    app = fake_app(tmp_path, {})
    doctree = publish_doctree("Title\n=====\n\nText.\n", settings_overrides=NO_DOCTITLE)
    browser_runner.insert_introduction(app, doctree, "index", exercises=10)
    raw = doctree.next_node(nodes.raw).astext()
    assert raw.endswith('</aside><p class="exercise-progress" data-total="10"></p>')
    doctree = publish_doctree("Title\n=====\n\nText.\n", settings_overrides=NO_DOCTITLE)
    browser_runner.insert_introduction(app, doctree, "index")
    assert "exercise-progress" not in doctree.next_node(nodes.raw).astext()


def quoted_strings(code: str) -> set[str]:
    """The strings (three characters and more) a check's code compares the program with."""
    return {
        node.value
        for node in ast.walk(ast.parse(code))
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and len(node.value) > 2
    }


@pytest.mark.site
def test_a_translated_check_message_keeps_the_programs_words_verbatim() -> None:
    """What a check message quotes of the program (a string of the check's code that the
    English message shows: a URL, an answer, a header, a JSON key) is what the reader's
    program must say in every language: a translation keeps it character for character."""
    build = quickstart_site()
    assert build.returncode == 0, build.output

    def exercises(code: str) -> dict[str, Any]:
        path = build.outdir / code / "_examples" / "quickstart.json"
        return json.loads(path.read_text(encoding="utf-8"))["exercises"]

    english = exercises("en")
    quoted = 0
    changed = []
    for code in ("kk", "ru", "zh_CN"):
        translated = exercises(code)
        for name, exercise in english.items():
            for index, check in enumerate(exercise["checks"]):
                message = translated[name]["checks"][index]["message"]
                for words in sorted(quoted_strings(check["code"])):
                    if words in check["message"]:
                        quoted += 1
                        if words not in message:
                            changed.append(
                                f"{code} {name} check {index + 1}: {words!r} not in {message!r}"
                            )
    assert quoted > 150  # 64 quotations in each of three languages
    assert changed == []
