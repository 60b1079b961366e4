"""Each example of a page as one program: what the browser runs and the notebook holds.

``sphinx.ext.doctest`` runs an example (a group) as its ``{testsetup}`` code, then each
``{testcode}`` block in page order, each followed by the ``{testoutput}`` it must print, then
its ``{testcleanup}``; the files its ``{example-file}`` blocks show are written first (our
examples builder). This module reads the same nodes from the same (translated) doctree in the
same order, so the program a reader runs is the program CI ran, comments in the page's
language included.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from docutils import nodes

SHOWN = "shown"  # a block the reader sees on the page
HIDDEN = "hidden"  # setup, or the request that exercises the app: CI runs it, the page hides it
# The doctest blocks that are a program's code: {testoutput} is what it prints, and a
# {doctest} block is a console session.
PROGRAM_KINDS = frozenset({"testsetup", "testcode", "testcleanup"})


@dataclass
class Step:
    code: str
    visibility: str  # SHOWN or HIDDEN
    expected: str | None = None  # what the code prints, when the page documents it


@dataclass
class Program:
    name: str
    docname: str
    line: int  # of the first block, for error messages
    files: dict[str, str] = field(default_factory=dict)
    setup: list[str] = field(default_factory=list)
    steps: list[Step] = field(default_factory=list)
    cleanup: list[str] = field(default_factory=list)

    @property
    def expected_output(self) -> str:
        return "".join(step.expected or "" for step in self.steps)

    def source(self) -> str:
        """The whole program as one script, in the order the doctest runner executes it."""
        parts = [*self.setup, *(s.code for s in self.steps), *self.cleanup]
        return "\n".join(part.rstrip("\n") for part in parts if part.strip()) + "\n"


def test_nodes(doctree: nodes.Node):
    """Every doctest node of a page in document order: shown blocks and hidden comments."""
    for node in doctree.findall(nodes.Element):
        if "testnodetype" in node:
            yield node


def programs(doctree: nodes.document, docname: str) -> list[Program]:
    """The page's examples, in the order their first block appears."""
    found: dict[str, Program] = {}

    def program(group: str, node: nodes.Element) -> Program:
        return found.setdefault(group, Program(group, docname, node.line or 0))

    for block in doctree.findall(nodes.literal_block):
        for group in block.get("groups", ()) if "example_file" in block else ():
            program(group, block).files[block["example_file"]] = block.astext() + "\n"
    for node in test_nodes(doctree):
        kind, text = node["testnodetype"], node.astext()
        for group in node["groups"]:
            current = program(group, node)
            if kind == "testsetup":
                current.setup.append(text)
            elif kind == "testcleanup":
                current.cleanup.append(text)
            elif kind == "testcode":
                shown = isinstance(node, nodes.literal_block)
                current.steps.append(Step(text, SHOWN if shown else HIDDEN))
            elif kind == "testoutput":
                if not current.steps or current.steps[-1].expected is not None:
                    raise ValueError(
                        f"{docname}:{node.line}: a {{testoutput}} of {group!r} follows no "
                        "{testcode}"
                    )
                current.steps[-1].expected = text + "\n"
            else:  # {doctest} blocks would need a console, not a script
                raise ValueError(f"{docname}:{node.line}: {{{kind}}} is not supported here")
    return [p for p in found.values() if p.steps]
