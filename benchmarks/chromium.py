"""Debian's Chromium, driven by Playwright, that may only reach 127.0.0.1.

Used by the browser tests and the benchmark. ``playwright install`` cannot download a browser
here, so Playwright launches /usr/bin/chromium (apt-get install chromium).
"""

from __future__ import annotations

import atexit
import contextlib
import re
from collections.abc import Iterator
from typing import Any

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
# The tests' Chromium runs WebAssembly as Liftoff, V8's baseline compiler, compiles it, without
# recompiling its hot functions with TurboFan in the background: that tier-up is 1.7 s of CPU
# per Python the page starts (of 3 s; measured per thread here), buys nothing a test checks,
# and on two cores it slows the run it races (a cold Run: 2.0 s with it, 1.45 s without).
# The benchmark measures what readers get: Chromium as it comes (launched_browser).
TEST_ARGS = [*CHROMIUM_ARGS, "--js-flags=--liftoff-only"]
LOOPBACK = "127.0.0.1"
# Any request to another host. Only these are routed through Playwright: a route that matches
# every request pauses each one until the test process answers (7% of a page's CPU with a
# Python start, 10% of JupyterLite's, measured here); requests to 127.0.0.1 go unpaused.
OUTSIDE = re.compile(rf"^(?:https?|wss?)://(?!{re.escape(LOOPBACK)}[:/])")


def block_outside(context: Any, aborted: list[str]) -> None:
    """Abort every request of ``context`` (its pages and their workers) that would leave
    127.0.0.1, listing it in ``aborted``."""

    def abort(route: Any) -> None:
        aborted.append(route.request.url)
        route.abort()

    context.route(OUTSIDE, abort)


class SharedBrowser:
    """One Chromium for the whole process, started on first use and stopped at exit: each
    caller gets a new browser context, which is a fresh profile of its own (cookies, storage,
    HTTP cache, service workers), without paying Playwright's driver and Chromium's start
    each time (2.2 s against 0.6 s for a context, measured here under load). A browser that
    crashed or was closed is started again."""

    def __init__(self) -> None:
        self.playwright: Any = None
        self.browser: Any = None

    def driver(self) -> Any:
        """The process's one Playwright driver (a second one in the same thread is refused:
        "Sync API inside the asyncio loop")."""
        if self.playwright is None:
            from playwright.sync_api import sync_playwright

            self.playwright = sync_playwright().start()
            atexit.register(self.stop)
        return self.playwright

    def launch(self, args: list[str] = CHROMIUM_ARGS) -> Any:
        return self.driver().chromium.launch(executable_path=CHROMIUM, args=args)

    def get(self) -> Any:
        """The tests' Chromium (TEST_ARGS)."""
        if self.browser is None or not self.browser.is_connected():
            self.browser = self.launch(TEST_ARGS)
        return self.browser

    def stop(self) -> None:
        if self.browser is not None and self.browser.is_connected():
            self.browser.close()
        if self.playwright is not None:
            self.playwright.stop()
        self.browser = self.playwright = None


shared_browser = SharedBrowser()


@contextlib.contextmanager
def launched_browser() -> Iterator[Any]:
    """A Chromium of its own, closed afterwards: for what a fresh browser process must
    measure (the benchmark's cold figures)."""
    browser = shared_browser.launch()
    try:
        yield browser
    finally:
        browser.close()


@contextlib.contextmanager
def chromium_page(
    aborted: list[str], *, locale: str = "en-US", fresh_browser: bool = False
) -> Iterator[Any]:
    """A fresh profile's page whose requests may only reach 127.0.0.1; any other request,
    from the page or its workers, is aborted and listed in ``aborted``. The profile is a new
    context of the process's one Chromium, or of a Chromium of its own (``fresh_browser``)."""

    with contextlib.ExitStack() as stack:
        browser = stack.enter_context(launched_browser()) if fresh_browser else shared_browser.get()
        # Playwright neither routes nor reports a service worker's requests, so one could
        # reach another host unseen. Blocked, JupyterLite's (the site's only one) is
        # replaced by the shared-memory channel of the cross-origin-isolated page.
        context = browser.new_context(locale=locale, service_workers="block")
        stack.callback(context.close)
        context.set_default_timeout(20_000)
        block_outside(context, aborted)
        yield context.new_page()
