"""The examples builder's verdict on one exercise, from the harness the browser runs.

``check_exercise`` is imported from ``browser/runner_static/runner/check_exercise.py``, the file
the page's worker and the notebook run: CI checks exercises with the very code readers use. An
exercise passes when its solution passes every check (and no check raises on it), its starter
fails at least one, and, on a translated page, every check message is translated.
"""

from __future__ import annotations

import importlib
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, cast

from quickstart_site.examples.exercises import Exercise
from quickstart_site.sphinx_ext.browser.runner import STATIC

HARNESS = STATIC / "runner"  # check_exercise.py, beside run_example.py
EDITED = "<your edit>"  # the file name the harness gives the reader's program

CheckExercise = Callable[[dict[str, Any], str], dict[str, Any]]


def harness() -> CheckExercise:
    """``check_exercise`` from the browser's file (it imports run_example.py beside it)."""
    folder = str(HARNESS)
    sys.path.insert(0, folder)
    try:
        module = importlib.import_module("check_exercise")
    finally:
        sys.path.remove(folder)
    return cast(CheckExercise, module.check_exercise)


@dataclass
class Verdict:
    solution: str = "passed"  # or "failed: <check message or traceback>"
    starter: str = "fails"  # or "passes"
    untranslated: list[str] = field(default_factory=list)
    details: list[str] = field(default_factory=list)  # what the build prints on failure

    @property
    def passed(self) -> bool:
        return self.solution == "passed" and self.starter == "fails" and not self.untranslated


def solution_verdict(result: dict[str, Any]) -> str:
    """'passed', or 'failed: ' with the first reason: the program's traceback, a check that
    raised, a check that failed."""
    if result["error"]:
        return "failed: " + str(result["error"]).strip()
    for number, check in enumerate(result["checks"], 1):
        if check.get("raised"):
            return f"failed: check {number} raised: {check['message']}"
        if not check["passed"]:
            return f"failed: check {number}: {check['message']}"
    return "passed"


def verdict(
    exercise: Exercise,
    program: dict[str, Any],
    check: CheckExercise,
    *,
    translated_page: bool,
) -> Verdict:
    """Check the solution and the starter with ``check`` (the harness, under the builder's
    time limit)."""
    result = Verdict()
    solved = check(program, exercise.solution)
    result.solution = solution_verdict(solved)
    if result.solution != "passed":
        result.details.append(
            f"its solution (line {exercise.solution_line}) must pass every check and "
            f"{result.solution}"
        )
    started = check(program, exercise.starter)
    if not started["error"] and all(c["passed"] for c in started["checks"]):
        result.starter = "passes"
        result.details.append(
            f"its starter (line {exercise.starter_line}) passes every check: a starter must "
            "leave the task to the reader"
        )
    if translated_page:
        result.untranslated = [c.message for c in exercise.checks if not c.translated]
        result.details += [
            f"the message of the check at line {c.location.line} is not translated: {c.message!r}"
            for c in exercise.checks
            if not c.translated
        ]
    return result
