"""The one reading of a page's doctest blocks as examples, shared by every consumer.

It follows ``sphinx.ext.doctest``'s grouping exactly (``DocTestBuilder.test_doc`` and
``TestGroup.add_code`` in Sphinx 9.0): blocks join the examples named in their argument; a
block named ``*`` joins every example of the page, after its own blocks of the same kind; a
block whose ``:skipif:`` holds (evaluated after ``doctest_global_setup``) is left out; the
configuration's global setup runs first and its global cleanup last; every setup runs before
the code, every cleanup after it. What Sphinx would accept but no other consumer can run as CI
runs it is refused, with the block's file and line:

- a ``{doctest}`` block or a reST ``>>>`` block (a console session is not a program);
- a block with no example name (Sphinx's silent ``default`` group);
- a ``{testoutput}`` that follows no ``{testcode}`` of its example, or a second one after the
  same code (Sphinx silently drops the first or the second), or one with ``:options:``
  (output is compared exactly);
- blocks whose page order is not the order they run in (a setup below the example's code):
  the notebook runs the page top to bottom.

Only docutils is needed: the doctest nodes are plain docutils nodes with attributes.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from docutils import nodes

from quickstart_site.examples.model import (
    CONFIG,
    Example,
    Location,
    Role,
    Step,
    UnsupportedExample,
)

ALL_EXAMPLES = "*"
KINDS = {"testsetup": Role.SETUP, "testcleanup": Role.CLEANUP}
RUN_ORDER = {Role.SETUP: 0, Role.SHOWN: 1, Role.HIDDEN: 1, Role.CLEANUP: 2}


def doctest_nodes(doctree: nodes.Node) -> Iterator[nodes.Element]:
    """Every doctest node of a page, in page order: shown blocks and hidden comments."""
    for node in doctree.findall(nodes.Element):
        if "testnodetype" in node:
            yield node


def location_of(node: nodes.Node) -> Location:
    return Location(str(node.source or "<unknown>"), node.line or 0)


def skipped(node: nodes.Element, global_setup: str, global_cleanup: str) -> bool:
    """``:skipif:`` as sphinx.ext.doctest evaluates it: after the global setup, in a fresh
    namespace."""
    if "skipif" not in node:
        return False
    context: dict[str, Any] = {}
    if global_setup:
        exec(global_setup, context)  # noqa: S102 - the project's own configuration
    should_skip = bool(eval(node["skipif"], context))  # noqa: S307
    if global_cleanup:
        exec(global_cleanup, context)  # noqa: S102
    return should_skip


class _Reader:
    def __init__(self, docname: str, global_setup: str, global_cleanup: str) -> None:
        self.docname = docname
        self.global_setup, self.global_cleanup = global_setup, global_cleanup
        self.examples: dict[str, Example] = {}
        self.order: dict[int, int] = {}  # id(step) -> page position
        self.problems: list[UnsupportedExample] = []

    def refuse(self, node: nodes.Node, message: str) -> None:
        self.problems.append(UnsupportedExample(location_of(node), message))

    def example(self, name: str, node: nodes.Node) -> Example:
        if name not in self.examples:
            self.examples[name] = Example(name, self.docname, location_of(node))
        return self.examples[name]

    def read(self, doctree: nodes.Node) -> list[Example]:
        for block in doctree.findall(nodes.doctest_block):
            self.refuse(block, "a '>>>' session is not an example: write {testcode} <name>")
        for_all: list[tuple[nodes.Element, Step, int]] = []
        for position, node in enumerate(doctest_nodes(doctree)):
            step = self.step(node)
            if step is None or skipped(node, self.global_setup, self.global_cleanup):
                continue
            if ALL_EXAMPLES in step.groups:
                for_all.append((node, step, position))
                continue
            for name in step.groups:
                self.add(self.example(name, node), node, step, position)
        # Like Sphinx: "*" blocks join every example the page has, after its own blocks.
        for node, step, position in for_all:
            for example in self.examples.values():
                self.add(example, node, step, position)
        for example in self.examples.values():
            self.check_run_order(example)
            self.add_configuration(example)
        self.add_files(doctree)
        return list(self.examples.values())

    def step(self, node: nodes.Element) -> Step | None:
        kind = node["testnodetype"]
        groups = tuple(node.get("groups") or ())
        if kind == "doctest":
            self.refuse(
                node,
                "{doctest} blocks are not supported: write a {testcode} <name> "
                "block and its {testoutput}",
            )
            return None
        if groups in ((), ("default",)):
            self.refuse(
                node, f"{kind} block without an example name: write {{{kind}}} <example-name>"
            )
            return None
        if kind == "testoutput" and node.get("options"):
            self.refuse(
                node, "{testoutput} :options: are not supported: output is compared exactly"
            )
            return None
        if kind == "testoutput" and ALL_EXAMPLES in groups:
            self.refuse(node, "a {testoutput} belongs to one example, not to '*'")
            return None
        if kind == "testoutput":
            role = Role.SHOWN  # a placeholder: the output joins the code step before it
        elif kind == "testcode":
            role = Role.SHOWN if isinstance(node, nodes.literal_block) else Role.HIDDEN
        elif kind in KINDS:
            role = KINDS[kind]
        else:
            self.refuse(node, f"unknown doctest block type {kind!r}")
            return None
        return Step(role, node.astext(), location_of(node), groups=groups)

    def add(self, example: Example, node: nodes.Element, step: Step, position: int) -> None:
        if node["testnodetype"] == "testoutput":
            code = example.code_steps
            if not code or code[-1].expected is not None:
                self.refuse(
                    node,
                    f"this {{testoutput}} of {example.name!r} follows no "
                    "{testcode} of that example that is still without output",
                )
                return
            last = code[-1]
            paired = Step(last.role, last.code, last.location, step.code + "\n", last.groups)
            example.steps[example.steps.index(last)] = paired
            self.order[id(paired)] = self.order.pop(id(last))
            return
        # Setup steps before code steps before cleanup steps, each kind in arrival order.
        rank = RUN_ORDER[step.role]
        at = len(example.steps)
        while at and RUN_ORDER[example.steps[at - 1].role] > rank:
            at -= 1
        example.steps.insert(at, step)
        self.order[id(step)] = position

    def check_run_order(self, example: Example) -> None:
        previous: Step | None = None
        for step in example.steps:
            if previous is not None and self.order[id(step)] < self.order[id(previous)]:
                self.problems.append(
                    UnsupportedExample(
                        step.location,
                        f"in example {example.name!r} this block runs after the one at line "
                        f"{previous.location.line} (every setup runs first, every cleanup last): "
                        "move it so that the page shows the blocks in the order they run",
                    )
                )
                return
            previous = step

    def add_configuration(self, example: Example) -> None:
        if self.global_setup:
            example.steps.insert(0, Step(Role.CONFIG_SETUP, self.global_setup, CONFIG))
        if self.global_cleanup:
            example.steps.append(Step(Role.CONFIG_CLEANUP, self.global_cleanup, CONFIG))

    def add_files(self, doctree: nodes.Node) -> None:
        for block in doctree.findall(nodes.literal_block):
            if "example_file" not in block:
                continue
            names = block["groups"]
            targets = (
                self.examples.values()
                if ALL_EXAMPLES in names
                else [self.examples[n] for n in names if n in self.examples]
            )
            missing = [n for n in names if n != ALL_EXAMPLES and n not in self.examples]
            if missing:
                self.refuse(
                    block,
                    f"example-file {block['example_file']!r} names no example "
                    f"of this page: {', '.join(missing)}",
                )
            for example in targets:
                example.files[block["example_file"]] = block.astext() + "\n"


def problems(
    doctree: nodes.Node, docname: str, *, global_setup: str = "", global_cleanup: str = ""
) -> list[UnsupportedExample]:
    """Every construct of the page that the model refuses (empty when all is well)."""
    reader = _Reader(docname, global_setup, global_cleanup)
    reader.read(doctree)
    return reader.problems


def examples_of(
    doctree: nodes.Node, docname: str, *, global_setup: str = "", global_cleanup: str = ""
) -> list[Example]:
    """The page's examples in the order their first block appears, each with its steps in
    the order they run. Raises the first :class:`UnsupportedExample`."""
    reader = _Reader(docname, global_setup, global_cleanup)
    examples = reader.read(doctree)
    if reader.problems:
        raise reader.problems[0]
    return examples
