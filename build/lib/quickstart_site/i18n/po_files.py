"""Reading gettext catalogs, and naming a problem in one: what every catalog check shares."""

from __future__ import annotations

import functools
import textwrap
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from babel.messages.catalog import Catalog, Message
from babel.messages.pofile import read_po


def read_catalog(po_file: Path) -> Catalog:
    """A catalog to change and write back: a fresh parse."""
    with po_file.open("rb") as stream:
        return read_po(stream)


def cached_catalog(po_file: Path) -> Catalog:
    """A catalog only to read: parsed once per version of the file in a process (a build
    reads sphinx.po for the interface strings, the plural rules and the notebook, and each
    page's catalog for its code comments). Callers must not change it."""
    status = po_file.stat()
    return _parsed(str(po_file.resolve()), status.st_mtime_ns, status.st_size)


@functools.lru_cache(maxsize=64)
def _parsed(path: str, _mtime_ns: int, _size: int) -> Catalog:
    return read_catalog(Path(path))


def catalogs(locations: Iterable[Path]) -> list[Path]:
    """The ``.po`` files named, or found under the folders named (a command line's paths)."""
    found = []
    for location in locations:
        found += sorted(location.rglob("*.po")) if location.is_dir() else [location]
    return found


def translated_messages(catalog: Catalog) -> list[Message]:
    """The entries Sphinx uses: translated, not fuzzy (fuzzy ones show the English text)."""
    return [message for message in catalog if message.id and message.string and not message.fuzzy]


@dataclass(frozen=True)
class Problem:
    """One entry that needs fixing: where it is, what kind of problem, and what to do."""

    po_file: Path
    lineno: int
    kind: str
    detail: str
    msgid: str

    def __str__(self) -> str:
        msgid = textwrap.shorten(self.msgid, 100, placeholder=" …")
        return f"{self.po_file}:{self.lineno}: [{self.kind}] {self.detail}\n    msgid: {msgid!r}"
