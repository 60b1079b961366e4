"""One style sheet per page instead of ten.

Each page linked the theme's two style sheets and eight more from Sphinx and the extensions
(pygments, copybutton, the exercises, the switcher, ...): ten requests the first paint waits
for, each a round trip and, over HTTP/1.1, most a new connection. On Lighthouse's slow 4G the
page painted 0.4 s sooner with them joined (first contentful paint 1.7-1.9 s -> 1.2-1.4 s).

So each page links one file, ``_static/site-<names>.css?v=<checksum>``: the same sheets in the
same order (the cascade is unchanged), each ``url()`` rewritten to stay relative to the file
it came from. The name depends only on which sheets a page links (the quickstart adds the Run
button's). The file is written when the build has finished, as some sheets are only final
then (the PyData theme rewrites pygments.css for its light and dark modes), so the ``?v=``
Sphinx gave each page's link (of an earlier build's file, or none) is set then to the
checksum of the content, in every page of the output: the server lets browsers keep a
fingerprinted file for good, and this one cannot change under the same URL. Each file's
second line names the sheets it joins, so a later build that writes no page rewrites it too.

The theme's rules for the icons no page or script names go (icon_font.py: the font has
only the glyphs of those named).

A sheet that ``@import``s another stops the build: the import would be ignored inside the
joined file. Hand-written, not a bundler: joining files and rewriting ``url()`` is all it
does, and a bundler would need Node.js in every HTML build.
"""

from __future__ import annotations

import hashlib
import posixpath
import re
from pathlib import Path
from typing import Any

from sphinx.application import Sphinx
from sphinx.builders.html._assets import _CascadingStyleSheet
from sphinx.errors import ExtensionError

from quickstart_site.sphinx_ext.site import icon_font

STATIC = "_static"
# What the theme's asset macro links before the rest (templates/static/webpack-macros.html,
# which leaves them out when the page links the joined file).
THEME_STYLESHEETS = ("_static/basic.css", "_static/styles/pydata-sphinx-theme.css")
CONTEXT_FLAG = "joined_stylesheet"
URL = re.compile(r"""url\(\s*(?:"([^"]*)"|'([^']*)'|([^'"\s)]+))\s*\)""")
NOT_RELATIVE = re.compile(r"^(?:[a-z][a-z0-9+.-]*:|/|#)", re.IGNORECASE)
CHARSET = re.compile(r'^\s*@charset\s+"[^"]*";', re.IGNORECASE)
IMPORT = re.compile(r"@import\b", re.IGNORECASE)
SOURCES_LINE = "/* joins: {} */"
SOURCES = re.compile(r"/\* joins: (.*) \*/")
# A page's link to a joined file, with the checksum Sphinx gave it (of an earlier build's).
LINK = re.compile(r'(["/](_static/site-[0-9a-f]{6}\.css))(?:\?v=[0-9a-f]+)?(?=")')
# Per output folder (one Sphinx process builds one language): each joined file the pages
# written so far link, and what it joins.
JOINED: dict[str, dict[str, list[str]]] = {}


def joinable(stylesheet: Any) -> bool:
    """A local style sheet for every medium (a print-only one keeps its own link)."""
    attributes = stylesheet.attributes
    local = not NOT_RELATIVE.match(stylesheet.filename)
    return (
        local
        and attributes.get("rel", "stylesheet") == "stylesheet"
        and attributes.get("media", "all") == "all"
    )


def rebased(css: str, source: str) -> str:
    """``css`` of ``source`` (a path under _static/) with relative URLs made relative to
    _static/, where the joined file is."""
    folder = posixpath.dirname(source)

    def rewrite(match: re.Match[str]) -> str:
        url = next(group for group in match.groups() if group is not None)
        if NOT_RELATIVE.match(url) or not url:
            return match[0]
        target = posixpath.normpath(posixpath.join(folder, url))
        return f'url("{posixpath.relpath(target, STATIC)}")'

    return URL.sub(rewrite, css)


def joined(outdir: Path, sources: list[str]) -> str:
    parts = ['@charset "UTF-8";', SOURCES_LINE.format(" ".join(sources))]
    for source in sources:
        path = outdir / source
        if not path.is_file():
            # Linked but never copied (a test project without the Run buttons' files): the
            # browser would get a 404 for it, and the page the same styles without it.
            parts.append(f"/* {source}: not in the output */")
            continue
        css = CHARSET.sub("", path.read_text(encoding="utf-8"), count=1)
        if found := IMPORT.search(css):
            line = css.count("\n", 0, found.start()) + 1
            raise ExtensionError(
                f"{path}:{line}: @import in a style sheet the pages link; the joined style sheet "
                "(quickstart_site/sphinx_ext/site/stylesheets.py) cannot keep it: link the "
                "imported sheet with app.add_css_file instead"
            )
        parts.append(f"/* {source} */\n{rebased(css, source)}")
    return "\n".join(parts) + "\n"


def joined_name(sources: list[str]) -> str:
    return f"{STATIC}/site-{hashlib.sha256(' '.join(sources).encode()).hexdigest()[:6]}.css"


def known_sources(outdir: Path) -> dict[str, list[str]]:
    """The joined files of earlier builds, which pages not written again still link, and the
    sheets each joins (its second line)."""
    known = {}
    for path in sorted((outdir / STATIC).glob("site-*.css")):
        lines = path.read_text(encoding="utf-8").splitlines()
        if len(lines) > 1 and (found := SOURCES.fullmatch(lines[1])):
            known[f"{STATIC}/{path.name}"] = found[1].split()
    return known


def join_stylesheets(
    app: Sphinx, pagename: str, templatename: str, context: dict[str, Any], doctree: object
) -> None:
    if "css_files" not in context or app.builder.format != "html":
        return
    # Only under the PyData theme, whose asset macro our template replaces (another theme's
    # sheets may @import Sphinx's basic.css: the test projects use alabaster).
    if not (Path(app.outdir) / THEME_STYLESHEETS[1]).is_file():
        return
    stylesheets = context["css_files"]
    sources = [*THEME_STYLESHEETS] + [
        css.filename.split("?")[0] for css in stylesheets if joinable(css)
    ]
    name = joined_name(sources)
    JOINED.setdefault(str(app.outdir), {})[name] = sources
    rest = [css for css in stylesheets if not joinable(css)]
    one = _CascadingStyleSheet(name, priority=0, rel="stylesheet", type="text/css")
    context["css_files"] = [one, *rest]
    context[CONTEXT_FLAG] = True


def versioned(link: re.Match[str], versions: dict[str, str]) -> str:
    version = versions.get(link[2])
    return f"{link[1]}?v={version}" if version else link[0]


def write_joined(app: Sphinx, exception: Exception | None) -> None:
    """Each joined file, and its checksum in every page that links it."""
    if exception is not None or app.builder.format != "html":
        return
    outdir = Path(app.outdir)
    wanted = known_sources(outdir) | JOINED.pop(str(outdir), {})
    pages = sorted(outdir.rglob("*.html"))
    icons = icon_font.named_in_output(outdir / STATIC, pages)
    versions = {}
    for name, sources in wanted.items():
        text = icon_font.without_unused_icon_rules(joined(outdir, sources), icons)
        target = outdir / name
        # Unchanged, it keeps its time stamp (and its compressed copies stay current).
        if not target.is_file() or target.read_text(encoding="utf-8") != text:
            target.write_text(text, encoding="utf-8")
        versions[name] = hashlib.sha256(text.encode()).hexdigest()[:12]
    for page in pages:
        html = page.read_text(encoding="utf-8")
        linked = LINK.sub(lambda found: versioned(found, versions), html)
        if linked != html:
            page.write_text(linked, encoding="utf-8")


def setup_stylesheets(app: Sphinx) -> None:
    # After every extension has added its sheets (default priority 500).
    app.connect("html-page-context", join_stylesheets, priority=950)
    # After the PyData theme has rewritten pygments.css, and extensions copied their sheets.
    app.connect("build-finished", write_joined, priority=950)
