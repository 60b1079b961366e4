"""Theme files that must not be published: the Jinja macro files the PyData and book themes
keep in their static folders (``webpack-macros.html``, ``sbt-webpack-macros.html``), which
Sphinx copies into ``_static/`` as they are. Readers have no use for template source."""

from __future__ import annotations

from pathlib import Path

from sphinx.application import Sphinx

JINJA = ("{%", "{#", "{{")


def is_template_source(path: Path) -> bool:
    text = path.read_text(encoding="utf-8", errors="replace")
    return any(marker in text for marker in JINJA)


def remove_template_sources(app: Sphinx, error: Exception | None) -> None:
    if error is not None or app.builder.format != "html":
        return
    for page in Path(app.outdir, "_static").glob("*.html"):
        if is_template_source(page):
            page.unlink()


def setup_unpublished(app: Sphinx) -> None:
    app.connect("build-finished", remove_template_sources)
