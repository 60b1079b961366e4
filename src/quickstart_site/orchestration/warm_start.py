"""A shorter cold start for the browser's Python, prepared when the runtime is built.

Measured in Node with Pyodide 314.0.6 on the 2-core machine (the browser shows the same
proportions): starting Pyodide takes 2.8 s, restoring a memory snapshot of a freshly started
Pyodide 0.3 s. With the Flask stack's bytecode in its wheels (wheel_bytecode.py),
``import flask`` still takes 0.8 s, most of it importing the standard-library modules Flask
needs (http, email, decimal, uuid, ...). So the runtime gets ``pyodide/snapshot.gzip``:
a memory snapshot of Pyodide right after it started and imported the standard-library
modules a Flask program imports (found by running a small Flask program, WARMUP, in the
browser's Python). No package is installed or imported before the snapshot: Pyodide's
snapshots keep the heap, not the file system, and ``import flask`` grows the heap past the
30 MB Pyodide 314.0.6 allocates before a restore, so that snapshot could not be restored
(pyodide/pyodide#6254). The worker restores the snapshot, then installs and imports Flask,
and falls back to a plain start if the restore fails. Every reader starts from the same
memory, so the hash seed is the snapshot's and the worker reseeds ``random``.

Both steps run Pyodide in Node (``pyodide_tasks.js``), which the build needs anyway for npm.
The snapshot costs a reader a 7.9 MB download (gzip) once, cached afterwards.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path
from typing import Any

TASKS = Path(__file__).with_name("pyodide_tasks.js")
# In the runtime's pyodide/ folder, beside the wasm. Not ".gz": servers take "x.gz" for the
# precompressed copy of "x" (served only by content negotiation, never by its own name).
SNAPSHOT = "snapshot.gzip"
TIMEOUT = 300  # seconds; a start of Pyodide in Node takes about 3
STANDARD_MODULES = "standard-modules.json"
# What a reader's first runs do: the standard-library modules it imports go into the snapshot.
WARMUP = """\
from flask import Flask, abort, flash, jsonify, redirect, render_template_string, request, session
from flask import url_for

app = Flask("warmup")
app.secret_key = "warm-up"


@app.route("/", methods=["GET", "POST"])
def index():
    session["visits"] = session.get("visits", 0) + 1
    flash(request.form.get("name", "x"))
    return render_template_string("{{ name }} {{ url_for('data') }}", name=request.args.get("n"))


@app.route("/data/<int:number>")
def data(number=0):
    if number > 9:
        abort(404)
    return jsonify(number=number)


@app.route("/away")
def away():
    return redirect(url_for("index"))


client = app.test_client()
for url in ("/?n=1", "/data/1", "/data/99", "/away"):
    client.get(url)
client.post("/", data={"name": "Ada"})
"""


class WarmStartError(RuntimeError):
    """A step failed; the message names it and shows Node's error."""


def node_task(*arguments: str) -> dict[str, Any]:
    node = shutil.which("node")
    if not node:
        raise WarmStartError(
            "node is needed to prepare the browser's Python: apt-get install -y nodejs"
        )
    result = subprocess.run(
        [node, str(TASKS), *arguments],
        capture_output=True,
        text=True,
        timeout=TIMEOUT,
        check=False,
    )
    if result.returncode:
        raise WarmStartError(
            f"node {TASKS.name} {arguments[0]} failed:\n{result.stderr.strip()[-4000:]}"
        )
    return dict(json.loads(result.stdout.strip().splitlines()[-1]))


def standard_modules(core: Path, work: Path) -> Path:
    """The standard-library modules WARMUP imports (the runtime's Flask wheels installed), as
    a JSON file in ``work``: what the snapshot imports."""
    warmup = work / "warmup.py"
    warmup.write_text(WARMUP)
    imported = node_task("modules", str(core), str(warmup))["modules"]
    modules = work / STANDARD_MODULES
    modules.write_text(json.dumps(imported))
    return modules


def make_snapshot(core: Path, modules: Path) -> dict[str, int]:
    """Write ``core/snapshot.gzip``: the ``modules`` (standard_modules' file) imported into a
    started Pyodide. Returns the snapshot's uncompressed size and the number of modules (the
    runtime's manifest records both). Reads only Pyodide's own files in ``core``, no wheel."""
    result = node_task("snapshot", str(core), str(core / SNAPSHOT), str(modules))
    return {"snapshot_bytes": int(result["bytes"]), "imported_modules": int(result["modules"])}
