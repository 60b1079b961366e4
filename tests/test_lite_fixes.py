"""lite_fixes: every JupyterLite app page runs our early scripts before anything else."""

from __future__ import annotations

import pytest

from quickstart_site.sphinx_ext.browser.lite_fixes import AppPageError, add_early_scripts

FIRST = '<head><script src="../atomics-wait-async.js"></script>'


def app_page(lite, app: str, html: str):
    page = lite / app / "index.html"
    page.parent.mkdir(parents=True)
    page.write_text(html, encoding="utf-8")
    return page


def test_each_app_page_loads_the_scripts_first_once_however_often_it_runs(tmp_path):
    pages = [
        app_page(tmp_path, app, "<html><head><script src='x.js'></script></head></html>")
        for app in ("lab", "repl")
    ]
    add_early_scripts(tmp_path)
    add_early_scripts(tmp_path)  # an incremental build over the same output
    for page in pages:
        html = page.read_text(encoding="utf-8")
        assert html.startswith(f"<html>{FIRST}<script src='x.js'>")
        assert html.count("atomics-wait-async.js") == 1
    assert "Atomics.waitAsync" in (tmp_path / "atomics-wait-async.js").read_text("utf-8")


def test_a_page_without_head_stops_the_build_naming_it(tmp_path):
    page = app_page(tmp_path, "lab", "<html><body></body></html>")
    with pytest.raises(AppPageError, match=f"{page}: no <head>"):
        add_early_scripts(tmp_path)


def test_an_output_without_apps_stops_the_build(tmp_path):
    with pytest.raises(AppPageError, match="no JupyterLite app"):
        add_early_scripts(tmp_path)
