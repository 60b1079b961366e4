"""Findable: absolute canonical and hreflang URLs from one base URL, a description per page in
its language, OpenGraph, the icon, the sitemap and robots.txt (sphinx_ext/site/seo.py,
language_switcher.py, orchestration/root_page.py)."""

from __future__ import annotations

import shutil
import struct
import subprocess
from pathlib import Path
from urllib.parse import urljoin, urlsplit
from xml.etree import ElementTree

import pytest
from bs4 import BeautifulSoup

from quickstart_site.i18n.po_files import read_catalog
from quickstart_site.languages import BY_CODE, CODES, LANGUAGES, SOURCE, TRANSLATIONS
from quickstart_site.orchestration.build import sphinx_command
from quickstart_site.orchestration.root_page import (
    SITEMAP_NS,
    XHTML_NS,
    built_base_url,
    render_root_page,
    robots_txt,
)
from quickstart_site.sphinx_ext.site.seo import (
    BASE_URL_VARIABLE,
    FAVICON_ICO,
    FAVICON_SVG,
    descriptions,
)
from tests.conftest import quickstart_site
from tests.helpers import PROJECT, ROOTS, TEST_CONF, Build, sphinx

TAGS = [language.tag for language in LANGUAGES]
LISTED = ["index", "installation", "quickstart"]  # in the sitemap; 404 is not
PAGES = [*LISTED, "404"]


def soup(path: Path) -> BeautifulSoup:
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


def alternates(page: BeautifulSoup) -> dict[str, str]:
    return {
        str(link["hreflang"]): str(link["href"])
        for link in page.find_all("link", rel="alternate", hreflang=True)
    }


def meta(page: BeautifulSoup, **attributes: str) -> str:
    tag = page.find("meta", attrs=attributes)
    assert tag is not None, attributes
    return str(tag["content"])


def icon_file(page: BeautifulSoup, site: Path, page_url: str) -> Path:
    """The file the page's icon link names, as a browser resolves it against the page."""
    icon = page.find("link", rel="icon")
    assert icon is not None
    url_path = urlsplit(urljoin(page_url, str(icon["href"]))).path
    return site / url_path.lstrip("/")


# --- Without the real site --------------------------------------------------------------------


@pytest.mark.parametrize("code", [language.code for language in TRANSLATIONS])
def test_every_description_is_translated_in_the_interface_catalog(code: str) -> None:
    catalog = read_catalog(PROJECT.locales / code / "LC_MESSAGES" / "sphinx.po")
    for english in descriptions().values():
        message = catalog.get(english)
        assert message is not None, f"{code}: no entry for {english!r}"
        assert message.string and message.string != english and not message.fuzzy, english


def test_the_icon_files_are_an_svg_and_an_ico() -> None:
    svg = ElementTree.parse(FAVICON_SVG).getroot()
    assert svg.tag == "{http://www.w3.org/2000/svg}svg"
    data = FAVICON_ICO.read_bytes()
    reserved, kind, count = struct.unpack("<HHH", data[:6])
    assert (reserved, kind, count) == (0, 1, 1)
    size, offset = struct.unpack("<II", data[14:22])
    assert data[offset : offset + 8] == b"\x89PNG\r\n\x1a\n" and offset + size == len(data)


def test_the_root_page_has_absolute_alternates_and_x_default() -> None:
    base = "https://docs.test/quick/"
    page = BeautifulSoup(render_root_page(base), "html.parser")
    expected = {language.tag: f"{base}{language.code}/" for language in LANGUAGES}
    assert alternates(page) == {**expected, "x-default": base}
    assert page.find("link", rel="canonical")["href"] == base
    assert meta(page, name="description")
    assert page.find("link", rel="icon")["href"] == "favicon.svg"


def test_robots_txt_names_the_sitemap() -> None:
    assert "Sitemap: https://docs.test/sitemap.xml\n" in robots_txt("https://docs.test/")


@pytest.fixture(scope="module")
def small_russian_build(tmp_path_factory: pytest.TempPathFactory) -> Build:
    """A two-page project built in Russian for a base URL given by the environment."""
    outdir = tmp_path_factory.mktemp("findable") / "ru"
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv(BASE_URL_VARIABLE, "https://docs.test/quick/")
        build = sphinx("html", ROOTS / "two-pages", outdir, "language=ru")
    assert build.returncode == 0, build.output
    return build


def test_the_environment_sets_the_base_url_of_every_url(small_russian_build: Build) -> None:
    base, outdir = "https://docs.test/quick/", small_russian_build.outdir
    page = soup(outdir / "other.html")
    url = f"{base}ru/other.html"
    assert page.find("link", rel="canonical")["href"] == url
    assert meta(page, property="og:url") == url
    expected = {language.tag: f"{base}{language.code}/other.html" for language in LANGUAGES}
    assert alternates(page) == {**expected, "x-default": f"{base}en/other.html"}
    catalog = read_catalog(PROJECT.locales / "ru" / "LC_MESSAGES" / "sphinx.po")
    russian = catalog.get(descriptions()["index"]).string  # a page without its own: the site's
    assert meta(page, name="description") == russian == meta(page, property="og:description")
    assert meta(page, property="og:site_name") == BY_CODE["ru"].site_title
    assert icon_file(page, outdir.parent, url.replace(base, "/")).is_file()
    sitemap = ElementTree.parse(outdir / "sitemap.xml").getroot()
    locations = [loc.text for loc in sitemap.iter(f"{{{SITEMAP_NS}}}loc")]
    assert sorted(locations) == [f"{base}ru/index.html", url]


def test_an_incremental_build_keeps_every_page_in_the_sitemap(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """sphinx-sitemap lists the pages a build renders; a build that rewrote one page (and
    the index and search pages) must still list the pages it left as they were."""
    monkeypatch.setenv(BASE_URL_VARIABLE, "https://docs.test/")
    source = tmp_path / "source"
    shutil.copytree(ROOTS / "two-pages", source)
    outdir = tmp_path / "ru"
    command = sphinx_command(
        "html", outdir, outdir / ".doctrees", confdir=TEST_CONF, source=source, language="ru"
    )

    def listed() -> list[str]:
        subprocess.run(command, check=True, capture_output=True, timeout=300)
        sitemap = ElementTree.parse(outdir / "sitemap.xml").getroot()
        return sorted(loc.text or "" for loc in sitemap.iter(f"{{{SITEMAP_NS}}}loc"))

    every_page = ["https://docs.test/ru/index.html", "https://docs.test/ru/other.html"]
    assert listed() == every_page
    page = source / "index.md"  # lists other.md, which is not rewritten
    page.write_text(page.read_text(encoding="utf-8") + "\nOne more sentence.\n", "utf-8")
    assert listed() == every_page


# --- The real site ------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def site() -> Path:
    build = quickstart_site()
    assert build.returncode == 0, build.output
    return build.outdir


@pytest.fixture(scope="module")
def base(site: Path) -> str:
    url = built_base_url(site)
    assert urlsplit(url).scheme in ("http", "https") and url.endswith("/"), url
    return url


@pytest.mark.site
@pytest.mark.parametrize("code", CODES)
@pytest.mark.parametrize("name", PAGES)
def test_every_page_is_findable_in_its_language(
    site: Path, base: str, code: str, name: str
) -> None:
    path = site / code / f"{name}.html"
    page = soup(path)
    if name == "404":  # shown at any path: the language homes, and the root that chooses
        homes = {language.tag: f"{base}{language.code}/" for language in LANGUAGES}
        assert alternates(page) == {**homes, "x-default": base}
        assert meta(page, name="robots") == "noindex"
    else:
        urls = {language.tag: f"{base}{language.code}/{name}.html" for language in LANGUAGES}
        assert alternates(page) == {**urls, "x-default": urls[SOURCE.tag]}
        assert page.find("link", rel="canonical")["href"] == urls[BY_CODE[code].tag]
    description = meta(page, name="description")
    assert description and meta(page, property="og:description") == description
    if code != SOURCE.code:
        english = soup(site / SOURCE.code / f"{name}.html")
        assert description != meta(english, name="description")
    assert meta(page, property="og:title")
    assert meta(page, property="og:url") == f"{base}{code}/{name}.html"
    assert not page.find("meta", property="og:image")  # nothing from elsewhere
    # The 404 page is served at any missing path, so its icon link must work at any depth.
    served_at = f"/{code}/any/depth/{name}.html" if name == "404" else f"/{code}/{name}.html"
    assert icon_file(page, site, served_at).is_file()


@pytest.mark.site
def test_the_sitemap_lists_every_page_of_every_language_with_alternates(
    site: Path, base: str
) -> None:
    sitemap = ElementTree.parse(site / "sitemap.xml").getroot()
    entries = {}
    for url in sitemap.iter(f"{{{SITEMAP_NS}}}url"):
        links = url.findall(f"{{{XHTML_NS}}}link")
        entries[url.findtext(f"{{{SITEMAP_NS}}}loc")] = {
            link.get("hreflang"): link.get("href") for link in links
        }
    expected = {f"{base}{code}/{name}.html" for code in CODES for name in LISTED}
    assert set(entries) == expected
    for location, links in entries.items():
        name = location.rsplit("/", 1)[1]
        urls = {language.tag: f"{base}{language.code}/{name}" for language in LANGUAGES}
        assert links == {**urls, "x-default": urls[SOURCE.tag]}


@pytest.mark.site
def test_the_site_root_has_robots_txt_the_icon_and_absolute_alternates(
    site: Path, base: str
) -> None:
    assert f"Sitemap: {base}sitemap.xml" in (site / "robots.txt").read_text(encoding="utf-8")
    assert (site / "favicon.ico").read_bytes() == FAVICON_ICO.read_bytes()
    root = soup(site / "index.html")
    assert set(alternates(root)) == {*TAGS, "x-default"}
    assert all(url.startswith(base) for url in alternates(root).values())
    assert icon_file(root, site, "/").is_file()
