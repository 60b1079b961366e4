"""The site's files as the server sends them: every header of a file version computed once,
and the common request (GET or HEAD of a file, perhaps conditional) answered without Flask.

Why not WhiteNoise, the usual library for this: it reads the tree once at start-up, so a page
rebuilt while the server runs keeps its old headers (its ``autorefresh`` re-reads per request
and is meant for development only); it gives every encoding the ETag of the original, where
each representation needs its own (RFC 9110, 8.8.3); it decides Cache-Control per file, where
ours depends on the query too (``?v=``); and it serves only the compressed copies it finds,
where a site without them must still get gzip. What it does well is done here the same way:
headers computed once per file version (keyed by its stat), the build's ``.br`` and ``.gz``
copies chosen by ``Accept-Encoding``, and files sent through the WSGI server's file wrapper.

Only what ``SiteTree.lookup`` resolves is sent, and a language's own 404 page for a missing
path under that language; anything else (redirects, negotiation, other 404s, other methods,
ranges, refused paths) goes to the Flask application, which has the last word.
"""

from __future__ import annotations

import functools
import os
import threading
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import IO, TYPE_CHECKING
from urllib.parse import parse_qsl, quote

from werkzeug.exceptions import HTTPException
from werkzeug.http import (
    dump_options_header,
    http_date,
    is_resource_modified,
    parse_accept_header,
)
from werkzeug.utils import get_content_type
from werkzeug.wsgi import wrap_file

from quickstart_site.languages import BY_CODE
from quickstart_site.server.caching import REVALIDATE, cache_control
from quickstart_site.server.compression import MIN_SIZE, SUFFIXES, GzipCache
from quickstart_site.server.inline_code import InlineCode, read_inline_code
from quickstart_site.server.media import is_compressible, media_type
from quickstart_site.server.policy import (
    HEADERS,
    NO_INLINE_CODE,
    allows_eval,
    content_security_policy,
)
from quickstart_site.server.site_tree import SiteTree, check_url_path

if TYPE_CHECKING:
    from _typeshed.wsgi import StartResponse, WSGIApplication, WSGIEnvironment

HTML = "text/html"
# The root's chooser page: a reader asking for it is sent to their language instead.
ROOT_PAGES = {"", "index.html"}
# Requests the Flask application answers (werkzeug's range and precondition handling).
FOR_FLASK = ("HTTP_RANGE", "HTTP_IF_RANGE", "HTTP_IF_MATCH", "HTTP_IF_UNMODIFIED_SINCE")
# Dropped from a 304, as werkzeug drops them (RFC 9110, 15.4.5: it describes no body).
ENTITY_HEADERS = {"content-type", "content-length", "content-encoding", "last-modified"}
BLOCK_SIZE = 64 * 1024
NOT_FOUND = "404 NOT FOUND"  # werkzeug's status line, as the application sends it

Headers = list[tuple[str, str]]


@dataclass(frozen=True)
class Copy:
    """A compressed copy the build wrote beside a file, made from this version of it."""

    path: str
    size: int
    mtime_ns: int


@dataclass(frozen=True)
class FileVersion:
    """One version of one file (its real path, time and size): what every response for it
    carries, computed once."""

    path: Path
    media: str
    etag: str  # without the encoding's suffix or the quotes
    last_modified: str
    mtime_ns: int
    size: int
    compressible: bool
    code: InlineCode
    copies: dict[str, Copy]  # Content-Encoding -> the build's copy

    @classmethod
    def read(cls, path: Path, stat: os.stat_result) -> FileVersion:
        media = media_type(path)
        compressible = is_compressible(media) and stat.st_size >= MIN_SIZE
        code = NO_INLINE_CODE
        if media == HTML:
            code = read_inline_code(path.read_text(encoding="utf-8", errors="replace"))
        return cls(
            path=path,
            media=media,
            etag=f"{stat.st_mtime_ns:x}-{stat.st_size:x}",
            last_modified=http_date(stat.st_mtime),
            mtime_ns=stat.st_mtime_ns,
            size=stat.st_size,
            compressible=compressible,
            code=code,
            copies=build_copies(path, stat) if compressible else {},
        )

    def headers(self, encoding: str | None, size: int, url_path: str) -> Headers:
        """Every header but Cache-Control (it depends on the query)."""
        # A new list: the cached one is shared by every response.
        headers = [*base_headers(self.media, self.code, allows_eval(url_path))]
        headers += [
            ("Content-Length", str(size)),
            ("Last-Modified", self.last_modified),
            ("ETag", f'"{self.etag}-{encoding}"' if encoding else f'"{self.etag}"'),
        ]
        if encoding:
            headers.append(("Content-Encoding", encoding))
        else:
            # As werkzeug's send_file, which the application uses for the file as it is.
            headers.append(("Accept-Ranges", "bytes"))
            headers.append(("Content-Disposition", content_disposition(self.path.name)))
        if self.compressible:
            headers.append(("Vary", "Accept-Encoding"))
        return headers


@functools.lru_cache(maxsize=4096)
def content_disposition(name: str) -> str:
    """``inline`` with the file's name, written exactly as werkzeug's send_file writes it."""
    try:
        name.encode("ascii")
    except UnicodeEncodeError:
        simple = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode("ascii")
        quoted = quote(name, safe="!#$&+-.^_`|~")  # RFC 5987 attr-char
        return dump_options_header("inline", {"filename": simple, "filename*": f"UTF-8''{quoted}"})
    return dump_options_header("inline", {"filename": name})


def build_copies(path: Path, stat: os.stat_result) -> dict[str, Copy]:
    """The build's copies of exactly this version: precompress.py gives each copy the
    original's modification time, so a file rebuilt since (a new time) has none."""
    copies = {}
    for encoding, suffix in SUFFIXES.items():
        copy = f"{path}{suffix}"
        try:
            copy_stat = os.stat(copy)
        except OSError:
            continue
        if copy_stat.st_mtime_ns == stat.st_mtime_ns:
            copies[encoding] = Copy(copy, copy_stat.st_size, copy_stat.st_mtime_ns)
    return copies


@functools.lru_cache(maxsize=4096)
def policy(code: InlineCode = NO_INLINE_CODE, eval_: bool = False) -> str:
    """The Content-Security-Policy of a page with this inline code, built once."""
    return content_security_policy(code, eval_=eval_)


@functools.lru_cache(maxsize=4096)
def base_headers(media: str, code: InlineCode, eval_: bool) -> tuple[tuple[str, str], ...]:
    return (
        ("Content-Type", get_content_type(media, "utf-8")),
        *HEADERS.items(),
        ("Content-Security-Policy", policy(code, eval_)),
    )


class FileTable:
    """Each file's current version, looked up by its real path and checked against its stat
    on every request (a rebuild while the server runs is seen at once)."""

    def __init__(self) -> None:
        self._versions: dict[Path, FileVersion] = {}
        self._contents: dict[tuple[Path, int, int], bytes] = {}
        self._lock = threading.Lock()
        self.gzip = GzipCache()

    def version(self, path: Path, stat: os.stat_result) -> FileVersion:
        with self._lock:
            known = self._versions.get(path)
        if known and (known.mtime_ns, known.size) == (stat.st_mtime_ns, stat.st_size):
            return known
        version = FileVersion.read(path, stat)
        with self._lock:
            self._versions[path] = version
        return version

    def content(self, version: FileVersion) -> bytes:
        """The bytes of a small file sent whole (a 404 page), read once per version."""
        key = (version.path, version.mtime_ns, version.size)
        with self._lock:
            known = self._contents.get(key)
        if known is None:
            known = version.path.read_bytes()
            with self._lock:
                self._contents = {k: v for k, v in self._contents.items() if k[0] != version.path}
                self._contents[key] = known
        return known

    def forget(self, path: Path) -> None:
        with self._lock:
            self._versions.pop(path, None)


def accepted(environ: WSGIEnvironment) -> set[str]:
    """The encodings the client takes (``q=0`` means not), as werkzeug reads the header."""
    header = environ.get("HTTP_ACCEPT_ENCODING")
    if not header:
        return set()
    return {value for value, quality in parse_accept_header(header) if quality > 0}


def first_values(query: str) -> dict[str, str]:
    """The query's parameters, the first value of each, as ``request.args.get`` reads them."""
    values: dict[str, str] = {}
    for name, value in parse_qsl(query, keep_blank_values=True):
        values.setdefault(name, value)
    return values


class FastFiles:
    """WSGI middleware in front of the Flask application: a file of the site, sent with the
    headers the application would send; anything else passed on to the application."""

    def __init__(self, app: WSGIApplication, tree: SiteTree, table: FileTable) -> None:
        self.app = app
        self.tree = tree
        self.table = table

    def __call__(self, environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
        method = environ.get("REQUEST_METHOD")
        if method not in ("GET", "HEAD") or any(key in environ for key in FOR_FLASK):
            return self.app(environ, start_response)
        url_path = self.url_path(environ)
        found = None if url_path is None else self.tree.lookup(url_path)
        if url_path is not None and found is None:
            missing = self.not_found(environ, start_response, url_path)
            if missing is not None:
                return missing
        if url_path is None or found is None or found.add_slash:
            return self.app(environ, start_response)
        try:
            file = open(found.path, "rb")  # noqa: SIM115  (closed by the WSGI server)
        except OSError:  # removed by a rebuild since the lookup
            return self.app(environ, start_response)
        try:
            answer = self.answer(environ, start_response, url_path, found.path, file)
        except BaseException:
            file.close()
            raise
        if answer is None:  # a copy changed under us: the application's slower way
            file.close()
            return self.app(environ, start_response)
        return answer

    def url_path(self, environ: WSGIEnvironment) -> str | None:
        """The path relative to the site, decoded as werkzeug decodes it, if it names a file
        the application would send as it is (not the root page, not ``/ru``)."""
        raw: str = environ.get("PATH_INFO", "")
        try:
            path = raw.encode("latin-1").decode("utf-8", "replace")
            check_url_path(path)
        except (UnicodeError, HTTPException):
            return None
        url_path = path[1:]
        if not path.startswith("/") or url_path.startswith("/") or url_path in ROOT_PAGES:
            return None
        first, slash, _rest = url_path.partition("/")
        if first in BY_CODE and not slash:
            return None
        return url_path

    def not_found(
        self, environ: WSGIEnvironment, start_response: StartResponse, url_path: str
    ) -> Iterable[bytes] | None:
        """A missing page under a language: that language's 404.html as the application
        sends it (app.SiteFiles.not_found: status 404, never conditional, revalidated), read
        once per version. Anything else missing (no language, no 404.html) is the
        application's: it negotiates, or writes the built-in page."""
        first, slash, _rest = url_path.partition("/")
        if first not in BY_CODE or not slash:
            return None
        page = self.tree.lookup(f"{first}/404.html")
        if page is None or page.add_slash:
            return None
        try:
            version = self.table.version(page.path, page.path.stat())
            body = self.table.content(version)
        except OSError:  # removed by a rebuild since the lookup
            return None
        headers = [
            *base_headers(HTML, version.code, False),
            ("Content-Length", str(len(body))),
            ("Cache-Control", REVALIDATE),
        ]
        start_response(NOT_FOUND, headers)
        return [] if environ["REQUEST_METHOD"] == "HEAD" else [body]

    def answer(
        self,
        environ: WSGIEnvironment,
        start_response: StartResponse,
        url_path: str,
        path: Path,
        file: IO[bytes],
    ) -> Iterable[bytes] | None:
        version = self.table.version(path, os.fstat(file.fileno()))
        encoding, body, size = None, file, version.size
        memory: bytes | None = None
        if version.compressible:
            takes = accepted(environ)
            for name, copy in version.copies.items():
                if name in takes:
                    body = self.open_copy(copy, version)  # type: ignore[assignment]
                    if body is None:
                        return None
                    file.close()
                    encoding, size = name, copy.size
                    break
            else:
                if "gzip" in takes:
                    memory = self.table.gzip.compressed(path, os.fstat(file.fileno()))
                    file.close()
                    encoding, size = "gzip", len(memory)
        headers = version.headers(encoding, size, url_path)
        query = first_values(environ.get("QUERY_STRING", ""))
        headers.append(("Cache-Control", cache_control(url_path, query, version.media)))
        etag = next(value for name, value in headers if name == "ETag")
        if not is_resource_modified(environ, etag=etag, last_modified=version.last_modified):
            body.close()
            start_response("304 Not Modified", strip_entity(headers))
            return []
        start_response("200 OK", headers)
        if environ["REQUEST_METHOD"] == "HEAD":
            body.close()
            return []
        if memory is not None:
            return [memory]
        return wrap_file(environ, body, BLOCK_SIZE)

    def open_copy(self, copy: Copy, version: FileVersion) -> IO[bytes] | None:
        """The build's copy, if it is still the one the headers describe."""
        try:
            body = open(copy.path, "rb")  # noqa: SIM115  (closed by the WSGI server)
        except OSError:
            self.table.forget(version.path)
            return None
        stat = os.fstat(body.fileno())
        if (stat.st_size, stat.st_mtime_ns) != (copy.size, copy.mtime_ns):
            body.close()
            self.table.forget(version.path)
            return None
        return body


def strip_entity(headers: Headers) -> Headers:
    return [(name, value) for name, value in headers if name.lower() not in ENTITY_HEADERS]
