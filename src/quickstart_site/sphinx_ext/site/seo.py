"""Findable: every page says where it lives and what it is about, in its own language.

One setting decides every absolute URL: ``html_baseurl`` in conf.py (the site's root, which a
deployer sets; ``QUICKSTART_BASE_URL`` overrides it). A page's public URL is
``<html_baseurl><lang>/<page>.html``. From it:
- the canonical link (Sphinx's, from ``pageurl``) and OpenGraph's ``og:url``
  (sphinxext-opengraph, with ``ogp_site_url`` = the language's folder);
- the ``hreflang`` alternates (language_switcher.py) and the sitemap (sphinx-sitemap, one per
  language, merged at the site root by orchestration/root_page.py).
Each page's description is a message of the interface catalog (``sphinx.po``), so it is
translated like the rest of the interface; it is the page's ``<meta name="description">`` and
its ``og:description``. OpenGraph gets no image: the site requests nothing from elsewhere.
"""

from __future__ import annotations

import contextlib
import html
import io
from pathlib import Path
from typing import Any

from sphinx.application import Sphinx
from sphinx.config import Config
from sphinx.locale import _

from quickstart_site.languages import SOURCE
from quickstart_site.sphinx_ext.site.sitemap_pages import setup_sitemap_pages

HERE = Path(__file__).parent
# The site's icon (a flask on the project's teal), drawn by hand: html_favicon in conf.py, and
# copied to the site's root as /favicon.svg and /favicon.ico (orchestration/root_page.py).
FAVICON_SVG = HERE / "favicon" / "favicon.svg"
FAVICON_ICO = HERE / "favicon" / "favicon.ico"
# Environment variable that overrides ``html_baseurl`` (read in conf.py).
BASE_URL_VARIABLE = "QUICKSTART_BASE_URL"
# Pages a search engine has no use for: not in the sitemap; the 404 page is also ``noindex``.
UNLISTED = ("404", "genindex", "search")


def descriptions() -> dict[str, str]:
    """Each page's description, in the build's language (``locales/<lang>/.../sphinx.po``)."""
    texts = {
        "index": _(
            "Learn Flask, the Python web framework, step by step: an executable tutorial "
            "whose every example runs against a real Flask installation."
        ),
        "installation": _(
            "Install Flask: the Python version it needs, its dependencies, a virtual "
            "environment and the pip command."
        ),
        "quickstart": _(
            "Flask quickstart: routes, URL building, templates, requests, sessions and "
            "errors, with examples you can run in your browser."
        ),
        "404": _("This page of the Flask quickstart does not exist."),
        "search": _("Search the Flask quickstart."),
        "genindex": _("Index of the Flask quickstart."),
    }
    return {page: str(text) for page, text in texts.items()}


def base_url(config: Config) -> str:
    """The site's root URL, ending in ``/``; empty when unset (relative links then)."""
    url = str(config.html_baseurl or "")
    return url if not url or url.endswith("/") else url + "/"


def language_of(config: Config) -> str:
    return str(config.language or SOURCE.code)


def url_of(base: str, code: str, pagename: str) -> str:
    """The public URL of ``pagename`` in language ``code``: ``<base><code>/<page>.html``."""
    return f"{base}{code}/{pagename}.html"


def configure(app: Sphinx, config: Config) -> None:
    """Derive the URL settings of sphinx-sitemap and sphinxext-opengraph from html_baseurl."""
    base = base_url(config)
    # sphinx-sitemap: <site_url><lang>/<page>.html with the four languages as alternates.
    config.site_url = base
    if base:
        config.ogp_site_url = f"{base}{language_of(config)}/"
    # The site's name in the page's language (set by language_switcher.py, connected first).
    config.ogp_site_name = config.html_title


def add_page_metadata(
    app: Sphinx, pagename: str, templatename: str, context: dict[str, Any], doctree: Any
) -> None:
    """Canonical URL, description and robots rule of a page; before sphinxext-opengraph,
    which then uses the same description and no description of its own."""
    base = base_url(app.config)
    code = language_of(app.config)
    not_found = getattr(app.config, "notfound_pagename", "404")
    tags = []
    if pagename == not_found:
        # Shown at any missing path: it is nobody's canonical page and should not be indexed.
        context["pageurl"] = None
        tags.append('<meta name="robots" content="noindex">')
    elif base:
        context["pageurl"] = url_of(base, code, pagename)
    texts = descriptions()
    description = texts.get(pagename, texts["index"])
    tags.append(f'<meta name="description" content="{html.escape(description)}">')
    context["metatags"] = context.get("metatags", "") + "".join(tag + "\n" for tag in tags)
    # sphinxext-opengraph copies the page's og:* fields; a copy, so the environment's
    # metadata is left as it was read.
    context["meta"] = {**(context.get("meta") or {}), "og:description": description}


def setup_seo(app: Sphinx) -> None:
    # sphinxext-opengraph print()s that matplotlib is missing when imported: its social cards
    # (images) are not wanted, and a clean build prints nothing (tests/test_site.py).
    with contextlib.redirect_stdout(io.StringIO()):
        app.setup_extension("sphinxext.opengraph")
    app.setup_extension("sphinx_sitemap")
    setup_sitemap_pages(app)
    app.connect("config-inited", configure)
    # Before sphinxext-opengraph (500), which reads the description and og:description.
    app.connect("html-page-context", add_page_metadata, priority=400)
