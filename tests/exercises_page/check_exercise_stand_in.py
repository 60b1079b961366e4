"""A stand-in for runner_static/runner/check_exercise.py (written in branch ex-core), with the
contract's signature and result, used by tests/test_browser_exercises.py only while the real
module is absent from the product. It is never copied into a site.
"""

from __future__ import annotations

import builtins
import contextlib
import traceback
from typing import Any

try:  # CPython; in the page's worker it runs after run_example.py, in the same namespace
    from run_example import OUTPUT_LIMIT, CappedText, example_folder, shown_in_tracebacks
except ImportError:
    pass

YOUR_CODE = "<your code>"


class CheckFailed(Exception):
    pass


def check_exercise(exercise: dict[str, Any], source: str) -> dict[str, Any]:
    stdout, stderr = CappedText(OUTPUT_LIMIT), CappedText(OUTPUT_LIMIT)
    namespace: dict[str, Any] = {"__builtins__": builtins}
    error, interrupted, checks = "", False, []
    messages = exercise["messages"]
    with (
        example_folder({}),
        shown_in_tracebacks([(source, YOUR_CODE, 1)]),
        contextlib.redirect_stdout(stdout),
        contextlib.redirect_stderr(stderr),
    ):
        try:
            exec(compile(exercise.get("prelude", ""), "<global_setup>", "exec"), namespace)
            exec(compile(source, YOUR_CODE, "exec"), namespace)
        except BaseException as failure:
            error = "".join(traceback.format_exception(failure))
            interrupted = isinstance(failure, KeyboardInterrupt)
        app = namespace.get("app")
        for check in exercise["checks"]:
            if interrupted or error:
                checks.append({"passed": False, "message": messages["program_failed"]})
                continue
            if app is None:
                checks.append({"passed": False, "message": messages["no_app"]})
                continue

            def expect(condition: object, _message: str = check["message"], **values: Any) -> None:
                if not condition:
                    raise CheckFailed(_message.format(**values))

            scope = {"app": app, "client": app.test_client(), "expect": expect}
            try:
                exec(compile(check["code"], "<check>", "exec"), scope)
                checks.append({"passed": True, "message": ""})
            except CheckFailed as failed:
                checks.append({"passed": False, "message": str(failed)})
            except KeyboardInterrupt:
                interrupted = True
                checks.append({"passed": False, "message": ""})
            except Exception as failure:
                text = f"{type(failure).__name__}: {failure}"
                checks.append(
                    {"passed": False, "message": messages["check_raised"].format(error=text)}
                )
    return {
        "stdout": stdout.getvalue(),
        "stderr": stderr.getvalue(),
        "error": error[:OUTPUT_LIMIT],
        "interrupted": interrupted,
        "truncated": stdout.truncated or stderr.truncated,
        "checks": checks,
    }
