"""Which language a reader gets: one table, the same answer in Python and in the browser."""

from __future__ import annotations

import json
import subprocess

import pytest

from quickstart_site.languages import COOKIE, choose
from quickstart_site.orchestration.root_page import CHOOSER, render_root_page

CASES = [
    # (cookie, browser languages in preference order, expected)
    (None, ["kk"], "kk"),
    (None, ["kk-KZ", "ru"], "kk"),
    (None, ["ru-RU", "en"], "ru"),
    (None, ["ru_KZ"], "ru"),
    (None, ["zh"], "zh_CN"),
    (None, ["zh-CN"], "zh_CN"),
    (None, ["zh-Hans"], "zh_CN"),
    (None, ["zh-Hans-CN"], "zh_CN"),
    (None, ["zh-TW"], "zh_CN"),  # closer to a Traditional reader than English
    (None, ["de-DE", "fr", "ru"], "ru"),  # the first language we have wins
    (None, ["en-GB", "ru"], "en"),
    (None, ["de"], "en"),
    (None, [], "en"),
    (None, ["", "  ", "x-klingon", "*"], "en"),
    ("kk", ["ru-RU"], "kk"),  # an explicit choice beats the browser
    ("fr", ["ru-RU"], "ru"),  # an unknown cookie value is ignored
    ("../etc", ["zh"], "zh_CN"),
]


@pytest.mark.parametrize(("cookie", "tags", "expected"), CASES)
def test_python_chooses(cookie, tags, expected) -> None:
    assert choose(cookie, tags).code == expected


def test_the_browser_chooser_agrees_with_python_on_every_case() -> None:
    from quickstart_site.languages import as_json_table

    script = (
        CHOOSER
        + f"""
const table = {json.dumps(as_json_table())};
const cases = {json.dumps([[cookie, tags] for cookie, tags, _ in CASES])};
console.log(JSON.stringify(cases.map(([cookie, tags]) => chooseLanguage(table, cookie, tags))));
"""
    )
    done = subprocess.run(
        ["node", "-e", script], capture_output=True, text=True, timeout=30, check=True
    )
    assert json.loads(done.stdout) == [expected for _, _, expected in CASES]


def test_the_root_page_lists_every_language_by_its_native_name() -> None:
    page = render_root_page()
    for href, name in [
        ("en/", "English"),
        ("kk/", "Қазақша"),
        ("ru/", "Русский"),
        ("zh_CN/", "简体中文"),
    ]:
        assert f'href="{href}"' in page and f">{name}</a>" in page
    assert json.dumps(COOKIE) in page
