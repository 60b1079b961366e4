"""The tutorial as a notebook, in a real browser: a Russian reader opens it in JupyterLite and
runs every cell, top to bottom, on the site's own Pyodide kernel."""

from __future__ import annotations

import json

import nbformat
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from quickstart_site.chromium import chromium_page
from quickstart_site.server_bench import ours, running
from tests.conftest import quickstart_site


def test_the_russian_notebook_runs_top_to_bottom_in_jupyterlite():
    build = quickstart_site()
    assert build.returncode == 0, build.output
    notebook = nbformat.read(build.outdir / "ru" / "lite" / "files" / "quickstart.ipynb", 4)
    code_cells = [cell for cell in notebook.cells if cell.cell_type == "code"]
    runs = json.loads((build.outdir / "ru" / "_examples" / "quickstart.json").read_text())
    last_output = runs["runs"]["proxy-fix-1"]["expected"].strip()
    assert code_cells[-1].source.startswith("client = app.test_client()")

    aborted: list[str] = []
    with running(ours(build.outdir)) as base, chromium_page(aborted, locale="ru-RU") as page:
        # A cold JupyterLite kernel now and then stays busy and never runs a cell (see the
        # note on issue 4): one stall is retried with a reload; two in a row fail the test.
        for attempt in (1, 2):
            try:
                run_all(
                    page,
                    f"{base}ru/lite/notebooks/index.html?path=quickstart.ipynb",
                    len(code_cells),
                )
                break
            except PlaywrightTimeout:
                if attempt == 2:
                    raise
        last = page.locator(".jp-CodeCell").last
        assert last.locator(".jp-OutputArea").inner_text().strip() == last_output
        errors = page.locator("[data-mime-type='application/vnd.jupyter.error']")
        assert errors.count() == 0, errors.all_inner_texts()
    assert aborted == []


def run_all(page, url: str, code_cells: int) -> None:
    page.goto(url)
    page.locator(".jp-Notebook-ExecutionIndicator[data-status='idle']").wait_for(timeout=90_000)
    # The notebook is the page: its first heading is the Russian title.
    assert page.locator(".jp-MarkdownCell h1").first.text_content().startswith("Быстрый")
    page.get_by_role("menuitem", name="Run", exact=True).click()
    page.locator("[data-command='runmenu:run-all']").click()
    # Execution counts go up one per cell; a failing cell stops "Run All" before the end.
    last = page.locator(".jp-CodeCell").last
    last.locator(".jp-InputPrompt", has_text=f"[{code_cells}]").wait_for(timeout=120_000)
