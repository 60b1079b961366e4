"""Pages that render sooner: no script holds up the first paint.

Every script the themes and extensions put in ``<head>`` is loaded with ``defer``: fetched
while the page is parsed, run in the same order just before DOMContentLoaded, which is when
each of them starts its work anyway (Sphinx's doctools, copybutton, the book theme: each
waits for the DOM). The inline scripts added as page scripts (the PyData theme's settings of
DOCUMENTATION_OPTIONS) become inline modules, which run in order with the deferred scripts.
The template's own inline script (the theme's colour mode, which must run before the first
paint) uses none of them.

The search page keeps its scripts as they are: Sphinx's search template adds searchtools.js
and language_data.js there, which expect the others to have run. The PyData theme loads those
two and the whole search index on every other page too, for a search-as-you-type this site
leaves off; the layout (templates/wrappers/layout.html) leaves them out.

Not done: ``content-visibility: auto`` on the page's sections (the browser lays out only those
near the screen) cut Lighthouse's blocking time, but the skipped sections' links and buttons
then measure 0 px, and Lighthouse's accessibility audit (target-size) failed.
"""

from __future__ import annotations

from typing import Any

from sphinx.application import Sphinx

SEARCH_PAGE = "search"
# Already not in the way of the first paint: module scripts are deferred by definition.
NOT_BLOCKING = ("defer", "async")


def blocks_rendering(script: Any) -> bool:
    attributes = script.attributes
    has_source = bool(script.filename) and "body" not in attributes
    waits = any(name in attributes for name in NOT_BLOCKING)
    return has_source and not waits and attributes.get("type") != "module"


def is_inline(script: Any) -> bool:
    return not script.filename and "body" in script.attributes and "type" not in script.attributes


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
        else script
        for script in context["script_files"]
    ]


def setup_render_path(app: Sphinx) -> None:
    # After the themes and extensions have added theirs (they use the default priority).
    app.connect("html-page-context", defer_scripts, priority=900)
