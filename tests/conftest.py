"""What the tests share: the real site and its examples, built once per session on first use.

Nothing is built while pytest collects: the quickstart's example items are named from a cheap
parse of the Markdown (as Sybil collects), and their verdicts come from one examples run that
the first of them starts. Builds go to the session's temporary folder, never into the
repository. Under pytest-xdist (``nox -s test`` runs two workers) the workers share that
folder: the first worker that needs a build makes it while the others wait for it (a file
lock, the pattern pytest-xdist documents), so the site is built once per run, not per worker.
Markers: ``site`` (needs the real four-language build or examples run) and ``browser``
(drives Chromium); ``pytest -m "not site and not browser"`` is the inner loop.
"""

from __future__ import annotations

import functools
import importlib.metadata
import os
import pickle
import re
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

import pytest
from docutils import nodes
from filelock import FileLock

from quickstart_site.languages import CODES
from quickstart_site.orchestration.build import build_site, run_examples
from tests.helpers import PROJECT, Build
from tests.mutations import fences

_builds: Path | None = None  # the run's build folder, set before any test runs
Result = TypeVar("Result")


def shared_build_folder(basetemp: Path) -> Path:
    """The run's build folder: in the run's temporary folder, which a pytest-xdist worker's
    own temporary folder (``<run>/popen-gw0``) sits in."""
    return (basetemp.parent if os.environ.get("PYTEST_XDIST_WORKER") else basetemp) / "builds"


@pytest.fixture(scope="session", autouse=True)
def build_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    global _builds
    _builds = shared_build_folder(tmp_path_factory.getbasetemp())
    _builds.mkdir(exist_ok=True)
    return _builds


def builds() -> Path:
    assert _builds is not None, "the session's build folder is set by the build_folder fixture"
    return _builds


def once_per_run(name: str, produce: Callable[[], Result]) -> Result:
    """``produce()``, run by the first process of the test run that asks; the others (xdist
    workers) wait for it and read its result."""
    result = builds() / f"{name}.pickle"
    with FileLock(f"{result}.lock"):
        if result.is_file():
            return pickle.loads(result.read_bytes())  # type: ignore[no-any-return]
        value = produce()
        result.write_bytes(pickle.dumps(value))
        return value


def build_every_language() -> Build:
    status, output = build_site(
        PROJECT, fresh=True, site=builds() / "site", doctrees=builds() / "doctrees", capture=True
    )
    return Build(status, output, builds() / "site")


@functools.cache
def quickstart_site() -> Build:
    """One fresh build of every language of the real site, run once per test run."""
    return once_per_run("site", build_every_language)


@functools.cache
def quickstart_doctree(language: str) -> nodes.document:
    """The quickstart page as the site build read it in ``language`` (translated)."""
    build = quickstart_site()
    assert build.returncode == 0, build.output
    path = builds() / "doctrees" / language / "quickstart.doctree"
    return pickle.loads(path.read_bytes())


def run_every_example() -> dict[str, Build]:
    root = builds() / "examples"
    results = run_examples(PROJECT, root, CODES, capture=True)
    return {
        code: Build(status, output, root / code)
        for code, (status, output) in zip(CODES, results, strict=True)
    }


@functools.cache
def quickstart_examples() -> dict[str, Build]:
    """Every example and transcript run on each language's page (the translated doctree, with
    its translated comments), all languages side by side, once per test run."""
    return once_per_run("examples", run_every_example)


# An exercise's id: the :label: option of its {exercise} (examples/exercises.py).
EXERCISE_LABEL = re.compile(r"^:{3,}\{exercise\}[^\n]*\n(?::[\w-]+:[^\n]*\n)*?:label: *(\S+)", re.M)


def source_labels() -> list[str]:
    """``page:kind:name`` of every example, transcript and exercise in docs/, from the Markdown
    alone."""
    labels = set()
    for page in sorted(PROJECT.docs.glob("*.md")):
        text = page.read_text(encoding="utf-8")
        labels.update(f"{page.stem}:exercise:{name}" for name in EXERCISE_LABEL.findall(text))
        for fence in fences(text):
            if fence.directive in ("testcode", "testsetup", "testoutput", "testcleanup"):
                labels.update(f"{page.stem}:example:{name}" for name in fence.names if name != "*")
            elif fence.directive == "transcript":
                labels.add(f"{page.stem}:transcript:{fence.argument}")
    return sorted(labels)


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    """One test item per language and example or transcript of the pages."""
    if "quickstart_label" in metafunc.fixturenames:
        cases = [(code, label) for code in CODES for label in source_labels()]
        metafunc.parametrize(
            ("language", "quickstart_label"), cases, ids=[f"{c}:{label}" for c, label in cases]
        )


# The test files that take longest, longest first (measured: a timeline of a whole run on two
# workers). With ``--no-loadscope-reorder`` (noxfile.py) pytest-xdist hands the files out in
# collection order, so these start first and the many quick files fill the gaps at the end.
# xdist's own order (most tests first) started test_accessibility.py (two tests, over a
# minute) and the notebook test last, on one worker, while the other had finished. A file
# missing here only runs later.
LONGEST_FIRST = (
    "test_browser_runner.py",
    # Second, so the other worker starts with it: it needs no site build, so it runs while the
    # first worker's test builds the site (which, in a fresh clone, builds the browser runtime
    # on one core for 15 s first), rather than wait for that build.
    "test_warm_build.py",
    "test_accessibility.py",
    "test_browser_notebook.py",
    "test_browser_site_exercises.py",
    "test_server.py",
    "test_mutations.py",
    "test_static_host.py",
    "test_exercises.py",
    "test_quickstart.py",
    "test_findable.py",
    "test_code_comments.py",
    "test_stylesheets.py",
    "test_interface.py",
    "test_browser_exercises.py",
    "test_notebook.py",
    "test_examples_builder.py",
    "test_example_model.py",
    "test_browser_search.py",
)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    rank = {name: index for index, name in enumerate(LONGEST_FIRST)}
    # A stable sort: each file's tests keep their order.
    items.sort(key=lambda item: rank.get(item.path.name, len(rank)))


def pytest_terminal_summary(terminalreporter, exitstatus, config) -> None:
    # Printed by the process that runs the summary: pytest itself, or xdist's controller,
    # which runs no test but shares the run's temporary folder with its workers.
    examples = shared_build_folder(config._tmp_path_factory.getbasetemp()) / "examples.pickle"
    if os.environ.get("PYTEST_XDIST_WORKER") is None and examples.is_file():
        flask = importlib.metadata.version("flask")
        for code, build in pickle.loads(examples.read_bytes()).items():
            if (build.outdir / "examples.json").exists():
                summary = build.report.summary()
                terminalreporter.write_line(f"quickstart, Flask {flask} ({code}): {summary}")
