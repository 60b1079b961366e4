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
from sphinx.environment import BuildEnvironment
from sphinx.transforms import SphinxTransform
from sphinx.transforms.post_transforms import SphinxPostTransform
from sphinx.util import logging

from quickstart_site.examples.exercises import (
    LINE,
    TITLE,
    exercise_nodes,
    location_of,
    own_title,
    problems,
    solution_nodes,
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

EXERCISE_FIGTYPE = "exercise"  # sphinx-exercise's enumerable node type


class TranslatableExerciseTitles(SphinxTransform):
    """sphinx-exercise builds an exercise's title (its directive argument) with no raw text,
    so the gettext builder would skip it and it would stay English on every page: it gets its
    text as raw text, and the exercise's line, before Sphinx's Locale transform (20) runs."""

    default_priority = 15

    def apply(self, **kwargs: object) -> None:
        for node in [*exercise_nodes(self.document), *solution_nodes(self.document)]:
            where = location_of(node)  # its own line is past its end
            node[LINE] = (where.source, where.line)  # the translation renumbers the text's
        for exercise in exercise_nodes(self.document):
            for subtitle in exercise.findall(nodes.subtitle):
                subtitle.source, subtitle.line = exercise[LINE]
                subtitle.rawsource = subtitle.astext()


class ExerciseTitlesAreNotMessages(SphinxTransform):
    """The title sphinx-exercise wraps around an exercise's own title ("Exercise" + the
    subtitle) and a solution's ("Solution to") are no message of a catalog: their words come
    from the subtitle, translated as its own message, and from sphinx-exercise's catalog.
    Sphinx's Locale transform (20) finds no translation for the wrapper and marks it
    untranslated, which the page's translation progress (25) would count: a fully translated
    page would report 22 English nodes. The wrapper is taken out of the count."""

    default_priority = 22

    def apply(self, **kwargs: object) -> None:
        for node in [*exercise_nodes(self.document), *solution_nodes(self.document)]:
            for title in node.findall(nodes.title):
                if title.get("translated") is False and not isinstance(title, nodes.subtitle):
                    del title["translated"]


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


def number_only_exercises(app: Sphinx, env: BuildEnvironment) -> list[str]:
    """sphinx-exercise turns ``numfig`` on for its numbers, which would also number every
    captioned code block ("Listing 3 templates/hello.html", in English on a Kazakh page) and
    figure: the site shows no such numbers, so only the exercises' are kept. After Sphinx's
    toctree collector (500) has assigned them, on every build that reads a page."""
    for numbers in env.toc_fignumbers.values():
        for figtype in [kind for kind in numbers if kind != EXERCISE_FIGTYPE]:
            del numbers[figtype]
    return []


def setup(app: Sphinx) -> dict[str, Any]:
    app.setup_extension("sphinx_exercise")
    app.add_directive("exercise-starter", ExerciseStarter)
    app.add_directive("exercise-hint", ExerciseHint)
    app.add_directive("exercise-check", ExerciseCheck)
    app.add_directive("exercise-solution", ExerciseSolution)
    app.add_transform(TranslatableExerciseTitles)
    app.add_transform(ExerciseTitlesAreNotMessages)
    app.connect("doctree-read", check_exercises)
    app.add_post_transform(ExtractExerciseTitles)
    app.connect("env-get-updated", number_only_exercises, priority=900)
    # Before the Run buttons' handler (500), which reads the checks this removes.
    app.connect("doctree-resolved", rewrite_exercises, priority=600)
    return {"version": "0.1", "parallel_read_safe": True, "parallel_write_safe": True}
