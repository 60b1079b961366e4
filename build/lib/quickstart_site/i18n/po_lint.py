"""Lint translated catalogs: a msgstr may change the words of its msgid, never its markup.

``sphinx-build -W`` misses many broken translations: a link that lost its ``(url)``, a changed
URL, a stray ``**`` or backtick, a msgstr of two paragraphs (Sphinx silently keeps the first).
So both texts are parsed with myst-parser's own markdown-it parser, configured with the syntax
extensions conf.py enables, and their token streams must agree. Commented Python blocks are
compared as code by the same rule the build applies; the interface catalog (``sphinx.po``) is
plain text with printf placeholders and some HTML, so only those are compared there.

``python -m quickstart_site.i18n.po_lint [po files or folders]`` prints each problem as
``path:line: [kind] what differs`` and exits 1 if there is any.
"""

from __future__ import annotations

import argparse
import ast
import functools
import gettext
import re
import string
import sys
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from typing import cast
from urllib.parse import unquote

from babel.messages.catalog import PYTHON_FORMAT, Catalog, Message
from markdown_it import MarkdownIt
from markdown_it.renderer import RendererHTML
from markdown_it.token import Token
from myst_parser.config.main import MdParserConfig
from myst_parser.parsers.mdit import create_md_parser
from sphinx.transforms.i18n import parse_noqa
from sphinx.util.nodes import split_explicit_title

from quickstart_site.i18n.code_equivalence import code_difference, has_comment
from quickstart_site.i18n.po_files import Problem, catalogs, read_catalog, translated_messages
from quickstart_site.project import Project

# What each problem is reported as; the test corpus marks every entry with one of these.
KINDS = {
    "role": "a role was dropped, added or renamed",
    "role-target": "a role points somewhere else",
    "role-space": "a role written with a space: `{func} `name`` is code, not a link",
    "role-rest": "a role in reST syntax: `:func:`name`` is code, not a link",
    "role-unterminated": "a role whose backtick never closes",
    "link-url": "a link target was dropped, changed or added",
    "code": "the inline code spans differ",
    "emphasis": "emphasis or strong emphasis was dropped or added",
    "unbalanced": "a backtick or `*` is left as literal text",
    "substitution": "the `{{...}}` substitutions differ",
    "html": "the HTML tags differ",
    "paragraphs": "more than one paragraph: Sphinx keeps only the first",
    "structure": "the blocks differ: a list, a heading, a comment where the msgid has none",
    "placeholder": "a printf or brace placeholder of an interface string differs",
    "code-block": "a code block whose code, not only its comments, differs",
}
INTERFACE_DOMAINS = {"sphinx"}  # Sphinx and theme messages, not MyST pages

# What the parser leaves as plain text when a translator breaks a role. Regexes run only on those
# text tokens, never on the raw msgstr: inside code spans and URLs the same characters are fine.
ROLE_BEFORE_CODE = re.compile(r"(?:\{(?P<myst>[\w:.+-]+)\}\s+|:(?P<rest>[\w:.+-]+):)$")
UNCLOSED_ROLE = re.compile(r"\{(?P<name>[\w:.+-]+)\}`")
EMPHASIS = {"em_open": "*emphasis*", "strong_open": "**strong emphasis**"}
BLOCK_NAMES = {
    "paragraph_open": "paragraph",
    "bullet_list_open": "bullet list",
    "ordered_list_open": "numbered list",
    "list_item_open": "list item",
    "fence": "code block",
    "code_block": "indented code block",
    "colon_fence": "directive",
    "myst_line_comment": "comment (a line starting with %)",
    "myst_target": "target",
}


@dataclass(frozen=True)
class Difference:
    kind: str
    detail: str


def myst_extensions(conf_py: Path | None = None) -> frozenset[str]:
    """The ``myst_enable_extensions`` of conf.py, read without running it: running conf.py
    imports the whole project and writes the intersphinx inventories."""
    conf_py = conf_py or Project.find().root / "conf.py"
    for statement in ast.parse(conf_py.read_text(encoding="utf-8")).body:
        if isinstance(statement, ast.Assign) and any(
            isinstance(target, ast.Name) and target.id == "myst_enable_extensions"
            for target in statement.targets
        ):
            return frozenset(ast.literal_eval(statement.value))
    raise LookupError(f"{conf_py} does not set myst_enable_extensions")


@functools.cache
def markdown_parser(extensions: frozenset[str]) -> MarkdownIt:
    config = MdParserConfig(enable_extensions=set(extensions))
    return create_md_parser(config, RendererHTML)  # only parsed, never rendered


@dataclass
class Markup:
    """What a MyST message contains that its translation must keep."""

    blocks: list[str] = field(default_factory=list)
    roles: Counter[tuple[str, str]] = field(default_factory=Counter)  # (name, target)
    links: Counter[str] = field(default_factory=Counter)
    code: Counter[str] = field(default_factory=Counter)
    emphasis: Counter[str] = field(default_factory=Counter)
    substitutions: Counter[str] = field(default_factory=Counter)
    html: Counter[str] = field(default_factory=Counter)
    stray: Counter[str] = field(default_factory=Counter)  # markers left as literal text
    texts: list[str] = field(default_factory=list)
    broken_roles: list[Difference] = field(default_factory=list)
    unclosed_roles: Counter[str] = field(default_factory=Counter)


def role_target(content: str) -> str:
    """Where a role points: a translated ``title <target>`` keeps only the target, and ``~``
    only shortens the name shown (both as Sphinx's XRefRole reads them)."""
    has_title, _title, target = split_explicit_title(content)
    return target if has_title else target.removeprefix("~")


def read_markup(text: str, extensions: frozenset[str]) -> Markup:
    markup = Markup()
    for token in markdown_parser(extensions).parse(text):
        if token.type == "inline":
            read_inline(token.children or [], markup)
        elif token.nesting != -1:
            name = BLOCK_NAMES.get(token.type, token.type.removesuffix("_open").replace("_", " "))
            markup.blocks.append(f"{name} {token.tag}" if token.type == "heading_open" else name)
            if token.type == "substitution_block":
                markup.substitutions[token.content.strip()] += 1
    return markup


def read_inline(children: list[Token], markup: Markup) -> None:
    text = ""  # consecutive text tokens, read together: markers may fall between two
    for token in children:
        if token.type in ("text", "softbreak", "hardbreak"):
            text += token.content if token.type == "text" else "\n"
            continue
        broken = ROLE_BEFORE_CODE.search(text) if token.type == "code_inline" else None
        if broken:
            name = broken["myst"] or broken["rest"]
            markup.roles[(name, role_target(token.content))] += 1  # reported once, as broken
            if broken["myst"]:
                written, kind = f"{{{name}}} `{token.content}`", "role-space"
            else:
                written, kind = f":{name}:`{token.content}`", "role-rest"
            markup.broken_roles.append(
                Difference(kind, f"{written} is shown as code; write {{{name}}}`{token.content}`")
            )
            text = text[: broken.start()]
        read_text(text, markup)
        text = ""
        if not broken:
            read_token(token, markup)
    read_text(text, markup)


def read_token(token: Token, markup: Markup) -> None:
    if token.type == "myst_role":
        markup.roles[(token.meta["name"], role_target(token.content))] += 1
    elif token.type in ("link_open", "image"):
        # markdown-it percent-encodes targets; decoded, a message shows what the translator wrote
        markup.links[
            unquote(str(token.attrGet("href" if token.type == "link_open" else "src")))
        ] += 1
    elif token.type == "code_inline":
        markup.code[token.content] += 1
    elif token.type in ("em_open", "strong_open"):
        markup.emphasis[EMPHASIS[token.type]] += 1  # `*x*` and `_x_` are the same emphasis
    elif token.type == "substitution_inline":
        markup.substitutions[token.content.strip()] += 1
    elif token.type == "html_inline":
        markup.html[token.content] += 1


def read_text(text: str, markup: Markup) -> None:
    for unclosed in UNCLOSED_ROLE.finditer(text):
        markup.unclosed_roles[unclosed["name"]] += 1
        written = text[unclosed.start() :].split()[0]
        markup.broken_roles.append(
            Difference(
                "role-unterminated",
                f"role {{{unclosed['name']}}} has no closing backtick: {written!r}",
            )
        )
    text = UNCLOSED_ROLE.sub("", text)  # its backtick is part of the problem above
    markup.stray["**"] += text.count("**")
    markup.stray["*"] += text.replace("**", "").count("*")
    markup.stray["`"] += text.count("`")
    markup.texts.append(text)


def around(text: str, index: int) -> str:
    return " ".join(text[max(index - 20, 0) : index + 20].split())


def counted(items: Counter[str] | Counter[tuple[str, str]]) -> str:
    return ", ".join(f"{item!r}" + (f" ×{n}" if n > 1 else "") for item, n in items.items())


def compare_counts(
    kind: str, what: str, source: Counter[str], translation: Counter[str]
) -> list[Difference]:
    missing, added = source - translation, translation - source
    parts = [f"missing {counted(missing)}"] if missing else []
    parts += [f"added {counted(added)}"] if added else []
    return [Difference(kind, f"{what} differ: {'; '.join(parts)}")] if parts else []


def compare_roles(source: Markup, translation: Markup) -> list[Difference]:
    missing, added = source.roles - translation.roles, translation.roles - source.roles
    unclosed = translation.unclosed_roles - source.unclosed_roles
    found = []
    for name, target in missing.elements():
        if unclosed[name]:  # already reported as unterminated
            unclosed[name] -= 1
            continue
        same_name = next((role for role in added.elements() if role[0] == name), None)
        same_target = next((role for role in added.elements() if role[1] == target), None)
        if same_name and same_name[1].startswith(target):
            # `{meth}`x and more text `code`` ends at the next backtick, wherever it is
            detail = f"{{{name}}}`{target}` has no closing backtick: it runs to the next one"
            found.append(Difference("role-unterminated", detail))
        elif same_name:
            detail = f"{{{name}}} points to {same_name[1]!r} instead of {target!r}"
            found.append(Difference("role-target", detail))
        elif same_target:
            detail = f"{{{name}}}`{target}` became {{{same_target[0]}}}`{target}`"
            found.append(Difference("role", detail))
        else:
            found.append(Difference("role", f"role dropped: {{{name}}}`{target}`"))
        paired = same_name or same_target
        if paired:
            added[paired] -= 1
    for name, target in added.elements():
        found.append(Difference("role", f"role added: {{{name}}}`{target}`"))
    return found


def compare_blocks(source: list[str], translation: list[str]) -> list[Difference]:
    if source == translation:
        return []
    if source == ["paragraph"] and set(translation) == {"paragraph"}:
        detail = (
            f"the msgstr has {len(translation)} paragraphs; Sphinx shows only the first. "
            "Remove the blank line"
        )
        return [Difference("paragraphs", detail)]

    def outline(blocks: list[str]) -> str:
        return ", ".join(f"{n} × {name}" for name, n in Counter(blocks).items()) or "empty"

    detail = f"blocks differ: msgid has {outline(source)}; msgstr has {outline(translation)}"
    return [Difference("structure", detail)]


def compare_markup(msgid: str, msgstr: str, extensions: frozenset[str]) -> list[Difference]:
    source, translation = read_markup(msgid, extensions), read_markup(msgstr, extensions)
    found = compare_blocks(source.blocks, translation.blocks)
    found += [broken for broken in translation.broken_roles if broken not in source.broken_roles]
    found += compare_roles(source, translation)
    links = compare_counts("link-url", "link targets", source.links, translation.links)
    brackets = [sum(text.count("[") for text in markup.texts) for markup in (source, translation)]
    if links and brackets[1] > brackets[0]:
        links = [Difference("link-url", links[0].detail + " (a [text] without (url) is text)")]
    found += links
    stray = translation.stray - source.stray
    for marker in stray:
        text = next(text for text in translation.texts if marker in text)
        where = around(text, text.index(marker))
        found.append(Difference("unbalanced", f"{marker!r} is left as text: {where!r}"))
    if not stray["`"]:  # otherwise the code spans differ because of that backtick
        found += compare_counts("code", "inline code spans", source.code, translation.code)
    if not (stray["*"] or stray["**"]):
        found += compare_counts(
            "emphasis", "emphasis markers", source.emphasis, translation.emphasis
        )
    found += compare_counts(
        "substitution", "substitutions", source.substitutions, translation.substitutions
    )
    found += compare_counts("html", "HTML tags", source.html, translation.html)
    return found


def printf_placeholders(text: str) -> tuple[Counter[str], list[str]]:
    """Named placeholders (any order) and positional ones (their order matters)."""
    named: Counter[str] = Counter()
    positional = []
    for match in PYTHON_FORMAT.finditer(text):
        name, _flags, conversion = match.groups()
        if name is not None:
            named[f"%({name}){conversion}"] += 1
        elif conversion != "%":
            positional.append(f"%{conversion}")
    return named, positional


def brace_fields(text: str) -> Counter[str] | None:
    """``{name}`` fields as str.format reads them; None if its braces do not balance."""
    try:
        parsed = list(string.Formatter().parse(text))
    except ValueError:
        return None
    return Counter(f"{{{name}}}" for _literal, name, _spec, _conversion in parsed if name)


class TagCollector(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: Counter[tuple[str, str]] = Counter()  # (element, tag as written)
        self.closed: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        links = "".join(f" {name}={value}" for name, value in attrs if name in ("href", "src"))
        self.tags[(tag, f"<{tag}{links}>")] += 1

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)  # not an element the text closes

    def handle_endtag(self, tag: str) -> None:
        self.tags[(tag, f"</{tag}>")] += 1
        self.closed.add(tag)


def html_tags(text: str) -> TagCollector:
    collector = TagCollector()
    collector.feed(text)
    collector.close()
    return collector


def compare_html(msgid: str, msgstr: str) -> list[Difference]:
    # Interface strings also hold text in angle brackets (`<COMMAND>`, `<<original entry>>`,
    # `<https://…>`), which HTMLParser reads as tags: only elements the msgid closes are HTML.
    source, translation = html_tags(msgid), html_tags(msgstr)

    def elements(tags: Counter[tuple[str, str]]) -> Counter[str]:
        return Counter({shown: n for (tag, shown), n in tags.items() if tag in source.closed})

    return compare_counts("html", "HTML tags", elements(source.tags), elements(translation.tags))


def compare_interface(msgid: str, msgstr: str) -> list[Difference]:
    named, positional = printf_placeholders(msgid)
    named_translated, positional_translated = printf_placeholders(msgstr)
    found = compare_counts("placeholder", "placeholders", named, named_translated)
    if positional != positional_translated:
        detail = (
            f"positional placeholders differ: msgid {' '.join(positional)}, "
            f"msgstr {' '.join(positional_translated) or 'none'}"
        )
        found.append(Difference("placeholder", detail))
    fields, fields_translated = brace_fields(msgid), brace_fields(msgstr)
    if fields is not None and fields_translated is None:
        found.append(Difference("placeholder", "the braces of the msgstr do not balance"))
    elif fields is not None and fields_translated is not None:
        found += compare_counts("placeholder", "placeholders", fields, fields_translated)
    return found + compare_html(msgid, msgstr)


def is_code_block(msgid: str) -> bool:
    # Sphinx joins the lines of prose into one msgid line, so a multi-line msgid is a literal
    # block; code_comments makes only the commented Python ones translatable.
    if "\n" not in msgid or not has_comment(msgid):
        return False
    try:
        compile(msgid, "<msgid>", "exec", dont_inherit=True)
    except SyntaxError:
        return False
    return True


def check_message(
    msgid: str, msgstr: str, *, interface: bool = False, extensions: frozenset[str] | None = None
) -> list[Difference]:
    """Why ``msgstr`` is not a faithful translation of ``msgid``; empty if it is."""
    if interface:
        return compare_interface(msgid, msgstr)
    if is_code_block(msgid):
        problem = code_difference(msgid, msgstr)
        return [Difference("code-block", problem)] if problem else []
    # Sphinx first strips a trailing noqa marker, which only silences its reference check.
    msgstr, _marker = parse_noqa(msgstr)
    return compare_markup(msgid, msgstr, extensions or myst_extensions())


def singular_forms(catalog: Catalog) -> set[int]:
    """The plural forms used for n == 1 alone: form 0 in kk (n != 1), none in ru or zh_CN."""
    form_of = gettext.c2py(catalog.plural_expr)  # how GNUTranslations reads Plural-Forms
    numbers: dict[int, set[int]] = {}
    for n in range(1000):  # every rule in use repeats within a hundred
        numbers.setdefault(form_of(n), set()).add(n)
    return {form for form, used_for in numbers.items() if used_for == {1}}


def message_pairs(
    message: Message, singular: set[int]
) -> Iterator[tuple[tuple[str, ...], str, str]]:
    """What to compare: (the msgids a msgstr may follow, the msgstr, its name). A plural form
    that also serves other numbers (21 in ru, every number in zh_CN) needs the count of
    msgid_plural; a form for n == 1 alone may follow either msgid."""
    if isinstance(message.id, str):
        yield (message.id,), str(message.string), ""
        return
    for index, form in enumerate(cast("tuple[str, ...]", message.string)):  # a plural entry
        msgids = (message.id[1], message.id[0]) if index in singular else (message.id[1],)
        if form:
            yield msgids, form, f"msgstr[{index}]: "


def lint_catalog(po_file: Path, extensions: frozenset[str] | None = None) -> list[Problem]:
    def check(msgid: str, msgstr: str) -> list[Difference]:
        return check_message(msgid, msgstr, interface=interface, extensions=extensions)

    interface = po_file.stem in INTERFACE_DOMAINS
    extensions = extensions or myst_extensions()
    catalog = read_catalog(po_file)
    singular = singular_forms(catalog)
    problems = []
    for message in translated_messages(catalog):
        for msgids, msgstr, which in message_pairs(message, singular):
            differences = [check(msgid, msgstr) for msgid in msgids]
            if all(differences):  # it follows none of them
                problems += [
                    Problem(
                        po_file,
                        cast(int, message.lineno),  # set on every message read_po reads
                        found.kind,
                        which + found.detail,
                        msgids[0],
                    )
                    for found in differences[0]
                ]
    return problems


def default_catalogs() -> list[Path]:
    return sorted(Project.find().locales.glob("*/LC_MESSAGES/*.po"))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m quickstart_site.i18n.po_lint",
        description=__doc__.splitlines()[0],
        epilog="kinds of problem:\n" + "\n".join(f"  {k:<18} {v}" for k, v in KINDS.items()),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument(
        "locations", nargs="*", type=Path, help="po files or folders (default: locales/)"
    )
    arguments = parser.parse_args(argv)
    for location in arguments.locations:
        if not location.exists():
            parser.error(f"no such file or folder: {location}")
    po_files = catalogs(arguments.locations) if arguments.locations else default_catalogs()
    problems = [problem for po_file in po_files for problem in lint_catalog(po_file)]
    for problem in problems:
        print(problem)
    checked = sum(len(translated_messages(read_catalog(po_file))) for po_file in po_files)
    print(
        f"{len(problems)} translation problem(s) in {checked} translated message(s) "
        f"of {len(po_files)} catalog(s)"
    )
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
