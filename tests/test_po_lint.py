"""The translation linter: each broken entry of the corpus is reported as what is wrong with it,
correct translations are not reported, and the real catalogs are clean.

The corpus (``tests/po_lint_corpus/*.po``) marks every entry with ``#. case: <name>`` and
``#. expect: <kind>, ...`` (``valid`` when nothing may be reported).
"""

from __future__ import annotations

import functools
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from quickstart_site.i18n.po_lint import (
    KINDS,
    Problem,
    check_message,
    default_catalogs,
    lint_catalog,
    myst_extensions,
)
from tests.helpers import PROJECT

CORPUS = Path(__file__).parent / "po_lint_corpus"

# The defects the brief and the reference translations name; the corpus must keep an example of
# each (reference README, "Known defects", as far as they can occur in MyST).
REQUIRED_CASES = {
    "role-written-with-a-space",
    "unterminated-role",
    "dropped-role",
    "get-twice-instead-of-get-and-post",
    "converter-table-lists-float-instead-of-path",
    "get-twice-instead-of-get-and-post-in-code",
    "trailing-slash-dropped-from-a-url",
    "unbalanced-backtick",
    "unbalanced-strong-emphasis",
    "link-lost-its-url",
    "link-url-changed",
    "link-url-added",
    "msgstr-of-two-paragraphs",
    "sentence-became-a-list",
    "list-item-count-changed",
    "substitution-changed",
    "named-placeholder-dropped",
    "code-block-whose-first-line-lost-its-indentation",
    "code-block-with-stale-escape-import",
    "code-span-followed-by-a-kazakh-word",
    "code-span-glued-to-a-kazakh-suffix",
    "links-in-another-order",
    "role-with-a-translated-title",
}


@dataclass(frozen=True)
class CorpusEntry:
    case: str
    expected: frozenset[str]  # the kinds to report; empty for a valid translation
    po_file: Path
    lineno: int


def read_corpus() -> list[CorpusEntry]:
    entries = []
    for po_file in sorted(CORPUS.rglob("*.po")):
        with po_file.open("rb") as stream:
            messages = [message for message in read_po(stream) if message.id]
        for message in messages:
            notes = dict(comment.split(": ", 1) for comment in message.auto_comments)
            expect = notes["expect"]
            kinds = frozenset() if expect == "valid" else frozenset(expect.split(", "))
            entries.append(CorpusEntry(notes["case"], kinds, po_file, message.lineno))
    return entries


CORPUS_ENTRIES = read_corpus()
BROKEN = [entry for entry in CORPUS_ENTRIES if entry.expected]
VALID = [entry for entry in CORPUS_ENTRIES if not entry.expected]


@functools.cache
def problems_in(po_file: Path) -> tuple[Problem, ...]:
    return tuple(lint_catalog(po_file))


def problems_at(entry: CorpusEntry) -> list[Problem]:
    return [problem for problem in problems_in(entry.po_file) if problem.lineno == entry.lineno]


def lint_command(*locations: Path) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-m", "quickstart_site.i18n.po_lint", *map(str, locations)]
    return subprocess.run(command, capture_output=True, text=True, timeout=120, cwd=PROJECT.root)


@pytest.mark.parametrize("entry", BROKEN, ids=[entry.case for entry in BROKEN])
def test_a_broken_translation_is_reported_as_what_is_wrong_with_it(entry: CorpusEntry) -> None:
    problems = problems_at(entry)
    assert {problem.kind for problem in problems} == entry.expected, "\n".join(map(str, problems))


@pytest.mark.parametrize("entry", VALID, ids=[entry.case for entry in VALID])
def test_a_correct_translation_is_not_reported(entry: CorpusEntry) -> None:
    problems = problems_at(entry)
    assert not problems, "\n".join(map(str, problems))


@pytest.mark.parametrize(
    ("msgid", "msgstr", "advice"),
    [
        pytest.param(
            "Use the {meth}`~flask.Flask.route` decorator.",
            "{meth} `~flask.Flask.route` декораторын қолданыңыз.",
            "write {meth}`~flask.Flask.route`",
            id="role-with-a-space",
        ),
        pytest.param(
            "If Flask is not on your computer yet, [install Flask first](installation.md).",
            "Если Flask ещё не установлен, [сначала установите его].",
            "a [text] without (url) is text",
            id="link-without-its-url",
        ),
        pytest.param(
            "Debug mode helps you while you develop.",
            "Жөндеу режимі көмектеседі.\n\nӘзірлеу кезінде.",
            "Sphinx shows only the first",
            id="two-paragraphs",
        ),
    ],
)
def test_a_problem_tells_the_translator_what_to_write(msgid: str, msgstr: str, advice: str) -> None:
    (difference,) = check_message(msgid, msgstr)
    assert advice in difference.detail


def test_the_corpus_shows_every_kind_of_problem_the_linter_reports() -> None:
    shown = {kind for entry in BROKEN for kind in entry.expected}
    assert shown == set(KINDS)


def test_the_corpus_keeps_the_cases_the_project_was_warned_about() -> None:
    names = [entry.case for entry in CORPUS_ENTRIES]
    assert len(names) == len(set(names)), "each case name identifies one entry"
    assert REQUIRED_CASES <= set(names), REQUIRED_CASES - set(names)


def test_the_parser_uses_the_myst_extensions_conf_py_enables(tmp_path: Path) -> None:
    conf_py = tmp_path / "conf.py"
    conf_py.write_text('import os\nmyst_enable_extensions = ["deflist", "substitution"]\n')
    assert myst_extensions(conf_py) == {"deflist", "substitution"}
    conf_py.write_text("extensions = []\n")
    with pytest.raises(LookupError):
        myst_extensions(conf_py)


def test_the_command_fails_on_the_corpus_and_names_each_broken_entry_by_file_and_line() -> None:
    done = lint_command(CORPUS)
    assert done.returncode == 1, done.stderr
    for entry in BROKEN:
        for kind in entry.expected:
            assert f"{entry.po_file}:{entry.lineno}: [{kind}]" in done.stdout
    problems = sum(len(problems_in(po_file)) for po_file in sorted(CORPUS.rglob("*.po")))
    assert done.stdout.splitlines()[-1].startswith(f"{problems} translation problem(s) in ")


def test_the_command_passes_catalogs_whose_translations_keep_their_markup() -> None:
    done = lint_command(CORPUS / "valid.po")
    assert done.returncode == 0, done.stdout + done.stderr
    assert done.stdout.startswith("0 translation problem(s) in ")


def test_the_real_catalogs_have_no_broken_translation() -> None:
    # Fails while translators still have broken entries in locales/: it lists each of them.
    catalogs = default_catalogs()
    assert catalogs, f"no catalogs under {PROJECT.locales}"
    problems = [problem for po_file in catalogs for problem in lint_catalog(po_file)]
    assert not problems, "\n".join(map(str, problems))
