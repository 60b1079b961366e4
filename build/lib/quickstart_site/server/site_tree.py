"""Which file a URL path names inside the site folder, or none: the server's only way to the
file system.

werkzeug's ``safe_join`` refuses ``..`` and absolute paths; it does not look at the disk, so
symlinks are followed here and the real path must still lie inside the real site folder.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from werkzeug.exceptions import BadRequest, RequestURITooLarge
from werkzeug.security import safe_join

# The built site's longest URL path is about a hundred characters; a thousand is no page.
MAX_PATH_LENGTH = 1024
# Files the build leaves for static hosts (orchestration/static_host.py), not for readers.
FOR_HOSTS_ONLY = {"_headers", "_deploy"}


def check_url_path(url_path: str) -> None:
    """Refuse paths no page can have, before they reach the file system (which would raise on
    a NUL byte and mean different things by a backslash on different systems)."""
    if len(url_path) > MAX_PATH_LENGTH:
        raise RequestURITooLarge()
    if "\\" in url_path or any(ord(char) < 0x20 or char == "\x7f" for char in url_path):
        raise BadRequest("A page path has no backslashes or control characters.")


@dataclass(frozen=True)
class Found:
    path: Path  # the real path of a regular file inside the site
    add_slash: bool = False  # a folder was named without its trailing slash


@dataclass(frozen=True)
class SiteTree:
    root: str  # real path, symlinks resolved

    @classmethod
    def at(cls, site: Path) -> SiteTree:
        return cls(os.path.realpath(site))

    def lookup(self, url_path: str) -> Found | None:
        """The file ``url_path`` (already percent-decoded, relative) names: a regular file, or
        a folder's ``index.html``. Hidden names (``.buildinfo``, ``.git``) and the static
        hosts' configuration are never served."""
        if any(segment.startswith(".") for segment in url_path.split("/")):
            return None
        if url_path.split("/", 1)[0] in FOR_HOSTS_ONLY:
            return None
        joined = safe_join(self.root, url_path)
        if joined is None:
            return None
        try:
            real = self._inside(joined)
            if real is not None and os.path.isdir(real):
                index = self._inside(os.path.join(real, "index.html"))
                if index is not None and os.path.isfile(index):
                    return Found(Path(index), add_slash=not url_path.endswith("/"))
                return None
            # A file named with a trailing slash is no file: its relative links would break.
            if real is not None and os.path.isfile(real) and not url_path.endswith("/"):
                return Found(Path(real))
        except (OSError, ValueError):  # too long a name, a symlink loop, no permission
            return None
        return None

    def _inside(self, path: str) -> str | None:
        real = os.path.realpath(path)
        return real if real == self.root or real.startswith(self.root + os.sep) else None
