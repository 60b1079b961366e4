"""What an example is, for every consumer: the examples builder, the Run buttons, the notebook.

An example is a group of doctest blocks with one name (``{testcode} greet``), read from a
page's (translated) doctree by :func:`quickstart_site.examples.grouping.examples_of`, the one
place that decides which blocks belong to which example and in what order they run. Nothing
here needs Sphinx: an example is plain data, like Sybil's ``Region``/``Example``.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from enum import StrEnum


class Role(StrEnum):
    """Where a step comes from, and whether the page shows it."""

    CONFIG_SETUP = "config-setup"  # conf.py's doctest_global_setup: runs first, on no page
    SETUP = "setup"  # {testsetup}: hidden on the page
    SHOWN = "shown"  # {testcode}: the code the reader sees
    HIDDEN = "hidden"  # {testcode} :hide:, usually the request that exercises the app
    CLEANUP = "cleanup"  # {testcleanup}: hidden on the page
    CONFIG_CLEANUP = "config-cleanup"  # conf.py's doctest_global_cleanup: runs last

    @property
    def from_config(self) -> bool:
        return self in (Role.CONFIG_SETUP, Role.CONFIG_CLEANUP)

    @property
    def is_code(self) -> bool:
        """A {testcode} step, whose output is compared."""
        return self in (Role.SHOWN, Role.HIDDEN)


@dataclass(frozen=True)
class Location:
    """A line of a source file: ``source`` as docutils names it, ``line`` counted from 1."""

    source: str
    line: int

    def __str__(self) -> str:
        return f"{self.source}:{self.line}"


CONFIG = Location("conf.py", 0)  # where the configuration's global setup and cleanup live


@dataclass(frozen=True)
class Step:
    """One block of code, run in the example's namespace; ``expected`` is what the page says
    it prints ({testoutput}), None where the page does not say."""

    role: Role
    code: str
    location: Location
    expected: str | None = None
    # The example names a block belongs to: its own, or "*" (every example of the page).
    groups: tuple[str, ...] = ()

    @property
    def code_line(self) -> int:
        """The page line of the code's first line (the directive's line is one above)."""
        return self.location.line + 1


@dataclass
class Example:
    """One example of a page: its steps in the order they run, and the files it needs."""

    name: str
    docname: str
    location: Location  # of its first block
    steps: list[Step] = field(default_factory=list)
    files: dict[str, str] = field(default_factory=dict)  # path in its folder -> exact text

    @property
    def code_steps(self) -> list[Step]:
        return [step for step in self.steps if step.role.is_code]

    @property
    def compares_output(self) -> bool:
        return any(step.expected is not None for step in self.code_steps)

    @property
    def expected_output(self) -> str:
        return "".join(step.expected or "" for step in self.code_steps)

    def parts(self) -> list[Example]:
        """The example cut after each shown block that has something to show: what each Run
        button runs. A part keeps every setup and cleanup step, and the hidden steps up to the
        next shown block (they exercise what the shown block defined). A shown block that
        prints nothing (it only defines routes) joins the next part; the last part is the
        whole example."""
        code = self.code_steps
        shown = [i for i, step in enumerate(code) if step.role is Role.SHOWN]
        result: list[Example] = []
        for n, index in enumerate(shown):
            end = shown[n + 1] if n + 1 < len(shown) else len(code)
            last = n + 1 == len(shown)
            if not last and not "".join(step.expected or "" for step in code[index:end]):
                continue
            kept = set(map(id, code[:end]))
            steps = [s for s in self.steps if not s.role.is_code or id(s) in kept]
            result.append(Example(self.name, self.docname, self.location, steps, self.files))
        return result


def join_code(codes: Iterable[str]) -> str:
    """Blocks of code as one script: each ends with one newline, empty blocks are dropped."""
    return "".join(code.rstrip("\n") + "\n" for code in codes if code.strip())


class UnsupportedExample(ValueError):
    """A construct no consumer of the model can run the way CI runs it; refused at read time."""

    def __init__(self, location: Location, message: str) -> None:
        super().__init__(f"{location}: {message}")
        self.location = location
        self.message = message
