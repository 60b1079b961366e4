"""Bytecode in a wheel, compiled by the Python that will import it.

PyPI's pure-Python wheels hold source only, so the browser compiled every module the first time
it imported it: 3.2 s of the JupyterLite console's start (IPython, ipykernel) and of the first
Run (Flask) on this machine, against 0.2 s to import the same modules from bytecode. The
runtime build (runtime.py) runs this file inside the runtime's own Pyodide, in Node.js, so the
bytecode is exactly that Python's. Only the modules that are imported get it: those the
kernel imports as it starts and the Flask stack's (all of Pygments' 340 lexers, say, would add
2 MB for three modules used). Each gets its ``__pycache__/<name>.<tag>.pyc``, marked "unchecked
hash" (PEP 552): the import system uses it without comparing it to the source's time, which
unpacking a wheel does not keep. The sources stay, for tracebacks. Standard library only; the
host's tests run it with the host's Python.
"""

from __future__ import annotations

import importlib.util
import os
import sys
import zipfile
from importlib._bootstrap_external import _code_to_hash_pyc  # type: ignore[attr-defined]


def add_bytecode(wheel: str, wanted: set[str], leave_out: tuple[str, ...] = ()) -> int:
    """Rewrite ``wheel`` with the bytecode of each of its modules named in ``wanted`` (paths
    inside the wheel, as in site-packages), without the files under the ``leave_out`` folders;
    returns how many modules it compiled. A module this Python cannot compile is left as
    source (as pip does)."""
    with zipfile.ZipFile(wheel) as old:
        everything = [(info, old.read(info)) for info in old.infolist()]
    entries = [(i, data) for i, data in everything if not i.filename.startswith(leave_out)]
    left_out = len(everything) - len(entries)
    present = {info.filename for info, _ in entries}
    compiled: list[tuple[str, bytes]] = []
    for info, source in entries:
        if not info.filename.endswith(".py") or info.filename not in wanted:
            continue
        cached = importlib.util.cache_from_source(info.filename)
        if cached in present:
            continue
        try:
            code = compile(source, info.filename, "exec", dont_inherit=True)
        except (SyntaxError, ValueError):
            continue
        source_hash = importlib.util.source_hash(source)
        compiled.append((cached, bytes(_code_to_hash_pyc(code, source_hash, checked=False))))
    if not compiled and not left_out:
        return 0
    partial = f"{wheel}.partial"
    with zipfile.ZipFile(partial, "w", zipfile.ZIP_DEFLATED) as new:
        for info, data in entries:
            if info.filename.endswith(".dist-info/RECORD"):
                # Listed without a hash, as installers list the bytecode they write.
                lines = data.decode().splitlines(keepends=True)
                kept = [line for line in lines if not line.startswith(leave_out)]
                kept += [f"{cached},,\n" for cached, _ in compiled]
                data = "".join(kept).encode()
                record = (info, data)
                continue
            new.writestr(info, data)
        for cached, data in compiled:
            new.writestr(cached, data)
        new.writestr(*record)  # RECORD last, as in every wheel
    os.replace(partial, wheel)
    return len(compiled)


def imported_modules(imports: list[str], packages: list[str]) -> set[str]:
    """The site-packages paths of the modules that importing ``imports`` loads, and of every
    module of ``packages`` (top-level names)."""
    import site

    root = site.getsitepackages()[0]
    for name in imports:
        importlib.import_module(name)
    found: set[str] = set()
    for module in list(sys.modules.values()):
        file = getattr(module, "__file__", None)
        if isinstance(file, str) and file.startswith(root):
            found.add(os.path.relpath(file, root))
    for package in packages:
        for folder, _folders, files in os.walk(os.path.join(root, package)):
            found.update(
                os.path.relpath(os.path.join(folder, name), root)
                for name in files
                if name.endswith(".py")
            )
    return {path.replace(os.sep, "/") for path in found if path.endswith(".py")}


def main(folder: str, imports: list[str], packages: list[str], leave_out: list[str]) -> None:
    wanted = imported_modules(imports, packages)
    for name in sorted(os.listdir(folder)):
        if name.endswith(".whl"):
            count = add_bytecode(os.path.join(folder, name), wanted, tuple(leave_out))
            print(f"{name}: {count} modules compiled", file=sys.stderr)
