"""Translated comments in code blocks: applied when only comments differ, refused otherwise."""

from __future__ import annotations

import pickle

import pytest
from babel.messages.catalog import Catalog
from babel.messages.pofile import read_po, write_po
from docutils import nodes

from quickstart_site.i18n.code_equivalence import code_difference
from tests.helpers import ROOTS, sphinx

SOURCE = (ROOTS / "commented" / "index.md").read_text(encoding="utf-8")
GREET = SOURCE.split("```{testcode} greet\n")[1].split("\n```")[0]
TRANSLATED = GREET.replace("# Greet the visitor.", "# Поприветствуйте посетителя.")
HIDDEN_SETUP = SOURCE.split("```{testsetup} greet\n")[1].split("\n```")[0]
HIDDEN_SETUP_TRANSLATED = HIDDEN_SETUP.replace(
    "# Hidden on the page, shown in the browser's notebook.",
    "# Скрыт на странице, виден в блокноте в браузере.",
)


@pytest.mark.parametrize(
    "translation",
    [
        pytest.param(TRANSLATED, id="one comment translated"),
        pytest.param(
            GREET.replace("    # Greet the visitor.", "    # Поприветствуйте\n    # посетителя."),
            id="a long comment wrapped onto two lines",
        ),
        pytest.param(GREET.replace("index():", "index():  # корень"), id="a comment added"),
    ],
)
def test_code_with_other_comments_is_equivalent(translation: str) -> None:
    assert code_difference(GREET, translation) is None


@pytest.mark.parametrize(
    ("translation", "reported"),
    [
        pytest.param(TRANSLATED.replace('"Hello"', '"Привет"'), "'return \"Привет\"'", id="string"),
        pytest.param(TRANSLATED.replace("def index", "def home"), "def home", id="name"),
        pytest.param(
            TRANSLATED.replace("Flask\n\napp", "Flask; app"),
            "translated line 1 has 'from flask import Flask; app = Flask(__name__)'",
            id="two lines joined",
        ),
        pytest.param(TRANSLATED.replace("    return", "return"), "not valid Python", id="indent"),
        pytest.param(
            TRANSLATED.replace("app = Flask(__name__)", "app = Flask(__name__)  # x\nimport os"),
            "import os",
            id="statement added",
        ),
        pytest.param(
            TRANSLATED.replace("# Поприветствуйте посетителя.", "Поприветствуйте посетителя."),
            "not valid Python",
            id="comment sign dropped",
        ),
    ],
)
def test_a_translation_that_changes_code_is_refused_with_the_reason(
    translation: str, reported: str
) -> None:
    problem = code_difference(GREET, translation)
    assert problem is not None
    assert reported in problem


def write_catalog(locales, translation: str, *, fuzzy: bool = False):
    catalog = Catalog(locale="ru")
    catalog.add("A page with commented code", "Страница с комментариями в коде")
    catalog.add(GREET, translation, flags=("fuzzy",) if fuzzy else ())
    catalog.add(HIDDEN_SETUP, HIDDEN_SETUP_TRANSLATED)
    po_file = locales / "ru" / "LC_MESSAGES" / "index.po"
    po_file.parent.mkdir(parents=True)
    with po_file.open("wb") as stream:
        write_po(stream, catalog)
    return po_file


def build_ru(builder: str, tmp_path, translation: str, *, fuzzy: bool = False):
    po_file = write_catalog(tmp_path / "locales", translation, fuzzy=fuzzy)
    settings = ("language=ru", f"locale_dirs={tmp_path / 'locales'}")
    return po_file, sphinx(builder, ROOTS / "commented", tmp_path / "out", *settings)


def test_only_commented_python_blocks_are_extracted_for_translation(tmp_path) -> None:
    build = sphinx("gettext", ROOTS / "commented", tmp_path)
    assert build.returncode == 0, build.output
    pot = (tmp_path / "index.pot").read_text(encoding="utf-8")
    assert '"    # Greet the visitor.\\n"' in pot
    assert "print(1 + 1)" not in pot  # no comment: nothing to translate
    assert 'msgid "Hello"' not in pot  # expected output is never translatable


def test_a_hidden_block_is_extracted_with_its_line_breaks(tmp_path) -> None:
    # Sphinx joins the lines of a message that is not a literal block; a hidden doctest block
    # is a comment node, and a one-line msgid could never match its code.
    build = sphinx("gettext", ROOTS / "commented", tmp_path)
    assert build.returncode == 0, build.output
    with (tmp_path / "index.pot").open("rb") as stream:
        msgids = {message.id for message in read_po(stream)}
    assert HIDDEN_SETUP in msgids
    assert HIDDEN_SETUP.replace("\n", " ") not in msgids


def test_a_hidden_blocks_translated_comments_reach_the_doctree_the_notebook_is_made_from(
    tmp_path,
) -> None:
    _, html = build_ru("html", tmp_path, TRANSLATED)
    assert html.returncode == 0, html.output
    with (html.outdir / ".doctrees" / "index.doctree").open("rb") as stream:
        doctree = pickle.load(stream)
    setups = [
        node for node in doctree.findall(nodes.Element) if node.get("testnodetype") == "testsetup"
    ]
    assert [node.astext() for node in setups] == [HIDDEN_SETUP_TRANSLATED]


def test_translated_comments_are_shown_and_the_translated_example_runs(tmp_path) -> None:
    _, html = build_ru("html", tmp_path / "html", TRANSLATED)
    assert html.returncode == 0, html.output
    page = (html.outdir / "index.html").read_text(encoding="utf-8")
    assert "Поприветствуйте посетителя." in page
    assert "Greet the visitor" not in page
    _, examples = build_ru("examples", tmp_path / "examples", TRANSLATED)
    assert examples.returncode == 0, examples.output
    counts = examples.report.counts()
    assert (counts["example"], counts["example_failed"]) == (2, 0)


def test_a_translation_that_changes_code_fails_the_build_and_keeps_the_english_block(
    tmp_path,
) -> None:
    changed = TRANSLATED.replace('"Hello"', '"Привет"')
    po_file, html = build_ru("html", tmp_path, changed)
    assert html.returncode != 0
    assert f"{po_file}:" in html.output
    assert "changes the code" in html.output
    assert "'from flask import Flask'" in html.output  # the msgid, by its first line
    page = (html.outdir / "index.html").read_text(encoding="utf-8")
    assert "Greet the visitor" in page and "Привет" not in page


def test_a_fuzzy_translation_is_not_used_and_the_block_is_marked_untranslated(tmp_path) -> None:
    _, html = build_ru("html", tmp_path, TRANSLATED, fuzzy=True)
    assert html.returncode == 0, html.output
    page = (html.outdir / "index.html").read_text(encoding="utf-8")
    assert "Greet the visitor" in page
    assert "untranslated" in page


def test_a_paragraph_without_translation_is_labelled_as_shown_in_english(tmp_path) -> None:
    _, html = build_ru("html", tmp_path, TRANSLATED)
    page = (html.outdir / "index.html").read_text(encoding="utf-8")
    paragraph = page.split('<p class="untranslated">')[1].split("</p>")[0]
    assert 'class="untranslated-label"' in paragraph
    assert "This paragraph has no translation yet." in paragraph
