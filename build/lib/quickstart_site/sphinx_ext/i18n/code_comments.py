"""Translated comments in Python examples, applied only when the code is unchanged.

Sphinx can translate literal blocks (``gettext_additional_targets``), but in MyST a translated
block silently renders as ``::`` (MyST-Parser issue 444), and nothing stops a translation from
changing the code. So Sphinx never sees these blocks as translatable: this transform runs right
after Sphinx's own ``Locale`` transform, marks each commented Python block translatable (so the
gettext builder extracts it) and applies its translation itself, after checking that the
translated block is the same code with other comments. Hidden doctest blocks count too: the
browser's runner and notebook show them.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import cast

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.builders.gettext import MessageCatalogBuilder
from sphinx.transforms import SphinxTransform
from sphinx.util import logging
from sphinx.util.i18n import docname_to_domain

from quickstart_site.i18n.code_equivalence import code_difference, has_comment
from quickstart_site.i18n.po_files import cached_catalog, translated_messages
from quickstart_site.languages import is_source
from quickstart_site.sphinx_ext.warnings import QuickstartWarning, warn

# The doctest blocks that are a program's code ({testoutput} is what it prints).
PROGRAM_KINDS = frozenset({"testsetup", "testcode", "testcleanup"})

logger = logging.getLogger(__name__)


def is_commented_python(node: nodes.Node) -> bool:
    """A shown Python block, or a hidden doctest one (``:hide:``, setup and cleanup are
    docutils comments), whose comments a reader sees: on the page, or in the browser's runner
    and notebook."""
    if isinstance(node, nodes.comment):
        python = node.get("testnodetype") in PROGRAM_KINDS
    elif isinstance(node, nodes.literal_block) and "transcript" not in node:
        python = node.get("testnodetype") in PROGRAM_KINDS or node.get("language") == "python"
    else:
        return False
    return python and has_comment(node.astext())


@dataclass(frozen=True)
class CodeTranslation:
    msgstr: str
    po_file: Path
    lineno: int


def read_code_translations(po_file: Path) -> dict[str, CodeTranslation]:
    """The translated, non-fuzzy entries of a catalog, with the line each starts on."""
    if not po_file.is_file():
        return {}
    return {
        # A str id has a str string; read_po sets every message's lineno.
        message.id: CodeTranslation(cast(str, message.string), po_file, cast(int, message.lineno))
        for message in translated_messages(cached_catalog(po_file))
        if isinstance(message.id, str)  # code blocks are never plural entries
    }


class TranslateCodeComments(SphinxTransform):
    # Right after sphinx.transforms.i18n.Locale (20), which must not see these blocks.
    default_priority = 21

    def apply(self, **kwargs: object) -> None:
        # is_commented_python accepts only literal blocks and comments: Elements.
        blocks = [cast(nodes.Element, node) for node in self.document.findall(is_commented_python)]
        if not blocks:
            return
        translations = self.translations()
        for block in blocks:
            block["translatable"] = True  # what the gettext builder extracts
            source = block.astext()
            entry = translations.get(source)
            if entry is None or entry.msgstr == source:
                if translations:
                    block["translated"] = entry is not None
                continue
            problem = code_difference(source, entry.msgstr)
            if problem:
                warn(
                    logger,
                    QuickstartWarning.CODE_CHANGED,
                    f"{entry.po_file}:{entry.lineno}: translation of the code block starting "
                    f"{source.splitlines()[0]!r} changes the code: {problem}. Translate only "
                    "its comments; the English block is shown until then.",
                    location=block,
                )
                block["translated"] = False
                continue
            block.rawsource = entry.msgstr
            block.children = [nodes.Text(entry.msgstr)]
            block["translated"] = True

    def translations(self) -> dict[str, CodeTranslation]:
        language = self.config.language
        if is_source(language):
            return {}
        domain = docname_to_domain(self.env.docname, self.config.gettext_compact)
        found: dict[str, CodeTranslation] = {}
        for directory in reversed(self.config.locale_dirs):
            po_file = Path(self.env.srcdir, directory, language, "LC_MESSAGES", domain + ".po")
            found |= read_code_translations(po_file)
        return found


def extract_hidden_blocks_whole(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    """Let the gettext builder extract each hidden commented block with its line breaks.

    Sphinx joins the lines of every message that is not a literal node, and a hidden doctest
    block is a docutils comment: its code would reach the catalog as one line that no
    translation can match. In the copy of the doctree the gettext builder is about to write, and
    only there, each becomes the literal block it stands for, keeping its place and its uid.
    """
    if not isinstance(app.builder, MessageCatalogBuilder):
        return
    for hidden in list(doctree.findall(nodes.comment)):
        if is_commented_python(hidden):
            whole = nodes.literal_block(hidden.rawsource, hidden.astext(), **hidden.attributes)
            whole.source, whole.line = hidden.source, hidden.line
            # Sphinx's catalog skips a node without one; Sphinx sets it, docutils' types lack it.
            whole.uid = hidden.uid  # type: ignore[attr-defined]
            hidden.replace_self(whole)
