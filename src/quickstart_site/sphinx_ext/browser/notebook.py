"""A page as a Jupyter notebook: its prose as Markdown, its examples as the code CI runs.

The notebook is made from the page's resolved doctree (the one the HTML page is written from:
translated prose, API names as links) and the page's examples as the model reads them
(``examples.grouping``, the reading the examples builder runs): each doctest block becomes the
code cell of its step, in page order, which the model guarantees is the order the blocks run
in. So the notebook of a language is that language's page, and its code cells are the code CI
ran, ready for the JupyterLite Pyodide kernel. Nothing here needs a Sphinx application.

The Markdown is written by hand, node by node: the Markdown writers that exist are Sphinx
builders that want a running application and a resolved doctree, and none knows which nodes
are code cells here. Unknown nodes keep their text, so a new construct on the page degrades to
plain text instead of vanishing.
"""

from __future__ import annotations

import functools
import gettext
import re
from pathlib import Path
from typing import Any, cast
from urllib.parse import urlsplit

import nbformat
import sphinx.locale
from docutils import nodes
from sphinx import addnodes

from quickstart_site.examples.grouping import doctest_nodes, location_of
from quickstart_site.examples.model import Example, Location, Role, Step
from quickstart_site.i18n.po_files import cached_catalog
from quickstart_site.sphinx_ext.browser.notebook_exercises import (
    check_code,
    exercise_of,
    harness_code,
    solution_markdown,
    solution_of,
    starter_of,
    task_markdown,
)

KERNELSPEC = {"name": "python", "display_name": "Python (Pyodide)", "language": "python"}
METADATA_KEY = "quickstart"  # our namespace in the notebook's and the cells' metadata

# Nodes with nothing for a reader: targets, source comments, definitions, index entries.
INVISIBLE = (
    nodes.comment,
    nodes.target,
    nodes.substitution_definition,
    nodes.system_message,
    nodes.meta,
    addnodes.index,
    addnodes.toctree,
)

SPHINX_CATALOGS = Path(sphinx.locale.__file__).parent


def notebook(
    doctree: nodes.document,
    *,
    language: str,
    examples: list[Example],
    locale_dirs: tuple[str, ...] = (),
    intro: str | None = None,
    exercises: dict[str, dict[str, Any]] | None = None,
    words: dict[str, str] | None = None,
) -> nbformat.NotebookNode:
    """The page as an nbformat v4 notebook for the Pyodide kernel, in the page's language.

    ``examples`` are the page's (``examples_of`` of this doctree); ``locale_dirs``, absolute,
    are searched for interface words (admonition titles) before Sphinx's own catalogs.
    ``intro``, Markdown from the caller, becomes the first cell when given. ``exercises`` are
    the page's checked exercises as the page's JSON holds them (``examples.exercises.program``,
    by id) and ``words`` the page's labels (browser/labels.py): each exercise becomes its task,
    its starter cell and a cell that runs its checks (``notebook_exercises.py``).
    """
    cells = _Cells()
    cells.exercises, cells.words = exercises or {}, words or {}
    if intro:
        cells.start_markdown_cell(intro)
    steps = {step.location: step for example in examples for step in example.steps}
    _add_cells(doctree, 0, cells, Markdown(language, locale_dirs), steps)
    metadata = {
        "kernelspec": dict(KERNELSPEC),
        "language_info": {"name": "python"},
        METADATA_KEY: {"language": language},
    }
    # nbformat ships py.typed but leaves its v4 constructors unannotated.
    book: nbformat.NotebookNode = nbformat.v4.new_notebook(  # type: ignore[no-untyped-call]
        cells=cells.finish(), metadata=metadata
    )
    nbformat.validate(book)
    return book


def _cell(**fields: Any) -> nbformat.NotebookNode:
    """A cell as nbformat.v4.new_code_cell/new_markdown_cell make it, without their schema
    check of each cell and random id: notebook() checks the whole notebook once and
    _Cells.finish() numbers the ids. The 180 checks were a third of the notebook's time."""
    node: nbformat.NotebookNode = nbformat.NotebookNode(**fields)  # type: ignore[no-untyped-call]
    return node


class _Cells:
    """Collects cells: consecutive prose goes into one Markdown cell until a title or code."""

    def __init__(self) -> None:
        self.cells: list[nbformat.NotebookNode] = []
        self.prose: list[str] = []
        self.exercises: dict[str, dict[str, Any]] = {}  # the page's checked exercises, by id
        self.words: dict[str, str] = {}
        self.harness_added = False

    def start_markdown_cell(self, text: str) -> None:
        self._flush()
        self.add_prose(text)

    def add_prose(self, text: str) -> None:
        if text.strip():
            self.prose.append(text)

    def add_code(self, source: str, metadata: dict[str, Any]) -> None:
        self._flush()
        self.cells.append(
            _cell(
                cell_type="code", execution_count=None, metadata=metadata, outputs=[], source=source
            )
        )

    def _flush(self) -> None:
        if self.prose:
            source = "\n\n".join(self.prose)
            self.cells.append(_cell(cell_type="markdown", metadata=_cell(), source=source))
            self.prose = []

    def finish(self) -> list[nbformat.NotebookNode]:
        self._flush()
        for number, cell in enumerate(self.cells, 1):
            cell["id"] = f"cell-{number}"  # nbformat's are random: the same page, the same file
        return self.cells


def _add_cells(
    parent: nodes.Element,
    depth: int,
    cells: _Cells,
    markdown: Markdown,
    steps: dict[Location, Step],
) -> None:
    for node in parent.children:
        if isinstance(node, nodes.section):
            _add_cells(node, depth + 1, cells, markdown, steps)
        elif isinstance(node, nodes.title) and isinstance(parent, nodes.section):
            cells.start_markdown_cell(f"{'#' * min(depth, 6)} {markdown.inline(node)}")
        elif isinstance(node, nodes.Element) and exercise_of(node, cells.exercises):
            _add_exercise(node, cells, markdown)
        elif isinstance(node, nodes.Element) and solution_of(node, cells.exercises):
            cells.add_prose(solution_markdown(node, markdown.block, markdown.inline))
        elif isinstance(node, nodes.Element) and "testnodetype" in node:
            _add_step(node, cells, steps)
        elif (block := _example_file_block(node)) is not None:
            cells.add_code(
                example_file_code(block["example_file"], block.astext() + "\n"),
                _cell_metadata(block["groups"], "example-file", hidden=False),
            )
        elif isinstance(node, nodes.Element) and _holds_code(node):
            # Code cannot sit inside a Markdown list or quote: the container is flattened.
            _add_cells(node, depth, cells, markdown, steps)
        else:
            cells.add_prose(markdown.block(node))


def _add_exercise(node: nodes.Element, cells: _Cells, markdown: Markdown) -> None:
    """Its task (with its hints), its starter, then the cell that checks the reader's app; the
    harness that runs the checks, hidden, before the first exercise's starter."""
    program = cells.exercises[str(node["label"])]
    cells.add_prose(task_markdown(node, program, markdown.block, markdown.inline, cells.words))
    if not cells.harness_added:
        cells.add_code(
            harness_code(cells.words), _cell_metadata([], "exercise-harness", hidden=True)
        )
        cells.harness_added = True
    cells.add_code(
        starter_of(node), _cell_metadata([program["id"]], "exercise-starter", hidden=False)
    )
    cells.add_code(
        check_code(program), _cell_metadata([program["id"]], "exercise-check", hidden=False)
    )


def _add_step(node: nodes.Element, cells: _Cells, steps: dict[Location, Step]) -> None:
    """A doctest block's cell: the code of its step. A {testoutput} is what the code above it
    prints (the kernel prints it), and a block left out by ``:skipif:`` is no step: neither
    gets a cell."""
    step = steps.get(location_of(node))
    if step is None or node["testnodetype"] == "testoutput":
        return
    hidden = step.role is not Role.SHOWN
    cells.add_code(
        step.code, _cell_metadata(list(step.groups), node["testnodetype"], hidden=hidden)
    )


def _cell_metadata(groups: list[str], kind: str, *, hidden: bool) -> dict[str, Any]:
    metadata: dict[str, Any] = {
        METADATA_KEY: {"examples": list(groups), "kind": kind, "hidden_on_page": hidden}
    }
    if hidden:
        # JupyterLab collapses the code as the page hides it; one click shows it.
        metadata["jupyter"] = {"source_hidden": True}
    return metadata


def _example_file_block(node: nodes.Node) -> nodes.literal_block | None:
    """The {example-file} block of ``node``: the block itself, or the one its caption wraps."""
    if isinstance(node, nodes.container):
        blocks = [child for child in node.children if isinstance(child, nodes.literal_block)]
        node = blocks[0] if len(blocks) == 1 else node
    if isinstance(node, nodes.literal_block) and "example_file" in node:
        return node
    return None


def _holds_code(node: nodes.Element) -> bool:
    return any(doctest_nodes(node)) or any(
        "example_file" in block for block in node.findall(nodes.literal_block)
    )


def example_file_code(path: str, content: str) -> str:
    """Python that writes ``content`` to ``path``, as a reader would write it.

    One string literal per line keeps the code exact for any text (quotes, backslashes) and
    still reads like the file. The ``with`` block keeps ``write()``'s return value from
    showing as the cell's result.
    """
    lines = "".join(f"        {string(line)}\n" for line in content.splitlines(keepends=True))
    folder = str(Path(path).parent)
    make_folder = (
        "" if folder == "." else f"Path({string(folder)}).mkdir(parents=True, exist_ok=True)\n"
    )
    return (
        "from pathlib import Path\n\n"
        f"{make_folder}"
        f'with Path({string(path)}).open("w", encoding="utf-8") as file:\n'
        f"    file.write(\n{lines}    )"
    )


def string(text: str) -> str:
    """A Python literal for ``text``, in double quotes like the page's code where possible."""
    literal = repr(text)
    if literal.startswith("'") and '"' not in text:  # then the text holds no quote at all
        literal = f'"{literal[1:-1]}"'
    return literal


class Markdown:
    """docutils nodes as CommonMark (with GFM tables), in the page's language."""

    def __init__(self, language: str, locale_dirs: tuple[str, ...] = ()) -> None:
        self.language = language
        self.locale_dirs = locale_dirs

    # Blocks: each returns Markdown without surrounding blank lines, or "" for nothing.

    def block(self, node: nodes.Node) -> str:
        if isinstance(node, INVISIBLE) or (
            isinstance(node, nodes.raw) and "html" not in node.get("format", "").split()
        ):
            return ""
        if isinstance(node, nodes.raw):
            return node.astext()  # Markdown cells render HTML
        if isinstance(node, nodes.paragraph):
            return _safe_paragraph_start(self.inline(node).strip())
        if isinstance(node, nodes.bullet_list):
            return self._list(node, ["-"] * len(node.children))
        if isinstance(node, nodes.enumerated_list):
            # Markdown numbers in arabic only; "a." or "iv." lists keep their order as numbers.
            start = node.get("start", 1)
            return self._list(node, [f"{start + i}." for i in range(len(node.children))])
        if isinstance(node, nodes.definition_list):
            return self._definition_list(node)
        if isinstance(node, nodes.Admonition):  # a mixin of Element subclasses
            return self._admonition(cast(nodes.Element, node))
        if isinstance(node, nodes.table):
            return self._table(node)
        if isinstance(node, nodes.literal_block):  # transcripts, console, HTML, exempt Python
            return fenced(node.astext(), node.get("language", ""))
        if isinstance(node, nodes.block_quote):
            return quoted(self.blocks(node))
        if isinstance(node, nodes.transition):
            return "---"
        if isinstance(node, (nodes.rubric, nodes.caption, nodes.title)):
            return f"**{self.inline(node).strip()}**"
        if isinstance(node, nodes.TextElement):
            return _safe_paragraph_start(self.inline(node).strip())
        if isinstance(node, nodes.Element):  # a container, compound, topic, ...
            return self.blocks(node)
        return escape(node.astext())

    def blocks(self, node: nodes.Element) -> str:
        return "\n\n".join(text for child in node.children if (text := self.block(child)))

    def _list(self, node: nodes.Element, markers: list[str]) -> str:
        items = []
        for marker, item in zip(markers, node.children, strict=True):
            first, *rest = self.blocks(cast(nodes.list_item, item)).split("\n")
            indent = " " * (len(marker) + 1)  # continuation lines align with the item's text
            items.append("\n".join([f"{marker} {first}", *(indent + r if r else r for r in rest)]))
        tight = all(
            len(item.children) == 1 and isinstance(cast(nodes.list_item, item)[0], nodes.paragraph)
            for item in node.children
        )
        return ("\n" if tight else "\n\n").join(items)

    def _definition_list(self, node: nodes.definition_list) -> str:
        # Markdown has no definition lists: each term becomes a bold list item.
        items = []
        for item in node.findall(nodes.definition_list_item, include_self=False):
            # Types only: docutils' parser gives every definition_list_item both children.
            term = self.inline(cast(nodes.term, item.next_node(nodes.term))).strip()
            definition = self.blocks(cast(nodes.definition, item.next_node(nodes.definition)))
            body = "\n".join(f"  {line}" if line else "" for line in definition.split("\n"))
            items.append(f"- **{term}**\n\n{body}")
        return "\n\n".join(items)

    def _admonition(self, node: nodes.Element) -> str:
        title = node.next_node(nodes.title) if isinstance(node, nodes.admonition) else None
        heading = (
            self.inline(title)
            if title
            else admonition_title(node.tagname, self.language, self.locale_dirs)
        )
        body = "\n\n".join(
            text for child in node.children if child is not title and (text := self.block(child))
        )
        return quoted(f"**{heading}**\n\n{body}" if body else f"**{heading}**")

    def _table(self, node: nodes.table) -> str:
        """A GFM table; cells that span rows or columns are written in their first cell."""

        def cells(row: nodes.row) -> list[str]:
            return [self._table_cell(cast(nodes.entry, entry)) for entry in row.children]

        head = [
            cells(cast(nodes.row, row))
            for part in node.findall(nodes.thead)
            for row in part.children
        ]
        body = [
            cells(cast(nodes.row, row))
            for part in node.findall(nodes.tbody)
            for row in part.children
        ]
        if not head:  # GFM needs a header row
            head = [[""] * max(map(len, body), default=1)]
        rows = [head[0], ["---"] * len(head[0]), *head[1:], *body]
        table = "\n".join("| " + " | ".join(row) + " |" for row in rows)
        title = node.next_node(nodes.title)
        return f"**{self.inline(title).strip()}**\n\n{table}" if title else table

    def _table_cell(self, entry: nodes.entry) -> str:
        text = "<br>".join(self.block(child).replace("\n", " ") for child in entry.children)
        return re.sub(r"(?<!\\)\|", r"\\|", text)  # a pipe ends a GFM cell, even in code

    # Inline markup: the text of one paragraph, title or table cell.

    def inline(self, node: nodes.Element) -> str:
        return "".join(self._inline(child) for child in node.children)

    def _inline(self, node: nodes.Node) -> str:
        if isinstance(node, nodes.Text):
            return escape(node.astext().replace("\n", " "))
        if isinstance(node, nodes.literal):
            return code_span(node.astext())
        if isinstance(node, nodes.emphasis):
            return f"*{self.inline(node)}*"
        if isinstance(node, nodes.strong):
            return f"**{self.inline(node)}**"
        if isinstance(node, nodes.reference):
            return self._reference(node)
        if isinstance(node, nodes.image):
            return f"![{escape(node.get('alt', ''))}]({link_destination(node['uri'])})"
        if isinstance(node, (nodes.footnote_reference, nodes.citation_reference)):
            return f"[{escape(node.astext())}]"
        # pending_xref (an API name, another page), inline, abbreviation...: their text, with
        # its markup; a link into the HTML site would not resolve inside a notebook.
        return self.inline(node) if isinstance(node, nodes.Element) else ""

    def _reference(self, node: nodes.reference) -> str:
        text, uri = self.inline(node), node.get("refuri", "")
        if urlsplit(uri).scheme not in {"http", "https", "mailto"}:
            return text  # a section of this page or a page of the site: just the words
        if node.astext() == uri:
            return f"<{uri}>"
        return f"[{text}]({link_destination(uri)})"


def escape(text: str) -> str:
    """Plain text that Markdown shows as it is (``$`` starts math in Jupyter)."""
    return re.sub(r"([\\`*_\[\]<>|&$~])", r"\\\1", text)


def _safe_paragraph_start(text: str) -> str:
    """Keep a paragraph that begins like a heading, list item or rule a paragraph."""
    if number := re.match(r"\d+(?=[.)](\s|$))", text):
        return f"{text[: number.end()]}\\{text[number.end() :]}"
    return "\\" + text if text[:1] in {"#", "-", "+", "="} else text


def code_span(text: str) -> str:
    """Inline code: a fence longer than any backtick run inside, padded where Markdown would
    strip or merge."""
    text = text.replace("\n", " ")
    fence = "`" * (max(map(len, re.findall("`+", text)), default=0) + 1)
    pad = text.startswith("`") or text.endswith("`")
    pad |= text.startswith(" ") and text.endswith(" ") and bool(text.strip())
    space = " " if pad else ""
    return f"{fence}{space}{text}{space}{fence}"


def fenced(text: str, language: str = "") -> str:
    fence = "`" * max(3, max(map(len, re.findall("`+", text)), default=0) + 1)
    info = "" if language in {"", "none", "default"} else language
    return f"{fence}{info}\n{text}\n{fence}"


def quoted(text: str) -> str:
    return "\n".join(f"> {line}" if line else ">" for line in text.split("\n"))


def link_destination(uri: str) -> str:
    return f"<{uri}>" if re.search(r"[\s()<>]", uri) else uri


class UntranslatedLabel(LookupError):
    """A translated page's admonition title found in no catalog: the notebook would show it
    in English."""


@functools.cache
def admonition_title(kind: str, language: str, locale_dirs: tuple[str, ...] = ()) -> str:
    """The title the HTML page shows for a note or warning, which the doctree does not hold.

    Sphinx looks the label up in the project's catalogs first (conf.py's ``locale_dirs``), then
    in its own; this does the same without initialising Sphinx's global translator. On a
    translated page, a title no catalog translates raises :class:`UntranslatedLabel`.
    """
    msgid = "See also" if kind == "seealso" else kind.capitalize()  # Sphinx's admonitionlabels
    for folder in locale_dirs:
        project_catalog = Path(folder) / language / "LC_MESSAGES" / "sphinx.po"
        if project_catalog.is_file():
            message = cached_catalog(project_catalog).get(msgid)
            if message is not None and message.string and not message.fuzzy:
                return str(message.string)
    sphinx_catalog = gettext.translation("sphinx", SPHINX_CATALOGS, [language], fallback=True)
    title = sphinx_catalog.gettext(msgid)
    if title == msgid and language != "en":
        searched = ", ".join(locale_dirs) or "no locale_dirs"
        raise UntranslatedLabel(
            f"the admonition title {msgid!r} has no {language} translation in {searched} "
            f"or Sphinx's catalogs: add it to <locale_dir>/{language}/LC_MESSAGES/sphinx.po"
        )
    return title
