"""A canary for the Sphinx internals the package relies on: private names (a leading
underscore) and undocumented helpers, each named here with the arguments we pass it, so a
Sphinx upgrade that moves one fails here, loudly, rather than somewhere in a build.

Where the package uses them:
- sphinx_ext/examples/builder.py: ``DocTestBuilder`` (``_warn_out``, ``_out``, ``opt``, the
  three runners and six counters ``test_doc`` keeps, ``test_group``), ``Builder._app``,
  ``SphinxDocTestRunner`` (``_fakeout``, ``tries``, ``summarize``, ``_failure_header``),
  ``TestGroup`` and ``TestCode``;
- sphinx_ext/search/chinese.py: ``sphinx.search._MINIFIED_JS_PATH`` (a workaround to remove
  with Sphinx 9.1);
- sphinx_ext/i18n/plural_rules.py: ``StandaloneHTMLBuilder._get_translations_js`` and the
  ``Documentation.addTranslations`` of Sphinx's doctools.js;
- sphinx_ext/i18n/myst_settings.py: MyST-Parser's module-level ``get_default_settings`` in
  ``myst_parser.mdit_to_docutils.base``, the one its ``make_document`` calls;
- undocumented helpers: ``sphinx.search.parse_stop_word``, ``sphinx.transforms.i18n.parse_noqa``,
  ``sphinx.util.nodes.split_explicit_title``, ``sphinx.util.i18n.docname_to_domain``,
  ``sphinx.directives.code.container_wrapper``, ``sphinx_intl.basic.update``.
"""

from __future__ import annotations

import doctest
import importlib
import inspect
from collections.abc import Callable, Iterator
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
import sphinx
from docutils.utils import new_document
from sphinx.application import Sphinx


def internal(module: str, qualified_name: str) -> Any:
    """``module.qualified_name``, failing with the name if Sphinx no longer has it."""
    value: Any = importlib.import_module(module)
    for part in qualified_name.split("."):
        assert hasattr(value, part), f"{module}.{qualified_name}: {part!r} is gone"
        value = getattr(value, part)
    return value


def accepts(function: Callable[..., Any], *args: Any, **kwargs: Any) -> None:
    """``function`` can be called with these arguments (as the package calls it)."""
    signature = inspect.signature(function)
    try:
        signature.bind(*args, **kwargs)
    except TypeError as error:
        pytest.fail(f"{function.__qualname__}{signature} no longer takes our arguments: {error}")


def make_app(tmp_path: Path, builder: str, **conf: str) -> Sphinx:
    source = tmp_path / "source"
    source.mkdir()
    settings = {"extensions": ["sphinx.ext.doctest"], **conf}
    (source / "conf.py").write_text(
        "".join(f"{name} = {value!r}\n" for name, value in settings.items())
    )
    (source / "index.rst").write_text("Title\n=====\n")
    build = tmp_path / "build"
    return Sphinx(
        source, source, build / builder, build / "doctrees", builder, status=None, warning=None
    )


@pytest.fixture
def doctest_app(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Sphinx]:
    # DocTestBuilder.init replaces doctest.compile: undone after the test.
    monkeypatch.setattr(doctest, "compile", compile, raising=False)
    app = make_app(tmp_path, "doctest")
    yield app
    app.builder.outfile.close()


# --- sphinx_ext/examples/builder.py --------------------------------------------------------


@pytest.mark.parametrize(
    ("method", "arguments"),
    [
        ("init", ()),
        ("test_doc", ("index", None)),
        ("test_group", (None,)),
        ("finish", ()),
        ("_out", ("text",)),
        ("_warn_out", ("text",)),
    ],
)
def test_doctest_builder_methods(method: str, arguments: tuple[object, ...]) -> None:
    """ExamplesBuilder overrides init, test_doc, _warn_out, finish; calls test_group, _out."""
    function = internal("sphinx.ext.doctest", f"DocTestBuilder.{method}")
    accepts(function, object(), *arguments)


def test_doctest_builder_state(doctest_app: Sphinx) -> None:
    """The attributes ExamplesBuilder.run_examples sets and adds to, as DocTestBuilder.test_doc
    does (Sphinx 9.0), and the builder's private ``_app`` whose statuscode it sets."""
    from sphinx.ext.doctest import SphinxDocTestRunner

    builder = doctest_app.builder
    assert builder._app is doctest_app, "Builder._app is gone"
    assert isinstance(doctest_app.statuscode, int)
    assert isinstance(builder.opt, int), "DocTestBuilder.opt (the doctest flags) is gone"
    for counter in ("total", "setup", "cleanup"):
        for kind in ("failures", "tries"):
            assert getattr(builder, f"{counter}_{kind}", None) == 0, f"{counter}_{kind} is gone"
    assert builder.test_doc("index", new_document("index.rst")) is True
    runners = [builder.setup_runner, builder.test_runner, builder.cleanup_runner]
    assert all(isinstance(runner, SphinxDocTestRunner) for runner in runners)
    # The three runners share one captured output, which ExamplesBuilder sets the same way.
    assert builder.test_runner._fakeout is builder.setup_runner._fakeout
    assert builder.cleanup_runner._fakeout is builder.setup_runner._fakeout


def test_doctest_runner() -> None:
    """LocatingRunner (a SphinxDocTestRunner) overrides doctest's private _failure_header,
    which must still be what a failure's report starts with."""
    runner_class = internal("sphinx.ext.doctest", "SphinxDocTestRunner")
    accepts(runner_class, verbose=False, optionflags=0)
    runner = runner_class(verbose=False, optionflags=0)
    assert hasattr(runner, "_fakeout"), "doctest.DocTestRunner._fakeout is gone"
    assert runner.tries == 0
    accepts(runner.summarize, print, verbose=False)
    failure_header = internal("sphinx.ext.doctest", "SphinxDocTestRunner._failure_header")
    accepts(failure_header, runner, "test", "example")
    test = doctest.DocTestParser().get_doctest(">>> 1\n2\n", {}, "name", "page.rst", 10)
    header = runner._failure_header(test, test.examples[0])
    assert 'File "page.rst", line 11, in name' in header
    reported = []
    runner.run(test, out=reported.append)
    assert reported and reported[0].startswith(header), "a failure no longer starts with it"


def test_doctest_groups() -> None:
    """as_test_group builds sphinx.ext.doctest's groups itself."""
    test_group = internal("sphinx.ext.doctest", "TestGroup")
    test_code = internal("sphinx.ext.doctest", "TestCode")
    accepts(test_code, "code", "testcode", filename="page.rst", lineno=0)
    group = test_group("name")
    for kind in ("testsetup", "testcode", "testoutput", "testcleanup"):
        group.add_code(test_code("1", kind, filename="page.rst", lineno=0))
    assert len(group.setup) == len(group.cleanup) == 1
    assert [code.type for code in group.tests[0]] == ["testcode", "testoutput"]


# --- sphinx_ext/search/chinese.py ----------------------------------------------------------


def test_chinese_search_workaround_still_needed() -> None:
    assert sphinx.version_info < (9, 1), (
        "Sphinx 9.1 fixes the Chinese search (sphinx#14416): remove sphinx_ext/search/chinese.py"
    )


def test_minified_stemmers() -> None:
    minified = internal("sphinx.search", "_MINIFIED_JS_PATH")
    chinese = internal("sphinx.search.zh", "SearchChinese")
    assert (Path(minified) / "base-stemmer.js").is_file()
    assert (Path(minified) / chinese.js_stemmer_rawcode).is_file()
    assert Path(minified) == Path(sphinx.package_dir, "search", "minified-js")  # kazakh.py
    # An empty js_stemmer_rawcode makes Sphinx write js_stemmer_code as it is.
    get_code = internal("sphinx.search", "IndexBuilder.get_js_stemmer_code")
    language = SimpleNamespace(js_stemmer_rawcode="", js_stemmer_code="// ours")
    assert get_code(SimpleNamespace(lang=language)) == "// ours"


# --- sphinx_ext/i18n/myst_settings.py ------------------------------------------------------


def test_myst_still_makes_a_document_for_every_parse() -> None:
    setup_render = internal("myst_parser.mdit_to_docutils.base", "DocutilsRenderer.setup_render")
    assert 'options.get("document", make_document())' in inspect.getsource(setup_render), (
        "MyST-Parser no longer builds a default document for every parse: "
        "sphinx_ext/i18n/myst_settings.py may go"
    )


def test_myst_documents_get_docutils_defaults_made_once() -> None:
    from docutils.frontend import get_default_settings
    from docutils.parsers.rst import Parser

    from quickstart_site.sphinx_ext.i18n.myst_settings import make_docutils_defaults_once

    make_document = internal("myst_parser.mdit_to_docutils.base", "make_document")
    make_docutils_defaults_once()
    first, second = make_document(), make_document()
    fresh = get_default_settings(Parser)
    # The same values; the dependency list, docutils' one mutable default, is empty in both.
    assert vars(first.settings).keys() == vars(fresh).keys()
    for name, value in vars(fresh).items():
        if name != "record_dependencies":
            assert getattr(first.settings, name) == value, name
    assert first.settings.record_dependencies.list == fresh.record_dependencies.list == []
    # Each document its own settings: what one document records or sets is not another's.
    assert first.settings is not second.settings
    first.settings.record_dependencies.add("page.md")
    assert second.settings.record_dependencies.list == []
    first.settings.language_code = "kk"
    assert second.settings.language_code == "en"
    assert make_document().settings.language_code == "en"


# --- sphinx_ext/i18n/plural_rules.py -------------------------------------------------------


def test_translations_js(tmp_path: Path) -> None:
    get_translations_js = internal(
        "sphinx.builders.html", "StandaloneHTMLBuilder._get_translations_js"
    )
    accepts(get_translations_js, object())
    app = make_app(tmp_path, "html", language="ru")
    catalog = app.builder._get_translations_js()
    assert catalog is not None, "no Russian sphinx.js found"
    assert Path(catalog).read_text(encoding="utf-8").startswith("Documentation.addTranslations(")


def test_doctools_compiles_plural_expressions() -> None:
    """plural-rules.js replaces Documentation.addTranslations, which compiles PLURAL_EXPR."""
    doctools = Path(sphinx.package_dir, "themes", "basic", "static", "doctools.js")
    text = doctools.read_text(encoding="utf-8")
    for name in ("addTranslations", "TRANSLATIONS", "PLURAL_EXPR", "LOCALE", "new Function"):
        assert name in text, f"doctools.js no longer has {name}"


# --- undocumented helpers ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("module", "name", "arguments", "result"),
    [
        ("sphinx.search", "parse_stop_word", ("| comment\nа\nи",), {"а", "и"}),
        ("sphinx.transforms.i18n", "parse_noqa", ("text #noqa",), ("text ", True)),
        ("sphinx.util.nodes", "split_explicit_title", ("a <b>",), (True, "a", "b")),
        ("sphinx.util.i18n", "docname_to_domain", ("a/b", False), "a/b"),
    ],
)
def test_helpers(module: str, name: str, arguments: tuple[object, ...], result: object) -> None:
    assert internal(module, name)(*arguments) == result


def test_container_wrapper() -> None:
    accepts(internal("sphinx.directives.code", "container_wrapper"), None, None, "path")


def test_sphinx_intl_update() -> None:
    update = internal("sphinx_intl.basic", "update")
    accepts(update, "locales", "pot", ("ru",), line_width=100)
