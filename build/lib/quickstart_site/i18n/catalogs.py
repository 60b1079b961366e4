"""The translation catalogs: extract the English messages, merge them into every language's
``.po`` files, and count what is translated.

Extraction is Sphinx's gettext builder and merging is sphinx-intl, as every Sphinx project
does it; this module only fixes the paths and the language list in one place.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from pathlib import Path

from babel.messages.pofile import write_po
from sphinx_intl.basic import update as sphinx_intl_update

from quickstart_site.i18n.po_files import read_catalog
from quickstart_site.languages import TRANSLATIONS
from quickstart_site.orchestration.build import run, sphinx_command
from quickstart_site.project import Project


def extract(project: Project, pot_dir: Path) -> int:
    doctrees = project.doctrees / "gettext"
    command = sphinx_command(
        "gettext", pot_dir, doctrees, confdir=project.root, source=project.docs
    )
    return run(command)


def update(project: Project) -> int:
    """Extract, then add new messages to every catalog and mark edited ones fuzzy
    (sphinx-intl's own ``update``, called as a function)."""
    pot_dir = project.build / "gettext"
    status = extract(project, pot_dir)
    if status:
        return status
    add_interface_messages(pot_dir / INTERFACE_POT, project.locales)
    sphinx_intl_update(
        str(project.locales),
        str(pot_dir),
        tuple(language.code for language in TRANSLATIONS),
        line_width=100,
    )
    return 0


# The gettext builder writes our templates' strings to sphinx.pot. The sphinx.po catalogs also
# hold, by hand, the Sphinx and theme strings those projects leave untranslated, which
# sphinx-intl would mark obsolete: so new template strings are only added, never merged.
INTERFACE_POT = "sphinx.pot"


def add_interface_messages(pot_file: Path, locale_dir: Path) -> None:
    if not pot_file.exists():
        return
    template = read_catalog(pot_file)
    pot_file.unlink()
    for language in TRANSLATIONS:
        po_file = locale_dir / language.code / "LC_MESSAGES" / INTERFACE_POT.replace(".pot", ".po")
        catalog = read_catalog(po_file)
        new = [message for message in template if message.id and message.id not in catalog]
        for message in new:
            catalog.add(message.id, locations=message.locations)
        if new:
            with po_file.open("wb") as stream:
                write_po(stream, catalog, width=100)


@dataclass(frozen=True)
class PageStats:
    language: str
    page: str
    translated: int
    fuzzy: int
    untranslated: int

    @property
    def total(self) -> int:
        return self.translated + self.fuzzy + self.untranslated

    @property
    def complete(self) -> bool:
        return self.translated == self.total


def page_stats(po_file: Path, language: str) -> PageStats:
    # Not sphinx_intl.catalog.translated_entries: it counts fuzzy entries as translated.
    messages = [message for message in read_catalog(po_file) if message.id]
    fuzzy = sum(1 for message in messages if message.fuzzy)
    untranslated = sum(1 for message in messages if not message.fuzzy and not message.string)
    return PageStats(
        language, po_file.stem, len(messages) - fuzzy - untranslated, fuzzy, untranslated
    )


def stats(locale_dir: Path) -> list[PageStats]:
    """One row per language and page (the project's own UI catalog, sphinx.po, included)."""
    rows = []
    for language in TRANSLATIONS:
        folder = locale_dir / language.code / "LC_MESSAGES"
        for po_file in sorted(folder.glob("*.po")):
            rows.append(page_stats(po_file, language.code))
    return rows


def format_stats(rows: list[PageStats]) -> str:
    lines = [f"{'language':<9} {'page':<14} {'translated':>10} {'fuzzy':>6} {'untranslated':>12}"]
    for row in rows:
        lines.append(
            f"{row.language:<9} {row.page:<14} {row.translated:>10} {row.fuzzy:>6} "
            f"{row.untranslated:>12}"
        )
    return "\n".join(lines)


def main(argv: list[str]) -> int:
    """``python -m quickstart_site.i18n.catalogs update|stat``, on the project here."""
    project = Project.find()
    if argv[:1] == ["update"]:
        status = update(project)
        print(format_stats(stats(project.locales)))  # what is left to translate
        return status
    rows = stats(project.locales)
    print(format_stats(rows))
    incomplete = [row for row in rows if not row.complete]
    for row in incomplete:
        print(f"incomplete: locales/{row.language}/LC_MESSAGES/{row.page}.po", file=sys.stderr)
    return 1 if incomplete else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
