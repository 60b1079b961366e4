"""Scripts that every JupyterLite app page must run before JupyterLab's own code.

``jupyter lite build`` has no setting for a page's early scripts, so after the app's build
(orchestration/lite_app.py) the script files are copied into the app's folder and each app's
``index.html`` gets a ``<script src>`` as the first element of its ``<head>`` (a file, not
inline code: the site's Content-Security-Policy runs inline scripts by hash only).
"""

from __future__ import annotations

import shutil
from pathlib import Path

STATIC = Path(__file__).parent / "lite_static"
# Each fixes a defect of a library bundled in the apps; the file says which and why.
EARLY_SCRIPTS = ["atomics-wait-async.js"]


class AppPageError(RuntimeError):
    """The built app is not what the fixes expect: no app page, or one without ``<head>``."""


def early_scripts() -> list[bytes]:
    """The scripts' contents: an input of the app's build."""
    return [(STATIC / name).read_bytes() for name in EARLY_SCRIPTS]


def script_tags() -> str:
    # The apps live one folder below the app's root (notebooks/index.html, repl/...).
    return "".join(f'<script src="../{name}"></script>' for name in EARLY_SCRIPTS)


def add_early_scripts(lite_output: Path) -> None:
    """Copy the scripts into ``lite_output`` and load them first on every app page. A page
    without ``<head>`` fails the build: it would run unfixed."""
    for name in EARLY_SCRIPTS:
        shutil.copyfile(STATIC / name, lite_output / name)
    tags = script_tags()
    pages = sorted(lite_output.glob("*/index.html"))
    if not pages:
        raise AppPageError(f"{lite_output}: no JupyterLite app (*/index.html) to fix")
    for page in pages:
        html = page.read_text(encoding="utf-8")
        if tags in html:
            continue
        if "<head>" not in html:
            raise AppPageError(f"{page}: no <head> to load {', '.join(EARLY_SCRIPTS)} from")
        page.write_text(html.replace("<head>", f"<head>{tags}", 1), encoding="utf-8")
