"""The tests' own Chromium (benchmarks/chromium.py): nothing a page or its workers ask for
leaves 127.0.0.1, and each attempt is listed; requests to 127.0.0.1 are left alone."""

from __future__ import annotations

import pytest
from benchmarks.chromium import chromium_page

pytestmark = pytest.mark.browser

# From a page with no policy of its own: a fetch to an address, one to a name, a worker's, and
# one to 127.0.0.1 (nothing listens on port 9 there, so it fails, but it was not blocked).
ASK = """async () => {
  const tries = ["http://93.184.216.34/page", "https://example.org/page", "http://127.0.0.1:9/"];
  for (const url of tries) {
    try { await fetch(url, {mode: "no-cors"}); } catch {}
  }
  const code = "fetch('http://example.net/worker').catch(() => 0).then(() => postMessage(1))";
  const worker = new Worker(URL.createObjectURL(new Blob([code], {type: "text/javascript"})));
  await new Promise((resolve) => (worker.onmessage = resolve));
}"""


def test_requests_that_would_leave_the_machine_are_aborted_and_listed():
    aborted: list[str] = []
    with chromium_page(aborted) as page:
        page.goto("about:blank")
        page.evaluate(ASK)
    assert sorted(aborted) == [
        "http://93.184.216.34/page",
        "http://example.net/worker",
        "https://example.org/page",
    ]
