"""Checks one exercise: the reader's program, then each check against its ``app``.

The one harness for every place an exercise is checked: the page's worker runs it in Pyodide
(after run_example.py, into the same namespace), the notebook runs it in JupyterLite's kernel,
and the examples builder imports it from this file to check each solution and starter in
CPython. Stdlib only. As run_example.py runs an example, the reader's program gets a fresh
temporary folder as its working directory, a fresh namespace (the configuration's global setup,
``prelude``, first), stdout and stderr capped at ``OUTPUT_LIMIT`` characters; a
KeyboardInterrupt (the page's Stop or time limit through Pyodide's interrupt buffer, the
builder's time limit) stops it. Then each check runs in its own namespace holding ``app`` (the
reader's), ``client`` (a fresh ``app.test_client()``) and ``expect(condition, **values)``,
which fails the check with its message formatted with ``values``.

Nothing the reader writes makes ``check_exercise`` raise: every failure is a result.
"""

from __future__ import annotations

import builtins
import contextlib
import traceback
from collections.abc import Callable
from typing import Any

try:  # CPython: beside run_example.py, which the caller put on sys.path
    from run_example import (  # type: ignore[import-not-found,unused-ignore]
        EDITED,
        OUTPUT_LIMIT,
        PRELUDE,
        CappedText,
        example_folder,
        readers_traceback,
        shown_in_tracebacks,
    )
except ImportError:  # pragma: no cover - Pyodide and the notebook: run after run_example.py
    pass  # in the same namespace, which already holds these names

MESSAGE_LIMIT = 2_000  # characters of a formatted check message (a value may be megabytes)
# Characters of one text a message shows: a wrong answer is recognisable from its start, and a
# whole error page (Flask's 404 is 200 characters of HTML) would bury the message's own words.
VALUE_LIMIT = 80


class CheckFailed(Exception):
    """Raised by ``expect``: the check's condition does not hold, with the values to show."""

    def __init__(self, values: dict[str, Any]) -> None:
        super().__init__("expectation not met")
        self.values = values


def expect(condition: object, **values: Any) -> None:
    if not condition:
        raise CheckFailed(values)


def shortened(value: Any) -> Any:
    if isinstance(value, str) and len(value) > VALUE_LIMIT:
        return value[: VALUE_LIMIT - 1] + "…"
    if isinstance(value, bytes) and len(value) > VALUE_LIMIT:
        return value[: VALUE_LIMIT - 3] + b"..."
    return value


def formatted(message: str, values: dict[str, Any]) -> str:
    """The message with its fields filled in; as written if they cannot be (a translation that
    lost a field is refused when the page is built, so this is only a safety net)."""
    shown = {name: shortened(value) for name, value in values.items()}
    try:
        text = message.format(**shown)
    except Exception:  # noqa: BLE001 - the message is shown as it stands
        text = message
    return text if len(text) <= MESSAGE_LIMIT else text[: MESSAGE_LIMIT - 1] + "…"


def readers_error(failure: BaseException) -> str:
    """The traceback from the reader's code down: this module's frames are dropped (and
    run_example.py's, which ``readers_traceback`` drops; in the page and the notebook both
    modules share one namespace)."""
    trace = failure.__traceback__
    while trace is not None and trace.tb_frame.f_globals is globals():
        trace = trace.tb_next
    return str(readers_traceback(failure.with_traceback(trace)))


def exception_line(failure: BaseException) -> str:
    """``ExceptionType: text``, the {error} of messages["check_raised"]."""
    return "".join(traceback.format_exception_only(type(failure), failure)).strip()


def check_exercise(exercise: dict[str, Any], source: str) -> dict[str, Any]:
    """Run ``source`` (the reader's program) and check it with ``exercise["checks"]``.

    Returns ``{"stdout", "stderr", "error", "interrupted", "truncated", "checks"}``: ``error``
    is the traceback of the reader's program ("" if it ran); ``checks`` has one
    ``{"passed", "message", "raised"}`` per check, in order: ``message`` is "" when it passed,
    else the exercise's (page-language) message formatted with the values ``expect`` got;
    ``raised`` says that the check's code raised (the reader's view or app misbehaved) rather
    than that an expectation was not met. If the program failed or defined no ``app``, every
    check fails with ``messages["program_failed"]`` or ``messages["no_app"]``.
    """

    def run(result: dict[str, Any]) -> None:
        with example_folder({}), shown_in_tracebacks([(source, EDITED, 1)]):
            app = _run_program(exercise, source, result)
            if not result["error"]:
                _run_checks(exercise, app, result)

    return _captured(exercise, run)


def check_app(exercise: dict[str, Any], app: Any) -> dict[str, Any]:
    """The checks alone, on an ``app`` already made: the notebook's, where the reader's starter
    cell defined it. The same result as ``check_exercise``'s."""
    return _captured(exercise, lambda result: _run_checks(exercise, app, result))


def report(result: dict[str, Any], words: dict[str, str]) -> str:
    """A result as the notebook prints it: one line per check, in the page's words."""
    lines = [
        f"{number}. \u2713 {words['passed']}"
        if check["passed"]
        else f"{number}. \u2717 {check['message']}"
        for number, check in enumerate(result["checks"], 1)
    ]
    if all(check["passed"] for check in result["checks"]):
        lines.append(words["all_passed"])
    return "\n".join(lines)


def _captured(exercise: dict[str, Any], run: Callable[[dict[str, Any]], None]) -> dict[str, Any]:
    """``run(result)`` with its output capped, and a result for every check whatever happens:
    the checks not run (the program failed, or a Stop came) fail with program_failed."""
    stdout, stderr = CappedText(OUTPUT_LIMIT), CappedText(OUTPUT_LIMIT)
    result: dict[str, Any] = {"error": "", "interrupted": False, "checks": []}
    try:
        with contextlib.redirect_stdout(stdout), contextlib.redirect_stderr(stderr):
            run(result)
    except BaseException as failure:  # noqa: BLE001 - a Stop that landed in this module's code
        result["interrupted"] = result["interrupted"] or isinstance(failure, KeyboardInterrupt)
        result["error"] = result["error"] or readers_error(failure)
    for _not_run in exercise["checks"][len(result["checks"]) :]:
        message = exercise["messages"]["program_failed"]
        result["checks"].append({"passed": False, "message": message, "raised": False})
    error = result["error"]
    result.update(
        stdout=stdout.getvalue(),
        stderr=stderr.getvalue(),
        error=error[:OUTPUT_LIMIT],
        truncated=stdout.truncated or stderr.truncated or len(error) > OUTPUT_LIMIT,
    )
    return result


def _run_program(exercise: dict[str, Any], source: str, result: dict[str, Any]) -> Any:
    """The reader's program in a fresh namespace, after the configuration's global setup; its
    ``app`` (None if it failed or made none)."""
    namespace: dict[str, Any] = {"__builtins__": builtins}
    try:
        for text, file in ((exercise.get("prelude", ""), PRELUDE), (source, EDITED)):
            if text.strip():
                exec(compile(text, file, "exec"), namespace)  # noqa: S102 - the reader's program
    except BaseException as failure:  # the reader's error (or Stop): reported
        result["error"] = readers_error(failure)
        result["interrupted"] = isinstance(failure, KeyboardInterrupt)
        return None
    return namespace.get("app")


def _run_checks(exercise: dict[str, Any], app: Any, result: dict[str, Any]) -> None:
    messages = exercise["messages"]
    if not callable(getattr(app, "test_client", None)):
        for _check in exercise["checks"]:
            result["checks"].append(
                {"passed": False, "message": messages["no_app"], "raised": False}
            )
        return
    for number, check in enumerate(exercise["checks"], 1):
        outcome = _one_check(app, check, number, exercise)
        result["checks"].append(outcome)
        if outcome.pop("interrupted", False):
            result["interrupted"] = True
            return  # a Stop: the remaining checks are not run


def _one_check(
    app: Any, check: dict[str, Any], number: int, exercise: dict[str, Any]
) -> dict[str, Any]:
    # Compiled at its page line, so that a traceback names the page (and the builder's time
    # limit knows the frame for the page's code).
    file = exercise.get("file") or f"<check {number}>"
    code = "\n" * (max(check.get("line", 1), 1) - 1) + check["code"]
    try:
        namespace = {
            "__builtins__": builtins,
            "app": app,
            "client": app.test_client(),  # a fresh client for each check
            "expect": expect,
        }
        exec(compile(code, file, "exec"), namespace)  # noqa: S102 - the page's own check
    except CheckFailed as failed:
        message = formatted(check["message"], failed.values)
        return {"passed": False, "message": message, "raised": False}
    except BaseException as failure:  # the reader's app raised in the check, or a Stop
        error = exception_line(failure)
        message = formatted(exercise["messages"]["check_raised"], {"error": error})
        outcome = {"passed": False, "message": message, "raised": True}
        if isinstance(failure, KeyboardInterrupt):
            outcome["interrupted"] = True
        return outcome
    return {"passed": True, "message": "", "raised": False}
