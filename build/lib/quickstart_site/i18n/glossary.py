"""Each language's glossary, and the check that the catalogs follow it.

``locales/<lang>/glossary.toml`` lists ``[[terms]]`` with ``en`` (the English term), the
chosen ``translation``, ``forms`` (stems, one of which every translation of a sentence using
the term must contain, so inflected forms count), ``avoid`` (known wrong renderings) and a
``note`` where community usage differs.

Only prose is compared: inline code, role targets and URLs are removed first, because API
names stay in English in every language.
"""

from __future__ import annotations

import re
import sys
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import cast

from quickstart_site.i18n.po_files import Problem, read_catalog, translated_messages
from quickstart_site.languages import TRANSLATIONS
from quickstart_site.project import Project

CODE_SPANS = re.compile(r"\{[\w:-]+\}`[^`]*`|`[^`]*`|\]\([^)]*\)|\{\{[^}]*\}\}")


@dataclass(frozen=True)
class Term:
    en: str
    translation: str
    forms: tuple[str, ...]
    avoid: tuple[str, ...] = ()
    note: str = ""

    @property
    def pattern(self) -> re.Pattern[str]:
        # Whole words, with English endings: "slashes", "rendering", "routing" for "route".
        stems = [re.escape(self.en)]
        if self.en.endswith("e"):
            stems.append(re.escape(self.en[:-1]) + "(?=ing)")
        return re.compile(rf"\b(?:{'|'.join(stems)})(?:s|es|d|ed|ing)?\b", re.IGNORECASE)


@dataclass
class Glossary:
    language: str
    terms: list[Term] = field(default_factory=list)

    @classmethod
    def load(cls, path: Path, language: str) -> Glossary:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
        terms = [
            Term(
                entry["en"],
                entry["translation"],
                tuple(entry["forms"]),
                tuple(entry.get("avoid", ())),
                entry.get("note", ""),
            )
            for entry in data.get("terms", [])
        ]
        return cls(language, terms)


def prose(text: str) -> str:
    return CODE_SPANS.sub(" ", text)


def is_code(msgid: str) -> bool:
    # Code blocks (translated comments) are checked for equivalence, not for terminology, and
    # a caption that is a file path (templates/hello.html) is a name, not prose.
    return "\n" in msgid or (" " not in msgid and ("/" in msgid or "." in msgid))


def check_catalog(po_file: Path, glossary: Glossary) -> list[Problem]:
    problems = []
    for message in translated_messages(read_catalog(po_file)):
        # Types only: the documentation catalogs (sphinx.po is not checked) have no plural
        # entries, and read_po sets the line number of every message it reads.
        msgid, msgstr = cast(str, message.id), cast(str, message.string)
        lineno = cast(int, message.lineno)
        if is_code(msgid):
            continue
        source, translation = prose(msgid), prose(msgstr).lower()
        for term in glossary.terms:
            if not term.pattern.search(source):
                continue
            if not any(form.lower() in translation for form in term.forms):
                problems.append(
                    Problem(
                        po_file,
                        lineno,
                        "glossary",
                        f"{term.en!r} should be translated as {term.translation!r} "
                        f"(one of {list(term.forms)})",
                        msgid,
                    )
                )
            for wrong in term.avoid:
                if wrong.lower() in translation:
                    problems.append(
                        Problem(
                            po_file,
                            lineno,
                            "glossary",
                            f"{wrong!r} is a wrong translation of {term.en!r}; "
                            f"write {term.translation!r}",
                            msgid,
                        )
                    )
    return problems


def glossary_path(language: str, locale_dir: Path) -> Path:
    return locale_dir / language / "glossary.toml"


def check_language(language: str, locale_dir: Path) -> list[Problem]:
    glossary = Glossary.load(glossary_path(language, locale_dir), language)
    problems = []
    for po_file in sorted((locale_dir / language / "LC_MESSAGES").glob("*.po")):
        if po_file.stem != "sphinx":  # interface strings follow Sphinx's own wording
            problems += check_catalog(po_file, glossary)
    return problems


def main(argv: list[str]) -> int:
    languages = argv or [language.code for language in TRANSLATIONS]
    locale_dir = Project.find().locales
    problems = [
        problem for language in languages for problem in check_language(language, locale_dir)
    ]
    for problem in problems:
        print(problem)
    print(f"{len(problems)} glossary problem(s) in {', '.join(languages)}")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
