"""The site's root page: the languages by their native names, and a script that sends the
reader to the best one, for static hosts where no server negotiates."""

from __future__ import annotations

import html
import json
from pathlib import Path

from quickstart_site.languages import COOKIE, LANGUAGES, as_json_table

CHOOSER = (Path(__file__).parent / "root_chooser.js").read_text(encoding="utf-8")

PAGE = """<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Flask Quickstart</title>
{alternates}
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


def render_root_page() -> str:
    links = "\n".join(
        f'<li><a href="{language.code}/" hreflang="{language.tag}" lang="{language.tag}">'
        f"{html.escape(language.native_name)}</a></li>"
        for language in LANGUAGES
    )
    alternates = "\n".join(
        f'<link rel="alternate" hreflang="{language.tag}" href="{language.code}/">'
        for language in LANGUAGES
    )
    return PAGE.format(
        alternates=alternates,
        links=links,
        chooser=CHOOSER,
        table=json.dumps(as_json_table(), ensure_ascii=False),
        cookie=json.dumps(COOKIE),
    )


def write_root_page(site: Path) -> None:
    site.mkdir(parents=True, exist_ok=True)
    (site / "index.html").write_text(render_root_page(), encoding="utf-8")
