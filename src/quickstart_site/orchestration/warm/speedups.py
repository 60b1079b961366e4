"""What a warm application skips or remembers between builds.

Measured together on the quickstart (English, one paragraph edited, the builder's processor
time): 0.55 s with a warm application alone, 0.35 s with these, the notebook writer's fix
(browser/notebook.py) and the collector settled between builds (WarmBuilder.settle).

- **Pages that only list a changed page**: Sphinx rewrites every page whose toctree includes a
  re-read page (``index`` for an edit of ``quickstart``), in case its title or sections
  changed. Here the re-read pages' titles and tables of contents are compared with what they
  were: unchanged, the listing pages are not rewritten; changed, *every* page is (the book
  theme's sidebar shows the whole navigation on every page, which Sphinx would leave stale).
- **Highlighting**: Pygments' HTML for a literal block depends only on its text, language and
  options; an unchanged block of a rewritten page (most of them) is not highlighted again.
- **Search stems**: the Snowball stemmers are pure Python; a word's stem is computed once.
- **Static files**: Sphinx copies the theme's and the extensions' static files, and renders
  their templates from the configuration, on every build. Neither can change under a warm
  application (a changed conf.py or interface catalog starts a new one), so they are copied
  on its first build only. (Editing the extension's own static files needs a new ``serve``.)

Everything cached lives on the application's builder, so a fresh application (after a failed
build or a changed conf.py) starts with empty caches, and nothing is cached from a call that
warned (the warning must come again).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sphinx.application import Sphinx
from sphinx.environment import BuildEnvironment

# Before Sphinx's own build-finished handlers (500): the toctree map is put back first.
EARLY = 100


def toc_signature(env: BuildEnvironment, docname: str) -> str | None:
    """What other pages show of ``docname``: its title and its sections' tree (with anchors)."""
    title = env.titles.get(docname)
    toc = env.tocs.get(docname)
    if title is None or toc is None:
        return None
    return title.pformat() + toc.pformat()


class ListingPages:
    """Decides, after reading, whether the pages listing the re-read pages need rewriting."""

    def __init__(self, app: Sphinx) -> None:
        self.before: dict[str, str | None] = {}
        self.hidden: dict[str, set[str]] = {}
        app.connect("env-before-read-docs", self.remember)
        app.connect("env-get-updated", self.decide)
        app.connect("write-started", self.hide_listings)
        app.connect("build-finished", self.restore_listings, priority=EARLY)

    def remember(self, app: Sphinx, env: BuildEnvironment, docnames: list[str]) -> None:
        self.before = {docname: toc_signature(env, docname) for docname in docnames}

    def decide(self, app: Sphinx, env: BuildEnvironment) -> list[str]:
        changed = [
            docname
            for docname, signature in self.before.items()
            if signature is None or toc_signature(env, docname) != signature
        ]
        if changed:
            self.before = {}
            return sorted(env.found_docs)  # every page's sidebar shows the changed titles
        return []

    def hide_listings(self, app: Sphinx, builder: Any) -> None:
        files_to_rebuild = builder.env.files_to_rebuild
        self.hidden = {
            docname: files_to_rebuild.pop(docname)
            for docname in self.before
            if docname in files_to_rebuild
        }
        self.before = {}

    def restore_listings(self, app: Sphinx, exception: Exception | None) -> None:
        assert app.env is not None
        app.env.files_to_rebuild.update(self.hidden)
        self.hidden = {}


def cache_highlighting(app: Sphinx) -> None:
    builder: Any = app.builder
    for attribute in ("highlighter", "dark_highlighter"):
        highlighter = getattr(builder, attribute, None)
        if highlighter is not None:
            highlighter.highlight_block = memoized_highlight(app, highlighter.highlight_block)


def memoized_highlight(app: Sphinx, highlight: Callable[..., str]) -> Callable[..., str]:
    memo: dict[tuple[Any, ...], str] = {}

    def highlight_block(
        source: str,
        lang: str,
        opts: dict[str, Any] | None = None,
        force: bool = False,
        location: Any = None,
        **kwargs: Any,
    ) -> str:
        key = (source, lang, frozen(opts or {}), force, frozen(kwargs))
        if key in memo:
            return memo[key]
        warnings = app._warncount
        html = highlight(source, lang, opts, force, location, **kwargs)
        if app._warncount == warnings:
            memo[key] = html
        return html

    return highlight_block


def frozen(options: dict[str, Any]) -> tuple[tuple[str, str], ...]:
    return tuple(sorted((name, repr(value)) for name, value in options.items()))


def cache_stems(app: Sphinx) -> None:
    """Each build makes a new search indexer (``prepare_writing``); its language's ``stem``
    is wrapped as it is made, sharing one memo."""
    builder: Any = app.builder
    prepare_writing = builder.prepare_writing
    memo: dict[str, str] = {}

    def prepare_writing_with_memo(docnames: set[str]) -> None:
        prepare_writing(docnames)
        language = getattr(getattr(builder, "indexer", None), "lang", None)
        if language is None:
            return
        stem = language.stem

        def memoized(word: str) -> str:
            if word not in memo:
                memo[word] = stem(word)
            return memo[word]

        language.stem = memoized

    builder.prepare_writing = prepare_writing_with_memo


def copy_static_files_once(app: Sphinx) -> None:
    builder: Any = app.builder
    copy_static_files = builder.copy_static_files
    copied = False

    def once() -> None:
        nonlocal copied
        if not copied:
            copy_static_files()
            copied = True

    builder.copy_static_files = once


def install(app: Sphinx) -> None:
    if app.builder.format != "html":
        return
    ListingPages(app)
    cache_highlighting(app)
    cache_stems(app)
    copy_static_files_once(app)
