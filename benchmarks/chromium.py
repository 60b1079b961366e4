"""Debian's Chromium, driven by Playwright, that may only reach 127.0.0.1.

Used by the browser tests and the benchmark. ``playwright install`` cannot download a browser
here, so Playwright launches /usr/bin/chromium (apt-get install chromium).
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from urllib.parse import urlsplit

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
LOOPBACK = "127.0.0.1"


@contextlib.contextmanager
def chromium_page(aborted: list[str], *, locale: str = "en-US") -> Iterator[object]:
    """A fresh profile's page whose requests may only reach 127.0.0.1; any other request,
    from the page or its workers, is aborted and listed in ``aborted``."""
    from playwright.sync_api import sync_playwright

    def only_loopback(route) -> None:
        if urlsplit(route.request.url).hostname == LOOPBACK:
            route.continue_()
        else:
            aborted.append(route.request.url)
            route.abort()

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            # Playwright neither routes nor reports a service worker's requests, so one could
            # reach another host unseen. Blocked, JupyterLite's (the site's only one) is
            # replaced by the shared-memory channel of the cross-origin-isolated page.
            context = browser.new_context(locale=locale, service_workers="block")
            context.set_default_timeout(20_000)
            context.route("**/*", only_loopback)
            yield context.new_page()
        finally:
            browser.close()
