"""What a checked exercise is, for every consumer: the examples builder, the page, the notebook.

An exercise is sphinx-exercise's ``{exercise}`` (its label is the exercise's id) holding one
``{exercise-starter}``, 1-3 ``{exercise-hint}`` and one or more ``{exercise-check}``, and the
``{solution}`` naming that label, holding one ``{exercise-solution}`` (the directives are in
``sphinx_ext/exercises/``; they mark their nodes with ``exercise_part``). :func:`exercises_of`
reads them from a page's (translated) doctree into plain data; what no consumer could check as
CI does is refused with the part's file and line, as ``examples.grouping`` does for examples.
Only docutils is needed: sphinx-exercise's nodes are recognised by their tag names.
"""

from __future__ import annotations

import ast
import string
from dataclasses import dataclass, field
from typing import Any

from docutils import nodes

from quickstart_site.examples.model import Location

PART = "exercise_part"  # the attribute our directives give their nodes
CHECK_CODE = "exercise_check_code"  # and the code block of a check
STARTER, HINT, CHECK, SOLUTION = "starter", "hint", "check", "solution"
EXERCISE_TAGS = frozenset({"exercise_node", "exercise_enumerable_node"})
SOLUTION_TAG = "solution_node"
LABEL_PREFIX = "exercise-"
MAX_HINTS = 3
TITLE = "quickstart_title"  # the exercise's own title, kept on its node when it is read
LINE = "quickstart_line"  # (source, line) of an exercise or solution, kept before translation
# Sphinx's label for an English paragraph on a translated page (i18n/translation_status.py).
UNTRANSLATED_LABEL = "untranslated-label"


@dataclass(frozen=True)
class Check:
    """One check: the message a reader sees when it fails (a ``str.format`` template whose
    fields are the values the code passes to ``expect``), and the code that decides."""

    message: str
    code: str
    location: Location  # of the {exercise-check}
    code_line: int  # the page line of the code's first line
    # Whether Sphinx translated the message: None on a page in the source language.
    translated: bool | None = None


@dataclass
class Exercise:
    id: str  # the {exercise}'s :label:
    docname: str
    location: Location  # of the {exercise}
    title: str
    starter: str = ""
    starter_line: int = 0  # the page line of the starter's first line
    solution: str = ""
    solution_line: int = 0
    hints: int = 0
    checks: list[Check] = field(default_factory=list)


class UnsupportedExercise(ValueError):
    """An exercise no consumer can check the way CI checks it; refused at read time."""

    def __init__(self, location: Location, message: str) -> None:
        super().__init__(f"{location}: {message}")
        self.location = location
        self.message = message


def location_of(node: nodes.Element) -> Location:
    """Where a node starts. sphinx-exercise's nodes carry no line (or a wrong one, past their
    end): their first part's line is the nearest known, as read before translation (the
    translated text's nodes are numbered from 1), kept in ``LINE``."""
    if PART in node or CHECK_CODE in node:
        return Location(str(node.source or "<unknown>"), node.line or 0)
    if LINE in node:
        source, line = node[LINE]
        return Location(str(source), int(line))
    lines = [
        (candidate.line, str(candidate.source or node.source or "<unknown>"))
        for candidate in node.findall(nodes.Element, include_self=False)
        if candidate.line
    ]
    if not lines:
        return Location(str(node.source or "<unknown>"), node.line or 0)
    line, source = min(lines)
    return Location(source, line)


def is_exercise_code(node: nodes.Element) -> bool:
    """A starter, solution or check: run by the exercise's checks (the examples builder)."""
    return node.get(PART) in (STARTER, SOLUTION) or CHECK_CODE in node


def exercise_nodes(doctree: nodes.Node) -> list[nodes.Element]:
    """sphinx-exercise's statements on a page, in page order."""
    return [node for node in doctree.findall(nodes.Element) if is_exercise(node)]


def solution_nodes(doctree: nodes.Node) -> list[nodes.Element]:
    return [node for node in doctree.findall(nodes.Element) if is_solution(node)]


def is_exercise(node: nodes.Node) -> bool:
    return isinstance(node, nodes.Element) and node.tagname in EXERCISE_TAGS


def is_solution(node: nodes.Node) -> bool:
    return isinstance(node, nodes.Element) and node.tagname == SOLUTION_TAG


def parts(node: nodes.Element, kind: str | None = None) -> list[nodes.Element]:
    return [
        part
        for part in node.findall(nodes.Element)
        if PART in part and (kind is None or part[PART] == kind)
    ]


def enclosing(node: nodes.Node) -> nodes.Element | None:
    """The exercise or solution a part stands in, if any."""
    parent = node.parent
    while parent is not None:
        if is_exercise(parent) or is_solution(parent):
            return parent
        parent = parent.parent
    return None


def own_title(node: nodes.Element) -> str:
    if TITLE in node:
        return str(node[TITLE])
    subtitle = next((n for n in node.findall(nodes.subtitle)), None)
    return subtitle.astext() if subtitle is not None else ""


def message_text(paragraph: nodes.paragraph) -> str:
    """The paragraph's text without the "not translated yet" label Sphinx adds to it."""
    copy = paragraph.deepcopy()
    for label in list(copy.findall(nodes.inline)):
        if UNTRANSLATED_LABEL in label["classes"]:
            label.parent.remove(label)
    return copy.astext().strip()


def expect_names(code: str) -> set[str] | None:
    """The value names the check's code passes to ``expect``; None if any is passed as
    ``**mapping`` (then the names are not known before it runs)."""
    names: set[str] = set()
    for call in ast.walk(ast.parse(code)):
        if (
            isinstance(call, ast.Call)
            and isinstance(call.func, ast.Name)
            and call.func.id == "expect"
        ):
            for keyword in call.keywords:
                if keyword.arg is None:
                    return None
                names.add(keyword.arg)
    return names


def format_fields(message: str) -> set[str]:
    """The ``str.format`` field names of a message; ValueError if it is no valid template."""
    fields = set()
    for _text, name, _spec, _conversion in string.Formatter().parse(message):
        if name is not None:
            if not name.isidentifier():
                raise ValueError(f"{{{name}}} is not a value name")
            fields.add(name)
    return fields


class _Reader:
    def __init__(self, docname: str, language_is_source: bool) -> None:
        self.docname = docname
        self.language_is_source = language_is_source
        self.problems: list[UnsupportedExercise] = []

    def refuse(self, node: nodes.Element, message: str) -> None:
        self.problems.append(UnsupportedExercise(location_of(node), message))

    def read(self, doctree: nodes.Element) -> list[Exercise]:
        for part in parts(doctree):
            owner = enclosing(part)
            wanted = is_solution if part[PART] == SOLUTION else is_exercise
            if owner is None or not wanted(owner):
                where = "{solution}" if part[PART] == SOLUTION else "{exercise}"
                self.refuse(part, f"an {{exercise-{part[PART]}}} belongs inside an {where}")
        exercises: dict[str, Exercise] = {}
        for node in exercise_nodes(doctree):
            exercise = self.exercise(node)
            if exercise is not None:
                exercises[exercise.id] = exercise
        solved: set[str] = set()
        for node in solution_nodes(doctree):
            self.solution(node, exercises, solved)
        for exercise in exercises.values():
            if exercise.id not in solved:
                self.problems.append(
                    UnsupportedExercise(
                        exercise.location,
                        f"exercise {exercise.id!r} has no {{solution}} {exercise.id} on this "
                        "page (holding one {exercise-solution})",
                    )
                )
        return list(exercises.values())

    def exercise(self, node: nodes.Element) -> Exercise | None:
        label = str(node.get("label", ""))
        if not label.startswith(LABEL_PREFIX):
            self.refuse(
                node,
                f"an {{exercise}} needs a :label: {LABEL_PREFIX}<topic> (its id in every "
                f"language), not {label!r}",
            )
            return None
        exercise = Exercise(label, self.docname, location_of(node), own_title(node))
        starters = parts(node, STARTER)
        if len(starters) != 1:
            self.refuse(
                node, f"exercise {label!r} has {len(starters)} {{exercise-starter}}: give one"
            )
        else:
            exercise.starter = starters[0].astext()
            exercise.starter_line = location_of(starters[0]).line + 1
        exercise.hints = len(parts(node, HINT))
        if not 1 <= exercise.hints <= MAX_HINTS:
            self.refuse(
                node,
                f"exercise {label!r} has {exercise.hints} {{exercise-hint}}: give 1 to {MAX_HINTS}",
            )
        checks = parts(node, CHECK)
        if not checks:
            self.refuse(node, f"exercise {label!r} has no {{exercise-check}}: give at least one")
        for check in checks:
            read = self.check(check, label)
            if read is not None:
                exercise.checks.append(read)
        return exercise

    def check(self, node: nodes.Element, label: str) -> Check | None:
        paragraphs = [c for c in node.children if isinstance(c, nodes.paragraph)]
        blocks = [c for c in node.children if isinstance(c, nodes.literal_block)]
        if len(paragraphs) != 1 or len(blocks) != 1 or len(node.children) != 2:
            self.refuse(
                node,
                f"an {{exercise-check}} of {label!r} is one message paragraph and one python "
                "code block",
            )
            return None
        paragraph, block = paragraphs[0], blocks[0]
        message, code = message_text(paragraph), block.astext()
        try:
            names = expect_names(code)
        except SyntaxError as error:
            self.refuse(block, f"the check's code of {label!r} does not compile: {error.msg}")
            return None
        try:
            fields = format_fields(message)
        except ValueError as error:
            self.refuse(
                paragraph,
                f"the check message of {label!r} is no str.format template ({error}): write "
                "{name} or {name!r} for a value, {{ and }} for braces",
            )
            return None
        if names is not None and fields - names:
            self.refuse(
                paragraph,
                f"the check message of {label!r} names {', '.join(sorted(fields - names))}, "
                "which its code does not pass to expect(...): keep the placeholders of the "
                "English message",
            )
            return None
        translated = None if self.language_is_source else bool(paragraph.get("translated"))
        return Check(message, code, location_of(node), location_of(block).line + 1, translated)

    def solution(
        self, node: nodes.Element, exercises: dict[str, Exercise], solved: set[str]
    ) -> None:
        target = str(node.get("target_label", ""))
        solutions = parts(node, SOLUTION)
        if target not in exercises:
            if solutions:  # a {solution} of an exercise that is not one of ours: left alone
                self.refuse(node, f"this {{solution}} names no exercise of this page: {target!r}")
            return
        if target in solved:
            self.refuse(node, f"a second {{solution}} of {target!r}")
            return
        solved.add(target)
        if len(solutions) != 1:
            self.refuse(
                node,
                f"the {{solution}} of {target!r} has {len(solutions)} {{exercise-solution}}: "
                "give one",
            )
            return
        exercises[target].solution = solutions[0].astext()
        exercises[target].solution_line = location_of(solutions[0]).line + 1


def problems(
    doctree: nodes.Element, docname: str, *, language_is_source: bool = True
) -> list[UnsupportedExercise]:
    """Every exercise construct of the page that the model refuses (empty when all is well)."""
    reader = _Reader(docname, language_is_source)
    reader.read(doctree)
    return reader.problems


def exercises_of(
    doctree: nodes.Element, docname: str, *, language_is_source: bool = True
) -> list[Exercise]:
    """The page's exercises in page order. Raises the first :class:`UnsupportedExercise`."""
    reader = _Reader(docname, language_is_source)
    exercises = reader.read(doctree)
    if reader.problems:
        raise reader.problems[0]
    return exercises


def program(
    exercise: Exercise,
    *,
    file: str,
    messages: dict[str, str],
    prelude: str = "",
    number: str = "",
) -> dict[str, Any]:
    """The exercise as ``check_exercise`` (runner_static/runner/check_exercise.py) takes it,
    and as the page's ``_examples/<page>.json`` and the notebook hold it. ``file`` is the page's
    source file name (tracebacks of a check name its lines there); ``messages`` the
    page-language words for a program that failed, defined no ``app``, or made a check raise
    (``browser/labels.py``); ``prelude`` the configuration's global setup, run before the
    reader's program as before an example."""
    return {
        "id": exercise.id,
        "number": number,
        "title": exercise.title,
        "file": file,
        "line": exercise.location.line,
        "starter": exercise.starter,
        "solution": exercise.solution,
        "checks": [
            {"message": check.message, "code": check.code, "line": check.code_line}
            for check in exercise.checks
        ],
        "messages": dict(messages),
        "prelude": prelude,
    }
