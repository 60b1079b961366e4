"""The languages the quickstart is published in: one table for the build, the switcher, the
static root page and the server's negotiation.

Import-free on purpose: conf.py, the noxfile and the browser-side chooser (serialized as JSON)
all read it.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Language:
    code: str  # Sphinx's ``language`` and the site's folder name
    tag: str  # BCP 47, for <html lang> and hreflang
    native_name: str
    # Primary tags and full tags a browser may send for this language, lower case.
    accepts: tuple[str, ...]
    site_title: str  # the site's name in the sidebar and the <title>
    authors: str  # who wrote it, in the footer
    # Punctuation the configuration writes into pages: between list items (the Flask
    # versions) and before the authors in the copyright line.
    list_separator: str = ", "
    comma: str = ", "


LANGUAGES = (
    Language(
        "en", "en", "English", ("en",), "Flask Quickstart", "The Flask Quickstart contributors"
    ),
    Language(
        "kk",
        "kk",
        "Қазақша",
        ("kk", "kk-kz", "kk-cyrl", "kk-cyrl-kz"),
        "Flask: жылдам бастау",
        "Flask Quickstart жобасының қатысушылары",
    ),
    Language(
        "ru",
        "ru",
        "Русский",
        ("ru", "ru-ru", "ru-kz", "ru-by", "ru-ua"),
        "Flask: быстрый старт",
        "участники проекта Flask Quickstart",
    ),
    Language(
        "zh_CN",
        "zh-CN",
        "简体中文",
        ("zh", "zh-cn", "zh-hans", "zh-hans-cn", "zh-sg", "zh-hans-sg"),
        "Flask 快速上手",
        "Flask Quickstart 贡献者",
        list_separator="、",
        comma="，",
    ),
)
SOURCE = LANGUAGES[0]
TRANSLATIONS = LANGUAGES[1:]
CODES = tuple(language.code for language in LANGUAGES)
BY_CODE = {language.code: language for language in LANGUAGES}


def is_source(code: str | None) -> bool:
    """Whether a Sphinx ``language`` setting means the English source (unset counts)."""
    return code in (None, "", SOURCE.code)


def match(tag: str) -> Language | None:
    """The language for one browser language tag (``ru-RU``, ``zh-Hans``, ``kk``), if any.

    An exact tag wins; otherwise the primary subtag decides: a ``zh-TW`` reader reads
    Simplified Chinese more easily than English, so it gets zh_CN too.
    """
    tag = tag.strip().lower().replace("_", "-")
    for language in LANGUAGES:
        if tag in language.accepts:
            return language
    primary = tag.partition("-")[0]
    for language in LANGUAGES:
        if primary == language.accepts[0]:
            return language
    return None


def as_json_table() -> list[dict[str, object]]:
    """What the static root page needs to choose a language in the browser."""
    return [
        {"code": item.code, "tag": item.tag, "name": item.native_name, "accepts": item.accepts}
        for item in LANGUAGES
    ]


# Set by the language switcher in the browser, read first by the server's negotiation.
COOKIE = "quickstart_language"


def choose(cookie: str | None, browser_tags: list[str]) -> Language:
    """The reader's language: an explicit earlier choice, then the browser's preference order,
    then English. ``root_chooser.js`` makes the same choice in the browser."""
    if cookie in BY_CODE:
        return BY_CODE[cookie]
    for tag in browser_tags:
        language = match(tag)
        if language is not None:
            return language
    return SOURCE
