"""The build's steps redo only what changed, and say what they did in one line each."""

from __future__ import annotations

import json
import logging
import sys

import pytest

from quickstart_site.orchestration import lite_app
from quickstart_site.orchestration.build import (
    drop_language_apps,
    drop_source_maps,
    install_runtime,
    run_parallel,
    step,
)
from quickstart_site.orchestration.runtime import SITE_FOLDER, quiet_log
from quickstart_site.orchestration.warm_start import SNAPSHOT


def listing(site, folder: str = "") -> dict:
    path = site / "lite" / "api" / "contents" / folder / "all.json"
    return json.loads(path.read_text(encoding="utf-8"))


def test_the_apps_contents_are_exactly_the_notebooks_given_and_listed(tmp_path):
    site = tmp_path / "site"
    first = {"en/quickstart.ipynb": b'{"cells": []}', "ru/quickstart.ipynb": b'{"ru": 1}'}
    assert lite_app.sync_contents(site, first) == 2
    files = site / "lite" / "files"
    assert (files / "ru" / "quickstart.ipynb").read_bytes() == b'{"ru": 1}'
    root = listing(site)
    assert [(e["path"], e["type"]) for e in root["content"]] == [
        ("en", "directory"),
        ("ru", "directory"),
    ]
    (entry,) = listing(site, "ru")["content"]
    assert entry | {"created": None, "last_modified": None} == {
        "content": None,
        "created": None,
        "format": None,
        "hash": None,
        "hash_algorithm": None,
        "last_modified": None,
        "mimetype": None,
        "name": "quickstart.ipynb",
        "path": "ru/quickstart.ipynb",
        "size": len(b'{"ru": 1}'),
        "type": "notebook",
        "writable": True,
    }
    unchanged = (files / "en" / "quickstart.ipynb").stat().st_mtime_ns

    # The next build: English unchanged, Russian gone, Kazakh new.
    second = {"en/quickstart.ipynb": b'{"cells": []}', "kk/quickstart.ipynb": b"{}"}
    assert lite_app.sync_contents(site, second) == 1
    assert (files / "en" / "quickstart.ipynb").stat().st_mtime_ns == unchanged
    assert not (files / "ru").exists()
    assert [e["path"] for e in listing(site)["content"]] == ["en", "kk"]
    assert not (site / "lite" / "api" / "contents" / "ru").exists()


def test_a_notebook_hard_linked_from_elsewhere_is_replaced_not_changed(tmp_path):
    site = tmp_path / "site"
    lite_app.sync_contents(site, {"en/a.ipynb": b"old"})
    elsewhere = tmp_path / "cache.ipynb"
    elsewhere.hardlink_to(site / "lite" / "files" / "en" / "a.ipynb")
    lite_app.sync_contents(site, {"en/a.ipynb": b"new"})
    assert elsewhere.read_bytes() == b"old"


def test_the_notebooks_of_each_language_are_named_by_language(tmp_path):
    for language, page in (("en", "quickstart"), ("zh_CN", "quickstart"), ("zh_CN", "more")):
        folder = tmp_path / language / lite_app.NOTEBOOKS
        folder.mkdir(parents=True, exist_ok=True)
        (folder / f"{page}.ipynb").write_bytes(language.encode())
    found = lite_app.notebooks(tmp_path, ("en", "kk", "zh_CN"))
    assert found == {
        "en/quickstart.ipynb": b"en",
        "zh_CN/more.ipynb": b"zh_CN",
        "zh_CN/quickstart.ipynb": b"zh_CN",
    }
    assert lite_app.notebook_path("zh_CN", "quickstart") == "zh_CN/quickstart.ipynb"


def test_the_app_is_copied_only_when_it_is_another_one(tmp_path):
    cache = tmp_path / "cache"
    for name in ("aaaa", "bbbb"):
        (cache / name / "repl").mkdir(parents=True)
        (cache / name / "repl" / "index.html").write_text(name)
    site = tmp_path / "site"
    assert lite_app.install(site, cache / "aaaa") is True
    lite_app.sync_contents(site, {"en/a.ipynb": b"{}"})
    assert lite_app.install(site, cache / "aaaa") is False
    assert (site / "lite" / "files" / "en" / "a.ipynb").is_file()  # kept
    assert lite_app.install(site, cache / "bbbb") is True
    assert (site / "lite" / "repl" / "index.html").read_text() == "bbbb"


def test_the_runtime_is_copied_only_when_it_is_another_one(tmp_path):
    site = tmp_path / "site"
    runtimes = []
    for name in ("1111", "2222"):
        runtime = tmp_path / "runtime" / name
        runtime.mkdir(parents=True)
        (runtime / "runtime.json").write_text(name)
        runtimes.append(runtime)
    assert install_runtime(site, runtimes[0]) is True
    assert install_runtime(site, runtimes[0]) is False
    assert install_runtime(site, runtimes[1]) is True
    assert (site / "_runtime" / "runtime.json").read_text() == "2222"


def test_the_app_fingerprint_follows_its_settings(monkeypatch):
    before = lite_app.fingerprint()
    assert lite_app.fingerprint() == before
    monkeypatch.setattr(lite_app, "KERNEL_PREFETCH", [*lite_app.KERNEL_PREFETCH, "numpy"])
    assert lite_app.fingerprint() != before


def test_the_app_fingerprint_follows_the_kernel_start_script(monkeypatch, tmp_path):
    before = lite_app.fingerprint()
    changed = tmp_path / "kernel-start.js"
    changed.write_bytes(lite_app.KERNEL_START.read_bytes() + b"\n// changed\n")
    monkeypatch.setattr(lite_app, "KERNEL_START", changed)
    assert lite_app.fingerprint() != before


def test_the_kernel_starts_pyodide_through_the_apps_start_script():
    settings = lite_app.jupyter_lite_json()["jupyter-config-data"]["litePluginSettings"]
    kernel = settings[lite_app.KERNEL_PLUGIN]
    # "./" is the app's root, where build_app copies the script; the kernel resolves an option
    # ending in "URL" against that root too, so Pyodide itself is the runtime's.
    assert kernel["pyodideUrl"] == f"./{lite_app.KERNEL_START_NAME}"
    assert kernel["loadPyodideOptions"]["indexURL"] == f"../{SITE_FOLDER}/pyodide/"
    script = lite_app.KERNEL_START.read_text(encoding="utf-8")
    assert "export async function loadPyodide(options)" in script
    # The snapshot the Run buttons restore, by the name the runtime gives it.
    assert f'new URL("{SNAPSHOT}", indexURL)' in script


def test_the_kernel_loads_everything_it_would_otherwise_load_one_by_one():
    settings = lite_app.jupyter_lite_json()["jupyter-config-data"]["litePluginSettings"]
    packages = settings[lite_app.KERNEL_PLUGIN]["loadPyodideOptions"]["packages"]
    # jupyterlite-pyodide-kernel 0.8.6's worker: initPackageManager and initKernel.
    assert {"micropip", "piplite", "ipykernel", "comm", "pyodide-kernel", "jedi"} <= set(packages)
    assert {"ipython", "flask"} <= set(packages)


def test_an_older_sites_language_apps_are_removed(tmp_path):
    site = tmp_path / "site"
    (site / "en" / "lite" / "repl").mkdir(parents=True)
    (site / "en" / "lite.html").write_text("a page named lite")
    drop_language_apps(site, ("en", "kk"))
    assert sorted(p.name for p in (site / "en").iterdir()) == ["lite.html"]


def test_source_maps_leave_the_languages_static_files_only(tmp_path):
    site = tmp_path / "site"
    (site / "en" / "_static" / "scripts").mkdir(parents=True)
    (site / "en" / "_static" / "scripts" / "theme.js").write_text("//# sourceMappingURL=t.map")
    (site / "en" / "_static" / "scripts" / "theme.js.map").write_text("{}")
    (site / "lite").mkdir()
    (site / "lite" / "other.map").write_text("{}")
    drop_source_maps(site, ("en",))
    assert sorted(p.name for p in site.rglob("*") if p.is_file()) == ["other.map", "theme.js"]


def test_each_step_prints_one_line_with_what_it_did_and_its_time(capsys):
    with step("JupyterLite") as did:
        did.append("app current")
        did.append("1 notebook written")
    with step("site"):
        pass
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == 2
    assert lines[0].startswith("JupyterLite: app current, 1 notebook written (")
    assert lines[0].endswith(" s)") and lines[1].startswith("site: done (")


def test_each_process_is_reported_as_it_ends():
    quick = [sys.executable, "-c", "pass"]
    slow = [sys.executable, "-c", "import time; time.sleep(0.5)"]
    ended: list[tuple[int, int, float]] = []
    results = run_parallel(
        [slow, quick, [sys.executable, "-c", "raise SystemExit(3)"]],
        capture=True,
        done=lambda index, status, seconds: ended.append((index, status, seconds)),
    )
    assert [status for status, _ in results] == [0, 0, 3]
    assert ended[-1][:2] == (0, 0) and ended[-1][2] >= 0.5
    assert sorted(index for index, _, _ in ended) == [0, 1, 2]


def test_pyodide_locks_log_is_kept_and_shown_only_on_failure(capsys):
    with quiet_log("pyodide_lock") as log:
        logging.getLogger("pyodide_lock.utils").warning("Writing %s", "the lock")
    assert log.lines == ["Writing the lock"]
    assert capsys.readouterr().err == ""
    assert logging.getLogger("pyodide_lock").propagate is True


@pytest.mark.parametrize("path", ["lite/repl/index.html", "lite/build/x.js"])
def test_the_app_is_the_only_place_that_may_evaluate_strings(path):
    from quickstart_site.server.policy import allows_eval

    assert allows_eval(path)
    assert not allows_eval(path.replace("lite/", "en/lite/"))
    assert not allows_eval("_runtime/pyodide/pyodide.mjs")


def make_wheel(path, members: dict[str, str], record: str = "pkg/__init__.py,sha256=x,1\n"):
    import zipfile

    with zipfile.ZipFile(path, "w") as wheel:
        for name, text in members.items():
            wheel.writestr(name, text)
        wheel.writestr("pkg-1.0.dist-info/RECORD", record)


def test_a_wheel_gets_the_bytecode_of_the_wanted_modules_which_imports_without_its_source(
    tmp_path, monkeypatch
):
    import importlib.util
    import zipfile

    from quickstart_site.orchestration.wheel_bytecode import add_bytecode

    wheel = tmp_path / "pkg-1.0-py3-none-any.whl"
    make_wheel(
        wheel,
        {
            "pkg/__init__.py": "VALUE = 'from the wheel'\n",
            "pkg/unused.py": "X = 1\n",
            "pkg/broken.py": "def (:\n",
        },
    )
    wanted = {"pkg/__init__.py", "pkg/broken.py"}
    assert add_bytecode(str(wheel), wanted) == 1  # broken.py stays source, as pip leaves it
    cached = importlib.util.cache_from_source("pkg/__init__.py")
    with zipfile.ZipFile(wheel) as done:
        names = done.namelist()
        record = done.read("pkg-1.0.dist-info/RECORD").decode()
        done.extractall(tmp_path / "site")
    assert names[-1] == "pkg-1.0.dist-info/RECORD" and f"{cached},,\n" in record
    assert importlib.util.cache_from_source("pkg/unused.py") not in names
    # Unchecked: the module imports from the bytecode even when the source says otherwise.
    (tmp_path / "site" / "pkg" / "__init__.py").write_text("VALUE = 'from the source'\n")
    monkeypatch.syspath_prepend(str(tmp_path / "site"))
    monkeypatch.delitem(sys.modules, "pkg", raising=False)
    assert importlib.import_module("pkg").VALUE == "from the wheel"
    assert add_bytecode(str(wheel), wanted) == 0  # a second run adds nothing


def test_a_wheel_leaves_out_the_folders_named_and_their_record_lines(tmp_path):
    import zipfile

    from quickstart_site.orchestration.wheel_bytecode import add_bytecode

    wheel = tmp_path / "pkg-1.0-py3-none-any.whl"
    members = {"pkg/__init__.py": "", "pkg/stubs/a/b.pyi": "", "pkg/stubsy.py": ""}
    make_wheel(wheel, members, record="pkg/stubs/a/b.pyi,sha256=y,0\npkg/stubsy.py,,\n")
    add_bytecode(str(wheel), set(), ("pkg/stubs/",))
    with zipfile.ZipFile(wheel) as done:
        assert [n for n in done.namelist() if n.startswith("pkg/")] == [
            "pkg/__init__.py",
            "pkg/stubsy.py",
        ]
        assert done.read("pkg-1.0.dist-info/RECORD").decode() == "pkg/stubsy.py,,\n"


def test_the_app_keeps_only_the_font_formats_a_browser_with_webassembly_reads(tmp_path) -> None:
    for name in ("fa-solid-900", "fa-brands-400"):
        for suffix in (".eot", ".svg", ".ttf", ".woff", ".woff2"):
            (tmp_path / f"{name}{suffix}").write_bytes(b"font")
    (tmp_path / "logo.svg").write_text("<svg/>")  # not a font
    lite_app.drop_legacy_fonts(tmp_path)
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "fa-brands-400.woff",
        "fa-brands-400.woff2",
        "fa-solid-900.woff",
        "fa-solid-900.woff2",
        "logo.svg",
    ]


def test_a_legacy_font_without_its_woff2_is_kept_and_named(tmp_path) -> None:
    (tmp_path / "fa-regular-400.ttf").write_bytes(b"font")
    with pytest.raises(lite_app.LiteAppError, match="fa-regular-400.ttf"):
        lite_app.drop_legacy_fonts(tmp_path)
    assert (tmp_path / "fa-regular-400.ttf").is_file()


def test_a_runtime_another_process_finished_first_is_kept(monkeypatch, tmp_path):
    """Two processes building the same runtime (two test workers, a build beside a serve):
    the one that finishes second keeps the first one's folder; a folder in the way that is
    not a finished runtime (no manifest) is still an error."""
    from quickstart_site.orchestration import runtime

    cache = tmp_path / "cache"
    folder = cache / "fingerprint"

    def meanwhile_the_other_process(*names: str):
        def build(staging):
            (staging / runtime.MANIFEST).write_text("{}")
            (staging / "mine").write_text("")
            folder.mkdir()  # the other process renames its runtime into place
            for name in names:
                (folder / name).write_text("")

        return build

    monkeypatch.setattr(runtime, "build_runtime", meanwhile_the_other_process("theirs"))
    with pytest.raises(OSError):
        runtime.build_cached(cache, folder)
    monkeypatch.setattr(
        runtime, "build_runtime", meanwhile_the_other_process(runtime.MANIFEST, "theirs")
    )
    runtime.build_cached(cache, folder)
    assert sorted(path.name for path in folder.iterdir()) == [runtime.MANIFEST, "theirs"]
    assert [path.name for path in cache.iterdir()] == ["fingerprint"]  # no staging left
