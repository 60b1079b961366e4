"""The media type of a file the site serves, and whether it is worth compressing."""

from __future__ import annotations

import mimetypes
from pathlib import PurePath

# Pinned rather than left to ``mimetypes``: it reads the host's /etc/mime.types, which on some
# systems lacks .wasm or .mjs or calls JavaScript application/x-javascript. With
# ``X-Content-Type-Options: nosniff`` a wrong type breaks the page. JavaScript is
# text/javascript (RFC 9239); WebAssembly must be application/wasm for streaming compilation.
PINNED = {
    ".html": "text/html",
    ".css": "text/css",
    ".js": "text/javascript",
    ".mjs": "text/javascript",
    ".json": "application/json",
    ".map": "application/json",
    ".wasm": "application/wasm",
    ".svg": "image/svg+xml",
    ".woff2": "font/woff2",
    ".png": "image/png",
    ".txt": "text/plain",
    ".whl": "application/zip",
    ".zip": "application/zip",
}

# Text compresses to a third or less; so does WebAssembly, the runtime's largest download.
# Images, fonts (woff2 is compressed already) and archives do not shrink.
COMPRESSIBLE = {
    "application/json",
    "application/wasm",
    "application/xml",
    "image/svg+xml",
}


def media_type(path: PurePath) -> str:
    pinned = PINNED.get(path.suffix.lower())
    if pinned:
        return pinned
    guessed, _encoding = mimetypes.guess_type(path.name, strict=False)
    return guessed or "application/octet-stream"


def is_compressible(media: str) -> bool:
    return media.startswith("text/") or media in COMPRESSIBLE
