"""Checked exercises: sphinx-exercise's ``{exercise}``/``{solution}`` with our code parts.

sphinx-exercise gives the numbered statement and the solution; our directives
(``directives.py``) give the starter, the hints, the checks and the reference solution. The
model (``examples/exercises.py``) reads them; here they are checked at read time (every
builder: ``-W`` refuses a malformed exercise, naming its line), and the HTML page gets its
workbench and hints (``html.py``). The examples builder runs the checks; the Run-button
machinery (``browser/runner.py``) writes them to the page's program JSON.
"""

from __future__ import annotations

from typing import Any

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.transforms import SphinxTransform
from sphinx.transforms.post_transforms import SphinxPostTransform
from sphinx.util import logging

from quickstart_site.examples.exercises import (
    TITLE,
    exercise_nodes,
    location_of,
    own_title,
    problems,
)
from quickstart_site.languages import is_source
from quickstart_site.sphinx_ext.examples.checks import page_file
from quickstart_site.sphinx_ext.exercises.directives import (
    ExerciseCheck,
    ExerciseHint,
    ExerciseSolution,
    ExerciseStarter,
)
from quickstart_site.sphinx_ext.exercises.html import rewrite_exercises
from quickstart_site.sphinx_ext.warnings import QuickstartWarning, warn

logger = logging.getLogger(__name__)


class TranslatableExerciseTitles(SphinxTransform):
    """sphinx-exercise builds an exercise's title (its directive argument) with no raw text,
    so the gettext builder would skip it and it would stay English on every page: it gets its
    text as raw text, and the exercise's line, before Sphinx's Locale transform (20) runs."""

    default_priority = 15

    def apply(self, **kwargs: object) -> None:
        for exercise in exercise_nodes(self.document):
            for subtitle in exercise.findall(nodes.subtitle):
                where = location_of(exercise)  # its own line is past the exercise's end
                subtitle.source, subtitle.line = where.source, where.line
                subtitle.rawsource = subtitle.astext()


def check_exercises(app: Sphinx, doctree: nodes.document) -> None:
    """Keep each exercise's (translated) title, then refuse what the model cannot check."""
    for exercise in exercise_nodes(doctree):
        exercise[TITLE] = own_title(exercise)
    docname = app.env.docname
    for problem in problems(doctree, docname, language_is_source=is_source(app.config.language)):
        where = f"{page_file(app, docname)}:{problem.location.line}"
        warn(logger, QuickstartWarning.EXERCISE, problem.message, location=where)


class ExtractExerciseTitles(SphinxPostTransform):
    """Let the gettext builder extract each exercise's title: sphinx-exercise's post-transform
    merges it into "Exercise N (title)", a node with no source, which no catalog gets. Before
    that, a copy of the node Sphinx translates at read time is kept for the catalog."""

    default_priority = 5  # sphinx-exercise's post-transforms have the default, 1000
    builders = ("gettext",)

    def run(self, **kwargs: Any) -> None:
        for exercise in exercise_nodes(self.document):
            subtitle = next(exercise.findall(nodes.subtitle), None)
            if subtitle is None or not hasattr(subtitle, "uid"):
                continue
            message = nodes.subtitle(subtitle.rawsource, subtitle.astext())
            message.source, message.line = subtitle.source, subtitle.line
            # Sphinx sets it for the gettext builder; docutils' types do not declare it.
            message.uid = subtitle.uid  # type: ignore[attr-defined]
            exercise.append(message)


def setup(app: Sphinx) -> dict[str, Any]:
    app.setup_extension("sphinx_exercise")
    app.add_directive("exercise-starter", ExerciseStarter)
    app.add_directive("exercise-hint", ExerciseHint)
    app.add_directive("exercise-check", ExerciseCheck)
    app.add_directive("exercise-solution", ExerciseSolution)
    app.add_transform(TranslatableExerciseTitles)
    app.connect("doctree-read", check_exercises)
    app.add_post_transform(ExtractExerciseTitles)
    # Before the Run buttons' handler (500), which reads the checks this removes.
    app.connect("doctree-resolved", rewrite_exercises, priority=600)
    return {"version": "0.1", "parallel_read_safe": True, "parallel_write_safe": True}
