"""Small, deliberate breakages of a page's examples, located with myst-parser's own parser."""

from __future__ import annotations

import ast
import re
import textwrap
from dataclasses import dataclass

from markdown_it.renderer import RendererHTML
from myst_parser.config.main import MdParserConfig
from myst_parser.parsers.mdit import create_md_parser

from quickstart_site.examples.transcript import PLACEHOLDER


@dataclass
class Fence:
    """A fenced directive such as ```{testoutput} name: where its body lines are."""

    directive: str
    argument: str
    body: range  # 0-based line numbers of the content, options excluded

    @property
    def names(self) -> list[str]:
        return [name.strip() for name in self.argument.split(",")]


def fences(text: str) -> list[Fence]:
    parser = create_md_parser(MdParserConfig(enable_extensions={"colon_fence"}), RendererHTML)
    lines = text.splitlines()
    found = []
    for token in parser.parse(text):
        match = re.fullmatch(r"\{([\w-]+)\}\s*(.*)", token.info.strip())
        if token.type not in ("fence", "colon_fence") or not match or not token.map:
            continue
        start, end = token.map[0] + 1, token.map[1] - 1  # inside the fence markers
        while start < end and lines[start].startswith(":"):
            start += 1  # directive options
        found.append(Fence(match[1], match[2], range(start, end)))
    return found


def change_one_character(line: str) -> str:
    """Change one character outside a placeholder: a letter or digit if there is one."""
    protected = [m.span() for m in PLACEHOLDER.finditer(line)]
    free = [
        i
        for i, c in enumerate(line)
        if not c.isspace() and not any(a <= i < b for a, b in protected)
    ]
    if not free:
        return line + "x"  # only placeholders: one character more
    index = next((i for i in free if line[i].isalnum()), free[0])
    char = line[index]
    if char.isdigit():
        new = str((int(char) + 1) % 10)
    else:
        new = "b" if char == "a" else "a"
    return line[:index] + new + line[index + 1 :]


def change_one_code_line(lines: list[str], body: range, pick: str) -> str | None:
    """Change the first or last statement line of a code block; say which, None if none can.

    A string literal gets one character changed; any other line becomes ``pass``. A change
    that would not even compile is skipped: a syntax error proves nothing about the checks.
    """
    candidates = [i for i in body if lines[i].strip() and not lines[i].lstrip().startswith("#")]
    if pick == "last":
        candidates.reverse()
    for index in candidates:
        original = lines[index]
        indent = original[: len(original) - len(original.lstrip())]
        literal = re.search(r"""(["'])([^"'\\]*[A-Za-z0-9][^"'\\]*)\1""", original)
        if literal:
            changed = original[: literal.start(2)] + change_one_character(literal[2])
            lines[index] = changed + original[literal.end(2) :]
        else:
            lines[index] = f"{indent}pass"
        try:
            ast.parse(textwrap.dedent("\n".join(lines[i] for i in body)))
            return f"line {index + 1}: {original.strip()!r} -> {lines[index].strip()!r}"
        except SyntaxError:
            lines[index] = original
    return None
