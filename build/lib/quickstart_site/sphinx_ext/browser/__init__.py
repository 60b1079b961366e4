"""Examples in the reader's browser: Run buttons on a self-hosted Pyodide, and each page with
examples as a notebook in the site's JupyterLite app. The browser runtime is an input of the build
(``examples_runtime``: ``python -m quickstart_site runtime`` builds it)."""

from __future__ import annotations

from typing import Any

from sphinx.application import Sphinx

from quickstart_site.orchestration.lite_app import SITE_LITE
from quickstart_site.orchestration.runtime import SITE_FOLDER
from quickstart_site.sphinx_ext.browser.lite import setup_lite
from quickstart_site.sphinx_ext.browser.runner import setup_browser_runner


def setup(app: Sphinx) -> dict[str, Any]:
    app.add_config_value("examples_in_browser", False, "html", types=frozenset({bool}))
    # The runtime folder (runtime.json, pyodide/, wheels/), built before Sphinx starts.
    app.add_config_value("examples_runtime", "", "html", types=frozenset({str}))
    # Where the built site serves it, relative to each language's output folder.
    default_url = f"../{SITE_FOLDER}/"
    app.add_config_value("examples_runtime_url", default_url, "html", types=frozenset({str}))
    # The site's one JupyterLite app (orchestration/lite_app.py), likewise.
    lite_url = f"../{SITE_LITE}/"
    app.add_config_value("examples_lite_url", lite_url, "html", types=frozenset({str}))
    setup_browser_runner(app)
    setup_lite(app)
    return {"version": "0.1", "parallel_read_safe": True, "parallel_write_safe": True}
