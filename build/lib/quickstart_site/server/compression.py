"""The compressed copies of a text file: the same bytes whether the build wrote them beside
the file (``orchestration/precompress.py``) or the server made one in memory.

The build writes ``<file>.br`` and ``<file>.gz`` once, so that neither our server nor nginx
(``gzip_static``) compresses per request. A site without them (built before, or the tests'
small fake site) still gets gzip: made once per file version, kept in memory (``GzipCache``).
Deterministic (no timestamp in the gzip header, fixed levels), so one ETag names one byte
string wherever it was made.
"""

from __future__ import annotations

import gzip
import os
import threading
from collections import OrderedDict
from pathlib import Path

import brotli

# Below this, the gzip header and a second cache entry cost more than they save.
MIN_SIZE = 1024
# The runtime's largest file is about 10 MB; the whole site compressed fits easily.
BUDGET = 128 * 1024 * 1024
# Above this, the fast levels: the 10 MB WebAssembly file takes 0.4 s at brotli 5 and
# 2 s at 9, for 4 % fewer bytes. Below it (pages, style sheets, the theme's scripts), the
# render path, the strong levels cost milliseconds.
LARGE = 1024 * 1024

# Content-Encoding -> the suffix of the build's copy; the server prefers them in this order.
SUFFIXES = {"br": ".br", "gzip": ".gz"}


def gzip_bytes(data: bytes) -> bytes:
    return gzip.compress(data, compresslevel=6 if len(data) > LARGE else 9, mtime=0)


def brotli_bytes(data: bytes) -> bytes:
    compressed: bytes = brotli.compress(data, quality=5 if len(data) > LARGE else 9)
    return compressed


COMPRESSORS = {"br": brotli_bytes, "gzip": gzip_bytes}


class GzipCache:
    def __init__(self, budget: int = BUDGET) -> None:
        self._budget = budget
        self._used = 0
        self._copies: OrderedDict[tuple[Path, int, int], bytes] = OrderedDict()
        self._lock = threading.Lock()
        self._compressing: dict[tuple[Path, int, int], threading.Lock] = {}

    def compressed(self, path: Path, stat: os.stat_result) -> bytes:
        """``path``'s content, gzipped as ``gzip_bytes`` does."""
        key = (path, stat.st_mtime_ns, stat.st_size)
        with self._lock:
            if key in self._copies:
                self._copies.move_to_end(key)
                return self._copies[key]
            # Readers asking at once for the same large file wait for one compression.
            busy = self._compressing.setdefault(key, threading.Lock())
        with busy:
            with self._lock:
                if key in self._copies:
                    return self._copies[key]
            try:
                data = gzip_bytes(path.read_bytes())
            finally:  # a failed read must not leave its lock behind for the next reader
                with self._lock:
                    self._compressing.pop(key, None)
            with self._lock:
                self._store(key, data)
        return data

    def _store(self, key: tuple[Path, int, int], data: bytes) -> None:
        if len(data) > self._budget:
            return
        self._copies[key] = data
        self._used += len(data)
        while self._used > self._budget:
            _old, evicted = self._copies.popitem(last=False)
            self._used -= len(evicted)
