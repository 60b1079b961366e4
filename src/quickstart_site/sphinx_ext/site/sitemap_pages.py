"""Every page in the language's sitemap.xml, whichever pages this build wrote.

sphinx-sitemap lists the pages rendered during the build (it collects them as each page's
HTML is made) and writes sitemap.xml from that list at the end. An incremental build renders
only the changed pages (and the index and search pages), so its sitemap lost every page it
did not rewrite. Before sphinx-sitemap writes, the pages of the project that this build did
not render are added through sphinx-sitemap's own function, so its rules (file suffix,
sitemap_excludes) decide their links as they do for the rendered ones. The links are then
put in order, so a sitemap does not depend on which pages a build happened to rewrite.
"""

from __future__ import annotations

import queue
from typing import Any

from sphinx.application import Sphinx
from sphinx_sitemap import add_html_link

# Before sphinx-sitemap's create_sitemap (default priority 500).
BEFORE_SITEMAP = 400


class SitemapPages:
    def __init__(self, app: Sphinx) -> None:
        self.rendered: set[str] = set()
        app.connect("builder-inited", self.forget)
        app.connect("env-before-read-docs", self.forget_rendered)
        app.connect("html-page-context", self.note)
        app.connect("build-finished", self.add_the_others, priority=BEFORE_SITEMAP)

    def forget(self, app: Sphinx) -> None:
        self.rendered.clear()

    def forget_rendered(self, app: Sphinx, env: Any, docnames: list[str]) -> None:
        # A warm application builds again (orchestration/warm/builder.py): a new build's list.
        self.rendered.clear()

    def note(self, app: Sphinx, pagename: str, *args: Any) -> None:
        self.rendered.add(pagename)

    def add_the_others(self, app: Sphinx, exception: Exception | None) -> None:
        if exception is not None or app.builder.format != "html" or app.env is None:
            return
        for docname in sorted(app.env.found_docs - self.rendered):
            add_html_link(app, docname, None, None, None)
        links: Any = getattr(app, "sitemap_links", None)  # sphinx-sitemap's queue
        if links is None:
            return
        found = []
        while True:
            try:
                found.append(links.get_nowait())
            except queue.Empty:
                break
        for link in sorted(set(found)):
            links.put(link)


def setup_sitemap_pages(app: Sphinx) -> None:
    SitemapPages(app)
