"""plural-rules.js: the translated pages pick plural forms by gettext's rules, with no eval."""

from __future__ import annotations

import gettext
from pathlib import Path

import pytest
import sphinx

from quickstart_site.i18n.po_files import read_catalog
from quickstart_site.sphinx_ext.i18n.plural_rules import (
    PluralRuleError,
    script,
    sphinx_catalog_expression,
)
from tests.conftest import quickstart_site
from tests.helpers import PROJECT, run_in_node

OUR_CATALOGS = sorted(PROJECT.locales.glob("*/LC_MESSAGES/sphinx.po"))
# Sphinx's own Russian catalog has four forms (the fourth for fractions).
SPHINX_RUSSIAN = Path(sphinx.package_dir, "locale", "ru", "LC_MESSAGES", "sphinx.js")

# doctools.js's Documentation, as far as addTranslations touches it; then each catalog of the
# input is added and its rule asked for every count.
ADD_AND_COUNT = """
const Documentation = { TRANSLATIONS: {}, PLURAL_EXPR: (n) => (n === 1 ? 0 : 1), LOCALE: "" };
const errors = [];
console.error = (message) => errors.push(message);
const { catalogs, counts } = JSON.parse(require("fs").readFileSync(0, "utf8"));
%s
const forms = catalogs.map((catalog) => {
  Documentation.addTranslations(catalog);
  return { locale: Documentation.LOCALE, forms: counts.map((n) => Documentation.PLURAL_EXPR(n)) };
});
process.stdout.write(JSON.stringify({ forms, errors, messages: Documentation.TRANSLATIONS }));
"""
COUNTS = list(range(0, 225))


def expressions() -> dict[str, str]:
    found = {read_catalog(path).plural_expr: str(path) for path in OUR_CATALOGS}
    found[sphinx_catalog_expression(SPHINX_RUSSIAN)] = str(SPHINX_RUSSIAN)
    return found


def test_each_catalogs_rule_in_the_page_is_gettexts_rule(tmp_path):
    rules = expressions()
    assert len(rules) == 4, rules  # Kazakh, Russian (ours and Sphinx's), Chinese
    catalogs = [
        {"locale": f"catalog-{number}", "messages": {}, "plural_expr": expression}
        for number, expression in enumerate(rules)
    ]
    result = run_in_node(
        ADD_AND_COUNT % script(rules), {"catalogs": catalogs, "counts": COUNTS}, tmp_path
    )
    assert result["errors"] == []
    for catalog, shown in zip(catalogs, result["forms"], strict=True):
        rule = gettext.c2py(catalog["plural_expr"])
        assert shown == {"locale": catalog["locale"], "forms": [rule(n) for n in COUNTS]}
        # doctools.js indexes the forms with it: true and false would index nothing.
        assert {type(form) for form in shown["forms"]} == {int}


def test_the_messages_of_every_catalog_are_kept_the_last_one_winning(tmp_path):
    catalogs = [
        {"locale": "ru", "messages": {"a": "first", "b": "kept"}, "plural_expr": "(n != 1)"},
        {"locale": "ru", "messages": {"a": "second"}, "plural_expr": "(n != 1)"},
    ]
    given = {"catalogs": catalogs, "counts": [1]}
    result = run_in_node(ADD_AND_COUNT % script({"(n != 1)": "x.po"}), given, tmp_path)
    assert result["messages"] == {"a": "second", "b": "kept"}


def test_a_catalog_whose_rule_was_not_written_is_reported_and_counts_as_before(tmp_path):
    catalogs = [{"locale": "kk", "messages": {}, "plural_expr": "(n > 1)"}]
    given = {"catalogs": catalogs, "counts": [0, 1, 2]}
    result = run_in_node(ADD_AND_COUNT % script({"0": "zh_CN.po"}), given, tmp_path)
    assert result["errors"] == ["kk: no plural rule for (n > 1)"]
    assert result["forms"] == [{"locale": "kk", "forms": [1, 0, 1]}]


@pytest.mark.parametrize(
    "expression",
    ["alert(1)", "n; fetch('/x')", "(n != 1", "n == 1 ? 0 : x", "window.n"],
)
def test_anything_but_a_plural_expression_is_refused_naming_its_catalog(expression):
    with pytest.raises(PluralRuleError) as refused:
        script({expression: "locales/kk/LC_MESSAGES/sphinx.po"})
    message = str(refused.value)
    assert "locales/kk/LC_MESSAGES/sphinx.po" in message
    assert repr(expression) in message
    assert "Plural-Forms" in message


def test_integer_division_is_refused_as_javascript_would_give_fractions():
    with pytest.raises(PluralRuleError, match="divides"):
        script({"(n / 10 == 1)": "x.po"})


@pytest.mark.site
def test_the_built_pages_load_the_rules_after_doctools_and_before_the_catalogs():
    build = quickstart_site()
    assert build.returncode == 0, build.output
    for language in ("kk", "ru", "zh_CN"):
        html = (build.outdir / language / "search.html").read_text(encoding="utf-8")
        order = [
            html.index(f"_static/{name}")
            for name in ("doctools.js", "plural-rules.js", "interface-translations.js")
        ]
        assert order == sorted(order), language
        if "_static/translations.js" in html:
            assert order[1] < html.index("_static/translations.js"), language
    assert "plural-rules.js" not in (build.outdir / "en" / "search.html").read_text("utf-8")
