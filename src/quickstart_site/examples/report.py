"""The result of running a page's examples: one entry per example, transcript or exemption.

The examples builder writes it as JSON; the test suite and the benchmark read it back.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

KINDS = ("example", "transcript", "exempt", "exercise")


@dataclass
class Entry:
    kind: str
    name: str
    docname: str
    source: str
    line: int
    passed: bool = False
    seconds: float = 0.0
    output: str = ""
    # An example's code as the doctest runner received it, the configuration's setup and
    # cleanup included: what the Run button and the notebook must reproduce.
    program: str = ""
    # An exercise's: "passed" or "failed: <why>"; "fails" or "passes"; its check messages left
    # in English on a translated page.
    solution: str = ""
    starter: str = ""
    untranslated: list[str] = field(default_factory=list)

    @classmethod
    def at(cls, node: Any, kind: str, name: str, docname: str, env: Any) -> Entry:
        """An entry located where ``node`` stands in its source file."""
        source = env.doc2path(docname, False)
        return cls(kind, name, docname, str(source), node.line or 0)

    @property
    def label(self) -> str:
        return f"{self.docname}:{self.kind}:{self.name}"


@dataclass
class Report:
    entries: list[Entry] = field(default_factory=list)

    def add(self, entry: Entry) -> None:
        self.entries.append(entry)

    def of_kind(self, kind: str) -> list[Entry]:
        return [entry for entry in self.entries if entry.kind == kind]

    def counts(self) -> dict[str, int]:
        counts = {kind: len(self.of_kind(kind)) for kind in KINDS}
        for kind in ("example", "transcript", "exercise"):
            counts[f"{kind}_failed"] = sum(not e.passed for e in self.of_kind(kind))
        return counts

    @property
    def failed(self) -> list[Entry]:
        return [e for e in self.entries if e.kind != "exempt" and not e.passed]

    def summary(self, *, exercises: bool = True) -> str:
        """The counts a run prints (with the exercises' line unless told not to), then one
        line per failure."""
        counts = self.counts()
        lines = [
            f"{counts['example']} examples executed ({counts['example_failed']} failed), "
            f"{counts['exempt']} exempted; {counts['transcript']} transcripts executed "
            f"({counts['transcript_failed']} failed)"
        ]
        if exercises and counts["exercise"]:
            lines.append(self.exercise_summary())
        lines += [f"  {e.source}:{e.line}: {e.kind} {e.name} failed" for e in self.failed]
        return "\n".join(lines)

    def exercise_summary(self) -> str:
        """``N exercises checked: N solutions pass, N starters fail``."""
        exercises = self.of_kind("exercise")
        solved = sum(e.solution == "passed" for e in exercises)
        failing = sum(e.starter == "fails" for e in exercises)
        line = (
            f"{len(exercises)} exercises checked: {solved} solutions pass, {failing} starters fail"
        )
        untranslated = sum(len(e.untranslated) for e in exercises)
        if untranslated:
            line += f", {untranslated} check messages not translated"
        return line

    def write(self, path: Path) -> Path:
        data = {"entries": [asdict(entry) for entry in self.entries], "counts": self.counts()}
        path.write_text(json.dumps(data, indent=2, ensure_ascii=False), encoding="utf-8")
        return path

    @classmethod
    def read(cls, path: Path) -> Report:
        data = json.loads(path.read_text(encoding="utf-8"))
        return cls([Entry(**entry) for entry in data["entries"]])
