"""Pages that render sooner (sphinx_ext/site/render_path.py, the site's layout and asset
macros): nothing in a page's <head> holds up its first paint, and the search page keeps what
its search needs (tests/test_browser_search.py searches in Chromium)."""

from __future__ import annotations

import pytest
from bs4 import BeautifulSoup
from sphinx.builders.html._assets import _JavaScript

from quickstart_site.languages import CODES
from quickstart_site.orchestration.precompress import precompress
from quickstart_site.sphinx_ext.site.render_path import defer_scripts, with_line_counts
from tests.conftest import quickstart_site

SEARCH_SCRIPTS = ("searchtools.js", "language_data.js", "searchindex.js")


def scripts_after(pagename: str) -> list[_JavaScript]:
    context = {
        "script_files": [
            _JavaScript("_static/doctools.js"),
            _JavaScript("_static/switcher.js", defer="defer"),
            _JavaScript("_static/runner.js", type="module"),
            _JavaScript("_static/analytics.js", **{"async": "async"}),
            _JavaScript(None, body="window.x = 1;"),
            _JavaScript("_static/inline.js", body="window.y = 2;"),
        ]
    }
    defer_scripts(None, pagename, "page.html", context, None)  # type: ignore[arg-type]
    return context["script_files"]


def test_scripts_that_would_block_are_deferred_and_the_rest_left_alone() -> None:
    doctools, switcher, runner, analytics, inline, with_body = scripts_after("quickstart")
    assert doctools.attributes == {"defer": "defer"}
    assert doctools.filename == "_static/doctools.js"
    assert switcher.attributes == {"defer": "defer"}
    # A module waits for the page anyway; fetched at low priority, it leaves the line to the
    # style sheet the first paint waits for.
    assert runner.attributes == {"type": "module", "fetchpriority": "low"}
    assert analytics.attributes == {"async": "async"}
    assert "defer" not in inline.attributes and "defer" not in with_body.attributes


def test_the_search_page_keeps_its_scripts_as_they_are() -> None:
    assert "defer" not in scripts_after("search")[0].attributes


@pytest.fixture(scope="module")
def site():
    build = quickstart_site()
    assert build.returncode == 0, build.output
    return build.outdir


def head(site, code: str, page: str) -> BeautifulSoup:
    text = (site / code / f"{page}.html").read_text(encoding="utf-8")
    return BeautifulSoup(text, "html.parser").head


@pytest.mark.site
@pytest.mark.parametrize("code", CODES)
@pytest.mark.parametrize("page", ["index", "quickstart", "installation"])
def test_no_script_in_the_head_blocks_the_first_paint(site, code: str, page: str) -> None:
    for script in head(site, code, page).find_all("script"):
        if script.get("src"):
            waits = script.has_attr("defer") or script.has_attr("async")
            assert waits or script.get("type") == "module", script
    sources = [script.get("src", "") for script in head(site, code, page).find_all("script")]
    assert not [src for src in sources if src.split("?")[0].endswith(SEARCH_SCRIPTS)]
    styles = [link["href"] for link in head(site, code, page).find_all("link", rel="stylesheet")]
    assert not [href for href in styles if "styles/theme.css" in href]  # only an @import
    assert len(styles) == 1 and "_static/site-" in styles[0], styles  # tests/test_stylesheets.py


@pytest.mark.site
@pytest.mark.parametrize("code", CODES)
def test_the_search_page_still_loads_the_search(site, code: str) -> None:
    page = (site / code / "search.html").read_text(encoding="utf-8")
    for name in SEARCH_SCRIPTS:
        assert name in page, name


@pytest.mark.site
def test_the_build_wrote_compressed_copies(site) -> None:
    page = site / "en" / "quickstart.html"
    for suffix in (".br", ".gz"):
        assert (site / "en" / f"quickstart.html{suffix}").is_file(), suffix
    assert precompress(site).compressed == 0  # nothing left to do: every copy is current
    assert page.stat().st_mtime_ns == (site / "en" / "quickstart.html.br").stat().st_mtime_ns


def test_each_code_block_is_as_tall_as_its_lines_until_laid_out() -> None:
    body = (
        '<p>x</p><div class="highlight"><pre><span></span>a\nb\nc\n</pre></div>'
        '<div class="highlight"><pre><span></span>one\n</pre></div><pre>plain\n\n</pre>'
    )
    counted = with_line_counts(body)
    assert counted.count('<pre style="--code-lines: 3">') == 1
    assert counted.count('<pre style="--code-lines: 1">') == 1
    assert "<pre>plain" in counted  # not a highlighted block: left alone


@pytest.mark.site
@pytest.mark.parametrize("code", CODES)
def test_the_colour_mode_is_resolved_before_the_first_paint(site, code: str) -> None:
    """The theme's script, run after the first paint, finds the theme it would set already set
    (a changed data-theme restyles the whole page)."""
    first = head(site, code, "quickstart").find("script")
    assert "matchMedia" in first.string and "dataset.mode" in first.string, first
    assert 'localStorage.getItem("theme")' not in first.string


@pytest.mark.site
@pytest.mark.parametrize("code", CODES)
def test_code_blocks_carry_their_line_counts(site, code: str) -> None:
    page = BeautifulSoup(
        (site / code / "quickstart.html").read_text(encoding="utf-8"), "html.parser"
    )
    blocks = page.select("div.highlight > pre")
    assert blocks
    for block in blocks:
        lines = max(block.get_text().count("\n"), 1)
        assert block.get("style") == f"--code-lines: {lines}", block.get("style")
