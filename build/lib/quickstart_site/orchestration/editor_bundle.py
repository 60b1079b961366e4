"""The exercises' code editor (CodeMirror 6), bundled from npm into the browser runtime.

The editor's npm package lives beside this module, in ``editor/`` (``package.json`` pins
CodeMirror, ``package-lock.json`` pins everything under it, ``editor.js`` is the entry). Here
``npm ci`` installs it into a cache folder and esbuild bundles and minifies it into one ES
module, ``<runtime>/editor/editor.mjs``, which exercise.js imports. Nothing of it is fetched
from a CDN and no ``node_modules`` is committed.

The bundle is cached under ``<cache>/editor-<hash>/``, the hash being that of the lock file and
the entry source: it is rebuilt only when one of them changes. The runtime's manifest records
which bundle the runtime holds (``"editor"``), so the pages' build sees it as an input.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import tempfile
from pathlib import Path
from typing import Any, cast

SOURCE = Path(__file__).with_name("editor")  # package data, like pyodide_tasks.js
INPUTS = ("package.json", "package-lock.json", "editor.js")
ENTRY = "editor.js"
BUNDLE = "editor/editor.mjs"  # inside the runtime folder
MANIFEST_KEY = "editor"


def fingerprint(source: Path = SOURCE) -> str:
    digest = hashlib.sha256()
    for name in INPUTS:
        digest.update(name.encode() + b"\0" + (source / name).read_bytes() + b"\0")
    return digest.hexdigest()[:16]


def bundle(cache: Path, source: Path = SOURCE) -> Path:
    """The minified bundle for the current sources, built into ``cache`` once and reused."""
    folder = cache / f"editor-{fingerprint(source)}"
    built = folder / "editor.mjs"
    if built.is_file():
        return built
    cache.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix="editor-partial-", dir=cache))
    try:
        for name in INPUTS:
            shutil.copy2(source / name, work / name)
        npm = shutil.which("npm")
        if not npm:
            raise failure("npm is needed to build the code editor: apt-get install -y npm")
        # --ignore-scripts: no package here needs an install script (esbuild finds its
        # platform binary through its optional dependency).
        command = [npm, "ci", "--prefix", str(work), "--ignore-scripts", "--no-audit", "--no-fund"]
        run(command, "installing the editor's npm packages", work)
        esbuild = work / "node_modules" / ".bin" / "esbuild"
        out = work / "out" / "editor.mjs"
        command = [str(esbuild), ENTRY, "--bundle", "--minify", "--format=esm"]
        command += ["--target=es2020", "--legal-comments=none", f"--outfile={out}"]
        run(command, "bundling the editor with esbuild", work)
        folder.mkdir(parents=True, exist_ok=True)
        staged = folder / "editor.mjs.partial"
        shutil.copy2(out, staged)
        staged.chmod(0o644)
        os.replace(staged, built)  # whole or absent: an interrupted build is not reused
    finally:
        shutil.rmtree(work, ignore_errors=True)
    for old in cache.glob("editor-*"):  # bundles of earlier sources: never used again
        if old != folder and not old.name.startswith("editor-partial-"):
            shutil.rmtree(old, ignore_errors=True)
    return built


def failure(message: str) -> Exception:
    # The runtime's error, which `python -m quickstart_site` reports (runtime.py imports this
    # module, so the name is looked up when needed).
    from quickstart_site.orchestration.runtime import RuntimeBuildError

    return RuntimeBuildError(message)


def run(command: list[str], what: str, cwd: Path) -> None:
    result = subprocess.run(command, capture_output=True, text=True, check=False, cwd=cwd)
    if result.returncode:
        raise failure(
            f"{what} failed ({' '.join(command)}) in {SOURCE}:\n{result.stdout}{result.stderr}"
        )


def add_to_runtime(runtime: Path, cache: Path, manifest_name: str) -> dict[str, Any]:
    """Put the current bundle into ``runtime`` and record it in its manifest; returns the
    record. A runtime that already holds this bundle is left as it is."""
    built = bundle(cache)
    data = built.read_bytes()
    record = {
        "file": BUNDLE,
        "sha256": hashlib.sha256(data).hexdigest(),
        "bytes": len(data),
        "sources": fingerprint(),
    }
    manifest_path = runtime / manifest_name
    manifest = cast("dict[str, Any]", json.loads(manifest_path.read_text()))
    target = runtime / BUNDLE
    if manifest.get(MANIFEST_KEY) == record and target.is_file():
        return record
    target.parent.mkdir(parents=True, exist_ok=True)
    target.parent.chmod(0o755)
    staged = target.with_suffix(".partial")
    shutil.copy2(built, staged)
    os.replace(staged, target)
    manifest[MANIFEST_KEY] = record
    staged = manifest_path.with_suffix(".partial")
    staged.write_text(json.dumps(manifest, indent=1, sort_keys=True) + "\n")
    os.replace(staged, manifest_path)
    return record
