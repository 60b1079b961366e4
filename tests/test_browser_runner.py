"""In a real browser (Debian's Chromium), from the site as our server serves it: a reader
clicks Run under an example and sees the output the page documents, in their language, with
nothing fetched from outside the site."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from quickstart_site.browser_bench import click_run
from quickstart_site.chromium import chromium_page
from quickstart_site.server_bench import ours, running
from tests.conftest import quickstart_site

# A plain route, url_for, a session, JSON: the kinds the issue names, and a template.
SOME_RUNS = ("minimal-app-1", "url-building-1", "sessions-2", "json-api-1", "templates-2")
# What the page may load before the reader reaches for a Run button: none of these.
RUNTIME_PATHS = ("/_runtime/", "/lite/", "/_examples/", "runner-worker.js", "run_example.py")


@pytest.fixture(scope="module")
def site() -> Iterator[tuple[Path, str]]:
    build = quickstart_site()
    assert build.returncode == 0, build.output
    with running(ours(build.outdir)) as base:
        yield build.outdir, base


def expected_runs(outdir: Path, language: str) -> dict:
    return json.loads((outdir / language / "_examples" / "quickstart.json").read_text())


def run(page, run_id: str) -> dict[str, str]:
    """Click the button of ``run_id``; wait for its panel to finish; what it shows."""
    panel = click_run(page, run_id)
    return {
        "state": panel.get_attribute("data-state"),
        "output": panel.locator(".example-runner-output").text_content(),
        "errors": panel.locator(".example-runner-errors").text_content(),
        "verdict": panel.locator(".example-runner-verdict").text_content(),
        "matches": panel.locator(".example-runner-verdict").get_attribute("data-matches"),
    }


def reading_page(page, base: str, language: str, requested: list[str]) -> None:
    page.context.on("request", lambda request: requested.append(request.url))
    page.goto(f"{base}{language}/quickstart.html")
    page.wait_for_load_state("networkidle")


@pytest.mark.parametrize(
    ("language", "run_ids"), [("en", None), ("kk", SOME_RUNS)], ids=["en-every-run", "kk"]
)
def test_run_shows_the_documented_output(site, language: str, run_ids):
    outdir, base = site
    data = expected_runs(outdir, language)
    aborted: list[str] = []
    requested: list[str] = []
    with chromium_page(aborted) as page:
        reading_page(page, base, language, requested)
        before = [url for url in requested if any(part in url for part in RUNTIME_PATHS)]
        assert before == [], "the reading page loaded the runtime before any interaction"

        for run_id in run_ids or data["runs"]:
            shown = run(page, run_id)
            expected = data["runs"][run_id]["expected"]
            assert shown["state"] == "done", (run_id, shown)
            assert shown["output"] == (expected or data["labels"]["no_output"]), run_id
            assert shown["matches"] == "true", (run_id, shown)
            assert shown["verdict"] == f"✓ {data['labels']['matches']}"

    # One Python for the page: the runtime was fetched once, whatever the number of runs.
    assert sum(url.endswith("/pyodide.asm.wasm") for url in requested) == 1
    assert aborted == []
    assert [url for url in requested if urlsplit(url).hostname != "127.0.0.1"] == []


def test_the_run_control_speaks_the_pages_language(site):
    outdir, base = site
    labels = expected_runs(outdir, "kk")["labels"]
    english = expected_runs(outdir, "en")["labels"]
    assert labels["run"] != english["run"]
    aborted: list[str] = []
    with chromium_page(aborted, locale="kk-KZ") as page:
        page.goto(f"{base}kk/quickstart.html")
        button = page.locator('.example-runner[data-run="minimal-app-1"] button')
        assert button.text_content().strip() == f"▶ {labels['run']}"
        run(page, "minimal-app-1")
        panel = page.locator(".example-runner-panel")
        assert panel.locator("summary").text_content() == labels["code"]
        assert panel.locator(".example-runner-console").text_content() == labels["console"]
    assert aborted == []


def test_an_edited_example_runs_as_edited(site):
    _outdir, base = site
    aborted: list[str] = []
    with chromium_page(aborted) as page:
        page.goto(f"{base}en/quickstart.html")
        run(page, "minimal-app-1")
        panel = page.locator('.example-runner[data-run="minimal-app-1"] + .example-runner-panel')
        panel.locator("summary").click()
        code = panel.locator("textarea")
        code.fill(code.input_value().replace("Welcome to the bookshop!", "Edited!"))
        panel.locator(".example-runner-again").click()
        panel.locator(".example-runner-output", has_text="Edited!").wait_for(timeout=30_000)
        # An edited program is not compared with the page's output.
        assert panel.locator(".example-runner-verdict").text_content() == ""
    assert aborted == []
