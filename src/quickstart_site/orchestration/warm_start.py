"""A shorter cold start for the browser's Python, prepared when the runtime is built.

Measured in Node with Pyodide 314.0.6 on the 2-core machine (the browser shows the same
proportions): starting Pyodide takes 2.8 s, of which restoring a memory snapshot of a freshly
started Pyodide leaves 0.3 s; ``import flask`` takes 1.2 s, nearly all of it compiling
werkzeug, jinja2 and click from source, and 0.1 s from bytecode. So the runtime gets
- wheels with bytecode: each wheel of the Flask stack also holds the unchecked-hash ``.pyc`` of its
  modules, compiled by Pyodide's own Python (the magic number must be the browser's), named
  as the installed files so tracebacks still show source lines; the lock file's hashes follow.
  Bytecode makes a wheel about 2.7 times larger (the stack's 0.6 MB become 1.8 MB): it pays
  for the modules every run imports, not for the kernel's (pygments alone would add 2 MB of
  lexers that are never imported);
- ``pyodide/snapshot.bin.gz``: a memory snapshot of Pyodide right after it started and
  imported the standard-library modules a Flask program imports (found by running a small
  Flask program, WARMUP, in the browser's Python). No package is installed or imported
  before the snapshot: Pyodide's snapshots keep the heap, not the file system, and
  ``import flask`` grows the heap past the 30 MB Pyodide 314.0.6 allocates before a
  restore, so that snapshot could not be restored (pyodide/pyodide#6254). The worker
  restores the snapshot, then installs and imports Flask, and falls back to a plain start if
  the restore fails. Every reader starts from the same memory, so the hash seed is the
  snapshot's and the worker reseeds ``random``.
Both run Pyodide in Node (``pyodide_tasks.js``), which the build needs anyway for npm.
"""

from __future__ import annotations

import base64
import hashlib
import json
import shutil
import subprocess
import zipfile
from pathlib import Path
from typing import Any

TASKS = Path(__file__).with_name("pyodide_tasks.js")
SNAPSHOT = "snapshot.bin.gz"  # in the runtime's pyodide/ folder, beside the wasm
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


def add_bytecode(core: Path, wheels: list[Path], work: Path) -> int:
    """Compile ``wheels`` for the browser's Python and update the lock file in ``core``.
    Returns the number of modules compiled."""
    unpacked = work / "unpacked"
    for wheel in wheels:
        with zipfile.ZipFile(wheel) as archive:
            archive.extractall(unpacked / wheel.name)
    (work / "warmup.py").write_text(WARMUP)
    result = node_task("compile", str(core), str(work))
    (work / STANDARD_MODULES).write_text(json.dumps(result["modules"]))
    tag = result["cacheTag"]
    hashes = {}
    for wheel in wheels:
        add_compiled(wheel, unpacked / wheel.name, tag)
        hashes[wheel.name] = hashlib.sha256(wheel.read_bytes()).hexdigest()
    lock_path = core / "pyodide-lock.json"
    lock = json.loads(lock_path.read_text())
    for package in lock["packages"].values():
        name = Path(package["file_name"]).name
        package["sha256"] = hashes.get(name, package["sha256"])
    lock_path.write_text(json.dumps(lock, indent=1) + "\n")
    shutil.rmtree(unpacked)
    return int(result["compiled"])


def add_compiled(wheel: Path, unpacked: Path, cache_tag: str) -> None:
    """Append the wheel's new ``.pyc`` files and their lines in its RECORD."""
    compiled = sorted(unpacked.rglob(f"*.{cache_tag}.pyc"))
    if not compiled:
        return
    with zipfile.ZipFile(wheel) as archive:
        names = archive.namelist()
        record_name = next(n for n in names if n.endswith(".dist-info/RECORD"))
        record = archive.read(record_name).decode()
        members = [(info, archive.read(info)) for info in archive.infolist()]
    lines = []
    for pyc in compiled:
        data = pyc.read_bytes()
        digest = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()
        lines.append(f"{pyc.relative_to(unpacked).as_posix()},sha256={digest},{len(data)}")
    with zipfile.ZipFile(wheel, "w", zipfile.ZIP_DEFLATED) as archive:
        for info, data in members:
            if info.filename == record_name:
                data = (record.rstrip("\n") + "\n" + "\n".join(lines) + "\n").encode()
            archive.writestr(info, data)
        for pyc in compiled:
            archive.write(pyc, pyc.relative_to(unpacked).as_posix())


def make_snapshot(core: Path, work: Path) -> dict[str, int]:
    """Write ``core/snapshot.bin.gz`` with the standard modules ``add_bytecode`` found
    imported; returns the snapshot's uncompressed size and the number of modules."""
    modules = work / STANDARD_MODULES
    result = node_task("snapshot", str(core), str(core / SNAPSHOT), str(modules))
    return {"snapshot_bytes": int(result["bytes"]), "imported_modules": int(result["modules"])}
