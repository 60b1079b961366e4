"""Pages that render sooner: no script holds up the first paint.

Every script the themes and extensions put in ``<head>`` is loaded with ``defer``: fetched
while the page is parsed, run in the same order just before DOMContentLoaded, which is when
each of them starts its work anyway (Sphinx's doctools, copybutton, the book theme: each
waits for the DOM). The inline scripts added as page scripts (the PyData theme's settings of
DOCUMENTATION_OPTIONS) become inline modules, which run in order with the deferred scripts.
The template's own inline script (the theme's colour mode, which must run before the first
paint) uses none of them.

Module scripts (the Run buttons' runner.js) get ``fetchpriority="low"``: they wait for the
page anyway, but were fetched at high priority beside the style sheet the first paint waits
for, and Lighthouse counts a high-priority script as render-blocking.

The search page keeps its scripts as they are: Sphinx's search template adds searchtools.js
and language_data.js there, which expect the others to have run. The PyData theme loads those
two and the whole search index on every other page too, for a search-as-you-type this site
leaves off; the layout (templates/wrappers/layout.html) leaves them out.

Style and layout are most of the work of showing the long quickstart (Lighthouse's main-thread
breakdown), and two thirds of its elements are the highlighter's spans: render-path.css skips
the text of the code blocks far from the screen (``content-visibility: auto`` on each
``div.highlight > pre``), each as tall as its lines until first laid out (``--code-lines``,
counted here, in a ``style`` attribute: the CSP allows inline CSS, and without it the
guess is one line), and code-blocks.js keeps such a block reachable by keyboard (the theme judges
"scrolls, so focusable" by a size the skipped block does not have). The theme's colour mode
is resolved before the first paint (templates/wrappers/layout.html), so the theme's script
does not restyle the whole page once more.

Not done: ``content-visibility: auto`` on the page's sections (the browser lays out only those
near the screen) cut Lighthouse's blocking time, but the skipped sections' links and buttons
then measure 0 px, and Lighthouse's accessibility audit (target-size) failed. A code block's
<pre> holds no link or button.
"""

from __future__ import annotations

import re
from typing import Any

from sphinx.application import Sphinx

SEARCH_PAGE = "search"
# Already not in the way of the first paint: module scripts are deferred by definition.
NOT_BLOCKING = ("defer", "async")
# Pygments' HTML, as Sphinx writes every highlighted block: nothing else opens a <pre> here,
# and a <pre> holds no other <pre>.
CODE_BLOCK = re.compile(r'(<div class="highlight"><pre)>(.*?</pre>)', re.DOTALL)


def blocks_rendering(script: Any) -> bool:
    attributes = script.attributes
    has_source = bool(script.filename) and "body" not in attributes
    waits = any(name in attributes for name in NOT_BLOCKING)
    return has_source and not waits and attributes.get("type") != "module"


def is_inline(script: Any) -> bool:
    return not script.filename and "body" in script.attributes and "type" not in script.attributes


def fetched_early(script: Any) -> bool:
    attributes = script.attributes
    return (
        bool(script.filename)
        and attributes.get("type") == "module"
        and "fetchpriority" not in attributes
    )


def defer_scripts(
    app: Sphinx, pagename: str, templatename: str, context: dict[str, Any], doctree: object
) -> None:
    if pagename == SEARCH_PAGE or "script_files" not in context:
        return
    # Sphinx's script entries are immutable: each changed one is a new entry.
    context["script_files"] = [
        type(script)(script.filename, priority=script.priority, **script.attributes, defer="defer")
        if blocks_rendering(script)
        # An inline script (the PyData theme's "DOCUMENTATION_OPTIONS.pagename = ...") uses
        # what the now deferred scripts define; "defer" means nothing to an inline script,
        # but an inline module runs in order with the deferred scripts.
        else type(script)(None, priority=script.priority, **script.attributes, type="module")
        if is_inline(script)
        # A module script waits for the page anyway, but is fetched at high priority, beside
        # the style sheets the first paint waits for (Lighthouse counts it as render-blocking).
        else type(script)(
            script.filename, priority=script.priority, **script.attributes, fetchpriority="low"
        )
        if fetched_early(script)
        else script
        for script in context["script_files"]
    ]


def with_line_counts(body: str) -> str:
    """Each code block's <pre> with its number of lines, the height render-path.css gives it
    until it is first laid out."""

    def counted(match: re.Match[str]) -> str:
        lines = max(match[2].count("\n"), 1)
        return f'{match[1]} style="--code-lines: {lines}">{match[2]}'

    return CODE_BLOCK.sub(counted, body)


def count_code_lines(
    app: Sphinx, pagename: str, templatename: str, context: dict[str, Any], doctree: object
) -> None:
    if "body" in context:
        context["body"] = with_line_counts(context["body"])


def setup_render_path(app: Sphinx) -> None:
    # After the themes and extensions have added theirs (they use the default priority).
    app.connect("html-page-context", defer_scripts, priority=900)
    app.connect("html-page-context", count_code_lines)
    app.add_css_file("render-path.css")
    app.add_js_file("code-blocks.js")
