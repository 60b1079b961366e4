"""The site's compressed copies, written once by the build: ``<file>.br`` and ``<file>.gz``
beside every text or WebAssembly file worth compressing.

Our server (``server/files.py``) and nginx (``gzip_static`` in ``deploy/nginx.conf``) send a
copy as it is to a browser that takes its encoding, so no request pays for compression. Each
copy gets its original's modification time: that is how the server knows the copy was made
from the file as it is now (a page rebuilt since has a new time, and its old copy is ignored).

Fast enough for every build: the four languages share most of their files (the theme, the
JupyterLite apps), so each distinct content is compressed once and written beside each file
that has it; a copy already made for the file's current time is kept; the work is spread over
the machine's cores. With a cache folder (the build passes ``_build/compressed``), a content
compressed by an earlier build (the runtime, the JupyterLite apps: most of the bytes) is
copied from there, so a fresh build compresses only the pages that changed.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import sys
import time
from collections import defaultdict
from collections.abc import Iterable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from quickstart_site.server.compression import COMPRESSORS, MIN_SIZE, SUFFIXES
from quickstart_site.server.media import is_compressible, media_type
from quickstart_site.server.site_tree import FOR_HOSTS_ONLY

COPY_SUFFIXES = tuple(SUFFIXES.values())
# A cached content no build has used for this long is removed.
CACHE_DAYS = 14


@dataclass(frozen=True)
class Summary:
    compressed: int  # distinct contents compressed by this run
    written: int  # copies written (each encoding counts)
    kept: int  # files whose copies were already current
    removed: int  # copies whose original is gone


def wanted(site: Path, path: Path) -> bool:
    """A file the server would compress: text or WebAssembly, at least MIN_SIZE bytes, that
    readers can reach (not a hidden file, not the static hosts' configuration), really inside
    the site (a copy is written beside it: never through a symlink to a folder elsewhere)."""
    relative = path.relative_to(site).parts
    if relative[0] in FOR_HOSTS_ONLY or any(part.startswith(".") for part in relative):
        return False
    if path.name.endswith(COPY_SUFFIXES) or not is_compressible(media_type(path)):
        return False
    if not path.is_file() or path.is_symlink() or path.stat().st_size < MIN_SIZE:
        return False
    return os.path.realpath(path).startswith(os.path.realpath(site) + os.sep)


def current(path: Path) -> bool:
    """Both copies exist and were made from this version of ``path``."""
    mtime = path.stat().st_mtime_ns
    try:
        return all(Path(f"{path}{suffix}").stat().st_mtime_ns == mtime for suffix in COPY_SUFFIXES)
    except OSError:
        return False


def compress(path: Path) -> dict[str, bytes]:
    data = path.read_bytes()
    return {encoding: compressor(data) for encoding, compressor in COMPRESSORS.items()}


def cached(cache: Path, digest: str) -> dict[str, bytes] | None:
    try:
        copies = {
            encoding: (cache / f"{digest}{suffix}").read_bytes()
            for encoding, suffix in SUFFIXES.items()
        }
    except OSError:
        return None
    for suffix in COPY_SUFFIXES:
        os.utime(cache / f"{digest}{suffix}")  # used: not old yet
    return copies


def store(cache: Path, digest: str, copies: dict[str, bytes]) -> None:
    cache.mkdir(parents=True, exist_ok=True)
    for encoding, data in copies.items():
        target = cache / f"{digest}{SUFFIXES[encoding]}"
        partial = target.with_name(f".{target.name}.{os.getpid()}.partial")
        partial.write_bytes(data)
        os.replace(partial, target)  # builds running side by side may share the cache


def prune(cache: Path) -> None:
    limit = time.time() - CACHE_DAYS * 24 * 3600
    for entry in cache.glob("*"):
        with contextlib.suppress(OSError):
            if entry.stat().st_mtime < limit:
                entry.unlink()


def write_copies(path: Path, copies: dict[str, bytes]) -> None:
    stat = path.stat()
    for encoding, data in copies.items():
        target = Path(f"{path}{SUFFIXES[encoding]}")
        partial = target.with_name(f".{target.name}.partial")
        partial.write_bytes(data)
        os.utime(partial, ns=(stat.st_atime_ns, stat.st_mtime_ns))
        # Atomic: a server reading the site never sees half a copy.
        os.replace(partial, target)


def remove_orphans(site: Path) -> int:
    removed = 0
    for suffix in COPY_SUFFIXES:
        for copy in site.rglob(f"*{suffix}"):
            original = copy.with_name(copy.name[: -len(suffix)])
            if copy.is_file() and not copy.is_symlink() and not original.is_file():
                copy.unlink()
                removed += 1
    return removed


def precompress(site: Path, *, cache: Path | None = None, workers: int | None = None) -> Summary:
    """Write the missing or outdated copies of every file of ``site`` worth compressing."""
    removed = remove_orphans(site)
    by_content: dict[str, list[Path]] = defaultdict(list)
    kept = 0
    for path in sorted(site.rglob("*")):
        if not wanted(site, path):
            continue
        if current(path):
            kept += 1
            continue
        by_content[hashlib.sha256(path.read_bytes()).hexdigest()].append(path)
    written = 0
    if cache is not None:
        for digest in list(by_content):
            copies = cached(cache, digest)
            if copies is not None:
                written += _write_all([by_content.pop(digest)], [copies])
    originals = [paths[0] for paths in by_content.values()]
    workers = workers or min(len(originals), os.cpu_count() or 1) or 1
    if workers > 1:
        with ProcessPoolExecutor(workers) as pool:
            results = list(pool.map(compress, originals, chunksize=4))
    else:
        results = [compress(original) for original in originals]
    written += _write_all(by_content.values(), results)
    if cache is not None:
        for digest, copies in zip(by_content, results, strict=True):
            store(cache, digest, copies)
        prune(cache)
    return Summary(len(originals), written, kept, removed)


def link_copies(path: Path, made: Path) -> bool:
    """``path``'s copies as hard links to ``made``'s, which have the same content and time
    (Sphinx copies a theme's file into each language keeping its time): no bytes written
    twice, no disk used twice. False where the file system cannot link."""
    for suffix in COPY_SUFFIXES:
        target = Path(f"{path}{suffix}")
        partial = target.with_name(f".{target.name}.partial")
        try:
            partial.unlink(missing_ok=True)
            os.link(f"{made}{suffix}", partial)
        except OSError:
            return False
        os.replace(partial, target)
    return True


def _write_all(groups: Iterable[list[Path]], results: Iterable[dict[str, bytes]]) -> int:
    written = 0
    for paths, copies in zip(groups, results, strict=True):
        made: dict[int, Path] = {}  # modification time -> a file whose copies are written
        for path in paths:
            mtime = path.stat().st_mtime_ns
            if mtime not in made or not link_copies(path, made[mtime]):
                write_copies(path, copies)
                made[mtime] = path
            written += len(copies)
    return written


def main(argv: list[str] | None = None) -> int:
    """``python -m quickstart_site.orchestration.precompress SITE``: the copies of a built
    site (the build does this itself)."""
    arguments = sys.argv[1:] if argv is None else argv
    if len(arguments) != 1 or not Path(arguments[0], "index.html").is_file():
        print("usage: python -m quickstart_site.orchestration.precompress SITE", file=sys.stderr)
        return 2
    summary = precompress(Path(arguments[0]))
    print(summary)
    return 0


if __name__ == "__main__":
    sys.exit(main())
