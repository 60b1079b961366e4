"""The code parts of a checked exercise, inside sphinx-exercise's ``{exercise}`` and
``{solution}`` (the model, ``examples/exercises.py``, reads them; it documents the rules).

``{exercise-starter}`` and ``{exercise-solution}`` are Python code blocks; ``{exercise-hint}``
is any body text; ``{exercise-check}`` is a message paragraph and a python code block. Each node
is marked with ``exercise_part``, so that the read-time check, the builder, the page and the
notebook find them, and every code block is a Python ``literal_block``, so that its comments are
translated like an example's (``sphinx_ext/i18n/code_comments.py``).
"""

from __future__ import annotations

from docutils import nodes
from sphinx.util.docutils import SphinxDirective

from quickstart_site.examples.exercises import CHECK, CHECK_CODE, HINT, PART, SOLUTION, STARTER


class _Code(SphinxDirective):
    has_content = True
    part = ""

    def run(self) -> list[nodes.Node]:
        text = "\n".join(self.content)
        block = nodes.literal_block(text, text, language="python")
        block[PART] = self.part
        block["classes"].append(f"exercise-{self.part}")
        self.set_source_info(block)
        return [block]


class ExerciseStarter(_Code):
    """The code the reader starts from; shown in the page's workbench."""

    part = STARTER


class ExerciseSolution(_Code):
    """The reference solution, inside the ``{solution}`` that names the exercise."""

    part = SOLUTION


class _Body(SphinxDirective):
    has_content = True
    part = ""

    def run(self) -> list[nodes.Node]:
        container = nodes.container(classes=[f"exercise-{self.part}"])
        self.fill(container)
        return [container]

    def fill(self, container: nodes.container) -> None:
        container[PART] = self.part
        self.set_source_info(container)
        self.state.nested_parse(self.content, self.content_offset, container)


class ExerciseHint(_Body):
    """One hint; the page reveals them one at a time."""

    part = HINT


class ExerciseCheck(_Body):
    """A message paragraph and the Python that calls ``expect(condition, **values)``."""

    part = CHECK

    def run(self) -> list[nodes.Node]:
        container = nodes.container(classes=[f"exercise-{self.part}"])
        # The message is a format template shown as written, with Python values in it: no
        # typographic quotes (Sphinx's SmartQuotes honours this attribute of a parent).
        container["support_smartquotes"] = False
        self.fill(container)
        for block in container.findall(nodes.literal_block):
            block[CHECK_CODE] = True  # run by the exercise's checks, not an example
        return [container]
