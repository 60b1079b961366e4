"""Each language's glossary exists, and the catalogs use its terms consistently."""

from __future__ import annotations

import pytest
from babel.messages.catalog import Catalog
from babel.messages.pofile import write_po

from quickstart_site.i18n.glossary import (
    Glossary,
    Term,
    check_catalog,
    check_language,
    glossary_path,
)
from quickstart_site.languages import TRANSLATIONS
from tests.helpers import PROJECT

ZH = Glossary(
    "zh_CN",
    [
        Term("slash", "斜杠", ("斜杠",), avoid=("反斜杠",)),
        Term("render", "渲染", ("渲染",), avoid=("翻译",)),
    ],
)


def problems_for(tmp_path, msgid: str, msgstr: str, glossary: Glossary = ZH) -> list[str]:
    catalog = Catalog(locale="zh_CN")
    catalog.add(msgid, msgstr)
    po_file = tmp_path / "page.po"
    with po_file.open("wb") as stream:
        write_po(stream, catalog)
    return [problem.detail for problem in check_catalog(po_file, glossary)]


def test_backslash_for_a_slash_is_reported_with_the_right_word(tmp_path) -> None:
    problems = problems_for(tmp_path, "Add a trailing slash.", "添加结尾的反斜杠。")
    assert problems == ["'反斜杠' is a wrong translation of 'slash'; write '斜杠'"]


def test_translating_for_rendering_is_reported(tmp_path) -> None:
    problems = problems_for(tmp_path, "Rendering Templates", "翻译模板")
    assert "'render' should be translated as '渲染' (one of ['渲染'])" in problems
    assert "'翻译' is a wrong translation of 'render'; write '渲染'" in problems


def test_a_plural_in_english_still_needs_the_term(tmp_path) -> None:
    assert problems_for(tmp_path, "Two slashes.", "两个符号。") != []


def test_api_names_in_code_are_not_prose(tmp_path) -> None:
    msgid = "Call {func}`~flask.render_template` or `render_template_string`."
    assert problems_for(tmp_path, msgid, "调用 {func}`~flask.render_template`。") == []


def test_the_right_terms_pass(tmp_path) -> None:
    assert problems_for(tmp_path, "Render it with a slash.", "用斜杠渲染它。") == []


@pytest.mark.parametrize("code", [language.code for language in TRANSLATIONS])
def test_every_language_has_a_glossary_of_the_recurring_terms(code: str) -> None:
    glossary = Glossary.load(glossary_path(code, PROJECT.locales), code)
    assert len(glossary.terms) >= 20
    assert all(term.forms for term in glossary.terms)


def test_the_chinese_glossary_forbids_the_known_mistakes() -> None:
    terms = {
        term.en: term
        for term in Glossary.load(glossary_path("zh_CN", PROJECT.locales), "zh_CN").terms
    }
    assert "反斜杠" in terms["slash"].avoid
    assert "翻译" in terms["render"].avoid


@pytest.mark.parametrize("code", [language.code for language in TRANSLATIONS])
def test_the_catalogs_follow_their_glossary(code: str) -> None:
    problems = check_language(code, PROJECT.locales)
    assert problems == [], "\n".join(map(str, problems))
