"""The browser's Python starts from the runtime's memory snapshot (orchestration/warm_start.py)
holding the standard modules Flask imports, imports Flask from the bytecode in its wheels, and
still runs Flask correctly: checked in Node with the very Pyodide and files the site ships."""

from __future__ import annotations

from pathlib import Path

import pytest

from quickstart_site.orchestration import runtime, warm_start
from quickstart_site.project import Project
from tests.helpers import run_in_node

PROJECT = Project.find(Path(__file__).parent)


@pytest.fixture(scope="module")
def folder() -> Path:
    return runtime.ensure_runtime(PROJECT.runtime_cache)


RESTORE = """
const fs = require("node:fs"), zlib = require("node:zlib");
const given = JSON.parse(fs.readFileSync(0, "utf8"));
(async () => {
  const { loadPyodide } = await import(given.pyodide + "pyodide.mjs");
  const snapshot = zlib.gunzipSync(fs.readFileSync(given.pyodide + given.snapshot));
  const pyodide = await loadPyodide({
    indexURL: given.pyodide, _loadSnapshot: snapshot, packages: ["flask"],
    stdout: () => {}, stderr: () => {},
  });
  const answer = pyodide.runPython(`
import importlib.util, json, os, sys, traceback
preloaded = "decimal" in sys.modules and "flask" not in sys.modules
from flask import Flask
app = Flask("restored")

@app.route("/<int:n>")
def double(n):
    return {"double": 2 * n}

@app.route("/boom")
def boom():
    raise ValueError("boom")

reply = app.test_client().get("/21").get_json()
app.testing = True
try:
    app.test_client().get("/boom")
except ValueError:
    frames = traceback.format_exc()
json.dumps({
    "preloaded": preloaded,
    "reply": reply,
    "from_bytecode": os.path.isfile(importlib.util.find_spec("flask.app").cached),
    "traceback_shows_flask_source": "self.full_dispatch_request()" in frames,
})
`);
  process.stdout.write(answer);
})().catch((error) => {
  process.stderr.write(String(error.stack || error).slice(0, 2000));
  process.exit(1);
});
"""


def test_a_restored_python_runs_flask_from_bytecode(folder: Path, tmp_path: Path):
    given = {"pyodide": f"{folder / 'pyodide'}/", "snapshot": warm_start.SNAPSHOT}
    answer = run_in_node(RESTORE, given, tmp_path)
    assert answer == {
        "preloaded": True,  # a standard module Flask imports came with the snapshot
        "reply": {"double": 42},
        "from_bytecode": True,
        # the bytecode names the installed files, so tracebacks show Flask's own lines
        "traceback_shows_flask_source": True,
    }
