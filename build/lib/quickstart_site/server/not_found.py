"""The page a reader gets for a URL that names nothing: their language's 404 page."""

from __future__ import annotations

import html

from quickstart_site.languages import Language

# Until a language's build has its own 404.html: its name, linking to its home page. The
# links are absolute because the page answers at any depth.
BUILT_IN = """<!doctype html>
<html lang="{tag}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>404</title>
</head>
<body>
<h1>404</h1>
<p><a href="/{code}/" hreflang="{tag}">{name}</a></p>
</body>
</html>
"""


def built_in_page(language: Language) -> str:
    return BUILT_IN.format(
        tag=language.tag, code=language.code, name=html.escape(language.native_name)
    )
