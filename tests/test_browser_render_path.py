"""Pages that render sooner, in Chromium (sphinx_ext/site/render_path.py): the colour theme
is settled before the first paint, so the theme's script does not restyle the whole page
again; code blocks far from the screen are skipped by layout, and every block the browser lays
out is focusable exactly when it scrolls (the theme's rule, which it cannot apply to a skipped
block)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from benchmarks.chromium import shared_browser
from benchmarks.server_bench import ours, running

from tests.conftest import quickstart_site

pytestmark = [pytest.mark.site, pytest.mark.browser]

# Every change of <html data-theme>, and whether the body existed yet (it does not while the
# head's scripts run, before anything is painted).
WATCH_THEME = """
window.themeChanges = [];
new MutationObserver((records) => {
  for (const record of records) {
    const now = document.documentElement.dataset.theme;
    if (record.oldValue !== now) window.themeChanges.push([record.oldValue, now, !!document.body]);
  }
}).observe(document, {subtree: true, attributeFilter: ["data-theme"], attributeOldValue: true});
"""
BLOCKS = "[...document.querySelectorAll('div.highlight > pre')]"
# Each block as the page was loaded (the exercises replace some by their editor).
KEEP_BLOCKS = f"window.blocks = {BLOCKS}"
# A block scrolled into view, once the browser has laid it out and code-blocks.js has judged
# it (on the browser's own events, which come later on a busy machine: up to 2 s is allowed).
STATE = """(index) => {
  const pre = window.blocks[index];
  pre.scrollIntoView({block: "center"});
  const state = () => [
    pre.scrollWidth > pre.clientWidth || pre.scrollHeight > pre.clientHeight,
    pre.tabIndex,
    pre.isConnected && pre.checkVisibility(),
  ];
  const settled = ([scrolls, tabIndex, shown]) => !shown || tabIndex === (scrolls ? 0 : -1);
  const started = performance.now();
  return new Promise((done) => {
    const look = () => {
      const now = state();
      if (settled(now) || performance.now() - started > 2000) done(now);
      else setTimeout(look, 20);
    };
    requestAnimationFrame(() => setTimeout(look));
  });
}"""

# What a late event does: the browser said it lays the block out a moment ago, and skips it
# since; the theme writes its judgement of the skipped block (no size: -1) right after.
LATE_EVENT = """(index) => {
  const pre = window.blocks[index];
  const type = "contentvisibilityautostatechange";
  pre.dispatchEvent(new ContentVisibilityAutoStateChangeEvent(type, {skipped: false}));
  pre.tabIndex = -1;
  return new Promise((done) => setTimeout(() => done(pre.tabIndex)));
}"""
SKIPPED = (
    "(index) => !blocks[index].firstElementChild.checkVisibility({contentVisibilityAuto: true})"
)


@pytest.fixture(scope="module")
def base() -> Iterator[str]:
    build = quickstart_site()
    assert build.returncode == 0, build.output
    with running(ours(build.outdir)) as url:
        yield url


@pytest.fixture(scope="module")
def browser() -> Any:
    return shared_browser.get()


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_the_theme_is_settled_before_the_first_paint(browser: Any, base: str, scheme: str) -> None:
    context = browser.new_context(color_scheme=scheme)
    try:
        page = context.new_page()
        page.add_init_script(WATCH_THEME)
        page.goto(base + "en/quickstart.html", wait_until="load")
        page.wait_for_function("document.querySelector('.theme-switch-button') !== null")
        page.wait_for_timeout(300)  # the theme's script has set the mode by now
        changes = page.evaluate("window.themeChanges")
        assert changes == [["auto", scheme, False]], changes
    finally:
        context.close()


def test_blocks_are_focusable_when_laid_out_and_scrolling(browser: Any, base: str) -> None:
    context = browser.new_context(viewport={"width": 412, "height": 823})
    try:
        page = context.new_page()
        page.goto(base + "en/quickstart.html", wait_until="load")
        page.wait_for_timeout(500)
        count = page.evaluate(f"({KEEP_BLOCKS}).length")
        # The last block is far from the screen: its text is not laid out.
        assert page.evaluate(
            "!blocks.at(-1).firstElementChild.checkVisibility({contentVisibilityAuto: true})"
        )
        mismatches = []
        for index in range(count):
            scrolls, tab_index, shown = page.evaluate(STATE, index)
            if shown and tab_index != (0 if scrolls else -1):
                mismatches.append((index, scrolls, tab_index))
        assert not mismatches
        # Some block at this width scrolls sideways, so the rule is tested both ways.
        assert page.evaluate(f"{BLOCKS}.some((pre) => pre.tabIndex === 0)")
    finally:
        context.close()


def test_a_block_is_not_judged_while_skipped_on_a_late_event(browser: Any, base: str) -> None:
    """A block the browser skips measures as not scrolling: judged then, a scrolling block lost
    its tab stop, and axe (which lays skipped contents out) found it unreachable."""
    context = browser.new_context(viewport={"width": 412, "height": 823})
    try:
        page = context.new_page()
        page.goto(base + "en/quickstart.html", wait_until="load")
        count = page.evaluate(f"({KEEP_BLOCKS}).length")
        # The last block that scrolls sideways at this width, judged while laid out.
        for index in reversed(range(count)):
            scrolls, tab_index, shown = page.evaluate(STATE, index)
            if shown and scrolls:
                break
        else:
            pytest.fail("no block scrolls at this width")
        assert tab_index == 0
        page.evaluate("window.scrollTo(0, 0)")
        page.wait_for_function(SKIPPED, arg=index)
        assert page.evaluate(LATE_EVENT, index) == 0
    finally:
        context.close()
