"""The build's compressed copies (orchestration/precompress.py) and how the server sends them
(server/files.py): made once, chosen by Accept-Encoding, ignored once their file changed."""

from __future__ import annotations

import gzip
import io
import os
import sys
from pathlib import Path

import brotli
import pytest
from werkzeug.test import Client
from werkzeug.wsgi import FileWrapper

from quickstart_site.orchestration.precompress import precompress
from quickstart_site.server import create_app
from tests.server_helpers import fake_site, server_client

STYLE = "ru/_static/style.css"


@pytest.fixture
def site(tmp_path: Path) -> Path:
    site = fake_site(tmp_path)
    (site / "_deploy").mkdir()
    (site / "_deploy" / "csp.conf").write_text("x" * 4096)
    (site / "ru" / ".hidden.js").write_text("x" * 4096)
    (site.parent / "outside" / "notes.txt").write_text("x" * 4096)
    precompress(site, workers=1)
    return site


def copy(site: Path, path: str, suffix: str) -> Path:
    return site / f"{path}{suffix}"


def test_each_text_file_gets_both_copies_with_its_own_time(site: Path) -> None:
    original = site / STYLE
    assert brotli.decompress(copy(site, STYLE, ".br").read_bytes()) == original.read_bytes()
    assert gzip.decompress(copy(site, STYLE, ".gz").read_bytes()) == original.read_bytes()
    mtime = original.stat().st_mtime_ns
    assert copy(site, STYLE, ".br").stat().st_mtime_ns == mtime
    assert copy(site, STYLE, ".gz").stat().st_mtime_ns == mtime
    assert copy(site, "_runtime/pyodide.asm.wasm", ".br").is_file()


@pytest.mark.parametrize(
    "path",
    [
        "ru/_static/tiny.js",  # too small to gain
        "ru/_static/font.woff2",  # compressed already
        "_runtime/flask-3.1.3-py3-none-any.whl",
        "_deploy/csp.conf",  # not for readers
        "ru/.hidden.js",
        "ru/_static/escape.txt",  # a symlink out of the site
        "ru/_static/outside/notes.txt",  # in a folder elsewhere, through a symlink
    ],
)
def test_files_not_worth_it_or_not_for_readers_get_no_copy(site: Path, path: str) -> None:
    assert not copy(site, path, ".gz").exists()
    assert not copy(site, path, ".br").exists()


def test_a_second_run_keeps_current_copies_and_redoes_changed_ones(site: Path) -> None:
    (site / STYLE).write_text("p { color: red; }\n" * 100)
    (site / "ru" / "gone.js").write_text("x" * 4096)
    precompress(site, workers=1)
    (site / "ru" / "gone.js").unlink()
    summary = precompress(site, workers=1)
    assert (summary.compressed, summary.removed) == (0, 2)
    assert not copy(site, "ru/gone.js", ".gz").exists()
    changed = gzip.decompress(copy(site, STYLE, ".gz").read_bytes())
    assert changed == (site / STYLE).read_bytes()


def test_the_cache_gives_the_same_bytes_without_compressing_again(tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    first, second = fake_site(tmp_path / "a"), fake_site(tmp_path / "b")
    made = precompress(first, cache=cache, workers=1)
    again = precompress(second, cache=cache, workers=1)
    assert made.compressed > 0 and again.compressed == 0
    assert again.written == made.written
    for suffix in (".br", ".gz"):
        assert copy(first, STYLE, suffix).read_bytes() == copy(second, STYLE, suffix).read_bytes()


@pytest.mark.skipif(sys.platform == "win32", reason="fork-based pool")
def test_the_pool_writes_what_one_process_writes(tmp_path: Path) -> None:
    (tmp_path / "one").mkdir()
    (tmp_path / "two").mkdir()
    one, two = fake_site(tmp_path / "one"), fake_site(tmp_path / "two")
    precompress(one, workers=1)
    precompress(two, workers=2)
    for suffix in (".br", ".gz"):
        assert copy(one, STYLE, suffix).read_bytes() == copy(two, STYLE, suffix).read_bytes()


def test_the_same_file_in_each_language_shares_its_copies(tmp_path: Path) -> None:
    """Sphinx copies a theme's file into each language with the source's time: one copy on
    disk, hard-linked; a file with the same bytes but another time gets its own copy."""
    site = fake_site(tmp_path)
    source = (site / "ru" / STYLE.removeprefix("ru/")).stat()
    for code in ("en", "kk"):
        os.utime(site / code / "_static" / "style.css", ns=(source.st_atime_ns, source.st_mtime_ns))
    os.utime(site / "zh_CN" / "_static" / "style.css", ns=(0, source.st_mtime_ns + 10**9))
    precompress(site, workers=1)
    inodes = {
        code: copy(site, f"{code}/_static/style.css", ".br").stat().st_ino
        for code in ("en", "kk", "ru", "zh_CN")
    }
    assert inodes["en"] == inodes["kk"] == inodes["ru"] != inodes["zh_CN"]
    zh = copy(site, "zh_CN/_static/style.css", ".br").stat()
    assert zh.st_mtime_ns == source.st_mtime_ns + 10**9


# --- Served ---------------------------------------------------------------------------------


def test_brotli_goes_to_browsers_that_take_it(site: Path) -> None:
    client = server_client(site)
    response = client.get(f"/{STYLE}", headers={"Accept-Encoding": "gzip, deflate, br"})
    assert response.headers["Content-Encoding"] == "br"
    assert response.data == copy(site, STYLE, ".br").read_bytes()
    assert int(response.headers["Content-Length"]) == len(response.data)
    assert "Accept-Encoding" in response.headers["Vary"]
    etags = {
        client.get(f"/{STYLE}", headers={"Accept-Encoding": encoding}).headers["ETag"]
        for encoding in ("br", "gzip", "identity")
    }
    assert len(etags) == 3


def test_the_gzip_sent_is_the_builds_copy(site: Path) -> None:
    # The copy, marked (same time, other bytes), is what is sent: nothing is compressed again.
    gz = copy(site, STYLE, ".gz")
    marked = gzip.compress(b"from the copy", mtime=0)
    times = gz.stat()
    gz.write_bytes(marked)
    os.utime(gz, ns=(times.st_atime_ns, times.st_mtime_ns))
    response = server_client(site).get(f"/{STYLE}", headers={"Accept-Encoding": "gzip"})
    assert response.headers["Content-Encoding"] == "gzip"
    assert response.data == marked


def test_a_file_changed_since_its_copies_were_made_is_compressed_afresh(site: Path) -> None:
    client = server_client(site)
    client.get(f"/{STYLE}", headers={"Accept-Encoding": "br"})
    (site / STYLE).write_text("a { color: blue; }\n" * 100)
    os.utime(site / STYLE, ns=(0, copy(site, STYLE, ".br").stat().st_mtime_ns + 10**9))
    brotli_only = client.get(f"/{STYLE}", headers={"Accept-Encoding": "br"})
    assert "Content-Encoding" not in brotli_only.headers
    assert brotli_only.data == (site / STYLE).read_bytes()
    zipped = client.get(f"/{STYLE}", headers={"Accept-Encoding": "br, gzip"})
    assert zipped.headers["Content-Encoding"] == "gzip"
    assert gzip.decompress(zipped.data) == (site / STYLE).read_bytes()


def test_a_copy_replaced_under_the_server_is_not_sent_with_old_headers(site: Path) -> None:
    client = server_client(site)
    client.get(f"/{STYLE}", headers={"Accept-Encoding": "br"})  # headers now known
    br = copy(site, STYLE, ".br")
    times = br.stat()
    br.write_bytes(br.read_bytes() + b"junk")
    os.utime(br, ns=(times.st_atime_ns, times.st_mtime_ns + 1))
    response = client.get(f"/{STYLE}", headers={"Accept-Encoding": "br"})
    assert int(response.headers["Content-Length"]) == len(response.data)
    assert response.headers.get("Content-Encoding") != "br"


def test_a_brotli_copy_is_revalidated_and_heads_like_get(site: Path) -> None:
    client = server_client(site)
    headers = {"Accept-Encoding": "br"}
    got = client.get(f"/{STYLE}?v=1", headers=headers)
    head = client.head(f"/{STYLE}?v=1", headers=headers)
    assert head.data == b""
    for name in ("Content-Type", "Content-Length", "ETag", "Cache-Control", "Content-Encoding"):
        assert head.headers.get(name) == got.headers.get(name), name
    again = client.get(f"/{STYLE}?v=1", headers={**headers, "If-None-Match": got.headers["ETag"]})
    assert again.status_code == 304 and again.data == b""
    assert again.headers["ETag"] == got.headers["ETag"]
    assert again.headers["Cache-Control"] == got.headers["Cache-Control"]
    assert again.headers["Content-Security-Policy"] == got.headers["Content-Security-Policy"]


def test_a_file_goes_through_the_wsgi_servers_file_wrapper(site: Path) -> None:
    """waitress sends what its file wrapper holds without Python reading it in chunks."""
    wrapped = []

    def file_wrapper(file, block_size=8192):
        wrapped.append(file.name)
        return FileWrapper(file, block_size)

    environ = {
        "REQUEST_METHOD": "GET",
        "PATH_INFO": "/_runtime/pyodide.asm.wasm",
        "QUERY_STRING": "",
        "SERVER_NAME": "127.0.0.1",
        "SERVER_PORT": "80",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "HTTP_ACCEPT_ENCODING": "br",
        "wsgi.url_scheme": "http",
        "wsgi.input": io.BytesIO(),
        "wsgi.errors": sys.stderr,
        "wsgi.file_wrapper": file_wrapper,
    }
    statuses = []
    body = create_app(site)(environ, lambda status, headers, exc_info=None: statuses.append(status))
    data = b"".join(body)
    body.close()
    assert statuses == ["200 OK"]
    assert wrapped == [str(copy(site, "_runtime/pyodide.asm.wasm", ".br"))]
    assert data == copy(site, "_runtime/pyodide.asm.wasm", ".br").read_bytes()


# --- The fast path answers exactly as the application would ---------------------------------

PARITY = [
    ("/ru/index.html", {}),
    ("/ru/index.html", {"Accept-Encoding": "gzip"}),
    ("/ru/_static/style.css?v=0123abcd", {"Accept-Encoding": "gzip"}),
    ("/ru/_static/font.woff2", {"Accept-Encoding": "gzip"}),
    ("/ru/lite/index.html", {}),
    ("/_runtime/pyodide.mjs", {"Accept-Encoding": "gzip"}),
    ("/lite/index.html", {}),
    ("/ru/missing.html", {}),  # ru has its own 404 page
    ("/ru/lite/missing", {}),
]


@pytest.mark.parametrize(("path", "headers"), PARITY)
def test_the_fast_path_sends_what_the_application_sends(tmp_path: Path, path, headers) -> None:
    """Without the build's copies (the application makes gzip in memory, as the fast path
    does then): the same status, body and headers, whichever answers."""
    site = fake_site(tmp_path)
    app = create_app(site)
    fast = Client(app.wsgi_app)
    flask_only = Client(app.wsgi_app.app)  # type: ignore[attr-defined]
    for method in ("GET", "HEAD"):
        one = fast.open(path, method=method, headers=headers, buffered=True)
        other = flask_only.open(path, method=method, headers=headers, buffered=True)
        assert (one.status, one.data) == (other.status, other.data), method
        assert without_date(one.headers) == without_date(other.headers), method


def without_date(headers) -> dict[str, str]:
    return {name: value for name, value in headers.items() if name != "Date"}
