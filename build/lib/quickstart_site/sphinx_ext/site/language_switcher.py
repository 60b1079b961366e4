"""Every page links to itself in the other languages, and says so to search engines.

The site is one folder per language with the same page names and, since section ids are the
English slugs in every language, the same anchors: the switcher's script carries the reader's
current ``#section`` over, and remembers the choice in a cookie the server reads first.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sphinx.application import Sphinx
from sphinx.config import Config

from quickstart_site.languages import BY_CODE, COOKIE, LANGUAGES, SOURCE, is_source
from quickstart_site.sphinx_ext.site.seo import base_url, url_of
from quickstart_site.versions import SUPPORTED_FLASK

# The hreflang of the page a reader whose language is none of ours gets.
X_DEFAULT = "x-default"


def name_the_site_in_its_language(app: Sphinx, config: Config) -> None:
    """The site's name and authors are configuration, not messages: they come from the
    language table, as the root page's native names do."""
    language = BY_CODE.get(config.language or SOURCE.code)
    if language is not None and not is_source(language.code):
        config.html_title = language.site_title
        config.author = language.authors
        config.copyright = config.copyright.replace(
            SOURCE.comma + SOURCE.authors, language.comma + language.authors
        ).replace(SOURCE.authors, language.authors)
        if "flask_versions" in config.myst_substitutions:  # the page's list, in its punctuation
            config.myst_substitutions = {
                **config.myst_substitutions,
                "flask_versions": language.list_separator.join(SUPPORTED_FLASK),
            }


def prefix_not_found_links(app: Sphinx, config: Config) -> None:
    """The 404 page is served at any missing path, so its links are absolute, per language."""
    config.notfound_urls_prefix = f"/{config.language or SOURCE.code}/"


def page_in(code: str, pagename: str, not_found_page: str) -> str:
    """The URL of ``pagename`` in language ``code``: relative to a page of this build, but the
    404 page, shown at any depth, links to each language's home."""
    if pagename == not_found_page:
        return f"/{code}/"
    up = "../" * (pagename.count("/") + 1)
    return f"{up}{code}/{pagename}.html"


def add_language_links(
    app: Sphinx, pagename: str, templatename: str, context: dict[str, Any], doctree: Any
) -> None:
    current = app.config.language or SOURCE.code
    if current not in BY_CODE:
        return  # a build outside the site's languages (tests, previews): no switcher
    links = [
        {
            "code": language.code,
            "tag": language.tag,
            "name": language.native_name,
            "url": page_in(
                language.code, pagename, getattr(app.config, "notfound_pagename", "404")
            ),
            "current": language.code == current,
        }
        for language in LANGUAGES
    ]
    context["language_links"] = links
    context["language_cookie"] = COOKIE
    context["metatags"] = context.get("metatags", "") + alternate_links(app, pagename, links)


def alternate_links(app: Sphinx, pagename: str, links: list[dict[str, Any]]) -> str:
    """The page in every language, and ``x-default`` (English), for search engines: absolute
    URLs under html_baseurl (seo.py), relative ones in a build without it. The 404 page,
    shown at any path, points at each language's home and at the root's chooser."""
    base = base_url(app.config)
    not_found = pagename == getattr(app.config, "notfound_pagename", "404")
    if base:
        urls = {
            link["tag"]: (
                f"{base}{link['code']}/" if not_found else url_of(base, link["code"], pagename)
            )
            for link in links
        }
        default = base if not_found else urls[SOURCE.tag]
    else:
        urls = {link["tag"]: link["url"] for link in links}
        default = urls[SOURCE.tag]
    urls[X_DEFAULT] = default
    return "".join(
        f'<link rel="alternate" hreflang="{tag}" href="{url}">\n' for tag, url in urls.items()
    )


def setup_language_switcher(app: Sphinx) -> None:
    if any(Path(app.srcdir).glob("404.*")):
        # sphinx-notfound-page renders the site's own 404 page with absolute links. Without a
        # 404 page in the source it would make one that the theme cannot give a sidebar to.
        app.setup_extension("notfound.extension")
        app.connect("config-inited", prefix_not_found_links)
    app.connect("config-inited", name_the_site_in_its_language)
    app.connect("html-page-context", add_language_links)
    app.add_js_file("language-switcher.js", loading_method="defer")
    app.add_css_file("language-switcher.css")
