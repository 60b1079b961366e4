"""Interface strings in the reader's language, where Sphinx or the theme ships none.

Most of the interface is translated by ``locales/<lang>/LC_MESSAGES/sphinx.po``: Sphinx compiles
it and uses it for its own strings and for the PyData theme's (same "sphinx" domain). This
module does, for translated builds only, what that catalog cannot:

- sphinx-book-theme translates its strings (search box, "Contents", footer, buttons) from its
  own "booktheme" domain, which has no Kazakh and no "Search" in any language: our catalogs in
  ``interface_locales/`` are compiled at build time and registered for that domain;
- the search page's scripts take their strings from ``_static/translations.js``, which Sphinx
  copies only from its own catalogs (none for Kazakh; the Russian one has an empty result
  count): our ``sphinx.po`` is written as a second script that adds to it;
- three book-theme templates write a tooltip or label in English only: the wrappers in
  ``interface_templates/`` translate it;
- sphinx-exercise ("Exercise", "Solution to") has no Kazakh catalog: ours is in
  ``interface_locales/`` too, registered for its "exercise" domain;
- sphinx-copybutton has no Kazakh labels: ``static/copybutton-<lang>.js`` adds them.

The English build gets none of this, so its pages stay exactly as the themes make them.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any, cast

from babel.messages.mofile import write_mo
from sphinx.application import Sphinx
from sphinx.config import Config

from quickstart_site.i18n.po_files import cached_catalog, read_catalog
from quickstart_site.languages import is_source

HERE = Path(__file__).parent
THEME_CATALOGS = HERE / "interface_locales"
TEMPLATE_WRAPPERS = HERE / "interface_templates"
STATIC = HERE / "static"

BOOK_THEME_DOMAIN = "booktheme"  # sphinx_book_theme.MESSAGE_CATALOG_NAME
EXERCISE_DOMAIN = "exercise"  # sphinx_exercise.MESSAGE_CATALOG_NAME
SCRIPT_TRANSLATIONS = "interface-translations.js"
# After the copy button's script and Sphinx's translations.js, whose values ours replace
# (both are registered with the default priority, 500).
AFTER_THEIR_SCRIPTS = 510


def is_translated_build(app: Sphinx) -> bool:
    return not is_source(app.config.language)


def copybutton_labels(language: str) -> Path | None:
    script = STATIC / f"copybutton-{language}.js"
    return script if script.is_file() else None


def compile_theme_catalog(language: str, locale_dir: Path, domain: str = BOOK_THEME_DOMAIN) -> bool:
    """Compile our ``<domain>.po`` for ``language`` into ``locale_dir``; False if we have none.

    Sphinx compiles only the "sphinx" domain of ``locale_dirs``, and ``*.mo`` files are not
    committed, so this one is compiled here, into the build's own folder.
    """
    po_file = THEME_CATALOGS / language / "LC_MESSAGES" / f"{domain}.po"
    if not po_file.is_file():
        return False
    catalog = read_catalog(po_file)
    mo_file = locale_dir / language / "LC_MESSAGES" / f"{domain}.mo"
    mo_file.parent.mkdir(parents=True, exist_ok=True)
    with mo_file.open("wb") as stream:
        write_mo(stream, catalog)
    return True


def script_catalog(language: str, locale_dirs: list[str]) -> dict[str, Any] | None:
    """Our ``sphinx.po`` for ``language`` as the object ``Documentation.addTranslations`` takes.

    Sphinx would only read a ``sphinx.js`` that its release tooling generates for its own
    catalogs; nothing generates one from a project's ``sphinx.po``.
    """
    messages: dict[str, str | list[str]] = {}
    plural_expr = None
    for directory in reversed(locale_dirs):  # the first directory wins, as in Sphinx
        po_file = Path(directory, language, "LC_MESSAGES", "sphinx.po")
        if not po_file.is_file():
            continue
        catalog = cached_catalog(po_file)
        plural_expr = catalog.plural_expr
        for message in catalog:
            if not message.id or message.fuzzy:
                continue
            # Types only: a plural entry (tuple id) has a tuple of strings, any other one a str.
            if isinstance(message.id, tuple):
                if all(cast("tuple[str, ...]", message.string)):
                    messages[message.id[0]] = list(cast("tuple[str, ...]", message.string))
            elif message.string:
                messages[cast(str, message.id)] = cast(str, message.string)
    if not messages:
        return None
    # The page runs this expression through plural-rules.js (plural_rules.py), not eval.
    return {"locale": language, "messages": messages, "plural_expr": plural_expr}


def write_script_translations(app: Sphinx) -> None:
    if app.builder.format != "html":
        return
    catalog = script_catalog(app.config.language, app.config.locale_dirs)
    if catalog is None:
        return
    static = Path(app.outdir, "_static")
    static.mkdir(parents=True, exist_ok=True)
    script = f"Documentation.addTranslations({json.dumps(catalog, indent=1, sort_keys=True)});\n"
    (static / SCRIPT_TRANSLATIONS).write_text(script, encoding="utf-8")
    app.add_js_file(SCRIPT_TRANSLATIONS, priority=AFTER_THEIR_SCRIPTS)


def add_paths(app: Sphinx, config: Config) -> None:
    # First, so that the wrappers win over the book theme's own components folder, which the
    # theme puts in templates_path too.
    config.templates_path = [str(TEMPLATE_WRAPPERS), *config.templates_path]
    if copybutton_labels(config.language):
        config.html_static_path = [*config.html_static_path, str(STATIC)]


def register_theme_catalog(app: Sphinx, config: Config) -> None:
    """Our book-theme catalog, compiled into the build's own folder. On config-inited: before
    the builder loads the theme, which registers the theme's catalog, so that ours is looked
    up first and the theme's where ours has no entry."""
    theme_locale_dir = Path(app.doctreedir, "interface_locales")
    if compile_theme_catalog(config.language, theme_locale_dir):
        app.add_message_catalog(BOOK_THEME_DOMAIN, theme_locale_dir)


def register_exercise_catalog(app: Sphinx, config: Config) -> None:
    """Our catalog of sphinx-exercise's "exercise" domain, for a language it ships none for
    (kk). Before sphinx-exercise's own config-inited step (priority 500), which writes the
    translated "Exercise %s" into numfig_format."""
    locale_dir = Path(app.doctreedir, "interface_locales")
    if compile_theme_catalog(config.language, locale_dir, EXERCISE_DOMAIN):
        app.add_message_catalog(EXERCISE_DOMAIN, locale_dir)


def add_copybutton_labels(app: Sphinx, config: Config) -> None:
    labels = copybutton_labels(config.language)
    if labels:
        app.add_js_file(labels.name, priority=AFTER_THEIR_SCRIPTS)


def setup_interface(app: Sphinx) -> None:
    """Register the interface translations' steps; each runs only on a translated build."""
    for event, step in (
        ("config-inited", register_theme_catalog),
        ("config-inited", add_paths),
        ("config-inited", add_copybutton_labels),
        ("builder-inited", write_script_translations),
    ):
        app.connect(event, only_translated(step))
    app.connect("config-inited", only_translated(register_exercise_catalog), priority=400)


def only_translated(step: Callable[..., None]) -> Callable[..., None]:
    def run(app: Sphinx, *args: Any) -> None:
        if is_translated_build(app):
            step(app, *args)

    run.__name__ = step.__name__
    return run
