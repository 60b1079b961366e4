"""The site's one JupyterLite app, ``<site>/lite/``, with every language's notebooks in it.

Built here with jupyterlite-core's own command (``jupyter lite build``), not by
jupyterlite-sphinx: that extension builds one app per Sphinx build (four 20 MB apps that
differ only in one notebook, 5 s each, again after every edit), print()s its command line and
empties its contents folder on every build. One app serves every language, so a reader who
switches language reuses what the browser cached.

Two parts, each redone only when its own inputs change:

- the app (JupyterLab's pages and bundles, the Pyodide kernel's settings, our early scripts,
  lite_fixes.py): ``jupyter lite build`` without contents, cached under
  ``<cache>/<fingerprint>/`` like the runtime. The fingerprint covers the installed
  JupyterLite packages and lab extensions and our settings: a machine builds it once per set
  of versions. The site gets a hard-linked copy.
- the contents: the notebooks the Sphinx builds write (``<doctrees>/<lang>/notebooks/``) as
  ``files/<lang>/<page>.ipynb``, and the folder listings the app reads
  (``api/contents/[<lang>/]all.json``: Jupyter Contents API models, as jupyterlite-core's
  contents addon writes them). Written on every build, in milliseconds; a notebook whose bytes
  did not change keeps its file and its time.
"""

from __future__ import annotations

import datetime
import hashlib
import importlib.metadata
import json
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

from quickstart_site.orchestration.runtime import SITE_FOLDER, link_or_copy

SITE_LITE = "lite"  # the app's folder in the site
NOTEBOOKS = "notebooks"  # each language's notebooks, in its doctrees folder (lite.py)
FILES = "files"  # where the app finds a notebook's bytes
LISTINGS = "api/contents"  # where the app finds the folders' listings
LISTING = "all.json"
STAMP = ".app"  # in <site>/lite/: the fingerprint of the app copied there
# Bump when the recipe below changes, so old caches are not reused.
RECIPE = "4"  # 2: Font Awesome's legacy formats left out; 3: kernel-start.js; 4: shared
# Font Awesome's fonts in formats for browsers that cannot run the app anyway (Internet
# Explorer's .eot, old Safari's .svg fonts, .ttf): every browser with WebAssembly reads the
# .woff2 that each @font-face lists first among its formats, so these are never fetched.
# 2.6 MB of the app's 21.
LEGACY_FONTS = ("fa-*.eot", "fa-*.svg", "fa-*.ttf")
KERNEL_PLUGIN = "@jupyterlite/pyodide-kernel-extension:kernel"
# Everything the kernel loads while it starts, and Flask, fetched side by side as its worker
# starts (all are in the runtime's lock; kernel-start.js fetches them, Pyodide installs them).
# The kernel's worker (jupyterlite-pyodide-kernel 0.8.6) otherwise loads what this list lacks
# one step after another once Pyodide is up:
# micropip, then piplite (from its own wheel), then `piplite.install` of each of ipykernel,
# comm, pyodide-kernel, jedi and ipython; and the console's first `import flask` fetches Flask
# and its dependencies before the cell runs.
KERNEL_PREFETCH = [
    "micropip",
    "piplite",
    "ipykernel",
    "comm",
    "pyodide-kernel",
    "jedi",
    "ipython",
    "flask",
]
PACKAGES = ("jupyterlite-core", "jupyterlite-pyodide-kernel")
# How the kernel starts Pyodide: from the runtime's memory snapshot, its wheels fetched as it
# starts (the file says how); the Run buttons' worker starts Pyodide with the same file. The
# kernel imports it as its `pyodideUrl`; Pyodide itself is found through loadPyodideOptions'
# indexURL. (Spelled out, not runner.STATIC: sphinx_ext/browser/runner.py imports this module.)
RUNNER_STATIC = Path(__file__).parents[1] / "sphinx_ext" / "browser" / "runner_static"
KERNEL_START = RUNNER_STATIC / "runner" / "pyodide-start.js"
KERNEL_START_NAME = "kernel-start.js"  # in the app's root folder, beside jupyter-lite.json


class LiteAppError(RuntimeError):
    """The app could not be built; the message says which step and how to fix it."""


def lite_config() -> dict[str, Any]:
    return {
        "LiteBuildConfig": {
            # Source maps (about half of the app) and the unused shared packages: not served.
            "no_sourcemaps": True,
            "no_unused_shared_packages": True,
        }
    }


def jupyter_lite_json() -> dict[str, Any]:
    # "./" URLs are resolved against this file's folder, <site>/lite/.
    return {
        "jupyter-lite-schema-version": 0,
        "jupyter-config-data": {
            # The listings this module writes (jupyterlite-core adds this only when it
            # writes contents itself).
            "contentsAllJsonFile": LISTING,
            "litePluginSettings": {
                KERNEL_PLUGIN: {
                    "pyodideUrl": f"./{KERNEL_START_NAME}",
                    "disablePyPIFallback": True,
                    "loadPyodideOptions": {
                        # The kernel resolves an option ending in "URL" against the app's
                        # root: this is <site>/{SITE_FOLDER}/pyodide/.
                        "indexURL": f"../{SITE_FOLDER}/pyodide/",
                        "packages": KERNEL_PREFETCH,
                    },
                }
            },
            "settingsOverrides": {
                # Every cell stays in the page: a long tutorial scrolls smoothly enough, and
                # the browser test can see every cell's prompt and output.
                "@jupyterlab/notebook-extension:tracker": {"windowingMode": "none"}
            },
        },
    }


def lab_extensions() -> list[str]:
    """The lab extensions jupyterlite-core bundles into the app: whatever the environment
    has installed (``share/jupyter/labextensions``), each with its version."""
    folder = Path(sys.prefix) / "share" / "jupyter" / "labextensions"
    found = []
    for package in sorted(folder.glob("**/package.json")):
        if "node_modules" in package.parts or package.parent.name == "static":
            continue
        version = json.loads(package.read_text(encoding="utf-8")).get("version", "")
        found.append(f"{package.parent.relative_to(folder).as_posix()}=={version}")
    return found


def fingerprint() -> str:
    from quickstart_site.sphinx_ext.browser.lite_fixes import early_scripts

    recipe = [RECIPE, *(f"{p}=={importlib.metadata.version(p)}" for p in PACKAGES)]
    recipe += lab_extensions()
    recipe += [json.dumps(lite_config(), sort_keys=True), json.dumps(jupyter_lite_json())]
    recipe += [hashlib.sha256(script).hexdigest() for script in early_scripts()]
    recipe.append(hashlib.sha256(KERNEL_START.read_bytes()).hexdigest())
    return hashlib.sha256("\n".join(recipe).encode()).hexdigest()[:16]


def ensure_app(cache: Path) -> Path:
    """The app for the current versions and settings, built once and then reused."""
    folder = cache / fingerprint()
    if (folder / "jupyter-lite.json").is_file():
        return folder
    shutil.rmtree(folder, ignore_errors=True)
    cache.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix="partial-", dir=cache))
    try:
        build_app(work)
        try:
            (work / "out").rename(folder)
        except OSError:  # another build (a test session beside this one) was first
            if not (folder / "jupyter-lite.json").is_file():
                raise
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return folder


def build_app(work: Path) -> None:
    from quickstart_site.sphinx_ext.browser.lite_fixes import AppPageError, add_early_scripts

    # The lite folder holds our two settings files; `jupyter lite build` keeps its doit
    # state in its working folder, this same throwaway folder.
    (work / "jupyter_lite_config.json").write_text(json.dumps(lite_config(), indent=1))
    (work / "jupyter-lite.json").write_text(json.dumps(jupyter_lite_json(), indent=1))
    command = [sys.executable, "-m", "jupyterlite_core", "build"]
    command += ["--lite-dir", str(work), "--output-dir", str(work / "out")]
    done = subprocess.run(command, cwd=work, capture_output=True, text=True, check=False)
    if done.returncode:
        raise LiteAppError(
            f"`{' '.join(command)}` failed:\n{done.stdout}{done.stderr}".rstrip()
            + f"\n(is {', '.join(PACKAGES)} installed? pip install -e .)"
        )
    try:
        add_early_scripts(work / "out")
    except AppPageError as error:  # jupyterlite-core changed its pages: say so, stop
        raise LiteAppError(str(error)) from error
    shutil.copyfile(KERNEL_START, work / "out" / KERNEL_START_NAME)
    drop_legacy_fonts(work / "out" / "build")
    # mkdtemp made the folder 0700; a web server's worker must read the site's copy.
    (work / "out").chmod(0o755)


def drop_legacy_fonts(build: Path) -> None:
    for pattern in LEGACY_FONTS:
        for font in build.glob(pattern):
            if not (build / f"{font.name.rsplit('.', 1)[0]}.woff2").is_file():
                raise LiteAppError(
                    f"{font}: no .woff2 beside it; keep this font or fix LEGACY_FONTS"
                )
            font.unlink()


def install(site: Path, app: Path) -> bool:
    """Copy the app into ``<site>/lite/`` (hard links), unless that copy is this app already.
    Returns whether it copied."""
    target = site / SITE_LITE
    if (target / STAMP).is_file() and (target / STAMP).read_text() == app.name:
        return False
    shutil.rmtree(target, ignore_errors=True)
    shutil.copytree(app, target, copy_function=link_or_copy)
    (target / STAMP).write_text(app.name)
    return True


def notebooks(doctrees: Path, languages: tuple[str, ...]) -> dict[str, bytes]:
    """``<lang>/<page>.ipynb`` -> its bytes, for every notebook the languages' builds left."""
    found = {}
    for language in languages:
        folder = doctrees / language / NOTEBOOKS
        for notebook in sorted(folder.glob("**/*.ipynb")):
            found[f"{language}/{notebook.relative_to(folder).as_posix()}"] = notebook.read_bytes()
    return found


def sync_contents(site: Path, wanted: dict[str, bytes]) -> int:
    """Make ``files/`` hold exactly ``wanted`` (path -> bytes), then list every folder.
    Returns how many notebooks it wrote."""
    files = site / SITE_LITE / FILES
    written = 0
    for path in sorted(files.glob("**/*")) if files.is_dir() else []:
        if path.is_file() and path.relative_to(files).as_posix() not in wanted:
            path.unlink()
    for relative, data in wanted.items():
        target = files / relative
        if target.is_file() and target.read_bytes() == data:
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        target.unlink(missing_ok=True)  # a hard link to another copy must not change it
        target.write_bytes(data)
        written += 1
    for folder in sorted(files.glob("**/*")) if files.is_dir() else []:
        if folder.is_dir() and not any(folder.iterdir()):
            folder.rmdir()
    write_listings(site / SITE_LITE)
    return written


def write_listings(lite: Path) -> None:
    """Each folder's listing, as jupyter_server's contents manager (through jupyterlite-core's
    contents addon) models it: the app reads a notebook's model here, its bytes in files/."""
    files = lite / FILES
    files.mkdir(exist_ok=True)
    listings = lite / LISTINGS
    shutil.rmtree(listings, ignore_errors=True)
    for folder in [files, *sorted(p for p in files.glob("**/*") if p.is_dir())]:
        relative = folder.relative_to(files).as_posix()
        listing = model(files, folder) | {
            "content": [model(files, child) for child in sorted(folder.iterdir())],
            "format": "json",
        }
        target = listings / ("" if relative == "." else relative) / LISTING
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(json.dumps(listing, indent=2, sort_keys=True), encoding="utf-8")


def model(files: Path, path: Path) -> dict[str, Any]:
    relative = path.relative_to(files).as_posix()
    changed = datetime.datetime.fromtimestamp(path.stat().st_mtime, tz=datetime.UTC)
    when = changed.isoformat().replace("+00:00", "Z")
    kind = "directory" if path.is_dir() else "notebook" if path.suffix == ".ipynb" else "file"
    return {
        "content": None,
        "created": when,
        "format": None,
        "hash": None,
        "hash_algorithm": None,
        "last_modified": when,
        "mimetype": None,
        "name": "" if relative == "." else path.name,
        "path": "" if relative == "." else relative,
        "size": None if path.is_dir() else path.stat().st_size,
        "type": kind,
        "writable": True,
    }


def notebook_path(language: str, docname: str) -> str:
    """A page's notebook, as the app names it (its ``?path=``)."""
    return f"{language}/{docname}.ipynb"
