"""Runs one Run button's program in the reader's browser (Pyodide), by CI's rules.

Loaded by runner-worker.js into the page's Python, and loaded by the tests, which run every
program of every language through this same function in CPython. As the examples builder
runs an example (sphinx_ext/examples/builder.py), a run gets
- a fresh temporary folder holding the example's files, as its working directory, removed
  afterwards;
- ``sys.path`` with that folder first and without the folder the runner started in;
- a fresh namespace: the configuration's global setup (``prelude``), the example's code, the
  configuration's global cleanup (``epilogue``), in that order.
An unedited program runs block by block, each compiled at its page line, so that a traceback
names the page (``File "quickstart.md", line 123``) as a failing doctest block does; an edited
one runs as one script named ``<your edit>``. The time limit is the page's: runner.js
interrupts the run through Pyodide's interrupt buffer (a KeyboardInterrupt here).
"""

from __future__ import annotations

import builtins
import contextlib
import importlib
import io
import linecache
import os
import sys
import tempfile
import traceback
from collections.abc import Iterator
from typing import Any

EDITED = "<your edit>"  # the file name of a program the reader edited
PRELUDE = "<global_setup>"  # the names the examples builder gives the configuration's code
EPILOGUE = "<global_cleanup>"
OUTPUT_LIMIT = 200_000  # characters kept of each of stdout, stderr and the traceback


class CappedText(io.StringIO):
    """A text stream that keeps the first ``limit`` characters written to it: megabytes of
    output must not reach (and freeze) the page."""

    def __init__(self, limit: int) -> None:
        super().__init__()
        self.room = limit
        self.truncated = False

    def write(self, text: str) -> int:
        if not isinstance(text, str):
            raise TypeError(f"string argument expected, got {type(text).__name__!r}")
        if len(text) > self.room:
            self.truncated = True
        kept = text[: self.room]
        self.room -= len(kept)
        super().write(kept)
        return len(text)


def run_example(run: dict[str, Any], edited_source: str | None = None) -> dict[str, Any]:
    """Run ``run`` (a program of ``_examples/<page>.json``), or, when the reader edited its
    code, ``edited_source`` in place of the code.

    Returns ``{"stdout", "stderr", "error", "interrupted", "truncated"}``: ``error`` is the
    traceback ("" when the run succeeded) without this module's frames; ``interrupted`` says
    that the run was stopped (KeyboardInterrupt: the reader's Stop or the time limit);
    ``truncated`` that some of the text was dropped beyond ``OUTPUT_LIMIT`` characters.
    """
    if edited_source is None:
        code: list[tuple[str, str, int]] = [
            (step["code"], step["file"], step["line"]) for step in run["steps"]
        ]
    else:
        code = [(edited_source, EDITED, 1)]
    stdout, stderr = CappedText(OUTPUT_LIMIT), CappedText(OUTPUT_LIMIT)
    errors: list[str] = []
    interrupted = False
    namespace: dict[str, Any] = {"__builtins__": builtins}
    stages = [[(run["prelude"], PRELUDE, 1)], code, [(run["epilogue"], EPILOGUE, 1)]]
    with (
        example_folder(run["files"]),
        shown_in_tracebacks([unit for stage in stages for unit in stage]),
        contextlib.redirect_stdout(stdout),
        contextlib.redirect_stderr(stderr),
    ):
        for number, stage in enumerate(stages):
            try:
                for text, file, line in stage:
                    if text.strip():
                        exec(compile("\n" * (line - 1) + text, file, "exec"), namespace)
            except BaseException as failure:  # the reader's error (or Stop): reported
                errors.append(readers_traceback(failure))
                interrupted = isinstance(failure, KeyboardInterrupt)
                # A failed setup stops the example; a stopped run stops; the global cleanup
                # still runs after the example's code failed, as the doctest runner does.
                if number == 0 or interrupted:
                    break
    error = "".join(errors)
    return {
        "stdout": stdout.getvalue(),
        "stderr": stderr.getvalue(),
        "error": error[:OUTPUT_LIMIT],
        "interrupted": interrupted,
        "truncated": stdout.truncated or stderr.truncated or len(error) > OUTPUT_LIMIT,
    }


@contextlib.contextmanager
def example_folder(files: dict[str, str]) -> Iterator[str]:
    """A fresh temporary folder holding ``files`` (path -> text), as the working directory
    and first on ``sys.path`` (the previous working directory off it); removed afterwards,
    with the modules imported from it."""
    previous, saved_path = os.getcwd(), sys.path[:]
    with tempfile.TemporaryDirectory(prefix="example-", ignore_cleanup_errors=True) as folder:
        for path, text in files.items():
            target = os.path.join(folder, path)
            os.makedirs(os.path.dirname(target), exist_ok=True)
            with open(target, "w", encoding="utf-8") as stream:
                stream.write(text)
        sys.path[:] = [folder, *(p for p in saved_path if p not in ("", previous))]
        importlib.invalidate_caches()
        before = set(sys.modules)
        try:
            with contextlib.chdir(folder):
                yield folder
        finally:
            sys.path[:] = saved_path
            forget_modules_in(folder, before)


@contextlib.contextmanager
def shown_in_tracebacks(units: list[tuple[str, str, int]]) -> Iterator[None]:
    """Each (code, file, line) known to ``linecache`` at its lines, meanwhile: a traceback
    then quotes the line it names (the page and the edit are no files here)."""
    files: dict[str, list[str]] = {}
    for text, file, line in units:
        lines = files.setdefault(file, [])
        new = text.splitlines(keepends=True)
        end = line - 1 + len(new)
        lines.extend("\n" for _ in range(end - len(lines)))
        lines[line - 1 : end] = new
    saved = {file: linecache.cache.get(file) for file in files}
    for file, lines in files.items():
        linecache.cache[file] = (sum(map(len, lines)), None, lines, file)
    try:
        yield
    finally:
        for file, entry in saved.items():
            if entry is None:
                linecache.cache.pop(file, None)
            else:
                linecache.cache[file] = entry


def forget_modules_in(folder: str, before: set[str]) -> None:
    """Drop the modules imported from ``folder``: the next run's folder is another one.
    A module's file is resolved through symbolic links only for the modules imported since
    ``before`` (the names then in sys.modules); resolving all of them, a thousand per run,
    took a third of the time of an examples build."""
    inside = os.path.join(os.path.realpath(folder), "")
    named = (os.path.join(folder, ""), inside)
    for name, module in list(sys.modules.items()):
        path = getattr(module, "__file__", None)
        if not isinstance(path, str):
            continue
        if path.startswith(named) or (
            name not in before and os.path.realpath(path).startswith(inside)
        ):
            del sys.modules[name]


def readers_traceback(failure: BaseException) -> str:
    """The traceback from the reader's code down: the frames of this module are dropped."""
    trace = failure.__traceback__
    while trace is not None and trace.tb_frame.f_globals is globals():
        trace = trace.tb_next
    return "".join(traceback.format_exception(type(failure), failure, trace))
