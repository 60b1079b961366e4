"""Strict catalogs: every catalog the project publishes passes GNU msgfmt's checks and has a
publishable header; each broken catalog of the corpus fails at its line for its reason.

The corpus (``tests/po_strict_corpus/<lang>/LC_MESSAGES/<case>.po``) holds one defect a file,
in the folder of the language it claims to be.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from quickstart_site.i18n import strict
from tests.helpers import PROJECT

CORPUS = Path(__file__).parent / "po_strict_corpus"

# case file: (line, kind) of its one problem
BROKEN = {
    "ru/LC_MESSAGES/unterminated-string.po": (19, "syntax"),
    "kk/LC_MESSAGES/missing-plural-forms.po": (2, "plural-forms"),
    "zh_CN/LC_MESSAGES/placeholder-last-translator.po": (8, "placeholder"),
    "ru/LC_MESSAGES/revision-date-placeholder.po": (7, "revision-date"),
    "ru/LC_MESSAGES/revision-before-creation.po": (7, "revision-date"),
    "kk/LC_MESSAGES/broken-brace-format.po": (18, "format"),
    "kk/LC_MESSAGES/wrong-language.po": (9, "language"),
}
VALID = ["ru/LC_MESSAGES/valid-tricky.po"]


def catalog_id(po_file: Path) -> str:
    return "/".join(po_file.parts[-4:])  # locales/kk/LC_MESSAGES/404.po, interface_locales/...


PROJECT_CATALOGS = strict.project_catalogs(PROJECT)


def test_project_catalogs_are_found() -> None:
    languages = {po_file.parent.parent.name for po_file in PROJECT_CATALOGS}
    assert languages == {"kk", "ru", "zh_CN"}
    assert any(po_file.name == "booktheme.po" for po_file in PROJECT_CATALOGS)


@pytest.mark.parametrize("po_file", PROJECT_CATALOGS, ids=catalog_id)
def test_project_catalog_is_strict(po_file: Path) -> None:
    problems = strict.check(po_file)
    assert not problems, "\n".join(
        f"{p.po_file}:{p.lineno}: [{p.kind}] {p.detail}" for p in problems
    )


@pytest.mark.parametrize("case", sorted(BROKEN))
def test_broken_catalog_fails_at_its_line(case: str) -> None:
    po_file = CORPUS / case
    problems = strict.check(po_file)
    assert [(p.po_file, p.lineno, p.kind) for p in problems] == [(po_file, *BROKEN[case])]
    assert all(p.kind in strict.KINDS for p in problems)


@pytest.mark.parametrize("case", VALID)
def test_valid_tricky_catalog_passes(case: str) -> None:
    assert strict.check(CORPUS / case) == []


def test_corpus_is_all_listed() -> None:
    on_disk = {str(path.relative_to(CORPUS)) for path in CORPUS.rglob("*.po")}
    assert on_disk == set(BROKEN) | set(VALID)


def test_babel_misses_what_msgfmt_rejects() -> None:
    """Why msgfmt runs at all: Babel reads the unterminated msgstr, a letter short."""
    with (CORPUS / "ru/LC_MESSAGES/unterminated-string.po").open("rb") as stream:
        catalog = read_po(stream)
    assert catalog["Hello"].string == "Prive"


def test_main_prints_file_line_kind(capsys: pytest.CaptureFixture[str]) -> None:
    case = "kk/LC_MESSAGES/wrong-language.po"
    assert strict.main([str(CORPUS / case)]) == 1
    assert capsys.readouterr().out == (
        f"{CORPUS / case}:9: [language] Language: 'ru', but the catalog is in 'kk'\n"
    )
    assert strict.main([str(CORPUS / VALID[0])]) == 0


def test_main_without_msgfmt_says_what_to_install(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(strict.shutil, "which", lambda _name: None)
    assert strict.main([str(CORPUS / VALID[0])]) == 2
    assert "install GNU gettext (apt-get install gettext)" in capsys.readouterr().err
