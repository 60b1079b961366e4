"""An exercise on the HTML page: its workbench, its hints, and no checks.

The checks are the exercise's tests: they leave the page body (the page script gets them from
``_examples/<page>.json``). Where the starter stood, the page gets the placeholder
``<div class="exercise-workbench" data-exercise="<id>">`` that the page script turns into the
editor and its buttons; it holds the starter as a normal code block for readers without
JavaScript. The hints, where the first one stood, become
``<div class="exercise-hints"><details class="exercise-hint">…</details>…</div>``, readable
without JavaScript; the script reveals them one at a time. Runs after the Run buttons and the
notebook (doctree-resolved, priority 600), which read the checks from the same doctree.
"""

from __future__ import annotations

import html

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.locale import _

from quickstart_site.examples.exercises import CHECK, HINT, STARTER, exercise_nodes, parts


def raw(markup: str) -> nodes.raw:
    return nodes.raw("", markup, format="html")


def rewrite_exercises(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    if app.builder.format != "html":
        return
    for exercise in exercise_nodes(doctree):
        rewrite(exercise)


def rewrite(exercise: nodes.Element) -> None:
    label = str(exercise.get("label", ""))
    for check in parts(exercise, CHECK):
        check.parent.remove(check)
    for starter in parts(exercise, STARTER):
        parent = starter.parent
        at = parent.index(starter)
        opening = f'<div class="exercise-workbench" data-exercise="{html.escape(label)}">'
        parent[at : at + 1] = [raw(opening), starter, raw("</div>")]
    hints = parts(exercise, HINT)
    if not hints:
        return
    parent, at = hints[0].parent, hints[0].parent.index(hints[0])
    group: list[nodes.Node] = [raw('<div class="exercise-hints">')]
    for number, hint in enumerate(hints, 1):
        hint.parent.remove(hint)
        summary = html.escape(_("Hint {number}").format(number=number))
        group.append(raw(f'<details class="exercise-hint"><summary>{summary}</summary>'))
        group.extend(hint.children)
        group.append(raw("</details>"))
    group.append(raw("</div>"))
    parent[at:at] = group
