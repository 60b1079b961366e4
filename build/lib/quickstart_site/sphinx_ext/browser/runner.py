"""A Run button under every example: the reader runs it in the browser, with no install.

For each example of the model (``examples.grouping``, the reading the examples builder runs)
the page gets a Run button after each shown code block that produces output. A run is one of
the example's parts (``Example.parts``): the example up to that block, with its hidden setup
and the hidden request that exercises it, exactly as CI runs it. The programs are written to
``_examples/<page>.json``, which the page fetches only when the reader reaches for a button;
the page's checked exercises (``examples/exercises.py``) go there too, as the ``exercises`` map
``check_exercise.py`` takes, and the page gets the runner for them even without any example.

The runner is ours (``runner_static/runner/``): one Web Worker per page loads the
self-hosted Pyodide from the runtime folder (``examples_runtime_url``) and serves every
example of the page, because JupyterLite's console boots a full IPython kernel (8-11 s here)
where a bare Pyodide with Flask needs a few seconds. The JupyterLite views come from
the site's one JupyterLite app (``examples_lite_url``, built by orchestration/lite_app.py):
each button also links to the same program in its console, and the page to the whole
tutorial, in the page's language, as a notebook.
"""

from __future__ import annotations

import html
import json
import posixpath
from pathlib import Path
from typing import Any, cast

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.config import Config
from sphinx.errors import ExtensionError
from sphinx.locale import _

from quickstart_site.examples.exercises import (
    Exercise,
    UnsupportedExercise,
    exercises_of,
)
from quickstart_site.examples.exercises import program as exercise_program
from quickstart_site.examples.grouping import doctest_nodes, location_of
from quickstart_site.examples.model import Example, Location, Role, Step, join_code
from quickstart_site.languages import is_source
from quickstart_site.orchestration.lite_app import notebook_path
from quickstart_site.orchestration.runtime import MANIFEST
from quickstart_site.sphinx_ext.browser.labels import exercise_messages, labels
from quickstart_site.sphinx_ext.browser.page_examples import page_examples

STATIC = Path(__file__).parent / "runner_static"  # holds runner/, as _static/runner/
PROGRAMS_FOLDER = "_examples"
CSS_CLASS = "example-runner"


def run_of(part: Example, number: int, page_source: str) -> dict[str, Any]:
    """One button's program. ``source`` is the example's own code, which the reader sees and
    may edit; ``prelude`` and ``epilogue`` are the configuration's global setup and cleanup,
    which run around it as they do in CI. ``steps`` locate each block on the page, so that an
    unedited run's traceback names the page's lines."""
    own = [step for step in part.steps if not step.role.from_config]
    return {
        "id": f"{part.name}-{number}",
        "example": part.name,
        "prelude": join_code(s.code for s in part.steps if s.role is Role.CONFIG_SETUP),
        "source": join_code(step.code for step in own),
        "epilogue": join_code(s.code for s in part.steps if s.role is Role.CONFIG_CLEANUP),
        "steps": [{"code": step.code, "file": page_source, "line": step.code_line} for step in own],
        "files": part.files,
        "expected": part.expected_output,
    }


def buttons(example: Example) -> list[tuple[Step, Example]]:
    """(the shown block the button follows, the part it runs), for each button."""
    return [
        ([step for step in part.code_steps if step.role is Role.SHOWN][-1], part)
        for part in example.parts()
    ]


def shown_blocks(doctree: nodes.document) -> dict[Location, nodes.Element]:
    return {
        location_of(node): node
        for node in doctest_nodes(doctree)
        if isinstance(node, nodes.literal_block)
    }


def control(run: dict[str, Any], lite_url: str) -> nodes.raw:
    markup = (
        f'<div class="{CSS_CLASS}" data-run="{html.escape(run["id"])}"'
        f' data-console="{html.escape(lite_url)}repl/index.html">'
        f'<button type="button" class="{CSS_CLASS}-button">'
        f'<span aria-hidden="true">▶</span> {html.escape(labels()["run"])}</button>'
        "</div>"
    )
    return nodes.raw("", markup, format="html")


def relative(docname: str, target: str) -> str:
    return posixpath.relpath(target, posixpath.dirname(docname) or ".")


def add_run_controls(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    if app.builder.format != "html" or not app.config.examples_in_browser:
        return
    examples = page_examples(app, doctree, docname)
    exercises = page_exercises(app, doctree, docname)
    if not any(example.code_steps for example in examples) and not exercises:
        return
    page_source = posixpath.basename(str(app.env.doc2path(docname, False)))
    lite_url = page_url(docname, app.config.examples_lite_url)
    blocks = shown_blocks(doctree)
    runs = []
    for example in examples:
        for number, (shown, part) in enumerate(buttons(example), 1):
            run = run_of(part, number, page_source)
            block = blocks[shown.location]
            anchor = block.parent if isinstance(block.parent, nodes.container) else block
            anchor.parent.insert(anchor.parent.index(anchor) + 1, control(run, lite_url))
            runs.append(run)
    programs = list(exercise_programs(app, docname, exercises).values())
    insert_introduction(app, doctree, docname, exercises=len(exercises))
    write_programs(Path(app.outdir), docname, runs, programs)
    app.env.metadata[docname]["example_runs"] = len(runs)
    app.env.metadata[docname]["exercises"] = len(exercises)


def page_exercises(app: Sphinx, doctree: nodes.document, docname: str) -> list[Exercise]:
    """The page's exercises; none where the model refused them (the read-time check has
    warned, naming the part, and -W fails the build). Read before the exercises' HTML step
    (sphinx_ext/exercises/html.py, a later handler) takes the checks off the page."""
    try:
        return exercises_of(doctree, docname, language_is_source=is_source(app.config.language))
    except UnsupportedExercise:
        return []


def exercise_programs(
    app: Sphinx, docname: str, exercises: list[Exercise]
) -> dict[str, dict[str, Any]]:
    """The page's exercises as check_exercise.py takes them, by id, in page order."""
    page_source = posixpath.basename(str(app.env.doc2path(docname, False)))
    return {
        exercise.id: exercise_program(
            exercise,
            file=page_source,
            messages=exercise_messages(),
            prelude=app.config.doctest_global_setup,
            number=exercise_number(app, docname, exercise.id),
        )
        for exercise in exercises
    }


def exercise_number(app: Sphinx, docname: str, label: str) -> str:
    """The number sphinx-exercise shows ("Exercise 3"), as numfig assigned it."""
    numbers = app.env.toc_fignumbers.get(docname, {}).get("exercise", {})
    return ".".join(map(str, numbers.get(label, ())))


def write_programs(
    outdir: Path,
    docname: str,
    runs: list[dict[str, Any]],
    exercises: list[dict[str, Any]] | None = None,
) -> None:
    target = outdir / PROGRAMS_FOLDER / f"{docname}.json"
    target.parent.mkdir(parents=True, exist_ok=True)
    data = {
        "labels": labels(),
        "runs": {run["id"]: run for run in runs},
        "exercises": {exercise["id"]: exercise for exercise in exercises or []},
    }
    target.write_text(json.dumps(data, ensure_ascii=False, indent=1), encoding="utf-8")


def insert_introduction(
    app: Sphinx, doctree: nodes.document, docname: str, *, exercises: int = 0
) -> None:
    """Under the page title: which Python and Flask the buttons run, and the notebook link;
    then, on a page with exercises, the line the page script fills with the reader's progress
    ("3 of 10 done")."""
    versions = runtime_manifest(app)
    text = _(
        "Every example on this page has a Run button. It runs the example in your browser "
        "with Flask {flask} on Python {python} (Pyodide {pyodide}): nothing is installed and "
        "nothing leaves your computer."
    ).format(
        flask=versions["packages"]["flask"],
        python=versions["python"],
        pyodide=versions["pyodide"],
    )
    path = notebook_path(app.config.language or "en", docname)
    notebook = page_url(docname, app.config.examples_lite_url) + f"notebooks/index.html?path={path}"
    markup = (
        f'<aside class="{CSS_CLASS}-intro"><p>{html.escape(text)} '
        f'<a href="{html.escape(notebook)}" target="_blank" rel="noopener">'
        f"{html.escape(_('Open the whole tutorial as a notebook'))}</a></p></aside>"
    )
    if exercises:
        markup += f'<p class="exercise-progress" data-total="{exercises:d}"></p>'
    section = next(iter(doctree.findall(nodes.section)), None)
    if section is None:
        return
    title = cast(nodes.title, section.next_node(nodes.title))  # every section has a title
    section.insert(section.index(title) + 1, nodes.raw("", markup, format="html"))


def add_assets(
    app: Sphinx, pagename: str, templatename: str, context: dict[str, Any], doctree: Any
) -> None:
    page = app.env.metadata.get(pagename, {})
    if not page.get("example_runs") and not page.get("exercises"):
        return
    programs_url = relative(pagename, f"{PROGRAMS_FOLDER}/{pagename}.json")
    runtime_url = page_url(pagename, app.config.examples_runtime_url)
    context.setdefault("metatags", "")
    context["metatags"] += (
        f'\n<meta name="example-programs" content="{html.escape(programs_url)}">'
        f'\n<meta name="example-runtime" content="{html.escape(runtime_url)}">'
        # The browser stops a run when CI would: after the examples builder's time limit.
        f'\n<meta name="example-time-limit" content="{app.config.examples_timeout:d}">'
    )
    app.add_js_file("runner/runner.js", type="module")
    app.add_css_file("runner/runner.css")


def page_url(pagename: str, url: str) -> str:
    """``url``, given relative to the output folder (or absolute), as seen from a page."""
    if url.startswith("/") or "://" in url:
        return url
    return relative(pagename, url.rstrip("/")) + "/"


def runtime_manifest(app: Sphinx) -> dict[str, Any]:
    """The versions the browser runtime holds: the runtime is an input of the build."""
    folder = app.config.examples_runtime
    manifest = Path(folder, MANIFEST) if folder else None
    if manifest is None or not manifest.is_file():
        raise ExtensionError(
            "examples_in_browser needs the browser runtime, built first: run "
            "`python -m quickstart_site runtime` and pass its folder as "
            f"-D examples_runtime=<folder> (given: {folder or 'nothing'})"
        )
    return cast("dict[str, Any]", json.loads(manifest.read_text(encoding="utf-8")))


def check_runtime(app: Sphinx) -> None:
    if app.builder.format == "html" and app.config.examples_in_browser:
        runtime_manifest(app)  # fails the build before any page is read


def add_static_path(app: Sphinx, config: Config) -> None:
    if config.examples_in_browser:
        config.html_static_path = [*config.html_static_path, str(STATIC)]


def setup_browser_runner(app: Sphinx) -> None:
    app.connect("config-inited", add_static_path)
    app.connect("builder-inited", check_runtime)
    app.connect("doctree-resolved", add_run_controls)
    app.connect("html-page-context", add_assets)
