"""Hostile requests: each gets a 4xx, never a 5xx, never a byte of a file outside the site.

Every row is sent twice: through the Flask application (werkzeug's test client) and byte for
byte over a socket to the real waitress server, whose URL decoding is its own. Rows only a
raw socket can send (absolute-form targets, raw bytes, broken request lines) skip the first.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from benchmarks.server_bench import ours, running

from quickstart_site.languages import COOKIE
from tests.server_helpers import SECRET, fake_site, raw_request, server_client


@dataclass(frozen=True)
class Hostile:
    name: str
    target: str  # the request target, exactly as sent
    status: int
    method: str = "GET"
    headers: tuple[tuple[str, str], ...] = ()
    raw_only: bool = False  # werkzeug's test client cannot express it

    def __str__(self) -> str:
        return self.name


LONG = "a" * 5000
HOSTILE = [
    # Path traversal, plain and encoded
    Hostile("dot-dot", "/../secret.txt", 404),
    Hostile("dot-dot-in-language", "/ru/../../secret.txt", 404),
    Hostile("dot-dot-deep", "/ru/_static/../../../../../../etc/passwd", 404),
    Hostile("encoded-dots", "/ru/%2e%2e/%2e%2e/secret.txt", 404),
    Hostile("encoded-dots-and-slashes", "/ru/%2E%2E%2F%2E%2E%2Fsecret.txt", 404),
    Hostile("encoded-slash-only", "/ru/..%2f..%2fsecret.txt", 404),
    Hostile("double-encoded", "/ru/%252e%252e%252f%252e%252e%252fsecret.txt", 404),
    Hostile("overlong-utf8-dots", "/ru/%c0%ae%c0%ae/%c0%ae%c0%ae/secret.txt", 404),
    Hostile("fullwidth-dots", "/ru/%EF%BC%8E%EF%BC%8E/secret.txt", 404),
    Hostile("backslashes", "/ru/..\\..\\secret.txt", 400),
    Hostile("encoded-backslashes", "/ru/%5c..%5c..%5csecret.txt", 400),
    Hostile("windows-drive", "/ru/C:%5cWindows%5cwin.ini", 400),
    # Absolute paths
    Hostile("double-slash-root", "//etc/passwd", 404, raw_only=True),
    Hostile("encoded-absolute", "/%2fetc%2fpasswd", 404),
    Hostile("absolute-in-language", "/ru/%2fetc%2fpasswd", 404),
    Hostile("absolute-form-target", "http://127.0.0.1/../secret.txt", 404, raw_only=True),
    Hostile("proc", "/ru/../../../../proc/self/environ", 404),
    # NUL bytes and control characters
    Hostile("nul", "/ru/index.html%00.txt", 400),
    Hostile("nul-alone", "/ru/%00", 400),
    Hostile("crlf-injection", "/ru/%0d%0aSet-Cookie:%20owned=1", 400),
    Hostile("crlf-without-language", "/x%0d%0aLocation:%20http://evil.example/", 400),
    # Symlinks and hidden files
    Hostile("symlink-to-outside-file", "/ru/_static/escape.txt", 404),
    Hostile("symlink-to-outside-folder", "/ru/_static/outside/secret.txt", 404),
    Hostile("hidden-file", "/ru/.buildinfo", 404),
    Hostile("dot-segment", "/ru/./.buildinfo", 404),
    # Absurd lengths
    Hostile("long-path", f"/ru/{LONG}", 414),
    Hostile("long-segment", f"/ru/{'b' * 300}.html", 404),
    Hostile("many-segments", "/ru/" + "a/" * 400, 404),
    Hostile("many-dot-dots", "/ru/" + "../" * 300 + "secret.txt", 404),
    # Odd names
    Hostile("invalid-utf8", "/ru/%ff%fe.html", 404),
    Hostile("file-as-folder", "/ru/index.html/", 404),
    Hostile("folder-listing", "/ru/_static/", 404),
    Hostile("unknown-language", "/fr/index.html", 404),
    Hostile("language-tag-not-code", "/zh-CN/index.html", 404),
    Hostile("upper-case-language", "/RU/index.html", 404),
    # Malformed preferences, on a page that does not exist
    Hostile(
        "garbage-accept-language",
        "/missing.html",
        404,
        headers=(("Accept-Language", ";;;q=x,,,="),),
    ),
    Hostile(
        "huge-accept-language",
        "/missing.html",
        404,
        headers=(("Accept-Language", "xx-yy," * 2000),),
    ),
    Hostile(
        "binary-accept-language",
        "/missing.html",
        404,
        headers=(("Accept-Language", "\xff\xfe\x80"),),
        raw_only=True,
    ),
    Hostile(
        "traversal-cookie",
        "/missing.html",
        404,
        headers=(("Cookie", f"{COOKIE}=../../secret.txt"),),
    ),
    Hostile("garbage-cookie", "/missing.html", 404, headers=(("Cookie", ';;="=;' * 500),)),
    # Odd methods
    Hostile("post", "/ru/", 405, method="POST"),
    Hostile("put", "/ru/index.html", 405, method="PUT"),
    Hostile("delete", "/ru/index.html", 405, method="DELETE"),
    Hostile("patch", "/ru/index.html", 405, method="PATCH"),
    Hostile("options", "/ru/", 405, method="OPTIONS"),
    Hostile("trace", "/ru/", 405, method="TRACE"),
    Hostile("propfind", "/ru/", 405, method="PROPFIND"),
    Hostile("made-up-method", "/", 405, method="BREW"),
    # Methods are case-sensitive: "get" is no GET (werkzeug's test client would upper-case it)
    Hostile("lower-case-get", "/ru/", 400, method="get", raw_only=True),
    # Broken HTTP, answered by waitress itself
    Hostile(
        "huge-body",
        "/ru/",
        413,
        method="POST",
        headers=(("Content-Length", "100000000"),),
        raw_only=True,
    ),
    Hostile("no-request-line", "", 400, method="GARBAGE", raw_only=True),
]


def raw_bytes(row: Hostile) -> bytes:
    if not row.target:  # a request line of one word
        return f"{row.method}\r\nHost: 127.0.0.1\r\n\r\n".encode("latin-1")
    lines = [f"{row.method} {row.target} HTTP/1.1", "Host: 127.0.0.1", "Connection: close"]
    lines += [f"{name}: {value}" for name, value in row.headers]
    return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1")


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return fake_site(tmp_path_factory.mktemp("hostile"))


@pytest.fixture(scope="module")
def waitress_port(site: Path):
    with running(ours(site)) as base:
        yield urlsplit(base).port


def test_the_table_has_at_least_thirty_distinct_requests() -> None:
    assert len({row.name for row in HOSTILE}) == len(HOSTILE) >= 30


@pytest.mark.parametrize("row", [row for row in HOSTILE if not row.raw_only], ids=str)
def test_the_application_refuses(site: Path, row: Hostile) -> None:
    response = server_client(site).open(row.target, method=row.method, headers=list(row.headers))
    assert response.status_code == row.status
    assert SECRET.encode() not in response.data
    # Refusals are answers like any other: with the security headers.
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert "Content-Security-Policy" in response.headers


@pytest.mark.parametrize("row", HOSTILE, ids=str)
def test_waitress_refuses(waitress_port: int, row: Hostile) -> None:
    response = raw_request(waitress_port, raw_bytes(row))
    assert response.status == row.status
    assert SECRET.encode() not in response.body


def test_the_secret_is_really_there_to_be_stolen(site: Path) -> None:
    """The traps are armed: the secret files exist, next to and linked from the site."""
    assert (site.parent / "secret.txt").read_text() == SECRET
    assert (site / "ru" / "_static" / "escape.txt").read_text() == SECRET
    assert (site / "ru" / "_static" / "outside" / "secret.txt").read_text() == SECRET
    assert (site / "ru" / ".buildinfo").read_text() == SECRET
