"""The Python runtime the browser loads: Pyodide and the wheels of Flask and the Jupyter kernel.

Everything comes from the package registries and lands in the built site under ``_runtime/``,
so a reader's browser never asks a CDN for anything:

    _runtime/pyodide/   Pyodide's core, from the npm package ``pyodide``, the lock file that
                        lists every wheel below (``pyodide-lock.json``) and a memory snapshot
                        of a started Pyodide (``snapshot.gzip``, warm_start.py)
    _runtime/wheels/    pure-Python wheels resolved by uv for Pyodide's platform (pyodide-lock)
    _runtime/runtime.json  the versions, which the pages print

The browser's Flask stack is pinned to the versions installed here, the ones the doctests ran
against. The result is cached under ``_build/runtime/<fingerprint>``: a second build reuses it,
and a change of versions builds a new one. Nothing downloaded is committed.
"""

from __future__ import annotations

import contextlib
import hashlib
import importlib.metadata
import json
import logging
import os
import shutil
import subprocess
import sys
import tarfile
import tempfile
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any, cast

from quickstart_site.orchestration import editor_bundle, warm_start

# The Pyodide that jupyterlite-pyodide-kernel 0.8.6 loads (its default CDN URL names it).
PYODIDE_VERSION = "314.0.6"
CORE_FILES = (
    "pyodide.mjs",
    "pyodide.asm.mjs",
    "pyodide.asm.wasm",
    "python_stdlib.zip",
    "pyodide.js",
    "package.json",
)
# What the examples import, pinned to this machine's versions below.
FLASK_STACK = ("flask", "werkzeug", "jinja2", "itsdangerous", "click", "blinker", "markupsafe")
# What the JupyterLite kernel needs besides its own wheels (shipped inside the kernel package),
# and their dependencies: pinned, so a new release on PyPI cannot change the browser unseen.
KERNEL_SPECS = ("micropip==0.11.1", "comm==0.2.3", "ipython==9.18.1")
KERNEL_CONSTRAINTS = (
    "asttokens==3.0.2",
    "executing==2.3.0",
    "ipython-pygments-lexers==1.1.1",
    "jedi==0.20.1",
    "matplotlib-inline==0.2.2",
    "parso==0.8.7",
    "prompt-toolkit==3.0.53",
    "pure-eval==0.2.4",
    "pygments==2.21.0",
    "stack-data==0.6.3",
    "traitlets==5.16.1",
    "wcwidth==0.9.4",
)
KERNEL_WHEELS = ("pyodide_kernel", "piplite", "ipykernel")
# Bump when the layout or the recipe changes, so old caches are not reused.
# 2: bytecode in the wheels (wheel_bytecode.py); 3: jedi's third-party stubs out;
# 4: a memory snapshot of a started Pyodide (warm_start.py); 5: the snapshot as snapshot.gzip;
# 6: the snapshot gzipped at level 6 (pyodide_tasks.js)
RECIPE = "6"
# What gets bytecode (wheel_bytecode.py): the modules the JupyterLite kernel imports as it
# starts, and every module of the Flask stack (what the examples import).
BYTECODE = {
    "load": ["pyodide-kernel", "ipykernel", "comm", "ipython", "flask"],
    "imports": ["pyodide_kernel", "flask"],
    "packages": ["flask", "werkzeug", "jinja2", "click", "itsdangerous", "blinker", "markupsafe"],
    # Jedi's stubs for 4,300 files of third-party packages (networkx, pywin32, tensorflow...)
    # that the browser cannot install: 80% of the files the kernel unpacks as it starts (1 s),
    # 2.4 MB. Jedi skips a missing stubs folder; its standard library stubs stay.
    "leave_out": ["jedi/third_party/typeshed/stubs/"],
}

SITE_FOLDER = "_runtime"
MANIFEST = "runtime.json"


class RuntimeBuildError(RuntimeError):
    """A step of the runtime build failed; the message says which and how to fix it."""


def flask_pins() -> list[str]:
    return [f"{name}=={importlib.metadata.version(name)}" for name in FLASK_STACK]


def kernel_wheels() -> list[Path]:
    """The kernel's own wheels, which jupyterlite-pyodide-kernel ships in its lab extension."""
    folder = (
        Path(sys.prefix)
        / "share/jupyter/labextensions/@jupyterlite/pyodide-kernel-extension/static/pypi"
    )
    wheels = [w for w in sorted(folder.glob("*.whl")) if w.name.split("-")[0] in KERNEL_WHEELS]
    if len(wheels) != len(KERNEL_WHEELS):
        raise RuntimeBuildError(
            f"{folder}: expected the wheels {', '.join(KERNEL_WHEELS)}; "
            "install jupyterlite-pyodide-kernel (pip install -e .)"
        )
    return wheels


def fingerprint() -> str:
    recipe = [RECIPE, PYODIDE_VERSION, *flask_pins(), *KERNEL_SPECS, *KERNEL_CONSTRAINTS]
    recipe += [wheel.name for wheel in kernel_wheels()]
    return hashlib.sha256("\n".join(recipe).encode()).hexdigest()[:16]


def ensure_runtime(cache: Path) -> Path:
    """The runtime folder for the current versions, built once and then reused."""
    folder = cache / fingerprint()
    if not (folder / MANIFEST).is_file():
        build_cached(cache, folder)
    folder.chmod(0o755)  # a cache made before staging was chmod-ed below was 0700
    editor_bundle.add_to_runtime(folder, cache, MANIFEST)  # rebuilt only when its sources change
    return folder


def build_cached(cache: Path, folder: Path) -> None:
    shutil.rmtree(folder, ignore_errors=True)
    cache.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix="partial-", dir=cache))
    # mkdtemp makes the folder 0700; once renamed and copied into the site, a web server's
    # worker (not its owner) could not read the runtime.
    staging.chmod(0o755)
    try:
        build_runtime(staging)
        try:
            staging.rename(folder)
        except OSError:
            # Another process (a test worker, a second build) finished the same runtime first.
            if not (folder / MANIFEST).is_file():
                raise
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def run(command: list[str], what: str, **kwargs: Any) -> None:
    result = subprocess.run(command, capture_output=True, text=True, check=False, **kwargs)
    if result.returncode:
        raise RuntimeBuildError(
            f"{what} failed ({' '.join(command)}):\n{result.stdout}{result.stderr}".rstrip()
        )


def build_runtime(folder: Path) -> None:
    work = folder / "work"
    work.mkdir()
    core = folder / "pyodide"
    fetch_pyodide(work, core)
    local_wheels = [build_pure_markupsafe(work), *kernel_wheels()]
    lock = resolve_wheels(work, core, local_wheels, folder / "wheels")
    # The module list first: it installs the wheels, which the bytecode step rewrites. Then
    # two Node.js processes side by side (each 5-8 s, on one core), the bytecode step in a
    # thread: the snapshot reads only Pyodide's own files, and the bytecode step rewrites only
    # the wheels and, last and whole, the lock.
    modules = warm_start.standard_modules(core, work)
    with ThreadPoolExecutor(max_workers=1) as pool:
        compiled = pool.submit(add_bytecode, work, core, folder / "wheels")
        snapshot = warm_start.make_snapshot(core, modules)
        compiled.result()
    manifest = {
        "pyodide": PYODIDE_VERSION,
        "python": lock["info"]["python"],
        "packages": {p["name"]: p["version"] for p in lock["packages"].values()},
        "snapshot": snapshot,
    }
    shutil.rmtree(work)
    (folder / MANIFEST).write_text(json.dumps(manifest, indent=1, sort_keys=True) + "\n")


def fetch_pyodide(work: Path, core: Path) -> None:
    """Pyodide's core files from the npm registry (the package holds no wheels)."""
    npm = shutil.which("npm")
    if not npm:
        raise RuntimeBuildError("npm is needed to fetch Pyodide's core: apt-get install -y npm")
    run([npm, "pack", f"pyodide@{PYODIDE_VERSION}", "--silent"], "npm pack", cwd=work)
    with tarfile.open(work / f"pyodide-{PYODIDE_VERSION}.tgz") as archive:
        archive.extractall(work, filter="data")
    core.mkdir()
    for name in (*CORE_FILES, "pyodide-lock.json"):
        shutil.copy2(work / "package" / name, core / name)


def build_pure_markupsafe(work: Path) -> Path:
    """MarkupSafe publishes wheels for CPython only. Without a C compiler its build falls back
    to pure Python, which gives the ``py3-none-any`` wheel Pyodide can install."""
    version = importlib.metadata.version("markupsafe")
    out = work / "local-wheels"
    command = [sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "--no-binary"]
    command += ["markupsafe", f"markupsafe=={version}", "--wheel-dir", str(out)]
    run(command, "building a pure-Python MarkupSafe wheel", env={**os.environ, "CC": "false"})
    wheel = out / f"markupsafe-{version}-py3-none-any.whl"
    if not wheel.is_file():
        raise RuntimeBuildError(f"pip built no {wheel.name} (did the C speedups compile?)")
    return wheel


@contextlib.contextmanager
def uv_environment() -> Iterator[None]:
    """uv must not download an interpreter. pyodide-lock starts uv itself, with this process's
    environment, so the setting is made for the call and taken back after it."""
    previous = os.environ.get("UV_PYTHON_DOWNLOADS")
    os.environ["UV_PYTHON_DOWNLOADS"] = "never"
    try:
        yield
    finally:
        if previous is None:
            del os.environ["UV_PYTHON_DOWNLOADS"]
        else:
            os.environ["UV_PYTHON_DOWNLOADS"] = previous


class KeptLog(logging.Handler):
    """Log records kept as lines, not printed."""

    def __init__(self) -> None:
        super().__init__()
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(record.getMessage())


@contextlib.contextmanager
def quiet_log(name: str) -> Iterator[KeptLog]:
    """The named logger's records kept instead of printed: pyodide-lock logs the locks it
    reads and writes, which the build shows only if the step fails."""
    kept = KeptLog()
    logger = logging.getLogger(name)
    propagate = logger.propagate
    logger.addHandler(kept)
    logger.propagate = False
    try:
        yield kept
    finally:
        logger.removeHandler(kept)
        logger.propagate = propagate


def resolve_wheels(
    work: Path, core: Path, local_wheels: list[Path], wheel_dir: Path
) -> dict[str, Any]:
    """Resolve the wheels with uv for Pyodide's platform (pyodide-lock's UvPipCompile) and write
    the lock Pyodide reads, pointing at ``../wheels/``."""
    from pyodide_lock.uv_pip_compile import UvPipCompile

    base = json.loads((core / "pyodide-lock.json").read_text())
    # The npm package lists the wheels of Pyodide's own distribution, which it does not hold:
    # left in, they would be fetched from the CDN. pyodide-lock 0.1.2 also wants info.version.
    base["packages"] = {}
    base["info"]["version"] = PYODIDE_VERSION
    # pyodide-lock names each wheel relative to the input lock, whose folder must hold wheel_dir
    empty_lock = wheel_dir.parent / "empty-lock.json"
    empty_lock.write_text(json.dumps(base))
    solve = UvPipCompile(
        input_path=empty_lock,
        output_path=work / "resolved-lock.json",
        wheels=local_wheels,
        specs=[*flask_pins(), *KERNEL_SPECS],
        constraints=list(KERNEL_CONSTRAINTS),
        work_dir=work / "uv",
        wheel_dir=wheel_dir,
    )
    try:
        with uv_environment(), quiet_log("pyodide_lock") as log:
            spec = solve.update()
    except Exception as error:  # uv's and pydantic's errors: say which step failed
        detail = "".join(f"\n  {line}" for line in log.lines)
        raise RuntimeBuildError(
            f"resolving the browser's wheels failed: {error}{detail}"
        ) from error
    for package in spec.packages.values():
        name = Path(package.file_name).name
        if not (wheel_dir / name).is_file():
            raise RuntimeBuildError(f"the lock names {name}, which is not in {wheel_dir}")
        package.file_name = f"../wheels/{name}"
    empty_lock.unlink()
    spec.to_json(path=core / "pyodide-lock.json", indent=1)
    return cast("dict[str, Any]", json.loads((core / "pyodide-lock.json").read_text()))


def add_bytecode(work: Path, core: Path, wheel_dir: Path) -> None:
    """The imported modules' bytecode, compiled by the runtime's own Pyodide (in Node.js) into
    the wheels (wheel_bytecode.py says why); the lock then names the wheels' new hashes."""
    node = shutil.which("node")
    if not node:
        raise RuntimeBuildError("Node.js compiles the wheels' bytecode: apt-get install -y nodejs")
    here = Path(__file__).parent
    settings = work / "bytecode.json"
    settings.write_text(json.dumps(BYTECODE))
    script, program = here / "wheel_bytecode.js", here / "wheel_bytecode.py"
    command = [node, str(script), str(core), str(wheel_dir), str(program), str(settings)]
    run(command, "compiling the wheels' bytecode in Pyodide")
    path = core / "pyodide-lock.json"
    lock = json.loads(path.read_text())
    for package in lock["packages"].values():
        wheel = core / package["file_name"]
        package["sha256"] = hashlib.sha256(wheel.read_bytes()).hexdigest()
    # Replaced whole: the snapshot's Pyodide, started meanwhile, reads this file.
    written = path.with_name(path.name + ".new")
    written.write_text(json.dumps(lock, indent=1))
    written.replace(path)


def install(site: Path, runtime: Path) -> Path:
    """Copy the runtime into the built site (hard links where the file system allows)."""
    target = site / SITE_FOLDER
    shutil.rmtree(target, ignore_errors=True)
    shutil.copytree(runtime, target, copy_function=link_or_copy)
    return target


def link_or_copy(source: str, target: str) -> None:
    try:
        os.link(source, target)
    except OSError:
        shutil.copy2(source, target)


def manifest(runtime: Path) -> dict[str, Any]:
    return cast("dict[str, Any]", json.loads((runtime / MANIFEST).read_text()))
