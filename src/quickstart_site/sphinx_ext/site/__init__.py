"""The site around the pages: the language switcher, site names per language, 404 pages, what
search engines read (seo.py: canonical URLs, descriptions, OpenGraph, sitemap, icon), and
the accessibility fixes to the themes (tests/test_accessibility.py), and pages that render
sooner (render_path.py; icon_font.py: the theme's icon font cut to the icons the site
shows; stylesheets.py: one style sheet per page)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sphinx.application import Sphinx
from sphinx.config import Config

from quickstart_site.sphinx_ext.site.icon_font import setup_icon_font
from quickstart_site.sphinx_ext.site.language_switcher import setup_language_switcher
from quickstart_site.sphinx_ext.site.render_path import setup_render_path
from quickstart_site.sphinx_ext.site.seo import setup_seo
from quickstart_site.sphinx_ext.site.stylesheets import setup_stylesheets
from quickstart_site.sphinx_ext.site.unpublished import setup_unpublished

HERE = Path(__file__).parent
# Wrappers of theme components: first in templates_path, so that they win over the themes'
# components folders, which the themes add to templates_path themselves.
THEME_WRAPPERS = HERE / "templates" / "wrappers"
TEMPLATES = HERE / "templates"  # the language switcher
STATIC = (HERE / "switcher_static", HERE / "static_a11y", HERE / "static_render")


def add_paths(app: Sphinx, config: Config) -> None:
    config.templates_path = [str(THEME_WRAPPERS), *config.templates_path, str(TEMPLATES)]
    config.html_static_path = [*config.html_static_path, *map(str, STATIC)]


def setup(app: Sphinx) -> dict[str, Any]:
    app.connect("config-inited", add_paths)
    setup_language_switcher(app)
    setup_seo(app)
    setup_unpublished(app)
    setup_render_path(app)
    setup_icon_font(app)
    setup_stylesheets(app)
    app.add_css_file("accessibility.css")
    return {"version": "0.1", "parallel_read_safe": True, "parallel_write_safe": True}
