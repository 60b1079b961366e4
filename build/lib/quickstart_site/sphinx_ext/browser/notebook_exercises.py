"""A checked exercise in the page's notebook: its task, its starter cell, a cell running its checks.

The checks run in the JupyterLite kernel through the page's own harness
(``runner_static/runner/check_exercise.py``, with run_example.py, whose pieces it uses): their
source is embedded in one hidden cell before the notebook's first exercise, so the notebook
needs nothing from the network or the file system. Each check cell calls ``check_app`` on the
``app`` the reader's starter cell defined, and prints one line per check in the page's language
(the messages and words come from the same program the page gets, ``examples/exercises.py``'s
``program``). Nothing here needs a Sphinx application.
"""

from __future__ import annotations

import pprint
from collections.abc import Callable
from pathlib import Path
from typing import Any

from docutils import nodes

from quickstart_site.examples.exercises import (
    CHECK,
    HINT,
    PART,
    STARTER,
    is_exercise,
    is_solution,
    parts,
)

HARNESS = Path(__file__).parent / "runner_static" / "runner"
HARNESS_FILES = ("run_example.py", "check_exercise.py")  # in this order: one namespace
CHECKS_NAMESPACE = "quickstart_exercise_checks"
RUN_CHECKS = "run_checks"  # what each check cell calls


def harness_code(words: dict[str, str]) -> str:
    """The hidden cell that defines ``run_checks(exercise)``, with the harness's source."""
    literal = ",\n".join(
        "    (\n"
        + "".join(
            f"        {line!r}\n"
            for line in (HARNESS / name).read_text(encoding="utf-8").splitlines(keepends=True)
        )
        + "    )"
        for name in HARNESS_FILES
    )
    # No comment in the cell: it would stay English in every language's notebook.
    return (
        f"{CHECKS_NAMESPACE} = {{'__name__': 'check_exercise'}}\n"
        f"for harness_source in (\n{literal},\n):\n"
        f"    exec(harness_source, {CHECKS_NAMESPACE})\n"
        "\n\n"
        f"def {RUN_CHECKS}(exercise):\n"
        f"    result = {CHECKS_NAMESPACE}['check_app'](exercise, globals().get('app'))\n"
        f"    print({CHECKS_NAMESPACE}['report'](result, {pprint.pformat(words, width=80)}))\n"
    )


def check_code(program: dict[str, Any]) -> str:
    """A check cell: the exercise's checks and messages, run on the reader's ``app``."""
    kept = {key: program[key] for key in ("id", "file", "checks", "messages")}
    return f"{RUN_CHECKS}({pprint.pformat(kept, width=96, sort_dicts=False)})"


def task_markdown(
    exercise: nodes.Element,
    program: dict[str, Any],
    block: Callable[[nodes.Node], str],
    inline: Callable[[nodes.Element], str],
    words: dict[str, str],
) -> str:
    """The exercise's statement (title and task) and its hints, without its code parts. The
    title is written as the HTML page shows it ("Exercise 1 (Greet a reader)"): the number is
    no part of the doctree, numfig's format gives it (``words["exercise"]``, "Exercise %s")."""
    heading = words.get("exercise", "Exercise %s") % program["number"]
    if program["title"]:
        heading += f" ({program['title']})"
    pieces = [f"**{heading}**"]
    content = exercise.deepcopy()
    for part in parts(content):
        if part[PART] in (STARTER, CHECK, HINT):
            part.parent.remove(part)
    for child in content.children:
        if not isinstance(child, nodes.title):
            pieces.append(block(child))
    for number, hint in enumerate(parts(exercise, HINT), 1):
        summary = words["hint"].format(number=number)
        body = "\n\n".join(text for child in hint.children if (text := block(child)))
        pieces.append(f"<details><summary>{summary}</summary>\n\n{body}\n\n</details>")
    return "\n\n".join(piece for piece in pieces if piece)


def solution_markdown(
    solution: nodes.Element,
    block: Callable[[nodes.Node], str],
    inline: Callable[[nodes.Element], str],
) -> str:
    """A solution, folded as on the page."""
    title = solution.next_node(nodes.title)
    summary = inline(title).strip() if title is not None else ""
    body = "\n\n".join(
        text for child in solution.children if child is not title and (text := block(child))
    )
    return f"<details><summary>{summary}</summary>\n\n{body}\n\n</details>"


def exercise_of(node: nodes.Element, exercises: dict[str, dict[str, Any]]) -> bool:
    """An exercise of the page's programs (the model accepted the page)."""
    return is_exercise(node) and str(node.get("label")) in exercises


def solution_of(node: nodes.Element, exercises: dict[str, dict[str, Any]]) -> bool:
    return is_solution(node) and str(node.get("target_label")) in exercises


def starter_of(exercise: nodes.Element) -> str:
    starters = parts(exercise, STARTER)
    return starters[0].astext() if starters else ""
