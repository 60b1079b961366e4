"""The ``examples`` builder: Sphinx's doctest builder, made strict enough to trust.

The examples are the model's (``examples.grouping``: the same reading the Run buttons and
the notebook use), each run by ``sphinx.ext.doctest``'s own runner, which gives it a fresh
namespace and compares its output. Every example here also
- runs in a temporary working directory holding its ``{example-file}`` files, so nothing is
  written outside it;
- is stopped after ``examples_timeout`` seconds, failing with its page, line and name;
- must request every route it defines and compare the response;
every ``{transcript}`` is replayed with the real commands, and every exercise's solution and
starter are checked by the browser's own harness (``exercise_runs.py``). The results, one entry
per example, transcript, exempt block and exercise, are written to ``examples.json`` in the
output folder.
"""

from __future__ import annotations

import contextlib
import copy
import doctest
import multiprocessing
import os
import shutil
import signal
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from types import FrameType
from typing import Any, cast

from docutils import nodes
from sphinx.ext.doctest import DocTestBuilder, SphinxDocTestRunner, TestCode, TestGroup
from sphinx.util import logging

from quickstart_site.examples import route_coverage
from quickstart_site.examples.exercises import Exercise, UnsupportedExercise, exercises_of, program
from quickstart_site.examples.grouping import examples_of
from quickstart_site.examples.model import Example, Role, UnsupportedExample, join_code
from quickstart_site.examples.report import Entry, Report
from quickstart_site.examples.transcript_runner import replay
from quickstart_site.languages import is_source
from quickstart_site.sphinx_ext.browser.labels import exercise_messages
from quickstart_site.sphinx_ext.examples.exercise_runs import EDITED, harness, verdict

logger = logging.getLogger(__name__)


class ExampleTimeout(BaseException):
    """Raised inside an example that runs longer than ``examples_timeout``.

    A BaseException, like KeyboardInterrupt: an example's ``except Exception:`` cannot swallow
    it, and Flask lets it through a view instead of answering 500. The doctest runner still
    reports it as the example's exception.
    """


class LocatingRunner(SphinxDocTestRunner):
    """Reports a failing {testcode} at the line where its block starts.

    sphinx.ext.doctest gives a {testcode} block's line both to the test and to its single
    example, and doctest adds the two, so the stock report points far below the block. After
    a timeout the rest of the example is not run: its namespace is in no known state.
    """

    def __init__(self, *args: Any, clock: Clock, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.clock = clock

    def run(self, test: doctest.DocTest, *args: Any, **kwargs: Any) -> Any:
        if self.clock.ran_out:
            return doctest.TestResults(0, 0)
        return super().run(test, *args, **kwargs)

    def _failure_header(self, test: doctest.DocTest, example: doctest.Example) -> str:
        if test.lineno and len(test.examples) == 1 and example.lineno == test.lineno:
            example = copy.copy(example)
            example.lineno = 0
        # A private method of doctest.DocTestRunner, which typeshed does not declare.
        return super()._failure_header(test, example)  # type: ignore[misc,no-any-return]


ROUTE_CHECK = (
    "import quickstart_site.examples.route_coverage\n"
    "quickstart_site.examples.route_coverage.assert_every_route_requested("
    "globals(), compares_output={compares_output})\n"
)
ROUTE_CHECK_FILE = "<route check>"


class ExamplesBuilder(DocTestBuilder):
    name = "examples"
    epilog = "Example results are in %(outdir)s/examples.json and output.txt."

    def init(self) -> None:
        super().init()
        self.report = Report()
        self.clock = Clock(self.give_up)
        self._captured: list[str] | None = None
        self._docname = ""
        self._folder: Path | None = None  # the running example's temporary folder
        self._running: Entry | None = None  # and its report entry
        self._check_exercise = harness()

    # Everything the doctest runner reports about the current example is kept with it.
    def _warn_out(self, text: str) -> None:
        if self._captured is not None:
            self._captured.append(text)
        super()._warn_out(text)

    def test_doc(self, docname: str, doctree: nodes.Node) -> bool:
        """The page's examples as the model reads them (examples.grouping), each run as a
        doctest group by sphinx.ext.doctest's own runner; then its transcripts."""
        self._docname = docname
        try:
            examples = examples_of(
                doctree,
                docname,
                global_setup=self.config.doctest_global_setup,
                global_cleanup=self.config.doctest_global_cleanup,
            )
        except UnsupportedExample:
            return False  # the read-time check has named the block; -W fails the build
        success = self.run_examples(docname, examples)
        by_name = {example.name: example for example in examples}
        for block in doctree.findall(nodes.literal_block):
            if "transcript" in block:
                if self.config.examples_transcripts:
                    success = self.test_transcript(block, by_name) and success
            elif "exempt_reason" in block:
                self.report.add(
                    Entry.at(block, "exempt", block["exempt_reason"], self._docname, self.env)
                )
        try:
            exercises = exercises_of(
                cast(nodes.Element, doctree),  # a document, which Sphinx types as Node
                docname,
                language_is_source=is_source(self.config.language),
            )
        except UnsupportedExercise:
            return False  # the read-time check has named the part; -W fails the build
        filename = str(self.env.doc2path(docname, False))
        for exercise in exercises:
            success = self.run_exercise(exercise, filename) and success
        return success

    def run_exercise(self, exercise: Exercise, filename: str) -> bool:
        """Its solution and starter through check_exercise.py (the browser's harness), each
        stopped after ``examples_timeout`` as the page stops it: with a KeyboardInterrupt."""
        page_file = Path(filename).name
        data = program(
            exercise,
            file=page_file,
            messages=exercise_messages(),
            prelude=self.config.doctest_global_setup,
        )
        entry = self._running = Entry(
            "exercise", exercise.id, self._docname, filename, exercise.location.line
        )
        started = time.perf_counter()

        def check(data: dict[str, Any], source: str) -> dict[str, Any]:
            with self.clock.limit(
                self.config.examples_timeout,
                exercise.id,
                code_files=(EDITED, page_file),
                interruption=KeyboardInterrupt,
                what="exercise",
            ):
                return self._check_exercise(data, source)

        try:
            found = verdict(
                exercise, data, check, translated_page=not is_source(self.config.language)
            )
        finally:
            self._running = None
        entry.passed = found.passed
        entry.solution, entry.starter = found.solution, found.starter
        entry.untranslated = found.untranslated
        entry.seconds = time.perf_counter() - started
        if found.details:
            entry.output = (
                f"File {filename}, line {exercise.location.line}, in exercise {exercise.id}\n"
                + "".join(f"  {detail}\n" for detail in found.details)
            )
            self._warn_out(entry.output)
        self.report.add(entry)
        return entry.passed

    def run_examples(self, docname: str, examples: list[Example]) -> bool:
        """What DocTestBuilder.test_doc does once it has its groups (Sphinx 9.0)."""
        runners = [
            LocatingRunner(verbose=False, optionflags=self.opt, clock=self.clock) for _ in "123"
        ]
        self.setup_runner, self.test_runner, self.cleanup_runner = runners
        self.test_runner._fakeout = self.setup_runner._fakeout  # type: ignore[attr-defined]
        self.cleanup_runner._fakeout = self.setup_runner._fakeout  # type: ignore[attr-defined]
        filename = str(self.env.doc2path(docname, False))
        success = True
        for example in examples:
            success = self.run_example(example, filename) and success
        res_f, res_t = self.setup_runner.summarize(self._out, verbose=False)
        self.setup_failures += res_f
        self.setup_tries += res_t
        if self.test_runner.tries:
            res_f, res_t = self.test_runner.summarize(self._out, verbose=False)
            self.total_failures += res_f
            self.total_tries += res_t
        if self.cleanup_runner.tries:
            res_f, res_t = self.cleanup_runner.summarize(self._out, verbose=False)
            self.cleanup_failures += res_f
            self.cleanup_tries += res_t
        return success

    def run_example(self, example: Example, filename: str) -> bool:
        group = as_test_group(example, filename)
        program = join_code(code.code for code in group_codes(group))
        group.add_code(
            TestCode(
                ROUTE_CHECK.format(compares_output=example.compares_output),
                "testcleanup",
                filename=ROUTE_CHECK_FILE,
                lineno=0,
            )
        )
        entry = self._running = Entry(
            "example",
            example.name,
            self._docname,
            filename,
            example.location.line,
            program=program,
        )
        self._captured = []
        started = time.perf_counter()
        try:
            with (
                example_folder(example.files) as self._folder,
                self.clock.limit(self.config.examples_timeout, example.name),
            ):
                route_coverage.start()
                entry.passed = super().test_group(group) and not self.clock.ran_out
        finally:
            entry.output = "".join(self._captured)
            entry.seconds = time.perf_counter() - started
            self._captured = self._running = None
            self.report.add(entry)
        return entry.passed

    def test_transcript(self, block: nodes.literal_block, examples: dict[str, Example]) -> bool:
        entry = Entry.at(block, "transcript", block["transcript_name"], self._docname, self.env)
        started = time.perf_counter()
        messages = []
        with tempfile.TemporaryDirectory(prefix="transcript-") as folder:
            try:
                write_transcript_files(Path(folder), block["transcript_files"], examples)
                messages += replay(
                    block["transcript"],
                    Path(folder),
                    occupied_port=block["occupied_port"],
                    server=block.get("transcript_server", False),
                )
            except LookupError as error:
                messages.append(str(error))
        entry.passed = not messages
        entry.seconds = time.perf_counter() - started
        if messages:
            entry.output = (
                f"File {entry.source}, line {entry.line}, in transcript {entry.name}\n"
                + "\n".join(messages)
                + "\n"
            )
            self._warn_out(entry.output)
        self.report.add(entry)
        return entry.passed

    def give_up(self, message: str) -> None:
        """An example that cannot be interrupted: it fails, the report so far is written, and
        the process ends, since the example's code still holds it."""
        if self._running is not None:
            self._running.output = "".join(self._captured or []) + message + "\n"
            self.report.add(self._running)
        self.report.write(self.outdir / "examples.json")
        if self._folder is not None:  # os._exit skips the folder's own clean-up
            shutil.rmtree(self._folder, ignore_errors=True)
        sys.stderr.write(f"{self._docname}: {message}; the examples build stops here\n")
        sys.stderr.flush()
        # os._exit skips the exit handlers, among them multiprocessing's, which end the
        # processes it started: sphinx-sitemap's Manager (a server process every Sphinx build
        # forks) was left behind, orphaned and waiting for ever.
        for child in multiprocessing.active_children():
            child.terminate()
        os._exit(1)

    def finish(self) -> None:
        super().finish()
        path = self.report.write(self.outdir / "examples.json")
        logger.info("%s\n(details in %s)", self.report.summary(), path)
        if self.report.failed:
            self._app.statuscode = (
                1  # a failed example fails the build (private: see the canary test)
            )


STEP_TYPES = {
    Role.CONFIG_SETUP: "testsetup",
    Role.SETUP: "testsetup",
    Role.SHOWN: "testcode",
    Role.HIDDEN: "testcode",
    Role.CLEANUP: "testcleanup",
    Role.CONFIG_CLEANUP: "testcleanup",
}
CONFIG_FILES = {Role.CONFIG_SETUP: "<global_setup>", Role.CONFIG_CLEANUP: "<global_cleanup>"}


def as_test_group(example: Example, filename: str) -> TestGroup:
    """The example as the group sphinx.ext.doctest would have made of the same blocks (its
    file name and its line convention: the block's line less one)."""
    group = TestGroup(example.name)
    for step in example.steps:
        lineno = max(step.location.line - 1, 0)
        where = CONFIG_FILES.get(step.role, filename)
        group.add_code(TestCode(step.code, STEP_TYPES[step.role], filename=where, lineno=lineno))
        if step.expected is not None:
            group.add_code(TestCode(step.expected, "testoutput", filename=where, lineno=lineno))
    return group


def group_codes(group: TestGroup) -> list[TestCode]:
    """A group's code in the order the doctest runner executes it."""
    return [*group.setup, *(test[0] for test in group.tests), *group.cleanup]


def write_transcript_files(
    folder: Path, files: dict[str, str], examples: dict[str, Example]
) -> None:
    """The module a transcript runs is the first code block of the named example, as shown,
    with the files that example needs beside it."""
    for path, name in files.items():
        example = examples.get(name)
        if example is None or not example.code_steps:
            raise LookupError(f"no {{testcode}} block of an example named {name!r} on this page")
        target = folder / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(join_code([example.code_steps[0].code]), encoding="utf-8")
        write_example_files(folder, example.files)


def write_example_files(folder: Path, files: dict[str, str]) -> None:
    for path, text in files.items():
        target = folder / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")


@contextmanager
def example_folder(files: dict[str, str]) -> Iterator[Path]:
    """Run inside a fresh temporary folder holding the example's files, then remove it.

    The folder the build started in leaves ``sys.path`` meanwhile: a stray ``hello.py``
    there would otherwise become the examples' module and Flask's ``root_path``.
    """
    previous, saved_path = os.getcwd(), sys.path[:]
    with tempfile.TemporaryDirectory(prefix="example-") as folder:
        write_example_files(Path(folder), files)
        sys.path[:] = [p for p in saved_path if p not in ("", previous)]
        try:
            with contextlib.chdir(folder):
                yield Path(folder)
        finally:
            sys.path[:] = saved_path


# The file name doctest compiles an example's code under: ``<doctest NAME[N]>``.
EXAMPLE_CODE = "<doctest "


class Clock:
    """The time limit of the example that is running.

    SIGALRM interrupts the example after its limit with :class:`ExampleTimeout`, and then
    again every ``REPEAT`` seconds while example code is still running (a loop that caught
    the first interruption with a bare ``except:``); the doctest runner's own code is never
    interrupted. After a timeout the example's remaining blocks are not run.
    """

    REPEAT = 0.5
    # An example that swallows every interruption (a bare ``except:`` in a loop) is given up
    # this long after its limit: ``give_up`` records it and ends the build process.
    GRACE = 3.0

    def __init__(self, give_up: Callable[[str], None]) -> None:
        self.ran_out = False
        self.give_up = give_up

    @contextmanager
    def limit(
        self,
        seconds: float,
        name: str,
        *,
        code_files: tuple[str, ...] = (EXAMPLE_CODE,),
        interruption: type[BaseException] = ExampleTimeout,
        what: str = "example",
    ) -> Iterator[None]:
        """``code_files``: the file names (their starts) of the code that may be interrupted;
        ``interruption``: what it gets (an exercise's harness takes a KeyboardInterrupt, as
        the page's Stop gives it)."""
        self.ran_out = False
        deadline = time.monotonic() + seconds + self.GRACE
        message = f"{what} {name!r} did not finish within {seconds:g} s"

        def interrupt(_signum: int, frame: FrameType | None) -> None:
            if not running_code_of(frame, code_files):
                return
            if self.ran_out and time.monotonic() > deadline:
                kind = interruption.__name__
                self.give_up(f"{kind}: {message}, and caught every interruption")
            self.ran_out = True
            raise interruption(message)

        previous = signal.signal(signal.SIGALRM, interrupt)
        signal.setitimer(signal.ITIMER_REAL, seconds, self.REPEAT)
        try:
            yield
        finally:
            signal.setitimer(signal.ITIMER_REAL, 0)
            signal.signal(signal.SIGALRM, previous)


def running_code_of(frame: FrameType | None, code_files: tuple[str, ...]) -> bool:
    while frame is not None:
        if frame.f_code.co_filename.startswith(code_files):
            return True
        frame = frame.f_back
    return False
