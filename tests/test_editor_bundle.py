"""The exercises' editor bundle (orchestration/editor_bundle.py): cached by the hash of its
sources, put into the runtime folder once, recorded in the runtime's manifest. npm itself runs
in the site build (and the browser tests); these tests use a bundle already in the cache."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from quickstart_site.orchestration import editor_bundle
from quickstart_site.orchestration.runtime import MANIFEST, RuntimeBuildError


@pytest.fixture
def source(tmp_path: Path) -> Path:
    folder = tmp_path / "editor-source"
    folder.mkdir()
    for name in editor_bundle.INPUTS:
        shutil.copy(editor_bundle.SOURCE / name, folder / name)
    return folder


def test_the_package_pins_codemirror_and_locks_everything() -> None:
    package = json.loads((editor_bundle.SOURCE / "package.json").read_text())
    lock = json.loads((editor_bundle.SOURCE / "package-lock.json").read_text())
    assert package["dependencies"]["codemirror"] == "6.0.2"
    for name, version in {**package["dependencies"], **package["devDependencies"]}.items():
        assert version[0].isdigit(), f"{name} is not pinned: {version}"
        assert lock["packages"][f"node_modules/{name}"]["version"] == version


def test_the_fingerprint_follows_the_lock_and_the_entry(source: Path) -> None:
    before = editor_bundle.fingerprint(source)
    assert editor_bundle.fingerprint(source) == before
    entry = source / "editor.js"
    entry.write_text(entry.read_text() + "\n// changed\n")
    changed = editor_bundle.fingerprint(source)
    assert changed != before
    lock = source / "package-lock.json"
    lock.write_text(lock.read_text().replace('"lockfileVersion"', '"lockfileVersion" ', 1))
    assert editor_bundle.fingerprint(source) != changed


def test_a_cached_bundle_is_reused_without_npm(
    tmp_path: Path, source: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    cache = tmp_path / "cache"
    cached = cache / f"editor-{editor_bundle.fingerprint(source)}" / "editor.mjs"
    cached.parent.mkdir(parents=True)
    cached.write_text("export const createEditor = 1;\n")
    monkeypatch.setattr(editor_bundle.shutil, "which", lambda name: None)  # npm would fail
    assert editor_bundle.bundle(cache, source) == cached


def test_without_npm_the_error_says_what_to_install(
    tmp_path: Path, source: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(editor_bundle.shutil, "which", lambda name: None)
    with pytest.raises(RuntimeBuildError, match="apt-get install -y npm"):
        editor_bundle.bundle(tmp_path / "cache", source)
    assert list((tmp_path / "cache").iterdir()) == []  # no partial folder left


def test_the_runtime_gets_the_bundle_and_its_record(tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    cached = cache / f"editor-{editor_bundle.fingerprint()}" / "editor.mjs"
    cached.parent.mkdir(parents=True)
    cached.write_text("export const createEditor = 1;\n")
    runtime = tmp_path / "runtime"
    runtime.mkdir()
    (runtime / MANIFEST).write_text(json.dumps({"pyodide": "314.0.6"}))

    record = editor_bundle.add_to_runtime(runtime, cache, MANIFEST)
    assert (runtime / "editor" / "editor.mjs").read_text() == cached.read_text()
    manifest = json.loads((runtime / MANIFEST).read_text())
    assert manifest == {"pyodide": "314.0.6", "editor": record}
    assert record["file"] == "editor/editor.mjs"
    assert record["bytes"] == len(cached.read_bytes())
    written = (runtime / MANIFEST).stat().st_mtime_ns
    assert editor_bundle.add_to_runtime(runtime, cache, MANIFEST) == record
    assert (runtime / MANIFEST).stat().st_mtime_ns == written  # unchanged: not rewritten
