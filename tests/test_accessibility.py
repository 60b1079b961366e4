"""axe-core finds no accessibility violation on the site, in every language, light and dark.

The pinned axe-core (``tests/npm``, installed by ``nox -s test`` with ``npm ci``) runs with its
default rules, every impact, in Debian's Chromium on the pages as our server serves them: the
reading page with a Run panel opened, the home page, a search with results and the 404 page,
in each language and in both colour schemes. Nothing may leave 127.0.0.1. The pages' CSP only
lets their own scripts run, so the contexts bypass it for the injected axe script alone.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from benchmarks.browser_bench import DONE
from benchmarks.chromium import block_outside, shared_browser
from benchmarks.server_bench import ours, running

from quickstart_site.languages import CODES
from tests.conftest import quickstart_site

pytestmark = [pytest.mark.site, pytest.mark.browser]

AXE = Path(__file__).parent / "npm" / "node_modules" / "axe-core" / "axe.min.js"
SCHEMES = ("light", "dark")
# The reading page with a Run panel open, the home page, a search with results, the 404 page.
READING_PAGE = "quickstart.html"
OTHER_PAGES = ("index.html", "search.html?q=flask", "404.html")

# axe.run(document) with its default rules; only what a failure report needs comes back.
# resultTypes: axe still runs every rule, but details only the violations (on the reading
# page, 15% of its time went to listing the passes).
RUN_AXE = """async () => {
  const results = await axe.run(document, {resultTypes: ["violations"]});
  return results.violations.map((rule) => ({
    id: rule.id,
    impact: rule.impact,
    help: rule.help,
    nodes: rule.nodes.map((node) => ({
      target: node.target.join(" "),
      summary: node.failureSummary,
    })),
  }));
}"""


@pytest.fixture(scope="module")
def site() -> Iterator[str]:
    if not AXE.is_file():
        pytest.fail(f"{AXE} is missing: run `npm ci --prefix tests/npm` (nox -s test does)")
    build = quickstart_site()
    assert build.returncode == 0, build.output
    with running(ours(build.outdir)) as base:
        yield base


@pytest.fixture(scope="module")
def browser() -> Any:
    return shared_browser.get()


def open_context(browser: Any, scheme: str, aborted: list[str]) -> Any:
    """A context in ``scheme`` that may only reach 127.0.0.1 (as ``chromium_page``'s), whose
    pages accept the injected axe script."""
    context = browser.new_context(color_scheme=scheme, service_workers="block", bypass_csp=True)
    context.set_default_timeout(20_000)
    block_outside(context, aborted)
    return context


def start_a_run(page: Any) -> Any:
    """Click the first Run button of the reading page; its panel, running."""
    run_id = page.locator(".example-runner").first.get_attribute("data-run")
    page.locator(f'.example-runner[data-run="{run_id}"] button').click()
    return page.locator(f'.example-runner[data-run="{run_id}"] + .example-runner-panel')


def violations(page: Any, scheme: str) -> list[str]:
    """axe-core's violations on the page as it is now, one readable entry per element."""
    # The theme's script turns the reader's setting into the page's colours; let them settle.
    page.wait_for_function(f"document.documentElement.dataset.theme === {scheme!r}")
    page.wait_for_timeout(250)
    if not page.evaluate("typeof axe === 'object'"):  # once per page load
        page.add_script_tag(content=AXE.read_text(encoding="utf-8"))
    return [
        f"{rule['id']} ({rule['impact']}) {node['target']}: {rule['help']}\n"
        + "\n".join(f"      {line}" for line in (node["summary"] or "").splitlines())
        for rule in page.evaluate(RUN_AXE)
        for node in rule["nodes"]
    ]


def in_both_schemes(page: Any, where: str) -> dict[str, list[str]]:
    """The page's violations in light, then in dark: the reader's setting changes under the
    page (the theme follows it), so an open Run panel stays open for both."""
    found = {}
    for scheme in SCHEMES:
        page.emulate_media(color_scheme=scheme)
        found[scheme] = [f"{where} [{scheme}] {entry}" for entry in violations(page, scheme)]
    return found


@pytest.fixture(scope="module")
def reports(browser: Any, site: str) -> dict[str, list[str]]:
    """Every violation on every audited page, per colour scheme, one readable entry each.

    The reading pages start their runs first (Pyodide takes seconds to start), and are
    audited once the other pages are, with their Run panel open and its output shown."""
    report: dict[str, list[str]] = {scheme: [] for scheme in SCHEMES}
    aborted: list[str] = []

    def add(found: dict[str, list[str]]) -> None:
        for scheme, entries in found.items():
            report[scheme] += entries

    context = open_context(browser, SCHEMES[0], aborted)
    try:
        running = []
        for language in CODES:
            page = context.new_page()
            page.goto(f"{site}{language}/{READING_PAGE}")
            running.append((language, page, start_a_run(page)))
        page = context.new_page()
        for language in CODES:
            for path in OTHER_PAGES:
                page.goto(f"{site}{language}/{path}")
                if path.startswith("search.html"):
                    page.locator("#search-results ul.search li a").first.wait_for()
                add(in_both_schemes(page, f"{language}/{path}"))
        for language, page, panel in running:
            panel.locator(DONE).wait_for(timeout=120_000)
            assert panel.get_attribute("data-state") == "done", panel.inner_text()
            add(in_both_schemes(page, f"{language}/{READING_PAGE}"))
    finally:
        context.close()
    assert aborted == [], f"requests that left 127.0.0.1: {aborted}"
    return report


@pytest.mark.parametrize("scheme", SCHEMES)
def test_no_axe_violations(reports: dict[str, list[str]], scheme: str) -> None:
    report = reports[scheme]
    assert not report, f"{len(report)} axe-core violations:\n" + "\n".join(report)
