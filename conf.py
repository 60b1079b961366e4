"""One Sphinx configuration for every language of the quickstart.

Build with the sources in ``docs/`` and this file as configuration, after building the
browser runtime the Run buttons need (``python -m quickstart_site runtime`` prints its folder):
``sphinx-build -c . -D examples_runtime=<folder> docs _build/site/en``. The nox sessions
(``python -m quickstart_site build``) do all of this for you.
"""

import importlib.metadata
import os
from pathlib import Path

from quickstart_site.inventory import offline_intersphinx_mapping
from quickstart_site.languages import CODES, SOURCE
from quickstart_site.sphinx_ext.site.seo import FAVICON_SVG
from quickstart_site.versions import SUPPORTED_FLASK

project = "Flask Quickstart"
# The English names; each language's own come from the language table at build time
# (sphinx_ext/site/language_switcher.py).
author = SOURCE.authors
copyright = "2026, " + author

extensions = [
    "myst_parser",
    "sphinx.ext.doctest",
    "sphinx.ext.intersphinx",
    "sphinx_copybutton",
    # The numbered statement and the hidden solution of each checked exercise; our
    # sphinx_ext/exercises adds the starter, hints and checks.
    "sphinx_exercise",
    "quickstart_site.sphinx_ext",
]

root_doc = "index"
exclude_patterns = []
myst_enable_extensions = ["colon_fence", "deflist", "substitution"]
myst_substitutions = {
    # The versions CI verifies the examples against, and the one this build ran with.
    "flask_versions": ", ".join(SUPPORTED_FLASK),
    "flask_version": importlib.metadata.version("flask"),
}
myst_heading_anchors = 3
nitpicky = True

# Sphinx resolves a relative locale_dirs against the source dir, sphinx-intl against this
# file's: one absolute path keeps both on the same catalogs.
HERE = Path(__file__).resolve().parent
locale_dirs = [str(HERE / "locales")]
gettext_compact = False
# A paragraph without a (non-fuzzy) translation is shown in English and marked as such.
translation_progress_classes = "untranslated"

html_theme = "sphinx_book_theme"
html_title = SOURCE.site_title
html_sidebars = {
    "**": [
        "navbar-logo.html",
        "icon-links.html",
        "search-button-field.html",
        "language-switcher.html",
        "sbt-sidebar-nav.html",
    ]
}
html_theme_options = {
    "show_toc_level": 2,
    "use_download_button": False,
}
# The reader's light or dark setting. Left empty, the PyData theme logs an error on every page
# before falling back to the same "auto".
html_context = {"default_mode": "auto"}

# The API names in the prose link to the official documentation. There is no network at
# build time, so the inventories are generated from the installed packages.
intersphinx_mapping = offline_intersphinx_mapping(HERE / "_build" / "inventories")

# Examples run the way a reader runs them: as the module of their own application. Sphinx's
# doctest runner would otherwise give them __name__ == "builtins", which Flask rejects.
doctest_global_setup = '__name__ = "hello"'
# Output is compared exactly: no ELLIPSIS, no ignored exception details.
doctest_default_flags = 0

# Every example gets a Run button that runs it in the reader's browser (Pyodide, self-hosted
# under _runtime/), and the tutorial a notebook in the site's JupyterLite app (lite/, built
# after the languages by quickstart_site.orchestration.lite_app).
examples_in_browser = True

# Where the site is published: its root URL, ending in "/" (a placeholder until deployed; the
# environment variable QUICKSTART_BASE_URL overrides it). Every absolute URL derives from it
# (sphinx_ext/site/seo.py): canonical links, hreflang alternates, OpenGraph, the sitemaps and
# robots.txt, as <html_baseurl><lang>/<page>.html.
html_baseurl = os.environ.get("QUICKSTART_BASE_URL") or "https://flask-quickstart.example/"
# The site's icon, drawn for it (no external asset); also served as /favicon.ico.
html_favicon = str(FAVICON_SVG)
# sphinx-sitemap (registered by quickstart_site.sphinx_ext): each language's sitemap.xml lists
# its pages with the other languages as alternates; the root's merges them.
sitemap_url_scheme = "{lang}{link}"
sitemap_locales = list(CODES)
sitemap_excludes = ["404.html", "genindex.html", "search.html"]
# sphinxext-opengraph: ogp_site_url is html_baseurl + the language (seo.py); the description is
# the page's translated one; no image, so nothing is fetched or linked from elsewhere.
ogp_description_length = 300
ogp_social_cards = {"enable": False}
ogp_enable_meta_description = False
