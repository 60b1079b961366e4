"""Under load: many readers at once, on loopback, fetching pages and the runtime's large files
from the real waitress server. Bounded (fixed request count, time limit); numbers are
measured by the benchmark (benchmarks.server_bench), not here."""

from __future__ import annotations

import gzip
import hashlib
import sys
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from benchmarks.server_bench import hammer, ours, running

from tests.server_helpers import fake_site

CLIENTS = 8
HELD_SERVER = Path(__file__).with_name("held_server.py")
REQUESTS_PER_CLIENT = 50
TIME_LIMIT = 60.0
GZIP = {"Accept-Encoding": "gzip"}
# (path, headers): pages and assets, plain and gzipped, and the 3 MB runtime file.
MIX = [
    ("ru/index.html", GZIP),
    ("kk/quickstart.html", {}),
    ("_runtime/pyodide.asm.wasm", {}),
    ("zh_CN/_static/style.css?v=0123abcd", GZIP),
    ("_runtime/pyodide.asm.wasm", GZIP),
    ("en/_static/font.woff2", {}),
    ("_runtime/pyodide.mjs", GZIP),
    ("ru/_static/logo.svg", {}),
]


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return fake_site(tmp_path_factory.mktemp("load"))


def test_many_readers_at_once_each_get_every_file_whole(site: Path) -> None:
    digests = {
        path: hashlib.sha256((site / path.partition("?")[0]).read_bytes()).hexdigest()
        for path, _ in MIX
    }

    def check(path: str, status: int, headers, body: bytes) -> str | None:
        if status != 200:
            return f"status {status}"
        if headers.get("Content-Encoding") == "gzip":
            body = gzip.decompress(body)
        if hashlib.sha256(body).hexdigest() != digests[path]:
            return f"{len(body)} bytes that are not the file"
        return None

    total = CLIENTS * REQUESTS_PER_CLIENT
    with running(ours(site)) as base:
        load = hammer(base, MIX, total=total, clients=CLIENTS, check=check, time_limit=TIME_LIMIT)
    assert load.errors == []
    assert load.requests == total


def test_one_slow_answer_does_not_hold_the_other_readers(site: Path, tmp_path: Path) -> None:
    """The server runs few request threads (wsgi.THREADS), but more than one: while one answer
    takes long, another reader is still answered."""
    release = tmp_path / "release"
    held_server = [sys.executable, str(HELD_SERVER), str(site), str(release)]

    def fetch(url: str) -> int:
        try:
            with urllib.request.urlopen(url, timeout=10) as response:
                return response.status
        except urllib.error.HTTPError as error:
            return error.code

    with running(held_server) as base:
        held = threading.Thread(target=fetch, args=(base + "held",))
        held.start()
        try:
            time.sleep(0.2)  # the held request has its thread
            started = time.monotonic()
            assert fetch(base + "ru/index.html") == 200
            assert time.monotonic() - started < 5
            assert held.is_alive(), "the held answer was not held"
        finally:
            release.touch()
            held.join(15)
