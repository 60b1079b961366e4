"""Copy what a warm build changed from its staging folder into the served site.

A warm build (warm/builder.py) writes into its own folder, never into the site: a build that
fails leaves the site as the last good build left it. After a good build, the files whose
bytes differ from the site's are replaced, each atomically (written beside it, then renamed
over it), so a reader never gets half a page. Unchanged files keep their time, so browsers'
caches and the precompressed copies of those files stay valid; a replaced file gets a new
time, which tells the server its old ``.br``/``.gz`` copies are stale (precompress.py).
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

from quickstart_site.orchestration import lite_app

Stamp = tuple[int, int]  # a file's (mtime_ns, size): whether Sphinx wrote it again


def staged_files(staging: Path) -> Iterator[tuple[str, Path]]:
    """Every file the site gets from the staging folder, with its site-relative path: not
    Sphinx's hidden bookkeeping (``.buildinfo``, ``.doctrees``) and not the theme's source maps,
    which the site build drops (build.py, SOURCE_MAPS)."""
    for folder, subfolders, files in os.walk(staging):
        subfolders[:] = [name for name in subfolders if not name.startswith(".")]
        for name in files:
            if name.startswith(".") or name.endswith(".map"):
                continue
            path = Path(folder, name)
            yield path.relative_to(staging).as_posix(), path


def replace_atomically(target: Path, data: bytes) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(f".{target.name}.partial")
    partial.write_bytes(data)
    # Replaced, never written in place: the site's file may be a hard link to another copy.
    os.replace(partial, target)


class Publisher:
    """Remembers what it last saw in one staging folder, so each publish reads only the files
    Sphinx wrote since (it rewrites its static files on every build, most unchanged)."""

    def __init__(self, staging: Path, target: Path) -> None:
        self.staging = staging
        self.target = target
        self.seen: dict[str, Stamp] = {}

    def forget(self) -> None:
        """Compare every file on the next publish (after a fresh build)."""
        self.seen.clear()

    def publish(self) -> list[str]:
        """Replace the target's files that differ from the staging folder's; returns their
        site-relative paths."""
        replaced = []
        for relative, path in staged_files(self.staging):
            status = path.stat()
            stamp = (status.st_mtime_ns, status.st_size)
            if self.seen.get(relative) == stamp:
                continue
            data = path.read_bytes()
            target = self.target / relative
            if not (target.is_file() and target.read_bytes() == data):
                replace_atomically(target, data)
                replaced.append(relative)
            self.seen[relative] = stamp
        return replaced


def publish_notebooks(site: Path, language: str, notebooks: Path) -> int:
    """One language's notebooks (``<doctrees>/notebooks``) into the site's JupyterLite app,
    the other languages' left as they are. Returns how many were written; nothing when the
    site has no app yet (a site build installs it)."""
    if not (site / lite_app.SITE_LITE).is_dir():
        return 0
    files = site / lite_app.SITE_LITE / lite_app.FILES
    wanted = {
        path.relative_to(files).as_posix(): path.read_bytes()
        for path in sorted(files.glob("**/*.ipynb"))
        if path.relative_to(files).parts[0] != language
    }
    mine = {
        f"{language}/{notebook.relative_to(notebooks).as_posix()}": notebook.read_bytes()
        for notebook in sorted(notebooks.glob("**/*.ipynb"))
    }
    published = {
        path.relative_to(files).as_posix(): path.read_bytes()
        for path in sorted((files / language).glob("**/*.ipynb"))
    }
    if mine == published:
        return 0  # the app's listings are left alone too
    return lite_app.sync_contents(site, {**wanted, **mine})
