"""What a Sphinx application carries from one build to the next that a fresh process would not.

Found by building twice on one application and comparing the pages with a fresh build's
(tests/test_warm_build.py keeps checking it):

- a page's own scripts and stylesheets: the PyData theme (``DOCUMENTATION_OPTIONS.pagename``)
  and our Run buttons (runner.py) call ``app.add_js_file``/``add_css_file`` while a page is
  rendered, which also records the file in the application's registry for good; the next
  build's ``prepare_writing`` would add every page's files to every page. The registry's
  lists are put back as they were when the application started, before each build.
- each doctree's pickled bytes, kept by ``env.get_doctree`` once read and not dropped when
  the page is read again: a page written again without being re-read (its output gone, or
  an edit saved during a build) would show the page as the first build read it. Cleared
  before each build, as Sphinx's own test application (``SphinxTestApp.build``) does.
- module caches of ours that read catalogs: cleared when an application starts.

Our extension keeps nothing else between builds outside the environment (which Sphinx purges
per page): its module globals are constants.
"""

from __future__ import annotations

from typing import Any

from sphinx.application import Sphinx


class WarmState:
    def __init__(self, app: Sphinx) -> None:
        from quickstart_site.sphinx_ext.browser.notebook import admonition_title

        admonition_title.cache_clear()  # its titles come from sphinx.po, maybe edited since
        self.app = app
        self.js_files = list(app.registry.js_files)
        self.css_files = list(app.registry.css_files)

    def before_build(self) -> None:
        env = self.app.env
        if env is not None:
            env._pickled_doctree_cache.clear()
            env._write_doc_doctree_cache.clear()  # filled by reading, emptied by writing
        registry = self.app.registry
        registry.js_files[:] = self.js_files
        registry.css_files[:] = self.css_files
        builder: Any = self.app.builder
        builder.init_css_files()
        builder.init_js_files()
