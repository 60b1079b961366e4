"""Search works in every language, in a real browser: a word of the page finds the quickstart,
and inflected forms find it where the language has a stemmer."""

from __future__ import annotations

from urllib.parse import quote

import pytest

from tests.browser import chromium_page, serve
from tests.conftest import quickstart_site

# (language, what a reader types): each appears on the quickstart only in some other form,
# except for Chinese, which has no inflection and is segmented by jieba.
SEARCHES = [
    ("en", "redirecting"),
    ("ru", "шаблонами"),
    ("kk", "маршруттарды"),
    ("zh_CN", "路由"),
]


@pytest.fixture(scope="module")
def site_url():
    build = quickstart_site()
    assert build.returncode == 0, build.output
    with serve(build.outdir) as url:
        yield url


@pytest.mark.parametrize(("code", "query"), SEARCHES)
def test_searching_a_word_finds_the_quickstart(site_url: str, code: str, query: str) -> None:
    aborted: list[str] = []
    with chromium_page(aborted) as page:
        page.goto(f"{site_url}{code}/search.html?q={quote(query)}")
        results = page.locator("#search-results ul.search li a")
        results.first.wait_for()
        hrefs = results.evaluate_all("links => links.map(link => link.getAttribute('href'))")
    assert any(href.startswith("quickstart.html") for href in hrefs), hrefs
    assert aborted == []


def test_the_root_page_sends_a_russian_browser_to_russian(site_url: str) -> None:
    aborted: list[str] = []
    with chromium_page(aborted, locale="ru-RU") as page:
        page.goto(site_url)
        page.wait_for_url(f"{site_url}ru/")
    assert aborted == []
