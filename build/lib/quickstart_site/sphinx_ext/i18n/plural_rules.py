"""The plural rule of a translated page's scripts, without eval.

Sphinx's doctools.js turns each translation catalog's gettext plural expression into a function
with ``new Function``, which the site's Content-Security-Policy refuses (no 'unsafe-eval'):
every translated page then threw an error, counted in English (Russian has three forms), and
the Chinese search page crashed writing its result count (a one-form catalog, indexed with
English's form 1). Nothing in Sphinx avoids the eval, so each translated build writes
``_static/plural-rules.js``: the expressions of the catalogs its pages load, as functions, and
an ``addTranslations`` that looks them up instead of compiling them. It loads after doctools.js
and before the catalogs.

Each expression is checked by Python's own gettext parser first, so only a C plural expression
(``n``, integers, comparisons, arithmetic, ``&&``, ``||``, ``?:``) is ever written as code.
"""

from __future__ import annotations

import gettext
import json
from pathlib import Path
from typing import cast

from sphinx.application import Sphinx
from sphinx.errors import ExtensionError

from quickstart_site.languages import is_source
from quickstart_site.sphinx_ext.i18n.interface import script_catalog

SCRIPT = "plural-rules.js"
# After doctools.js (priority 200), which it patches; before translations.js (500).
BETWEEN_DOCTOOLS_AND_CATALOGS = 300
CATALOG_CALL = "Documentation.addTranslations("


class PluralRuleError(ExtensionError):
    """A catalog's plural expression that must not be written as code (the build stops)."""


def checked(expression: str, where: str) -> str:
    try:
        gettext.c2py(expression)
    except ValueError as error:
        raise PluralRuleError(
            f"{where}: the plural expression {expression!r} is not a gettext plural expression "
            f"({error}); fix the catalog's Plural-Forms header"
        ) from None
    if "/" in expression:  # C's integer division: JavaScript's "/" would give fractions
        raise PluralRuleError(f"{where}: {expression!r} divides; write the rule with %")
    return expression


def script(expressions: dict[str, str]) -> str:
    """The script for ``{expression: where it comes from}``; every expression is checked."""
    rules = "\n".join(
        f"    [{json.dumps(checked(expression, where))}, (n) => Number({expression})],"
        for expression, where in sorted(expressions.items())
    )
    return f"""\
// Written by quickstart_site/sphinx_ext/plural_rules.py: doctools.js compiles these with
// `new Function`, which the site's Content-Security-Policy refuses.
"use strict";
(() => {{
  const rules = new Map([
{rules}
  ]);
  Documentation.addTranslations = (catalog) => {{
    Object.assign(Documentation.TRANSLATIONS, catalog.messages);
    const rule = rules.get(catalog.plural_expr);
    if (rule) Documentation.PLURAL_EXPR = rule;
    else console.error(`${{catalog.locale}}: no plural rule for ${{catalog.plural_expr}}`);
    Documentation.LOCALE = catalog.locale;
  }};
}})();
"""


def sphinx_catalog_expression(path: Path | None) -> str | None:
    """The plural expression of Sphinx's own ``sphinx.js`` catalog (a call of addTranslations)."""
    if path is None:
        return None
    text = path.read_text(encoding="utf-8").strip()
    if not (text.startswith(CATALOG_CALL) and text.endswith(");")):
        raise ExtensionError(f"{path}: not a Documentation.addTranslations(...) catalog")
    return cast(str, json.loads(text[len(CATALOG_CALL) : -2])["plural_expr"])


def write_plural_rules(app: Sphinx) -> None:
    if app.builder.format != "html":
        return
    expressions: dict[str, str] = {}
    # The same lookup the HTML builder makes to copy Sphinx's catalog as translations.js.
    # A private method of StandaloneHTMLBuilder (the format is html), not of Builder.
    sphinx_js = app.builder._get_translations_js()  # type: ignore[attr-defined]
    if expression := sphinx_catalog_expression(sphinx_js):
        expressions[expression] = str(sphinx_js)
    ours = script_catalog(app.config.language, app.config.locale_dirs)
    if ours:
        expressions[ours["plural_expr"]] = f"locales/{app.config.language}/LC_MESSAGES/sphinx.po"
    if not expressions:
        return
    static = Path(app.outdir, "_static")
    static.mkdir(parents=True, exist_ok=True)
    (static / SCRIPT).write_text(script(expressions), encoding="utf-8")
    app.add_js_file(SCRIPT, priority=BETWEEN_DOCTOOLS_AND_CATALOGS)


def setup_plural_rules(app: Sphinx) -> None:
    if not is_source(app.config.language):
        app.connect("builder-inited", write_plural_rules)
