"""A Run button under every example: the reader runs it in the browser, with no install.

For each example (see example_programs.py) the page gets a Run button after each shown code
block that produces output. A run is the example up to that block, with its hidden setup and
the hidden request that exercises it, exactly as CI runs it. The programs are written to
``_examples/<page>.json``, which the page fetches only when the reader reaches for a button.

The runner is ours (``static/runner/``): one Web Worker per page loads the self-hosted Pyodide
from ``_runtime/`` (runtime.py) and serves every example of the page, because JupyterLite's
console boots a full IPython kernel (8-11 s here) where a bare Pyodide with Flask needs a few
seconds. The JupyterLite views come from jupyterlite-sphinx (lite_site.py): each button also
links to the same program in a JupyterLite console, and the page to the whole tutorial as a
notebook.
"""

from __future__ import annotations

import html
import json
import posixpath
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.config import Config
from sphinx.locale import _

from quickstart_site import runtime
from quickstart_site.sphinx_ext.example_programs import SHOWN, Program, programs

STATIC = Path(__file__).parent / "runner_static"  # holds runner/, as _static/runner/
PROGRAMS_FOLDER = "_examples"
CSS_CLASS = "example-runner"


def labels() -> dict[str, str]:
    """The runner's words, translated by ``locales/<lang>/LC_MESSAGES/sphinx.po``."""
    words = {
        "run": _("Run"),
        "running": _("Running…"),
        "starting": _("Starting Python in your browser…"),
        "failed": _("Python could not start in this browser:"),
        "code": _("The code that runs (you can edit it):"),
        "output": _("Output"),
        "no_output": _("(the example printed nothing)"),
        "matches": _("The same output as on this page."),
        "differs": _("This output differs from the one on this page."),
        "console": _("Open in a JupyterLite console"),
        "close": _("Close"),
    }
    return {key: str(text) for key, text in words.items()}


@dataclass
class Run:
    """One button: the example up to a shown block, and what the page says it prints."""

    id: str
    example: str
    prelude: str  # conf.py's doctest_global_setup: run first, not shown
    source: str
    files: dict[str, str]
    expected: str

    def as_json(self) -> dict[str, Any]:
        return self.__dict__


def runs_of(program: Program, global_setup: str) -> list[tuple[int, Run]]:
    """(which of the example's shown blocks the button follows, run) for each button.

    A shown block that prints nothing (it only defines routes) gets no button of its own: its
    code runs with the next block that shows a result.
    """
    result: list[tuple[int, Run]] = []
    steps = program.steps
    shown = [i for i, step in enumerate(steps) if step.visibility == SHOWN]
    for n, index in enumerate(shown):
        end = shown[n + 1] if n + 1 < len(shown) else len(steps)
        part = Program(program.name, program.docname, program.line, program.files)
        part.setup, part.steps, part.cleanup = program.setup, steps[:end], program.cleanup
        last_button = n + 1 == len(shown)
        if not (last_button or "".join(s.expected or "" for s in steps[index:end])):
            continue
        run = Run(
            id=f"{program.name}-{len(result) + 1}",
            example=program.name,
            prelude=global_setup,
            source=part.source(),
            files=program.files,
            expected=part.expected_output,
        )
        result.append((n, run))
    return result


def shown_blocks(doctree: nodes.document, name: str) -> list[nodes.literal_block]:
    return [
        block
        for block in doctree.findall(nodes.literal_block)
        if block.get("testnodetype") == "testcode" and name in block.get("groups", ())
    ]


def control(run: Run, lite_prefix: str) -> nodes.raw:
    words = labels()
    markup = (
        f'<div class="{CSS_CLASS}" data-run="{html.escape(run.id)}"'
        f' data-console="{html.escape(lite_prefix)}repl/index.html">'
        f'<button type="button" class="{CSS_CLASS}-button">'
        f'<span aria-hidden="true">▶</span> {html.escape(words["run"])}</button>'
        "</div>"
    )
    return nodes.raw("", markup, format="html")


def relative(docname: str, target: str) -> str:
    return posixpath.relpath(target, posixpath.dirname(docname) or ".")


def add_run_controls(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    if app.builder.format != "html" or not app.config.examples_in_browser:
        return
    page_programs = programs(doctree, docname)
    if not page_programs:
        return
    app.emit("examples-collected", doctree, docname, page_programs)
    lite_prefix = relative(docname, "lite") + "/"
    page_runs = []
    for program in page_programs:
        blocks = shown_blocks(doctree, program.name)
        for shown, run in runs_of(program, app.config.doctest_global_setup):
            block = blocks[shown]
            anchor = block.parent if isinstance(block.parent, nodes.container) else block
            anchor.parent.insert(anchor.parent.index(anchor) + 1, control(run, lite_prefix))
            page_runs.append(run)
    insert_introduction(app, doctree, docname)
    write_programs(Path(app.outdir), docname, page_runs)
    app.env.metadata[docname]["example_runs"] = len(page_runs)


def write_programs(outdir: Path, docname: str, runs: list[Run]) -> None:
    target = outdir / PROGRAMS_FOLDER / f"{docname}.json"
    target.parent.mkdir(parents=True, exist_ok=True)
    data = {"labels": labels(), "runs": {run.id: run.as_json() for run in runs}}
    target.write_text(json.dumps(data, ensure_ascii=False, indent=1), encoding="utf-8")


def insert_introduction(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    """Under the page title: which Python and Flask the buttons run, and the notebook link."""
    versions = runtime.manifest()
    text = _(
        "Every example on this page has a Run button. It runs the example in your browser "
        "with Flask {flask} on Python {python} (Pyodide {pyodide}): nothing is installed and "
        "nothing leaves your computer."
    ).format(
        flask=versions["packages"]["flask"],
        python=versions["python"],
        pyodide=versions["pyodide"],
    )
    notebook = relative(docname, "lite") + f"/notebooks/index.html?path={docname}.ipynb"
    markup = (
        f'<aside class="{CSS_CLASS}-intro"><p>{html.escape(text)} '
        f'<a href="{html.escape(notebook)}" target="_blank" rel="noopener">'
        f"{html.escape(_('Open the whole tutorial as a notebook'))}</a></p></aside>"
    )
    section = next(iter(doctree.findall(nodes.section)), None)
    if section is None:
        return
    title = section.next_node(nodes.title)
    section.insert(section.index(title) + 1, nodes.raw("", markup, format="html"))


def add_assets(app: Sphinx, pagename: str, templatename: str, context: dict, doctree: Any) -> None:
    if not app.env.metadata.get(pagename, {}).get("example_runs"):
        return
    programs_url = relative(pagename, f"{PROGRAMS_FOLDER}/{pagename}.json")
    context.setdefault("metatags", "")
    context["metatags"] += f'\n<meta name="example-programs" content="{programs_url}">'
    app.add_js_file("runner/runner.js", type="module")
    app.add_css_file("runner/runner.css")


def add_static_path(app: Sphinx, config: Config) -> None:
    if config.examples_in_browser:
        config.html_static_path = [*config.html_static_path, str(STATIC)]


def setup_browser_runner(app: Sphinx) -> None:
    app.add_config_value("examples_in_browser", False, "html", types=frozenset({bool}))
    app.add_event("examples-collected")
    app.connect("config-inited", add_static_path)
    app.connect("doctree-resolved", add_run_controls)
    app.connect("html-page-context", add_assets)
