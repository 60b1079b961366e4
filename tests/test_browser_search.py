"""Search works in every language, in a real browser on the site's own server (and its
Content-Security-Policy): a word of the page finds the quickstart, inflected forms find it where
the language has a stemmer, and the result count is written in the language's plural forms."""

from __future__ import annotations

import gettext
from pathlib import Path
from urllib.parse import quote

import pytest
import sphinx
from benchmarks.chromium import chromium_page
from benchmarks.server_bench import ours, running

from quickstart_site.i18n.po_files import read_catalog
from tests.conftest import quickstart_site
from tests.helpers import PROJECT

pytestmark = [pytest.mark.site, pytest.mark.browser]

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
    with running(ours(build.outdir)) as url:
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


RESULT_COUNT = (
    "Search finished, found one page matching the search query.",
    "Search finished, found ${resultCount} pages matching the search query.",
)
# One, few and many in Russian; 11 and 21 tell the rules apart.
COUNTS = [1, 2, 5, 11, 21, 22]


def result_count(code: str, count: int) -> str:
    """What the page's catalog says for ``count`` results, by gettext's own plural rule: our
    catalog where it has the message, else Sphinx's own (Chinese), as on the page."""
    for catalog_file in (
        PROJECT.locales / code / "LC_MESSAGES" / "sphinx.po",
        Path(sphinx.package_dir, "locale", code, "LC_MESSAGES", "sphinx.po"),
    ):
        catalog = read_catalog(catalog_file)
        message = catalog.get(RESULT_COUNT[0])
        if message is not None and all(message.string):
            form = gettext.c2py(catalog.plural_expr)(count)
            return message.string[form].replace("${resultCount}", str(count))
    raise AssertionError(f"no {code} catalog translates {RESULT_COUNT[0]!r}")


@pytest.mark.parametrize("code", ["kk", "ru", "zh_CN"])
def test_the_result_count_takes_the_languages_plural_form(site_url: str, code: str) -> None:
    aborted: list[str] = []
    with chromium_page(aborted) as page:
        page.goto(f"{site_url}{code}/search.html")
        shown = page.evaluate(
            """([singular, plural, counts]) => counts.map((n) =>
                 Documentation.ngettext(singular, plural, n).replace("${resultCount}", n))""",
            [*RESULT_COUNT, COUNTS],
        )
    assert shown == [result_count(code, count) for count in COUNTS]
    assert aborted == []


def test_a_chinese_search_reports_how_many_pages_it_found(site_url: str) -> None:
    aborted: list[str] = []
    with chromium_page(aborted) as page:
        page.goto(f"{site_url}zh_CN/search.html?q={quote('Flask')}")
        # searchtools.js writes the summary once, when the search has finished.
        summary_line = page.locator("#search-results .search-summary:not(:empty)")
        summary_line.wait_for()
        count = page.locator("#search-results ul.search li").count()
        summary = summary_line.text_content().strip()
    assert count >= 2
    assert summary == result_count("zh_CN", count)
    assert aborted == []
