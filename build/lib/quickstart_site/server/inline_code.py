"""The inline scripts of an HTML page, as Content-Security-Policy hash sources.

A CSP without 'unsafe-inline' runs an inline script only if the policy lists the SHA-256 of
its exact text. The pages are static, so the server reads each page's inline code once (again
only when the file changes) and lists exactly that page's hashes.
"""

from __future__ import annotations

import base64
import hashlib
import os
import threading
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path


@dataclass(frozen=True)
class InlineCode:
    scripts: frozenset[str] = frozenset()  # hash sources of <script> elements without src
    handlers: frozenset[str] = frozenset()  # of event handler attributes (onclick="…")


def hash_source(text: str) -> str:
    # Browsers hash the text as the DOM holds it, after the HTML parser turned CR LF into LF.
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    digest = hashlib.sha256(text.encode("utf-8")).digest()
    return f"'sha256-{base64.b64encode(digest).decode('ascii')}'"


class _Collector(HTMLParser):
    """The stdlib's HTML parser: it keeps <script> text raw, as browsers do, and unescapes
    attribute values, as the DOM does."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.scripts: set[str] = set()
        self.handlers: set[str] = set()
        self._text: list[str] | None = None  # while inside an inline <script>

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handlers.update(hash_source(value or "") for name, value in attrs if name[:2] == "on")
        if tag == "script" and not any(name == "src" for name, _ in attrs):
            self._text = []

    def handle_data(self, data: str) -> None:
        if self._text is not None:
            self._text.append(data)

    def handle_endtag(self, tag: str) -> None:
        if tag == "script" and self._text is not None:
            self.scripts.add(hash_source("".join(self._text)))
            self._text = None


def read_inline_code(html: str) -> InlineCode:
    collector = _Collector()
    collector.feed(html)
    collector.close()
    return InlineCode(frozenset(collector.scripts), frozenset(collector.handlers))


class InlineCodeCache:
    """Each page's inline code, read again only when the file's size or time changes (a
    rebuild while the server runs)."""

    def __init__(self) -> None:
        self._pages: dict[Path, tuple[tuple[int, int], InlineCode]] = {}
        self._lock = threading.Lock()

    def of(self, page: Path, stat: os.stat_result) -> InlineCode:
        version = (stat.st_mtime_ns, stat.st_size)
        with self._lock:
            cached = self._pages.get(page)
        if cached and cached[0] == version:
            return cached[1]
        code = read_inline_code(page.read_text(encoding="utf-8", errors="replace"))
        with self._lock:
            self._pages[page] = (version, code)
        return code
