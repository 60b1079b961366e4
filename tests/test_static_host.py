"""The built site on a static host: Debian's nginx with the project's deploy/nginx.conf, its
worker running as ``nobody`` (neither root nor the files' owner), in Chromium from 127.0.0.1.

The site is uploaded as a deploy would: a hard-linked copy (same inodes, same modes) in a
folder anyone may enter, since pytest's own temporary folders are private (0700)."""

from __future__ import annotations

import http.client
import json
import os
import pwd
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from benchmarks.browser_bench import click_run
from benchmarks.chromium import LOOPBACK, chromium_page
from benchmarks.nginx import NGINX, WORKER_USER, nginx_serving, uid_of

from quickstart_site.orchestration.static_host import site_policies
from tests.conftest import quickstart_site

pytestmark = [pytest.mark.site, pytest.mark.browser]

RUN_ID = "minimal-app-1"
# Every security-policy violation the page reports (init scripts are not subject to the CSP).
RECORD_VIOLATIONS = """
window.__violations = [];
document.addEventListener("securitypolicyviolation", (event) =>
    window.__violations.push(`${event.violatedDirective} ${event.blockedURI}`));
"""
# Blocked service workers (see chromium.py): JupyterLite's manager rejects with no reason.
SERVICE_WORKER_BLOCKED = "undefined"


def deployed_copy(site: Path, into: Path) -> Path:
    """The site as uploaded: hard links keep each file's inode and mode; folders keep theirs."""
    target = into / "site"
    shutil.copytree(site, target, copy_function=os.link)
    return target


@pytest.fixture(scope="module")
def served() -> Iterator[tuple[Path, str, int, list[int]]]:
    if not os.path.exists(NGINX):
        pytest.skip("nginx is not installed (apt-get install nginx)")
    if os.geteuid() != 0:
        pytest.skip("the nginx master must start as root to run its worker as nobody")
    build = quickstart_site()
    assert build.returncode == 0, build.output
    with tempfile.TemporaryDirectory(prefix="static-host-") as upload:
        os.chmod(upload, 0o755)
        site = deployed_copy(build.outdir, Path(upload))
        with nginx_serving(site) as (base, port, workers):
            yield site, base, port, workers


def get(port: int, path: str) -> tuple[int, http.client.HTTPMessage, bytes]:
    connection = http.client.HTTPConnection(LOOPBACK, port, timeout=10)
    try:
        connection.request("GET", path)
        response = connection.getresponse()
        return response.status, response.headers, response.read()
    finally:
        connection.close()


def test_the_worker_reading_the_files_is_neither_root_nor_their_owner(served):
    site, _base, _port, workers = served
    nobody = pwd.getpwnam(WORKER_USER).pw_uid
    assert workers, "nginx started no worker"
    assert {uid_of(pid) for pid in workers} == {nobody}
    assert site.stat().st_uid != nobody
    assert (site / "_runtime" / "pyodide" / "pyodide.asm.wasm").stat().st_uid != nobody


def test_headers_types_and_404_pages(served):
    site, _base, port, _workers = served
    policies = site_policies(site)

    status, headers, _ = get(port, "/_runtime/pyodide/pyodide.asm.wasm")
    assert (status, headers["Content-Type"]) == (200, "application/wasm")
    assert headers["Cross-Origin-Resource-Policy"] == "same-origin"
    status, headers, _ = get(port, "/_runtime/pyodide/pyodide.mjs")
    assert (status, headers["Content-Type"].split(";")[0]) == (200, "text/javascript")

    status, headers, body = get(port, "/en/quickstart.html")
    assert status == 200
    assert headers["Content-Security-Policy"] == policies.site
    assert headers["Cross-Origin-Opener-Policy"] == "same-origin"
    assert headers["Cross-Origin-Embedder-Policy"] == "require-corp"
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert headers["Cache-Control"] == "no-cache"
    status, headers, _ = get(port, "/lite/notebooks/index.html")
    assert (status, headers["Content-Security-Policy"]) == (200, policies.lite)

    status, headers, body = get(port, "/ru/nope.html")
    assert status == 404
    assert body == (site / "ru" / "404.html").read_bytes()
    assert headers["Content-Security-Policy"] == policies.site
    status, _headers, body = get(port, "/nope.html")
    assert (status, body) == (404, (site / "en" / "404.html").read_bytes())

    status, _headers, body = get(port, "/")
    assert (status, body) == (200, (site / "index.html").read_bytes())
    for private in ("/_headers", "/_deploy/csp.conf", "/en/.buildinfo"):
        assert get(port, private)[0] == 404, private


@pytest.mark.parametrize("language", ["en", "kk"])
def test_a_run_button_works_from_nginx(served, language: str):
    site, base, _port, _workers = served
    expected = json.loads((site / language / "_examples" / "quickstart.json").read_text())
    aborted: list[str] = []
    with chromium_page(aborted) as page:
        page.add_init_script(RECORD_VIOLATIONS)
        page.goto(f"{base}{language}/quickstart.html")
        assert page.evaluate("crossOriginIsolated") is True
        panel = click_run(page, RUN_ID)
        shown = panel.locator(".example-runner-output").text_content()
        assert panel.get_attribute("data-state") == "done", panel.inner_text()
        assert shown == expected["runs"][RUN_ID]["expected"]
        assert panel.locator(".example-runner-verdict").get_attribute("data-matches") == "true"
        assert page.evaluate("window.__violations") == []
    assert aborted == []


def test_the_notebook_runs_its_first_cells_in_jupyterlite(served):
    site, base, _port, _workers = served
    notebook = json.loads((site / "lite" / "files" / "en" / "quickstart.ipynb").read_text())
    code_cells = [cell for cell in notebook["cells"] if cell["cell_type"] == "code"]
    assert "".join(code_cells[1]["source"]).startswith("response = app.test_client()")
    aborted: list[str] = []
    page_errors: list[str] = []
    with chromium_page(aborted) as page:
        page.on("pageerror", lambda error: page_errors.append(str(error)))
        page.add_init_script(RECORD_VIOLATIONS)
        page.goto(f"{base}lite/notebooks/index.html?path=en/quickstart.ipynb")
        assert page.evaluate("crossOriginIsolated") is True
        page.locator(".jp-Notebook-ExecutionIndicator[data-status='idle']").wait_for(timeout=90_000)
        page.get_by_role("menuitem", name="Run", exact=True).click()
        page.locator("[data-command='runmenu:run-all']").click()
        # The first two code cells: the app, then a request to it, which prints its answer
        # (a cell without its predecessor's app would raise NameError instead).
        expected = json.loads((site / "en" / "_examples" / "quickstart.json").read_text())
        output = expected["runs"][RUN_ID]["expected"].strip()
        cells = page.locator(".jp-Notebook .jp-CodeCell")
        cells.nth(1).locator(".jp-OutputArea", has_text=output).wait_for(timeout=120_000)
        assert cells.nth(1).locator(".jp-OutputArea").inner_text().strip() == output
        assert cells.nth(0).locator(".jp-InputPrompt").inner_text().strip() == "[1]:"
        errors = page.locator("[data-mime-type='application/vnd.jupyter.error']")
        assert errors.count() == 0, errors.all_inner_texts()
        assert page.evaluate("window.__violations") == []
    assert [error for error in page_errors if error != SERVICE_WORKER_BLOCKED] == []
    assert aborted == []
