"""The ``examples`` builder: Sphinx's doctest builder, made strict enough to trust.

On top of ``sphinx.ext.doctest`` (which already gives each example a fresh namespace and
compares output) every example here also
- runs in a temporary working directory holding its ``{example-file}`` files, so nothing is
  written outside it;
- is stopped after ``examples_timeout`` seconds, failing with its page, line and name;
- must request every route it defines and compare the response;
and every ``{transcript}`` is replayed with the real commands. The results, one entry per
example, transcript and exempt block, are written to ``examples.json`` in the output folder.
"""

from __future__ import annotations

import copy
import doctest
import os
import signal
import sys
import tempfile
import time
from contextlib import contextmanager, nullcontext
from pathlib import Path
from typing import Any
from unittest import mock

import sphinx.ext.doctest
from docutils import nodes
from sphinx.ext.doctest import DocTestBuilder, SphinxDocTestRunner, TestCode, TestGroup
from sphinx.util import logging

from quickstart_site import route_coverage
from quickstart_site.report import Entry, Report
from quickstart_site.transcript import parse
from quickstart_site.transcript_runner import free_port, occupied, run_command

logger = logging.getLogger(__name__)


class ExampleTimeout(Exception):
    """Raised inside an example that runs longer than ``examples_timeout``."""


class LocatingRunner(SphinxDocTestRunner):
    """Reports a failing {testcode} at the line where its block starts.

    sphinx.ext.doctest gives a {testcode} block's line both to the test and to its single
    example, and doctest adds the two, so the stock report points far below the block.
    """

    def _failure_header(self, test: doctest.DocTest, example: doctest.Example) -> str:
        if test.lineno and len(test.examples) == 1 and example.lineno == test.lineno:
            example = copy.copy(example)
            example.lineno = 0
        return super()._failure_header(test, example)


ROUTE_CHECK = (
    "import quickstart_site.route_coverage\n"
    "quickstart_site.route_coverage.assert_every_route_requested("
    "globals(), compares_output={compares_output})\n"
)


class ExamplesBuilder(DocTestBuilder):
    name = "examples"
    epilog = "Example results are in %(outdir)s/examples.json and output.txt."

    def init(self) -> None:
        super().init()
        self.report = Report()
        self._captured: list[str] | None = None
        self._docname = ""
        self._files: dict[str, list[nodes.literal_block]] = {}

    # Everything the doctest runner reports about the current example is kept with it.
    def _warn_out(self, text: str) -> None:
        if self._captured is not None:
            self._captured.append(text)
        super()._warn_out(text)

    def test_doc(self, docname: str, doctree: nodes.Node) -> bool:
        self._docname = docname
        self._files = files_by_group(doctree)
        with mock.patch.object(sphinx.ext.doctest, "SphinxDocTestRunner", LocatingRunner):
            success = super().test_doc(docname, doctree)
        for block in doctree.findall(nodes.literal_block):
            if "transcript" in block:
                success = self.test_transcript(block, doctree) and success
            elif "exempt_reason" in block:
                self.report.add(
                    Entry.at(block, "exempt", block["exempt_reason"], self._docname, self.env)
                )
        return success

    def test_group(self, group: TestGroup) -> bool:
        # A {doctest} block compares by itself; a {testcode} needs its {testoutput}.
        compares_output = any(len(pair) == 1 or pair[1] is not None for pair in group.tests)
        group.add_code(
            TestCode(
                ROUTE_CHECK.format(compares_output=compares_output),
                "testcleanup",
                filename="<route check>",
                lineno=0,
            )
        )
        first = group.tests[0][0] if group.tests else (group.setup + group.cleanup)[-1]
        self._captured = []
        started = time.perf_counter()
        passed = False
        try:
            with (
                example_folder(self._files.get(group.name, [])),
                time_limit(self.config.examples_timeout, group.name),
            ):
                route_coverage.start()
                passed = super().test_group(group)
        finally:
            output = "".join(self._captured)
            self._captured = None
            self.report.add(
                Entry(
                    kind="example",
                    name=group.name,
                    docname=self._docname,
                    source=first.filename,
                    line=first.lineno + 1,
                    passed=passed,
                    seconds=time.perf_counter() - started,
                    output=output,
                )
            )
        return passed

    def test_transcript(self, block: nodes.literal_block, doctree: nodes.Node) -> bool:
        entry = Entry.at(block, "transcript", block["transcript_name"], self._docname, self.env)
        started = time.perf_counter()
        messages = []
        with tempfile.TemporaryDirectory(prefix="transcript-") as folder:
            try:
                write_transcript_files(
                    Path(folder), block["transcript_files"], doctree, self._files
                )
                messages += self.replay(block, Path(folder))
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

    @staticmethod
    def replay(block: nodes.literal_block, folder: Path) -> list[str]:
        """Run the transcript's commands in ``folder``; the first difference stops it."""
        port = free_port()
        with occupied(port) if block["occupied_port"] else nullcontext():
            for command in parse(block["transcript"]):
                result = run_command(
                    command,
                    folder,
                    port=port,
                    # With its port taken, a server must fail to start.
                    expect_failure=block["occupied_port"],
                )
                if not result.passed:
                    return [result.message]
        return []

    def finish(self) -> None:
        super().finish()
        path = self.report.write(self.outdir / "examples.json")
        logger.info("%s\n(details in %s)", self.report.summary(), path)
        if self.report.failed:
            self._app.statuscode = 1


def files_by_group(doctree: nodes.Node) -> dict[str, list[nodes.literal_block]]:
    files: dict[str, list[nodes.literal_block]] = {}
    for block in doctree.findall(nodes.literal_block):
        if "example_file" in block:
            for group in block["groups"]:
                files.setdefault(group, []).append(block)
    return files


def first_code_of(group: str, doctree: nodes.Node) -> str:
    for node in doctree.findall(nodes.Element):
        if node.get("testnodetype") == "testcode" and group in node.get("groups", ()):
            return node.get("test", node.astext()) + "\n"
    raise LookupError(f"no {{testcode}} block of an example named {group!r} on this page")


def write_transcript_files(
    folder: Path,
    files: dict[str, str],
    doctree: nodes.Node,
    example_files: dict[str, list[nodes.literal_block]],
) -> None:
    """The module a transcript runs is the first code block of the named example, as shown."""
    for path, group in files.items():
        target = folder / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(first_code_of(group, doctree), encoding="utf-8")
        write_example_files(folder, example_files.get(group, []))


def write_example_files(folder: Path, blocks: list[nodes.literal_block]) -> None:
    for block in blocks:
        target = folder / block["example_file"]
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(block.astext() + "\n", encoding="utf-8")


@contextmanager
def example_folder(blocks: list[nodes.literal_block]):
    """Run inside a fresh temporary folder holding the example's files, then remove it.

    The folder the build started in leaves ``sys.path`` meanwhile: a stray ``hello.py``
    there would otherwise become the examples' module and Flask's ``root_path``.
    """
    previous, saved_path = os.getcwd(), sys.path[:]
    with tempfile.TemporaryDirectory(prefix="example-") as folder:
        write_example_files(Path(folder), blocks)
        os.chdir(folder)
        sys.path[:] = [p for p in saved_path if p not in ("", previous)]
        try:
            yield Path(folder)
        finally:
            os.chdir(previous)
            sys.path[:] = saved_path


@contextmanager
def time_limit(seconds: float, name: str):
    """Interrupt the example after ``seconds``; the doctest runner reports the exception."""

    def interrupt(_signum: int, _frame: Any) -> None:
        raise ExampleTimeout(f"example {name!r} did not finish within {seconds:g} s")

    previous = signal.signal(signal.SIGALRM, interrupt)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
