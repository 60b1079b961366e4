"""Shell transcripts: what a page shows a reader typing, and what the tool really prints.

A transcript is text as the reader sees it: lines starting with ``$ `` are commands, the lines
after a command are what it prints. Parts that differ on every run are written as explicit
placeholders, ``{{kind:shown}}``: the page shows ``shown``, the check accepts what ``kind``
allows. For example ``{{port:5000}}`` shows 5000 and matches the port the check chose, and
``{{pin:123-456-789}}`` matches any debugger PIN.
"""

from __future__ import annotations

import re
import shlex
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import cast

PLACEHOLDER = re.compile(r"\{\{(?P<kind>[a-z]+):(?P<shown>[^}]*)\}\}")

# What each placeholder kind accepts, given the value the page shows. ``port`` is bound to
# the real port at run time; ``hex`` keeps the shown length (a key of the documented size).
PLACEHOLDER_PATTERNS: dict[str, Callable[[str], str] | None] = {
    "pin": lambda shown: r"\d{3}-\d{3}-\d{3}",
    "ip": lambda shown: r"\d{1,3}(?:\.\d{1,3}){3}",
    "hex": lambda shown: f"[0-9a-f]{{{len(shown)}}}",
    "port": None,
}


class TranscriptError(ValueError):
    """The transcript text itself is malformed."""


@dataclass
class Command:
    """One ``$ command`` and the lines it is expected to print."""

    line: str
    lineno: int  # 0-based offset within the transcript
    expected: list[str] = field(default_factory=list)

    @property
    def argv(self) -> list[str]:
        return shlex.split(self.line)


def displayed(text: str) -> str:
    """The transcript as the reader sees it: each placeholder replaced by its shown value."""
    return PLACEHOLDER.sub(lambda m: m["shown"], text)


def parse(text: str) -> list[Command]:
    """Split a transcript into commands with their expected output lines."""
    commands: list[Command] = []
    for offset, raw in enumerate(text.splitlines()):
        for match in PLACEHOLDER.finditer(raw):
            if match["kind"] not in PLACEHOLDER_PATTERNS:
                known = ", ".join(sorted(PLACEHOLDER_PATTERNS))
                raise TranscriptError(
                    f"line {offset + 1}: unknown placeholder kind {match['kind']!r}; "
                    f"use one of: {known}"
                )
        if raw.startswith("$ "):
            commands.append(Command(raw[2:].strip(), offset))
        elif not commands:
            if raw.strip():
                raise TranscriptError(
                    f"line {offset + 1}: output before the first command; "
                    "start the transcript with a line '$ command'"
                )
        else:
            commands[-1].expected.append(raw.rstrip())
    if not commands:
        raise TranscriptError("a transcript needs at least one line starting with '$ '")
    for command in commands:
        while command.expected and not command.expected[-1]:
            command.expected.pop()
    return commands


def line_pattern(expected: str, port: int | None) -> re.Pattern[str]:
    """A regular expression for one expected line, placeholders filled in."""
    parts: list[str] = []
    last = 0
    for match in PLACEHOLDER.finditer(expected):
        parts.append(re.escape(expected[last : match.start()]))
        kind = match["kind"]
        if kind == "port":
            if port is None:
                raise TranscriptError("a {{port:...}} placeholder needs a port to compare with")
            parts.append(str(port))
        else:
            pattern = cast("Callable[[str], str]", PLACEHOLDER_PATTERNS[kind])  # not "port"
            parts.append(f"(?:{pattern(match['shown'])})")
        last = match.end()
    parts.append(re.escape(expected[last:]))
    return re.compile("".join(parts))


ANSI_ESCAPE = re.compile(r"\x1b\[[0-9;]*m")


def normalize(printed: str) -> str:
    """What a reader's terminal shows of a printed line: no colour codes, no trailing space."""
    return ANSI_ESCAPE.sub("", printed).rstrip()
