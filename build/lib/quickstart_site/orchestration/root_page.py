"""The site's root: the page that lists the languages by their native names, with a script that
sends the reader to the best one (for static hosts where no server negotiates), and the files
crawlers and browsers ask the root for: ``/favicon.ico`` (and ``.svg``), ``/robots.txt`` and
``/sitemap.xml`` (every language's sitemap in one, with ``x-default`` alternates).

Absolute URLs use the base URL the languages were built with (conf.py's ``html_baseurl``),
read back from the English home page's canonical link: one setting, nothing to pass along."""

from __future__ import annotations

import html
import json
import re
import shutil
from pathlib import Path
from xml.etree import ElementTree

from quickstart_site.languages import COOKIE, LANGUAGES, SOURCE, as_json_table
from quickstart_site.sphinx_ext.site.seo import FAVICON_ICO, FAVICON_SVG

CHOOSER = (Path(__file__).parent / "root_chooser.js").read_text(encoding="utf-8")

PAGE = """<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Flask Quickstart</title>
<meta name="description" content="{description}">
<link rel="icon" href="favicon.svg" type="image/svg+xml">
{canonical}{alternates}
<style>
body {{ font-family: system-ui, sans-serif; max-width: 32rem; margin: 4rem auto; padding: 0 1rem; }}
li {{ margin: 0.5rem 0; font-size: 1.25rem; }}
</style>
</head>
<body>
<main>
<h1>Flask Quickstart</h1>
<ul class="languages">
{links}
</ul>
</main>
<script>
{chooser}
const table = {table};
const browser = navigator.languages || [navigator.language];
const code = chooseLanguage(table, cookieNamed({cookie}), browser);
window.location.replace(code + "/" + window.location.hash);
</script>
</body>
</html>
"""


# The root's languages are each named in their own: the description says it once, in English.
DESCRIPTION = (
    "The Flask quickstart, executable, in English, Kazakh, Russian and Simplified Chinese: "
    "choose your language."
)
SITEMAP = "sitemap.xml"
SITEMAP_NS = "http://www.sitemaps.org/schemas/sitemap/0.9"
XHTML_NS = "http://www.w3.org/1999/xhtml"
CANONICAL = re.compile(r'<link rel="canonical" href="([^"]+)"')


def render_root_page(base_url: str = "") -> str:
    """The root page; its alternates are absolute under ``base_url`` (``x-default``: the
    root itself, which chooses), relative without one."""
    links = "\n".join(
        f'<li><a href="{language.code}/" hreflang="{language.tag}" lang="{language.tag}">'
        f"{html.escape(language.native_name)}</a></li>"
        for language in LANGUAGES
    )
    alternates = "\n".join(
        f'<link rel="alternate" hreflang="{language.tag}" href="{base_url}{language.code}/">'
        for language in LANGUAGES
    )
    alternates += f'\n<link rel="alternate" hreflang="x-default" href="{base_url or "./"}">'
    canonical = f'<link rel="canonical" href="{base_url}">\n' if base_url else ""
    return PAGE.format(
        description=html.escape(DESCRIPTION),
        canonical=canonical,
        alternates=alternates,
        links=links,
        chooser=CHOOSER,
        table=json.dumps(as_json_table(), ensure_ascii=False),
        cookie=json.dumps(COOKIE),
    )


def built_base_url(site: Path) -> str:
    """The base URL the site was built with: the English home page's canonical link without
    ``en/index.html``; empty if the site has none (built without html_baseurl)."""
    home = site / SOURCE.code / "index.html"
    if not home.is_file():
        return ""
    found = CANONICAL.search(home.read_text(encoding="utf-8"))
    suffix = f"{SOURCE.code}/index.html"
    if found is None or not found[1].endswith(suffix):
        return ""
    return html.unescape(found[1])[: -len(suffix)]


def merged_sitemap(site: Path, base_url: str) -> bytes:
    """Every language's sitemap.xml in one, each page with an ``x-default`` alternate (the
    English page) next to the four languages' ones."""
    ElementTree.register_namespace("", SITEMAP_NS)
    ElementTree.register_namespace("xhtml", XHTML_NS)
    merged = ElementTree.Element(f"{{{SITEMAP_NS}}}urlset")
    for language in LANGUAGES:
        path = site / language.code / SITEMAP
        if not path.is_file():
            continue
        for url in ElementTree.parse(path).getroot().iter(f"{{{SITEMAP_NS}}}url"):
            alternates = url.findall(f"{{{XHTML_NS}}}link")
            english = [link for link in alternates if link.get("hreflang") == SOURCE.tag]
            if english and not any(link.get("hreflang") == "x-default" for link in alternates):
                default = ElementTree.SubElement(url, f"{{{XHTML_NS}}}link")
                default.attrib.update(
                    rel="alternate", hreflang="x-default", href=english[0].get("href", "")
                )
            merged.append(url)
    ElementTree.indent(merged)
    text: bytes = ElementTree.tostring(merged, encoding="utf-8", xml_declaration=True)
    return text


def robots_txt(base_url: str) -> str:
    sitemap = f"{base_url}{SITEMAP}" if base_url else f"/{SITEMAP}"
    return f"User-agent: *\nAllow: /\n\nSitemap: {sitemap}\n"


def write_root_page(site: Path) -> None:
    """The root page and the root's files, once the languages are built."""
    site.mkdir(parents=True, exist_ok=True)
    base_url = built_base_url(site)
    (site / "index.html").write_text(render_root_page(base_url), encoding="utf-8")
    for icon in (FAVICON_ICO, FAVICON_SVG):
        shutil.copyfile(icon, site / icon.name)
    (site / SITEMAP).write_bytes(merged_sitemap(site, base_url))
    (site / "robots.txt").write_text(robots_txt(base_url), encoding="utf-8")
