"""gzip copies of the site's text files, made once per file version and kept in memory.

By hand because no well-kept library fits: Flask-Compress skips file responses
(``direct_passthrough``), which is how every file here is sent. The site is static, so one
compression per file version, shared by every reader, is enough.
"""

from __future__ import annotations

import gzip
import os
import threading
from collections import OrderedDict
from pathlib import Path

# Below this, the gzip header and a second cache entry cost more than they save.
MIN_SIZE = 1024
# The runtime's largest file is about 10 MB; the whole site compressed fits easily.
BUDGET = 128 * 1024 * 1024


class GzipCache:
    def __init__(self, budget: int = BUDGET) -> None:
        self._budget = budget
        self._used = 0
        self._copies: OrderedDict[tuple[Path, int, int], bytes] = OrderedDict()
        self._lock = threading.Lock()
        self._compressing: dict[tuple[Path, int, int], threading.Lock] = {}

    def compressed(self, path: Path, stat: os.stat_result) -> bytes:
        """``path``'s content, gzipped (deterministically: the same bytes, the same ETag)."""
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
                data = gzip.compress(path.read_bytes(), compresslevel=6, mtime=0)
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
