"""Where a project's parts are: found from a folder the caller names, never from this package.

The package may be installed anywhere (a wheel in a virtual environment, an editable checkout);
the project it builds is the folder that holds ``conf.py`` and ``docs/``: the one given with
``--root``, else the current folder or the nearest folder above it.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


class ProjectNotFound(LookupError):
    """No folder with ``conf.py`` and ``docs/`` at or above the given one."""


@dataclass(frozen=True)
class Project:
    root: Path

    @classmethod
    def find(cls, start: Path | None = None) -> Project:
        start = (start or Path.cwd()).resolve()
        for folder in (start, *start.parents):
            if (folder / "conf.py").is_file() and (folder / "docs").is_dir():
                return cls(folder)
        raise ProjectNotFound(
            f"no project at or above {start}: run from the folder that holds conf.py and "
            "docs/, or pass --root"
        )

    @property
    def docs(self) -> Path:
        return self.root / "docs"

    @property
    def locales(self) -> Path:
        return self.root / "locales"

    @property
    def build(self) -> Path:
        return self.root / "_build"

    @property
    def site(self) -> Path:
        return self.build / "site"

    @property
    def doctrees(self) -> Path:
        return self.build / "doctrees"

    @property
    def runtime_cache(self) -> Path:
        return self.build / "runtime"
