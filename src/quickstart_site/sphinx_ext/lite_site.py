"""The JupyterLite apps of each language, built by jupyterlite-sphinx, on the shared runtime.

jupyterlite-sphinx builds a JupyterLite site into ``<outdir>/lite`` when Sphinx finishes. This
module gives that build, per language:
- its own lite folder beside its doctrees (its config and doit state), so the four
  languages, built side by side, never share a file, and nothing is written in docs/;
- the page's notebook, generated from the translated doctree (notebook.py), as its content;
- a ``jupyter-lite.json`` that points the Pyodide kernel at the site's ``_runtime/`` (one copy
  of Pyodide and the wheels for every language) and forbids falling back to PyPI.
jupyterlite-sphinx's own page assets are dropped: our pages link to the apps without its
inline ``onclick`` buttons (refused by the site's Content-Security-Policy), and its stylesheet
from Google Fonts would be the only request to leave the site. Each app page also loads our
fixes for its bundled libraries first (lite_fixes.py).
"""

from __future__ import annotations

import json
import subprocess
from pathlib import Path
from types import SimpleNamespace
from typing import Any
from unittest import mock

import jupyterlite_sphinx.jupyterlite_sphinx as lite_extension
import nbformat
from docutils import nodes
from sphinx.application import Sphinx
from sphinx.config import Config
from sphinx.errors import ExtensionError
from sphinx.locale import _

from quickstart_site.runtime import SITE_FOLDER
from quickstart_site.sphinx_ext.example_programs import Program
from quickstart_site.sphinx_ext.lite_fixes import add_early_scripts
from quickstart_site.sphinx_ext.notebook import notebook

KERNEL_PLUGIN = "@jupyterlite/pyodide-kernel-extension:kernel"
# What the kernel imports while it starts (jupyterlite-pyodide-kernel's lock addon default).
KERNEL_PREFETCH = ["ipykernel", "comm", "pyodide-kernel", "ipython"]


def lite_dir(app: Sphinx) -> Path:
    """Beside the build's doctrees: its own for each language and each build."""
    return Path(app.doctreedir) / "jupyterlite"


def lite_config() -> dict:
    return {
        "LiteBuildConfig": {
            # Source maps (about half of the app) and the unused shared packages: not served.
            "no_sourcemaps": True,
            "no_unused_shared_packages": True,
        }
    }


def jupyter_lite_json() -> dict:
    # "./" URLs are resolved against this file's folder, <site>/<language>/lite/.
    runtime = f"./../../{SITE_FOLDER}"
    return {
        "jupyter-lite-schema-version": 0,
        "jupyter-config-data": {
            "litePluginSettings": {
                KERNEL_PLUGIN: {
                    "pyodideUrl": f"{runtime}/pyodide/pyodide.mjs",
                    "disablePyPIFallback": True,
                    "loadPyodideOptions": {"packages": KERNEL_PREFETCH},
                }
            },
            "settingsOverrides": {
                # Every cell stays in the page: a long tutorial scrolls smoothly enough, and
                # the browser test can see every cell's prompt and output.
                "@jupyterlab/notebook-extension:tracker": {"windowingMode": "none"}
            },
        },
    }


def take_over(app: Sphinx, config: Config) -> None:
    """Before jupyterlite-sphinx's own config step (which empties the content folder): its
    folders go beside the doctrees, and its build step becomes ours. Also when the Run buttons
    are off, so that no build ever writes ``_contents/`` or doit state into the sources."""
    if "jupyterlite_sphinx" not in app.extensions:
        if config.examples_in_browser:
            raise ExtensionError(
                'examples_in_browser needs "jupyterlite_sphinx" in conf.py\'s extensions'
            )
        return
    folder = lite_dir(app)
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "jupyter_lite_config.json").write_text(json.dumps(lite_config(), indent=1))
    (folder / "jupyter-lite.json").write_text(json.dumps(jupyter_lite_json(), indent=1))
    config.jupyterlite_dir = str(folder)
    config.jupyterlite_content_dir = str(folder / "contents")  # absolute: used as is
    config.jupyterlite_bind_ipynb_suffix = False
    config.jupyterlite_silence = True
    drop_page_assets(app)
    for listener in list(app.events.listeners["build-finished"]):
        if listener.handler is lite_extension.jupyterlite_build:
            app.disconnect(listener.id)
    app.connect("build-finished", build_in_lite_dir)


def build_in_lite_dir(app: Sphinx, error: Exception | None) -> None:
    """jupyterlite-sphinx's build step, run in this language's lite folder.

    ``jupyter lite build`` keeps its doit state (``.jupyterlite.doit.db``) in its working
    folder, which jupyterlite-sphinx sets to the source folder: shared by the four languages
    built side by side, and never cleaned there. A stale state skips writing the kernel
    settings, and the kernel then asks a CDN for Pyodide. So the same command runs here in the
    language's own folder, from a clean state, and a failure shows jupyter-lite's output.
    """
    contents = Path(app.config.jupyterlite_content_dir)
    if not app.config.examples_in_browser or not any(contents.glob("*.ipynb")):
        return  # no page with examples: nothing to open in JupyterLite
    folder = lite_dir(app)
    (folder / ".jupyterlite.doit.db").unlink(missing_ok=True)

    def run_here(command: list[str], **kwargs: Any) -> subprocess.CompletedProcess:
        kwargs.update(cwd=folder, capture_output=True, text=True, check=False)
        kwargs.pop("stdout", None), kwargs.pop("stderr", None)
        result = subprocess.run(command, **kwargs)
        if result.returncode:
            raise ExtensionError(
                f"jupyter lite build failed for {folder}:\n{result.stdout[-3000:]}"
                f"{result.stderr[-3000:]}"
            )
        return result

    runner = SimpleNamespace(
        run=run_here, PIPE=subprocess.PIPE, CalledProcessError=subprocess.CalledProcessError
    )
    with mock.patch.object(lite_extension, "subprocess", runner):
        lite_extension.jupyterlite_build(app, error)
    add_early_scripts(Path(app.outdir) / lite_extension.JUPYTERLITE_DIR)


def write_notebook(
    app: Sphinx, doctree: nodes.document, docname: str, page_programs: list[Program]
) -> None:
    intro = _(
        "This notebook is the tutorial page, generated from the page itself. Run the cells "
        "from top to bottom: each example's app answers a request made with its test client, "
        "because a Flask app cannot listen on a network port inside the browser."
    )
    book = notebook(doctree, language=app.config.language or "en", intro=intro)
    target = Path(app.config.jupyterlite_content_dir) / f"{docname}.ipynb"
    target.parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(book, target)


def drop_page_assets(app: Sphinx) -> None:
    """Before the HTML builder copies the registered assets into its pages."""
    app.registry.css_files = [
        (name, attributes)
        for name, attributes in app.registry.css_files
        if not (name.startswith("https://") or name == "jupyterlite_sphinx.css")
    ]
    app.registry.js_files = [
        (name, attributes)
        for name, attributes in app.registry.js_files
        if name != "jupyterlite_sphinx.js"
    ]


def setup_lite_site(app: Sphinx) -> None:
    app.connect("config-inited", take_over, priority=400)
    app.connect("examples-collected", write_notebook)
