"""One style sheet per page, and the theme's icon font cut to the icons shown
(sphinx_ext/site/stylesheets.py, icon_font.py): what the first paint waits for."""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from fontTools.ttLib import TTFont
from sphinx.errors import ExtensionError

from quickstart_site.languages import CODES
from quickstart_site.sphinx_ext.site import icon_font, stylesheets
from tests.conftest import quickstart_site

PAGES = ("index", "installation", "quickstart", "search", "genindex", "404")


def test_relative_urls_stay_pointed_at_the_same_files() -> None:
    css = (
        "a{src:url(../vendor/font.woff2)} b{background:url('img/x.png')}"
        " c{background:url(\"data:image/svg+xml;charset=utf-8,%3Csvg fill='rgba(0, 0, 0)'\")}"
        " d{background:url(/abs.png)} e{background:url(https://example.org/x.png)}"
    )
    rebased = stylesheets.rebased(css, "_static/styles/theme.css")
    assert 'url("vendor/font.woff2")' in rebased
    assert 'url("styles/img/x.png")' in rebased
    assert "rgba(0, 0, 0)" in rebased and "url(/abs.png)" in rebased
    assert "url(https://example.org/x.png)" in rebased


def test_sheets_are_joined_in_order_without_their_charsets(tmp_path: Path) -> None:
    static = tmp_path / "_static"
    static.mkdir()
    (static / "one.css").write_text('@charset "UTF-8";\na{color:red}', encoding="utf-8")
    (static / "two.css").write_text("a{color:blue}", encoding="utf-8")
    text = stylesheets.joined(tmp_path, ["_static/one.css", "_static/two.css"])
    assert text.count("@charset") == 1 and text.startswith("@charset")
    assert text.index("color:red") < text.index("color:blue")  # the cascade is unchanged
    assert stylesheets.known_sources(tmp_path) == {}  # nothing written yet


def test_a_sheet_that_imports_another_stops_the_build(tmp_path: Path) -> None:
    static = tmp_path / "_static"
    static.mkdir()
    (static / "one.css").write_text('a{}\n\n@import "other.css";', encoding="utf-8")
    with pytest.raises(ExtensionError, match=r"one\.css:3: @import"):
        stylesheets.joined(tmp_path, ["_static/one.css"])


def test_the_link_carries_the_checksum_of_what_it_links() -> None:
    html = '<link href="../_static/site-abc123.css?v=11" /><link href="_static/site-abc123.css" />'
    link = stylesheets.LINK
    out = link.sub(
        lambda found: stylesheets.versioned(found, {"_static/site-abc123.css": "f0"}), html
    )
    assert out.count("site-abc123.css?v=f0") == 2


def test_icon_classes_map_to_their_code_points() -> None:
    css = (
        '.fa-bars,.fa-navicon{--fa:"\\f0c9"}.fa-sun{--fa:"\\f185"}.fa-fw{width:1.25em}'
        '.fa-0{--fa:"\\30 "}.fa-a{--fa:"A"}.fa-exclamation{--fa:"\\!"}'
    )
    assert icon_font.code_points(css) == {
        "fa-bars": 0xF0C9,
        "fa-navicon": 0xF0C9,
        "fa-sun": 0xF185,
        "fa-0": ord("0"),
        "fa-a": ord("A"),
        "fa-exclamation": ord("!"),
    }
    names = icon_font.named_classes(['<i class="fa-solid fa-bars fa-lg">', 'x="fa-sun"'])
    assert {"fa-bars", "fa-sun", "fa-solid", "fa-lg"} <= names


def test_a_theme_without_icon_rules_stops_the_build(tmp_path: Path) -> None:
    (tmp_path / "styles").mkdir()
    (tmp_path / "styles" / "theme.css").write_text(".fa-bars:before{content:'x'}")
    with pytest.raises(ExtensionError, match="ICON_RULE"):
        icon_font.used_code_points(tmp_path, [])


@pytest.fixture(scope="module")
def site() -> Path:
    build = quickstart_site()
    assert build.returncode == 0, build.output
    return Path(build.outdir)


def page_of(site: Path, code: str, page: str) -> BeautifulSoup:
    return BeautifulSoup((site / code / f"{page}.html").read_text(encoding="utf-8"), "html.parser")


@pytest.mark.site
@pytest.mark.parametrize("code", CODES)
@pytest.mark.parametrize("page", PAGES)
def test_a_page_waits_for_one_style_sheet(site: Path, code: str, page: str) -> None:
    """One render-blocking style sheet, whose ?v= is the checksum of its content (the server
    lets browsers keep a fingerprinted file for good), joining the theme's sheets and
    ours, whose url()s name files that exist."""
    html = page_of(site, code, page)
    links = html.find_all("link", rel="stylesheet")
    assert len(links) == 1, [link["href"] for link in links]
    linked = re.search(r"_static/(site-[0-9a-f]{6}\.css)\?v=([0-9a-f]+)$", links[0]["href"])
    assert linked, links[0]["href"]
    joined, version = site / code / "_static" / linked[1], linked[2]
    text = joined.read_text(encoding="utf-8")
    assert version == hashlib.sha256(text.encode()).hexdigest()[:12]
    for source in ("basic.css", "styles/pydata-sphinx-theme.css", "pygments.css"):
        assert f"/* _static/{source} */" in text
    assert 'html[data-theme="dark"] .highlight' in text  # the theme's pygments.css, rewritten
    for url in re.findall(r'url\("([^"]+)"\)', text):
        if not url.startswith("data:"):
            assert (joined.parent / url).is_file(), url


@pytest.mark.site
@pytest.mark.parametrize("code", CODES)
def test_the_icon_font_holds_the_icons_the_pages_show_and_no_more(site: Path, code: str) -> None:
    static = site / code / "_static"
    font_path = static / "vendor/fontawesome/webfonts/fa-solid-900.woff2"
    assert font_path.stat().st_size < 8_000  # the theme's is 115 KB
    # Font Awesome's script, which no page loads, is not shipped (1.5 MB per language).
    assert not list(static.rglob("fontawesome.js*")), list(static.rglob("fontawesome.js*"))
    with TTFont(font_path) as font:
        cmap = set(font.getBestCmap())
    stylesheet = (static / "styles/pydata-sphinx-theme.css").read_text(encoding="utf-8")
    points = icon_font.code_points(stylesheet)
    for page in PAGES:
        for icon in page_of(site, code, page).select("i.fa-solid, span.fa-solid, i.fas"):
            shown = [points[name] for name in icon["class"] if name in points]
            assert shown and set(shown) <= cmap, (page, icon)


def test_rules_of_icons_no_page_names_go() -> None:
    css = 'a{}.fa-bars,.fa-navicon{--fa:"\\f0c9"}.fa-sun{--fa:"\\f185"}.fa-a{--fa:"A"}'
    css += ".fa-fw{width:1em}"
    kept = icon_font.without_unused_icon_rules(css, {"fa-navicon", "fa-solid"})
    assert kept == 'a{}.fa-bars,.fa-navicon{--fa:"\\f0c9"}.fa-fw{width:1em}'


@pytest.mark.site
@pytest.mark.parametrize("code", CODES)
def test_the_joined_sheet_keeps_only_the_shown_icons(site: Path, code: str) -> None:
    static = site / code / "_static"
    theme = (static / "styles/pydata-sphinx-theme.css").read_text(encoding="utf-8")
    for joined in static.glob("site-*.css"):
        text = joined.read_text(encoding="utf-8")
        shown = icon_font.code_points(text)
        assert len(shown) < 40 < len(icon_font.code_points(theme))
        assert shown["fa-magnifying-glass"] == 0xF002  # the search button's
