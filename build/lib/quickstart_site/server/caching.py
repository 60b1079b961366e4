"""How long a browser or a shared cache may keep a response."""

from __future__ import annotations

import re
from collections.abc import Mapping

# The URL changes whenever the content does, so the old copy can never be stale.
IMMUTABLE = "public, max-age=31536000, immutable"
# Keep a copy, but ask (If-None-Match) before using it: the next build may change it.
REVALIDATE = "no-cache"

# Sphinx and the theme add ?v=<checksum> or ?digest=<checksum> to what they link.
FINGERPRINT_QUERY = ("v", "digest")
# A bundler's content hash in the file name: ``1036.0b3b8d9d6b7a.js``, ``main-3f9a8b7c.css``.
# At least 8 hex digits mixing letters and digits, so ``fa-solid-900`` and dates are not one.
HASHED_NAME = re.compile(r"[.-](?=[0-9a-f]*[0-9])(?=[0-9a-f]*[a-f])[0-9a-f]{8,}\.", re.I)


def is_fingerprinted(url_path: str, query: Mapping[str, str]) -> bool:
    name = url_path.rpartition("/")[2]
    return any(query.get(key) for key in FINGERPRINT_QUERY) or bool(HASHED_NAME.search(name))


def cache_control(url_path: str, query: Mapping[str, str], media: str) -> str:
    """HTML always revalidates: its URL never changes, and it names the fingerprinted rest."""
    if media != "text/html" and is_fingerprinted(url_path, query):
        return IMMUTABLE
    return REVALIDATE
