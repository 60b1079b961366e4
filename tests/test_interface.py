"""A translated page speaks the reader's language everywhere, not only in its content.

A tiny MyST project (two pages, a note, a warning, a code block, a link into Flask's
documentation) is built with the real configuration in English, Kazakh, Russian and Simplified
Chinese. The interface of the English page (visible text outside the content, tooltips,
aria-labels, placeholders) must not appear on a translated page, and the translations in the
table below must. The strings that the search page's scripts and the copy button show are
checked in the scripts the page loads; /work/screens/shoot.py checks them in a browser.
"""

from __future__ import annotations

import importlib.metadata
import json
import re
from functools import cache
from pathlib import Path

import pytest
from bs4 import BeautifulSoup, Comment, Doctype

from quickstart_site.languages import LANGUAGES
from quickstart_site.orchestration.build import run_parallel, sphinx_command
from tests.helpers import TEST_CONF

TRANSLATED = ("kk", "ru", "zh_CN")
PAGES = ("index.html", "second.html", "search.html", "genindex.html")

# Every content string of the tiny source contains this word, so that content, which stays
# English here, is told apart from the interface.
CONTENT_MARK = "Zyxwv"
SOURCE = {
    "index.md": f"""\
# {CONTENT_MARK} first page

{CONTENT_MARK} paragraph that links to {{func}}`flask.url_for`.

:::{{note}}
{CONTENT_MARK} note.
:::

:::{{warning}}
{CONTENT_MARK} warning.
:::

## {CONTENT_MARK} section

```console
$ echo {CONTENT_MARK}
```

```{{toctree}}
:hidden:

second
```
""",
    "second.md": f"# {CONTENT_MARK} second page\n\n{CONTENT_MARK} second paragraph.\n",
}
# The same in every language on purpose: the site's name, the language switcher's entries
# (each language in its own name), the keys of the search shortcut. (Strings without a letter,
# such as the permalink sign, are in no language.)
SAME_IN_EVERY_LANGUAGE = {"Flask Quickstart", "Ctrl", "K"} | {
    language.native_name for language in LANGUAGES
}

FLASK = importlib.metadata.version("flask")
# (where it is, English, Kazakh, Russian, Simplified Chinese), on index.html.
INTERFACE = [
    (
        "text",
        "Skip to main content",
        "Негізгі мазмұнға өту",
        "Перейти к основному содержанию",
        "跳转至主要内容",
    ),
    ("text", "Back to top", "Басына оралу", "Наверх", "回到顶部"),
    ("placeholder", "Search...", "Іздеу...", "Поиск...", "搜索..."),
    ("text", "Note", "Ескертпе", "Примечание", "备注"),
    ("text", "Warning", "Ескерту", "Предупреждение", "警告"),
    (
        "title",
        "Link to this heading",
        "Осы тақырыпқа сілтеме",
        "Ссылка на этот заголовок",
        "链接到此标题",
    ),
    (
        "title",
        f"(in flask v{FLASK})",
        f"(flask v{FLASK} құжаттамасында)",
        f"(в документации flask v{FLASK})",
        f"（位于 flask v{FLASK}）",
    ),
    ("text", "Contents", "Мазмұны", "Содержание", "目录"),
    ("aria-label", "On this page", "Осы бетте", "На этой странице", "当前页面"),
    ("title", "next page", "келесі бет", "следующая страница", "下一页"),
    (
        "title",
        "Toggle primary sidebar",
        "Навигация панелін көрсету не жасыру",
        "Показать или скрыть навигацию",
        "显示或隐藏导航栏",
    ),
    (
        "title",
        "Toggle secondary sidebar",
        "Бет мазмұнын көрсету не жасыру",
        "Показать или скрыть содержание страницы",
        "显示或隐藏本页目录",
    ),
    ("aria-label", "Main", "Негізгі навигация", "Основная навигация", "主导航"),
    ("aria-label", "Site navigation", "Сайт навигациясы", "Навигация по сайту", "网页导航"),
    ("aria-label", "Languages", "Тілдер", "Языки", "语言"),
    ("aria-label", "Home page", "Басты бет", "Главная страница", "首页"),
    # The book theme's printed table of contents (hard-coded in its layout.html).
    ("aria-label", "Page", "Бет мазмұны", "Содержание страницы", "本页目录"),
    ("title", "Fullscreen mode", "Толық экран режимі", "Полноэкранный режим", "全屏模式"),
    ("aria-label", "Color mode", "Түс режимі", "Тема оформления", "颜色模式"),
    ("text", "Light", "Ашық", "Светлая", "亮色"),
    ("text", "Dark", "Қараңғы", "Тёмная", "暗色"),
    ("text", "System Settings", "Жүйе баптауы бойынша", "Системная", "跟随系统"),
    (
        "text",
        "By The Flask Quickstart contributors",
        "Авторлары: Flask Quickstart жобасының қатысушылары",
        "Автор: участники проекта Flask Quickstart",
        "作者： Flask Quickstart 贡献者",
    ),
    (
        "text",
        "© Copyright 2026, The Flask Quickstart contributors.",
        "© Авторлық құқық 2026, Flask Quickstart жобасының қатысушылары.",
        "© 2026, участники проекта Flask Quickstart.",
        "© 版权所有 2026，Flask Quickstart 贡献者。",
    ),
]
# What the search page's scripts ask Documentation.gettext/ngettext for (Sphinx's
# searchtools.js and sphinx_highlight.js).
SEARCH_SCRIPT_MESSAGES = [
    "Preparing search...",
    "Searching",
    "Search Results",
    "Search finished, found one page matching the search query.",
    "Your search did not match any documents. Please make sure that all words are spelled "
    "correctly and that you've selected enough categories.",
    "Hide Search Matches",
]
# Where a reader meets an interface string that is not visible text.
ATTRIBUTES = ("aria-label", "title", "placeholder", "alt", "data-tooltip")


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The tiny project built in every language side by side, one folder per language."""
    root = tmp_path_factory.mktemp("interface")
    source = root / "source"
    source.mkdir()
    for name, text in SOURCE.items():
        (source / name).write_text(text, encoding="utf-8")
    codes = ("en", *TRANSLATED)
    commands = [
        sphinx_command(
            "html",
            root / code,
            root / "doctrees" / code,
            confdir=TEST_CONF,
            source=source,
            language=code,
        )
        for code in codes
    ]
    for code, (status, output) in zip(codes, run_parallel(commands, capture=True), strict=True):
        assert status == 0, f"the {code} build failed:\n{output}"
    return root


@cache
def parse(path: Path) -> BeautifulSoup:
    page = BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")
    for hidden in page.select("script, style"):
        hidden.decompose()
    return page


def strings_at(page: BeautifulSoup, where: str) -> set[str]:
    if where != "text":
        return {element[where] for element in page.find_all(attrs={where: True})}
    return {
        " ".join(text.split())
        for text in page.find_all(string=True)
        if text.strip() and not isinstance(text, Comment | Doctype)
    }


def interface_strings(page: BeautifulSoup) -> set[str]:
    """Every string a reader sees or a screen reader reads, except the content and its code."""
    texts = {
        " ".join(text.split())
        for text in page.find_all(string=True)
        if text.strip()
        and not isinstance(text, Comment | Doctype)
        and not text.find_parent(["pre", "code"])
    }
    for attribute in ATTRIBUTES:
        texts |= strings_at(page, attribute)
    return {
        text
        for text in texts
        if CONTENT_MARK not in text
        and text not in SAME_IN_EVERY_LANGUAGE
        and any(character.isalpha() for character in text)
    }


def script_translations(outdir: Path, page: str) -> dict[str, object]:
    """The messages the page's translation scripts give Documentation.gettext, in load order."""
    html = (outdir / page).read_text(encoding="utf-8")
    messages: dict[str, object] = {}
    for source in re.findall(r'<script[^>]* src="([^"?]+)', html):
        script = outdir / source
        text = script.read_text(encoding="utf-8") if script.is_file() else ""
        if text.startswith("Documentation.addTranslations("):
            catalog = json.loads(text.removeprefix("Documentation.addTranslations(").rstrip()[:-2])
            messages |= catalog["messages"]  # as doctools.js merges them
    return messages


@pytest.mark.parametrize(("where", "english"), [row[:2] for row in INTERFACE])
def test_the_table_lists_strings_of_the_english_page(site: Path, where: str, english: str):
    assert english in strings_at(parse(site / "en" / "index.html"), where)


@pytest.mark.parametrize("language", TRANSLATED)
@pytest.mark.parametrize("row", INTERFACE, ids=[row[1] for row in INTERFACE])
def test_a_translated_page_shows_the_translation(site: Path, language: str, row: tuple):
    where, english, *translations = row
    shown = strings_at(parse(site / language / "index.html"), where)
    expected = dict(zip(TRANSLATED, translations, strict=True))[language]
    assert english not in shown
    assert expected in shown


@pytest.mark.parametrize("language", TRANSLATED)
@pytest.mark.parametrize("page", PAGES)
def test_no_english_interface_string_is_left(site: Path, language: str, page: str):
    english = interface_strings(parse(site / "en" / page))
    assert english, "the English page has no interface strings: the extraction is broken"
    left = english & interface_strings(parse(site / language / page))
    assert not left, f"English on the {language} {page}: {sorted(left)}"


@pytest.mark.parametrize("language", TRANSLATED)
def test_the_search_page_scripts_have_every_message_translated(site: Path, language: str):
    messages = script_translations(site / language, "search.html")
    untranslated = [
        message
        for message in SEARCH_SCRIPT_MESSAGES
        if not messages.get(message)
        or (isinstance(messages[message], list) and not all(messages[message]))
    ]
    assert not untranslated


def test_the_kazakh_copy_button_gets_kazakh_labels_after_copybutton_js(site: Path):
    html = (site / "kk" / "index.html").read_text(encoding="utf-8")
    scripts = re.findall(r'<script[^>]* src="_static/([^"?]+)', html)
    assert scripts.index("copybutton.js") < scripts.index("copybutton-kk.js")
    labels = (site / "kk" / "_static" / "copybutton-kk.js").read_text(encoding="utf-8")
    assert '"Көшіру"' in labels and '"Көшірілді!"' in labels


def test_the_english_page_loads_nothing_of_ours(site: Path):
    html = (site / "en" / "index.html").read_text(encoding="utf-8")
    assert "interface-translations.js" not in html
    assert "copybutton-kk.js" not in html
