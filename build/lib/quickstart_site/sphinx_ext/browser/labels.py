"""The Run panel's words, translated by ``locales/<lang>/LC_MESSAGES/sphinx.po``."""

from __future__ import annotations

from sphinx.locale import _


def labels() -> dict[str, str]:
    words = {
        "run": _("Run"),
        # The exercises' workbench (exercise.js), besides the words branch ex-core adds below.
        "hide_solution": _("Hide solution"),
        "use_solution": _("Use this code"),
        "solution": _("A solution"),
        "some_passed": _("Checks passed: {passed} of {total}."),
        "solved": _("Solved"),
        "editor_help": _(
            "Tab indents the line and Shift+Tab dedents it; to leave the editor with the "
            "keyboard, press Escape, then Tab. Ctrl+Enter (⌘+Enter) runs the checks."
        ),
        "check_timed_out": _("Your code ran out of time ({seconds} s) and was stopped."),
        "running": _("Running…"),
        "starting": _("Starting Python in your browser…"),
        "failed": _("Python could not start in this browser:"),
        "code": _("The code that runs (you can edit it):"),
        "output": _("Output"),
        "no_output": _("(the example printed nothing)"),
        "matches": _("The same output as on this page."),
        "differs": _("This output differs from the one on this page."),
        "console": _("Open in a JupyterLite console"),
        "close": _("Close"),
        "stop": _("Stop"),
        "stopped": _("Stopped."),
        "timed_out": _("The example ran out of time ({seconds} s) and was stopped."),
        "waiting": _("Waiting for the example that is running…"),
        "crashed": _("Python stopped working in this browser:"),
        "retry": _("Try again"),
        "truncated": _("Output truncated: only the beginning is shown."),
        # The exercises' workbench (runner.js's exercise part).
        "check": _("Check"),
        "checking": _("Checking…"),
        "show_solution": _("Show solution"),
        "reset": _("Reset"),
        "reset_confirm": _("Replace your code with the starter code?"),
        "next_hint": _("Next hint"),
        "hint": _("Hint {number}"),
        "progress": _("{done} of {total} done"),
        "passed": _("Passed"),
        "failed_check": _("Not yet"),
        "all_passed": _("All checks pass: well done!"),
        "editor": _("Your code"),
        "results": _("Results of the checks"),
    }
    return {key: str(text) for key, text in words.items()}


def exercise_messages() -> dict[str, str]:
    """What a failed check says when the reader's program itself failed (check_exercise.py)."""
    words = {
        "no_app": _("Your program defines no Flask application named app."),
        "program_failed": _("Your program stopped with an error before the checks could run."),
        "check_raised": _("The check could not finish: your application raised {error}"),
    }
    return {key: str(text) for key, text in words.items()}
