"""The browser's Python starts from the runtime's memory snapshot and imports Flask from
bytecode compiled for it (orchestration/warm_start.py), and still runs Flask correctly:
checked in Node with the very Pyodide and files the site ships."""

from __future__ import annotations

import hashlib
import json
import zipfile
from pathlib import Path

import pytest

from quickstart_site.orchestration import runtime, warm_start
from quickstart_site.project import Project
from tests.helpers import run_in_node

PROJECT = Project.find(Path(__file__).parent)


@pytest.fixture(scope="module")
def folder() -> Path:
    return runtime.ensure_runtime(PROJECT.runtime_cache)


def stack_wheels(folder: Path) -> list[Path]:
    wheels = [
        w for w in (folder / "wheels").glob("*.whl") if w.name.split("-")[0] in runtime.FLASK_STACK
    ]
    assert len(wheels) == len(runtime.FLASK_STACK)
    return wheels


def test_every_flask_module_has_bytecode_for_the_browsers_python(folder: Path):
    tag = "cpython-" + runtime.manifest(folder)["python"].replace(".", "")[:3]
    for wheel in stack_wheels(folder):
        with zipfile.ZipFile(wheel) as archive:
            names = set(archive.namelist())
            record = archive.read(next(n for n in names if n.endswith("dist-info/RECORD")))
        sources = [n for n in names if n.endswith(".py")]
        assert sources, wheel.name
        for source in sources:
            parent, _, stem = source.rpartition("/")
            compiled = f"{parent}/__pycache__/{stem[:-3]}.{tag}.pyc"
            assert compiled in names, f"{wheel.name}: no {compiled}"
            assert compiled.encode() in record, f"{wheel.name}: RECORD does not list {compiled}"


def test_the_lock_file_has_the_hashes_of_the_wheels_it_names(folder: Path):
    # Pyodide refuses a wheel whose hash is not the lock file's.
    lock = json.loads((folder / "pyodide" / "pyodide-lock.json").read_text())
    for package in lock["packages"].values():
        wheel = folder / "pyodide" / package["file_name"]
        assert package["sha256"] == hashlib.sha256(wheel.read_bytes()).hexdigest(), wheel.name


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
