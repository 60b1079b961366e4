"""The theme's icon font cut down to the icons the site shows.

The PyData theme draws its icons (menu, search, colour mode, ...) with Font Awesome's web
fonts: the solid one alone is 115 KB, fetched at the highest priority before the first paint,
for about a dozen glyphs (on Lighthouse's slow 4G, 0.6 s of a 1.6 Mbit/s line). After each
HTML build, each font under ``_static/vendor/fontawesome/webfonts/`` is replaced by a subset
(fontTools, the library Font Awesome's own tooling and Google Fonts use) holding the glyphs
of the icon classes named in the built pages or in the scripts under ``_static`` (the theme's
script adds some icons itself, e.g. ``fa-xmark``), about 2 KB. The stylesheet is unchanged:
each ``.fa-<name>`` rule still names its code point, so an icon the pages do not name draws
nothing, as in any icon subset. Sphinx copies the theme's full fonts again on every build, so
this runs on every build, in well under a second. A warm application (orchestration/warm/)
copies them on its first build only: a font still as the last cut left it is not cut again
(a cut font has no character map left to cut from).

Which code point each class draws is read from the theme's stylesheet, whose rules are
``.fa-bars,.fa-navicon{--fa:"\\f0c9"}`` (Font Awesome 7); a theme whose stylesheet has no
such rule, or names an icon class the stylesheet does not map, stops the build with the file
to look at, rather than ship a page with missing icons.

The theme's ``fontawesome.js`` (1.5 MB, and its licence note), which the site's layout does
not load, is removed from each language's ``_static``: 6 MB of the site that no page fetched.
"""

from __future__ import annotations

import re
from pathlib import Path

from sphinx.application import Sphinx
from sphinx.errors import ExtensionError

FONTS = Path("vendor", "fontawesome", "webfonts")
# One rule of the theme's (minified) stylesheet: its selectors and the character they draw.
# Anchored after a brace: unanchored, every position of a selector list started a new scan to
# the next brace (0.75 s per stylesheet; anchored, 0.014 s).
ICON_RULE = re.compile(r'(?:(?<=[{}])|^)([^{}]+)\{--fa:"((?:\\[^"]+|[^"\\])[ ]?)"\}')
# A CSS escape: a hexadecimal code point (ended by one optional space) or a character.
ESCAPE = re.compile(r"\\(?:([0-9a-fA-F]{1,6}) ?|(.))")
CLASS = re.compile(r"\.(fa-[a-z0-9-]+)")
# The same rule, right after the previous one, selecting icon classes only: what can go.
ICON_RULE_ALONE = re.compile(r'(?<=[{}])((?:\.fa-[a-z0-9-]+,?)+)\{--fa:"(?:\\[^"]+|[^"\\])[ ]?"\}')
# Class names as the pages and scripts write them ("fa-solid fa-bars").
NAMED = re.compile(r"\bfa-[a-z0-9]+(?:-[a-z0-9]+)*")
# Font Awesome's script, which names every icon; the site's layout leaves it out
# (templates/static/webpack-macros.html), so the build removes it and its licence note.
NOT_LOADED = ("fontawesome.js",)
NOT_LOADED_FILES = [
    Path("scripts", name + suffix) for name in NOT_LOADED for suffix in ("", ".LICENSE.txt")
]


def code_points(stylesheet: str) -> dict[str, int]:
    """Each icon class of Font Awesome's rules and the code point it draws."""
    points: dict[str, int] = {}
    for rule in ICON_RULE.finditer(stylesheet):
        for name in CLASS.findall(rule[1]):
            points[name] = code_point(rule[2])
    return points


def code_point(value: str) -> int:
    """The character of a one-character CSS string: ``\\f0c9``, ``\\30 ``, ``\\!`` or ``A``."""
    escaped = ESCAPE.fullmatch(value)
    if escaped is None:
        return ord(value)
    return int(escaped[1], 16) if escaped[1] else ord(escaped[2])


def named_classes(texts: list[str]) -> set[str]:
    return {name for text in texts for name in NAMED.findall(text)}


def named_in_output(static: Path, pages: list[Path]) -> set[str]:
    """The Font Awesome class names the pages and the scripts under ``static`` name."""
    scripts = [path for path in sorted(static.rglob("*.js")) if path.name not in NOT_LOADED]
    return named_classes([path.read_text(encoding="utf-8") for path in [*pages, *scripts]])


def without_unused_icon_rules(css: str, named: set[str]) -> str:
    """``css`` without the rules of the icons no page or script names: 1,900 of the theme's
    2,000 rules, 65 KB of its 376 (the rules name code points the cut font no longer has)."""

    def kept(rule: re.Match[str]) -> str:
        return rule[0] if named & set(CLASS.findall(rule[1])) else ""

    return ICON_RULE_ALONE.sub(kept, css)


def used_code_points(static: Path, pages: list[Path]) -> set[int]:
    stylesheets = sorted(static.glob("styles/*.css"))
    points: dict[str, int] = {}
    for stylesheet in stylesheets:
        points.update(code_points(stylesheet.read_text(encoding="utf-8")))
    if not points:
        raise ExtensionError(
            f'no Font Awesome icon rule (.fa-<name>{{--fa:"\\f..."}}) in {static / "styles"}: '
            "the theme's stylesheet changed; update ICON_RULE in "
            "quickstart_site/sphinx_ext/site/icon_font.py"
        )
    # Names no rule maps are the theme's style and size classes (fa-solid, fa-lg, ...).
    return {points[name] for name in named_in_output(static, pages) if name in points}


def subset_fonts(static: Path, pages: list[Path], fonts: list[Path]) -> None:
    """Each of ``fonts`` (under ``static``) replaced by its glyphs for the used icons."""
    from fontTools import subset  # only when building HTML

    if not fonts:
        return
    wanted = used_code_points(static, pages)
    options = subset.Options()
    options.flavor = "woff2"
    for path in fonts:
        font = subset.load_font(str(path), options)
        try:
            subsetter = subset.Subsetter(options)
            subsetter.populate(unicodes=wanted & set(font.getBestCmap()))
            subsetter.subset(font)
            subset.save_font(font, str(path), options)
        finally:
            font.close()


Stamp = tuple[int, int]  # a file's (mtime_ns, size)


def stamp(path: Path) -> Stamp:
    status = path.stat()
    return status.st_mtime_ns, status.st_size


class IconFonts:
    """Cuts the fonts after each HTML build, unless a font is the one this cut left."""

    def __init__(self) -> None:
        self.cut: dict[Path, Stamp] = {}

    def __call__(self, app: Sphinx, exception: Exception | None) -> None:
        if exception is not None or app.builder.format != "html":
            return
        outdir = Path(app.outdir)
        static = outdir / "_static"
        fonts = [
            path
            for path in sorted((static / FONTS).glob("*.woff2"))
            if self.cut.get(path) != stamp(path)
        ]
        subset_fonts(static, sorted(outdir.rglob("*.html")), fonts)
        self.cut.update((path, stamp(path)) for path in fonts)
        for name in NOT_LOADED_FILES:
            (static / name).unlink(missing_ok=True)


def setup_icon_font(app: Sphinx) -> None:
    app.connect("build-finished", IconFonts())
