"""The bench's rows: a figure, its value, and, for the figures issue 12 sets, the target and
whether this run met it."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Row:
    name: str
    value: str
    target: str = ""  # empty: a figure shown for context, with no target
    met: bool | None = None  # None: no target, or not measured this run

    @property
    def verdict(self) -> str:
        if not self.target:
            return ""
        return {True: "yes", False: "NO", None: "?"}[self.met]


def table(rows: list[Row]) -> str:
    columns = [
        ("measure", [row.name for row in rows]),
        ("value", [row.value for row in rows]),
        ("target", [row.target for row in rows]),
        ("met", [row.verdict for row in rows]),
    ]
    widths = [max(len(title), *(len(cell) for cell in cells)) for title, cells in columns]
    rule = "+" + "+".join("-" * (width + 2) for width in widths) + "+"

    def line(cells: list[str]) -> str:
        first, *rest = cells
        parts = [first.ljust(widths[0])]
        parts += [cell.rjust(width) for cell, width in zip(rest, widths[1:], strict=True)]
        return "| " + " | ".join(parts) + " |"

    body = [line([row.name, row.value, row.target, row.verdict]) for row in rows]
    return "\n".join([rule, line([title for title, _ in columns]), rule, *body, rule])


def summary(rows: list[Row]) -> str:
    targets = [row for row in rows if row.target]
    met = sum(1 for row in targets if row.met)
    unmeasured = sum(1 for row in targets if row.met is None)
    return f"targets met: {met} of {len(targets)}" + (
        f" ({unmeasured} not measured)" if unmeasured else ""
    )
