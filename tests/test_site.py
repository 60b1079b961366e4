"""The built site in every language: clean, complete, switchable, and nothing lost."""

from __future__ import annotations

import json
import pickle
import re
from collections import Counter

import pytest
from docutils import nodes
from sphinx import addnodes

from quickstart_site.i18n.catalogs import stats
from quickstart_site.i18n.code_equivalence import code_difference
from quickstart_site.languages import BY_CODE, CODES, TRANSLATIONS
from quickstart_site.orchestration.root_page import built_base_url
from tests.conftest import builds, quickstart_site
from tests.helpers import PROJECT

pytestmark = [pytest.mark.site]

PAGES = sorted(page.stem for page in PROJECT.docs.glob("*.md"))
TRANSLATED = [language.code for language in TRANSLATIONS]


@pytest.fixture(scope="module")
def site():
    build = quickstart_site()
    assert build.returncode == 0, build.output
    return build


def html(site, code: str, page: str) -> str:
    return (site.outdir / code / f"{page}.html").read_text(encoding="utf-8")


def doctree(code: str, page: str) -> nodes.document:
    path = builds() / "doctrees" / code / f"{page}.doctree"
    with path.open("rb") as stream:
        return pickle.load(stream)


# What a clean build's Sphinx processes print today: jieba's log (zh_CN search). Anything else,
# a warning kept by --keep-going included, is news.
KNOWN_NOISE = (
    "Building prefix dict from the default dictionary",
    "Loading model from cache",
    "Loading model cost",
    "Prefix dict has been built successfully",
    "Dumping model to file cache",
    "Dump cache file failed",
)


def test_a_clean_build_prints_nothing_but_known_noise(site) -> None:
    """-W already fails the build on a warning; this catches what -W does not: a line printed
    outside Sphinx's logging (an extension's print(), a library's log)."""
    news = [
        line
        for line in site.output.splitlines()
        if line.strip() and not line.startswith(KNOWN_NOISE)
    ]
    assert news == [], "\n".join(news)


@pytest.mark.parametrize("code", TRANSLATED)
def test_every_message_is_translated_and_none_is_fuzzy(code: str) -> None:
    rows = [row for row in stats(PROJECT.locales) if row.language == code]
    assert {row.page for row in rows} >= set(PAGES)
    assert [row for row in rows if not row.complete] == []


@pytest.mark.parametrize("code", TRANSLATED)
@pytest.mark.parametrize("page", PAGES)
def test_no_paragraph_falls_back_to_english(site, code: str, page: str) -> None:
    assert "untranslated" not in html(site, code, page)


@pytest.mark.parametrize("code", CODES)
@pytest.mark.parametrize("page", [page for page in PAGES if page != "404"])
def test_every_page_links_to_itself_in_every_other_language(site, code: str, page: str) -> None:
    text = html(site, code, page)
    assert f'<html lang="{BY_CODE[code].tag}"' in text
    for other in CODES:
        tag = BY_CODE[other].tag
        base = built_base_url(site.outdir)
        assert f'<link rel="alternate" hreflang="{tag}" href="{base}{other}/{page}.html">' in text
        if other != code:
            assert f'href="../{other}/{page}.html" hreflang="{tag}"' in text
            assert (site.outdir / other / f"{page}.html").exists()


@pytest.mark.parametrize("code", CODES)
def test_the_not_found_page_works_at_any_depth_and_links_home(site, code: str) -> None:
    text = html(site, code, "404")
    assert f'href="/{code}/_static/' in text  # absolute: served for /{code}/any/missing/path
    assert f'href="/{code}/quickstart.html"' in text
    for other in CODES:
        if other != code:
            assert f'href="/{other}/" hreflang="{BY_CODE[other].tag}"' in text


def test_the_site_root_lists_the_languages(site) -> None:
    root = (site.outdir / "index.html").read_text(encoding="utf-8")
    for code in CODES:
        assert f'href="{code}/"' in root and (site.outdir / code / "index.html").exists()


# Parity: a translation may change words, never what the page contains.


def section_ids(tree: nodes.document) -> list[list[str]]:
    return [section["ids"] for section in tree.findall(nodes.section)]


def code_blocks(tree: nodes.document) -> list[tuple[str | None, str | None, str]]:
    return [
        (block.get("language"), block.get("testnodetype"), block.astext())
        for block in tree.findall(nodes.literal_block)
    ]


def structure(tree: nodes.document) -> dict[str, object]:
    return {
        "admonitions": [type(node).__name__ for node in tree.findall(nodes.Admonition)],
        "tables": [
            (len(list(table.findall(nodes.row))), len(list(table.findall(nodes.colspec))))
            for table in tree.findall(nodes.table)
        ],
        "lists": [len(node.children) for node in tree.findall(nodes.Sequential)],
        "links": Counter(
            node.get("refuri") or f"#{node.get('refid')}" for node in tree.findall(nodes.reference)
        ),
        "cross-references": Counter(
            (node.get("reftype"), node.get("reftarget"))
            for node in tree.findall(addnodes.pending_xref)
        ),
        "inline code": Counter(node.astext() for node in tree.findall(nodes.literal)),
        "images": [node["uri"] for node in tree.findall(nodes.image)],
    }


@pytest.mark.parametrize("code", TRANSLATED)
@pytest.mark.parametrize("page", PAGES)
def test_a_translated_page_keeps_every_section_code_block_and_link(site, code, page) -> None:
    english, translated = doctree("en", page), doctree(code, page)
    assert section_ids(translated) == section_ids(english)
    ours, theirs = code_blocks(english), code_blocks(translated)
    assert [block[:2] for block in theirs] == [block[:2] for block in ours]
    for (_, kind, source), (_, _, translation) in zip(ours, theirs, strict=True):
        if kind == "testoutput" or source == translation:
            assert translation == source
        else:
            assert code_difference(source, translation) is None
    assert structure(translated) == structure(english)


def search_terms(site, code: str) -> set[str]:
    script = (site.outdir / code / "searchindex.js").read_text(encoding="utf-8")
    return set(json.loads(script.removeprefix("Search.setIndex(").removesuffix(")"))["terms"])


def test_chinese_search_indexes_chinese_words(site) -> None:
    chinese = {
        term for term in search_terms(site, "zh_CN") if re.fullmatch("[\u4e00-\u9fff]+", term)
    }
    assert {"路由", "模板", "渲染"} <= chinese, "jieba is missing: no Chinese word is indexed"


def test_parity_notices_a_dropped_link_section_or_admonition(site) -> None:
    english = structure(doctree("en", "quickstart"))
    for kind, node_type in [
        ("links", nodes.reference),
        ("admonitions", nodes.Admonition),
        ("inline code", nodes.literal),
    ]:
        damaged = doctree("ru", "quickstart")
        victim = next(damaged.findall(node_type))
        victim.parent.remove(victim)
        assert structure(damaged)[kind] != english[kind], kind
    damaged = doctree("ru", "quickstart")
    section = next(damaged.findall(nodes.section))
    section["ids"] = ["renamed"]
    assert section_ids(damaged) != section_ids(doctree("en", "quickstart"))


@pytest.mark.parametrize("code", CODES)
def test_the_site_name_and_authors_are_in_the_page_language(site, code: str) -> None:
    text = html(site, code, "quickstart")
    language = BY_CODE[code]
    assert f"&#8212; {language.site_title}</title>" in text
    assert language.authors in text


def test_building_the_site_writes_nothing_into_docs(site):
    # JupyterLite's content and doit state live beside each build's doctrees.
    assert sorted(path.name for path in PROJECT.docs.iterdir()) == [
        "404.md",
        "index.md",
        "installation.md",
        "quickstart.md",
    ]


@pytest.mark.parametrize("code", CODES)
def test_no_template_source_is_published(site, code: str) -> None:
    """The themes' Jinja macro files are not copied into the site."""
    published = sorted(path.name for path in (site.outdir / code / "_static").glob("*.html"))
    assert published == []


def test_the_configurations_punctuation_follows_the_language(site) -> None:
    """Text the configuration writes (the Flask versions, the copyright) uses the page's own
    punctuation: 3.0、3.1 and 2026，… in Chinese."""
    chinese = html(site, "zh_CN", "quickstart")
    assert "3.0、3.1" in chinese
    assert "2026，Flask Quickstart 贡献者" in chinese
    assert "3.0, 3.1" in html(site, "en", "quickstart")


@pytest.mark.parametrize("code", CODES)
def test_every_link_to_jupyterlite_opens_the_sites_one_app(site, code: str) -> None:
    """The Run panels' console and the page's notebook link: the site's app (lite/), and the
    page's own notebook in its language, listed where the app looks for it."""
    text = html(site, code, "quickstart")
    consoles = set(re.findall(r'data-console="([^"]*)"', text))
    assert consoles == {"../lite/repl/index.html"}
    (notebook,) = re.findall(r'href="(\.\./lite/notebooks/index\.html\?path=[^"]*)"', text)
    path = notebook.split("?path=", 1)[1]
    assert path == f"{code}/quickstart.ipynb"
    lite = site.outdir / "lite"
    assert (lite / "repl" / "index.html").is_file()
    assert (lite / "notebooks" / "index.html").is_file()
    book = json.loads((lite / "files" / path).read_text(encoding="utf-8"))
    assert book["metadata"]["language_info"]["name"] == "python"
    listing = json.loads((lite / "api" / "contents" / code / "all.json").read_text("utf-8"))
    assert [entry["path"] for entry in listing["content"]] == [path]
    assert not (site.outdir / code / "lite").exists()
