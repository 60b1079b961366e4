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


class CheckFailed(Exception):
    """Raised by ``expect``: the check's condition does not hold, with the values to show."""

    def __init__(self, values: dict[str, Any]) -> None:
        super().__init__("expectation not met")
        self.values = values


def expect(condition: object, **values: Any) -> None:
    if not condition:
        raise CheckFailed(values)


def formatted(message: str, values: dict[str, Any]) -> str:
    """The message with its fields filled in; as written if they cannot be (a translation that
    lost a field is refused when the page is built, so this is only a safety net)."""
    try:
        text = message.format(**values)
    except Exception:  # noqa: BLE001 - the message is shown as it stands
        text = message
    return text if len(text) <= MESSAGE_LIMIT else text[: MESSAGE_LIMIT - 1] + "…"


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
    stdout, stderr = CappedText(OUTPUT_LIMIT), CappedText(OUTPUT_LIMIT)
    result: dict[str, Any] = {
        "stdout": "",
        "stderr": "",
        "error": "",
        "interrupted": False,
        "truncated": False,
        "checks": [],
    }
    try:
        with (
            example_folder({}),
            shown_in_tracebacks([(source, EDITED, 1)]),
            contextlib.redirect_stdout(stdout),
            contextlib.redirect_stderr(stderr),
        ):
            _check(exercise, source, result)
    except BaseException as failure:  # noqa: BLE001 - an interruption in this module's code
        result["interrupted"] = result["interrupted"] or isinstance(failure, KeyboardInterrupt)
        result["error"] = result["error"] or readers_traceback(failure)
    messages = exercise["messages"]
    checks = result["checks"]
    for _check_data in exercise["checks"][len(checks) :]:  # not run: stopped before them
        checks.append({"passed": False, "message": messages["program_failed"], "raised": False})
    error = result["error"]
    result.update(
        stdout=stdout.getvalue(),
        stderr=stderr.getvalue(),
        error=error[:OUTPUT_LIMIT],
        truncated=stdout.truncated or stderr.truncated or len(error) > OUTPUT_LIMIT,
    )
    return result


def _check(exercise: dict[str, Any], source: str, result: dict[str, Any]) -> None:
    messages = exercise["messages"]
    namespace: dict[str, Any] = {"__builtins__": builtins}
    try:
        for text, file in ((exercise.get("prelude", ""), PRELUDE), (source, EDITED)):
            if text.strip():
                exec(compile(text, file, "exec"), namespace)  # noqa: S102 - the reader's program
    except BaseException as failure:  # the reader's error (or Stop): reported
        result["error"] = readers_traceback(failure)
        result["interrupted"] = isinstance(failure, KeyboardInterrupt)
        return  # every check fails with messages["program_failed"] (check_exercise)
    app = namespace.get("app")
    if not callable(getattr(app, "test_client", None)):
        for _check_data in exercise["checks"]:
            result["checks"].append(
                {"passed": False, "message": messages["no_app"], "raised": False}
            )
        return
    for number, check in enumerate(exercise["checks"], 1):
        outcome = _one_check(app, check, number, exercise, messages)
        result["checks"].append(outcome)
        if outcome.pop("interrupted", False):
            result["interrupted"] = True
            return


def _one_check(
    app: Any, check: dict[str, Any], number: int, exercise: dict[str, Any], messages: dict[str, str]
) -> dict[str, Any]:
    # The check's code is compiled at its page line, so that a traceback names the page.
    file = exercise.get("file") or f"<check {number}>"
    code = "\n" * (max(check.get("line", 1), 1) - 1) + check["code"]
    try:
        namespace = {
            "__builtins__": builtins,
            "app": app,
            "client": app.test_client(),
            "expect": expect,
        }
        exec(compile(code, file, "exec"), namespace)  # noqa: S102 - the page's own check
    except CheckFailed as failed:
        return {
            "passed": False,
            "message": formatted(check["message"], failed.values),
            "raised": False,
        }
    except BaseException as failure:  # the reader's app raised in the check, or Stop
        text = formatted(messages["check_raised"], {"error": exception_line(failure)})
        outcome = {"passed": False, "message": text, "raised": True}
        if isinstance(failure, KeyboardInterrupt):
            outcome["interrupted"] = True
        return outcome
    return {"passed": True, "message": "", "raised": False}
