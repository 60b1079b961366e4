"""The tutorial as a notebook, in a real browser: a Russian reader opens it in JupyterLite and
runs every cell, top to bottom, on the site's own Pyodide kernel."""

from __future__ import annotations

import json
import re
from urllib.parse import quote

import nbformat
import pytest
from benchmarks.chromium import chromium_page
from benchmarks.server_bench import ours, running

from quickstart_site.languages import CODES
from tests.conftest import quickstart_site

pytestmark = [pytest.mark.site, pytest.mark.browser]

# With service workers blocked (see chromium.py), JupyterLite's service-worker manager rejects
# its "ready" promise with no reason: the one uncaught error the apps may raise here.
SERVICE_WORKER_BLOCKED = "undefined"

# coincident (the kernel's channel to its worker) awaits `Atomics.waitAsync(...).value.then`;
# this asks for a wait that is over before it starts, the case lite_static/ fixes.
WAIT_ALREADY_OVER = """() => {
    const cell = new Int32Array(new SharedArrayBuffer(4));
    cell[0] = 1;
    return typeof Atomics.waitAsync(cell, 0, 0).value.then;
}"""


# coincident's second step: the worker writes the answer (JSON, UTF-16) from the buffer's start,
# then notifies. The page starts waiting when the first characters are written, not the last:
# the wait must last until the notify, not end at once with half an answer.
HALF_WRITTEN_ANSWER = """async () => {
    const answer = '{"a":1}';
    const bytes = 2 * answer.length;  // rounded up to 4, as coincident sizes it
    const cells = new Int32Array(new SharedArrayBuffer(bytes + (bytes % 4)));
    const units = new Uint16Array(cells.buffer);
    units[0] = answer.charCodeAt(0);
    units[1] = answer.charCodeAt(1);
    let read = null;
    const waiting = Atomics.waitAsync(cells, 0, 0).value.then(() => {
        read = String.fromCharCode(...units.slice(0, answer.length));
    });
    await new Promise((resolve) => setTimeout(resolve, 300));
    const early = read;
    for (let i = 2; i < answer.length; i++) units[i] = answer.charCodeAt(i);
    Atomics.notify(cells, 0);
    await waiting;
    return [early, read];
}"""

# The worker's synchronous calls to the page: the page's answer must reach the shared buffer
# with its first cell last, so coincident's handler writes into a private copy first.
ANSWER_TO_THE_WORKER = """() => {
    const worker = new EventTarget();
    Object.setPrototypeOf(worker, Worker.prototype);
    const answer = '{"ok":true}';
    const bytes = 2 * answer.length;
    const cells = new Int32Array(new SharedArrayBuffer(bytes + (bytes % 4)));
    let wroteShared = null;
    worker.addEventListener("message", (event) => {
        const [, buffer] = event.data.channel;
        wroteShared = buffer.buffer instanceof SharedArrayBuffer;
        const units = new Uint16Array(buffer.buffer);
        for (let i = 0; i < answer.length; i++) units[i] = answer.charCodeAt(i);
        Atomics.notify(buffer, 0);
    });
    worker.dispatchEvent(new MessageEvent("message", {data: {channel: [7, cells]}}));
    const units = new Uint16Array(cells.buffer).slice(0, answer.length);
    return [wroteShared, String.fromCharCode(...units)];
}"""


def test_every_jupyterlite_app_loads_the_fixes_before_jupyterlab():
    build = quickstart_site()
    assert build.returncode == 0, build.output
    lite = build.outdir / "lite"
    apps = sorted(lite.glob("*/index.html"))
    assert {page.parent.name for page in apps} >= {"lab", "notebooks", "repl"}
    for page in apps:
        head = page.read_text(encoding="utf-8").split("<head>", 1)[1]
        assert head.startswith('<script src="../atomics-wait-async.js"></script>'), page
    assert (lite / "atomics-wait-async.js").is_file()
    # One app for the site: no language has its own.
    assert [code for code in CODES if (build.outdir / code / "lite").exists()] == []


def test_the_russian_notebook_runs_top_to_bottom_in_jupyterlite():
    build = quickstart_site()
    assert build.returncode == 0, build.output
    notebook = nbformat.read(build.outdir / "lite" / "files" / "ru" / "quickstart.ipynb", 4)
    code_cells = [cell for cell in notebook.cells if cell.cell_type == "code"]
    runs = json.loads((build.outdir / "ru" / "_examples" / "quickstart.json").read_text())
    last_output = runs["runs"]["proxy-fix-1"]["expected"].strip()
    assert code_cells[-1].source.startswith("client = app.test_client()")

    aborted: list[str] = []
    page_errors: list[str] = []
    with running(ours(build.outdir)) as base, chromium_page(aborted, locale="ru-RU") as page:
        page.on("pageerror", lambda error: page_errors.append(str(error)))
        # The page's own link to its notebook, followed as a reader would.
        page.goto(f"{base}ru/quickstart.html")
        link = page.locator(".example-runner-intro a")
        assert link.get_attribute("href") == "../lite/notebooks/index.html?path=ru/quickstart.ipynb"
        page.goto(f"{base}lite/notebooks/index.html?path=ru/quickstart.ipynb")
        assert page.evaluate("crossOriginIsolated"), "the kernel's shared-memory channel is off"
        assert page.evaluate(WAIT_ALREADY_OVER) == "function"
        page.locator(".jp-Notebook-ExecutionIndicator[data-status='idle']").wait_for(timeout=90_000)
        # The notebook is the page: its first heading is the Russian title.
        assert page.locator(".jp-MarkdownCell h1").first.text_content().startswith("Быстрый")
        page.get_by_role("menuitem", name="Run", exact=True).click()
        page.locator("[data-command='runmenu:run-all']").click()
        # Execution counts go up one per cell; a failing cell stops "Run All" before the end,
        # and a lost kernel answer leaves its cell at [*].
        last = page.locator(".jp-CodeCell").last
        last.locator(".jp-InputPrompt", has_text=f"[{len(code_cells)}]").wait_for(timeout=120_000)
        assert last.locator(".jp-OutputArea").inner_text().strip() == last_output
        errors = page.locator("[data-mime-type='application/vnd.jupyter.error']")
        assert errors.count() == 0, errors.all_inner_texts()
    assert [error for error in page_errors if error != SERVICE_WORKER_BLOCKED] == []
    assert aborted == []


def console_start(base: str) -> tuple[str, list[str], list[str]]:
    """A fresh reader opens the console with one line: its output, the kernel's worker's
    console lines and the wheels fetched."""
    code = quote('import flask, random\nprint("console", flask.__name__, random.random())')
    aborted: list[str] = []
    worker_lines: list[str] = []
    wheels: list[str] = []
    with chromium_page(aborted) as page:
        page.on(
            "worker",
            lambda worker: worker.on("console", lambda line: worker_lines.append(line.text)),
        )
        page.context.on(
            "request",
            lambda request: wheels.append(request.url) if request.url.endswith(".whl") else None,
        )
        page.goto(f"{base}lite/repl/index.html?kernel=python&code={code}")
        output = page.locator(".jp-OutputArea-output", has_text=re.compile(r"console flask 0\.\d"))
        output.wait_for(timeout=90_000)
        text = output.inner_text().strip()
    assert aborted == []
    return text, worker_lines, wheels


def test_kernel_answers_are_read_only_once_written_whole_both_ways():
    build = quickstart_site()
    assert build.returncode == 0, build.output
    aborted: list[str] = []
    with running(ours(build.outdir)) as base, chromium_page(aborted) as page:
        page.goto(f"{base}lite/repl/index.html")
        assert page.evaluate("crossOriginIsolated"), "the kernel's shared-memory channel is off"
        assert page.evaluate(WAIT_ALREADY_OVER) == "function"
        assert page.evaluate(HALF_WRITTEN_ANSWER) == [None, '{"a":1}']
        assert page.evaluate(ANSWER_TO_THE_WORKER) == [False, '{"ok":true}']
    assert aborted == []


def test_the_console_kernel_restores_the_snapshot_and_fetches_each_wheel_once():
    build = quickstart_site()
    assert build.returncode == 0, build.output
    with running(ours(build.outdir)) as base:
        first, worker_lines, wheels = console_start(base)
        second, _, _ = console_start(base)
    # pyodide-start.js: Python restored from the runtime's memory snapshot...
    assert "pyodide-start: Python restored from the runtime's snapshot" in worker_lines
    # ...with a seed of each reader's own, not the snapshot's,
    assert first != second
    # and Pyodide took the wheels fetched as the worker started: none crossed the network twice.
    assert sorted(set(wheels)) == sorted(wheels)
    assert any("/flask-" in wheel for wheel in wheels), wheels
