"""Kazakh search: the forms of a word share one index term, the reader's browser stems a query
exactly as the index was stemmed, and a real ``language = "kk"`` build uses both."""

from __future__ import annotations

import itertools
import subprocess
import sys
from pathlib import Path

import pytest
from sphinx.search import js_index
from sphinx.search.en import SearchEnglish

from quickstart_site.orchestration.build import STRICT
from quickstart_site.sphinx_ext.search.kazakh import (
    PROTECTED_ROOTS,
    SearchKazakh,
    harmony_of,
    javascript_stemmer,
)
from tests.helpers import run_in_node

FORMS_OF_ONE_WORD = {
    "route": [
        "маршрут",
        "маршруттар",
        "маршрутты",
        "маршруттың",
        "маршрутқа",
        "маршрутта",
        "маршруттан",
        "маршрутпен",
        "маршруттарды",
        "маршруты",
        "маршрутына",
        "маршрутыңыз",
    ],
    "request": ["сұрау", "сұраулар", "сұрауды", "сұраудың", "сұрауға", "сұрауы"],
    "template": [
        "шаблон",
        "шаблондар",
        "шаблонды",
        "шаблонның",
        "шаблонға",
        "шаблонда",
        "шаблоннан",
        "шаблонмен",
        "шаблоны",
        "шаблонын",
    ],
    "application": [
        "қолданба",
        "қолданбаны",
        "қолданбаның",
        "қолданбаға",
        "қолданбада",
        "қолданбалар",
        "қолданбасы",
        "қолданбасын",
        "қолданбасынан",
        "қолданбаңыз",
        "қолданбаңызды",
    ],
    "function (loanword, back vowels)": [
        "функция",
        "функциялар",
        "функцияны",
        "функцияның",
        "функциясы",
    ],
    "server (loanword, front vowels)": ["сервер", "серверлер", "серверді", "сервердің", "серверге"],
    "module (soft sign takes front endings)": ["модуль", "модульдер", "модульді", "модульге"],
    "page (front vowels, voiceless end)": ["бет", "беттер", "бетті", "беттің", "бетке", "бетте"],
    "file": ["файл", "файлдар", "файлы", "файлда", "файлдағы"],
    "example": ["мысал", "мысалы", "мысалдар"],
    "method (a protected root: әдіс+і, not әді+сі)": ["әдіс", "әдісі", "әдістер", "әдісті"],
    "object (a protected root: объект+і, not объек+ті)": [
        "объект",
        "объектілер",
        "объектісі",
        "объектіні",
    ],
    "response (п voiced between vowels)": ["жауап", "жауабы", "жауаптар", "жауабын"],
    "part (к voiced between vowels)": ["бөлік", "бөлігі", "бөліктер", "бөлігін"],
    "to install (verb)": ["орнату", "орнатыңыз", "орнатады", "орнатып", "орнатамыз", "орнатуға"],
    "to use (verb)": ["қолдану", "қолданады", "қолданамыз", "қолданыңыз"],
    "to return (verb)": ["қайтару", "қайтарады", "қайтаратын"],
}

# The term the index stores is the bare word, not a shorter fragment of it.
BARE_WORDS = {
    "маршруттарды": "маршрут",
    "шаблонның": "шаблон",
    "қолданбаның": "қолданба",
    "сервердің": "сервер",
    "модульдер": "модуль",
    "кілті": "кілт",  # кілт+і: -ті comes off only after a voiceless sound
}

# Words that look related but that a reader searching for one does not want the other for.
DIFFERENT_WORDS = [
    ("қолданба", "қолдану"),  # application, to use
    ("пайдаланушы", "пайдалану"),  # user, to use
    ("қауіпсіздік", "қауіп"),  # security, danger
    ("сұрау", "сұрақ"),  # request, question
    ("қолданыңыз", "қол"),  # use it (not қол+дан+ыңыз), hand
    ("орындаңыз", "орын"),  # run it (not орын+да+ңыз), place
]

# Stripping these would leave roots too short to tell apart.
SHORT_WORDS = ["үй", "үйде", "іс", "іске", "ат", "ата", "ана", "бас", "жол", "алу"]

LATIN_WORDS = ["Flask", "routes", "Routing", "url_for", "render_template", "templates", "debugging"]


@pytest.fixture(scope="module")
def kazakh() -> SearchKazakh:
    return SearchKazakh({})


@pytest.mark.parametrize("forms", FORMS_OF_ONE_WORD.values(), ids=FORMS_OF_ONE_WORD.keys())
def test_the_forms_of_a_word_share_one_stem(kazakh, forms):
    stems = {form: kazakh.stem(form) for form in forms}
    assert len(set(stems.values())) == 1, stems


@pytest.mark.parametrize(("form", "bare"), BARE_WORDS.items())
def test_the_stem_of_an_inflected_form_is_the_bare_word(kazakh, form, bare):
    assert kazakh.stem(form) == bare


def test_different_words_keep_different_stems(kazakh):
    stems = {name: kazakh.stem(forms[0]) for name, forms in FORMS_OF_ONE_WORD.items()}
    assert len(set(stems.values())) == len(stems), stems


@pytest.mark.parametrize(("one", "other"), DIFFERENT_WORDS)
def test_related_looking_words_stay_apart(kazakh, one, other):
    assert kazakh.stem(one) != kazakh.stem(other)


@pytest.mark.parametrize("word", SHORT_WORDS)
def test_short_words_are_left_whole(kazakh, word):
    assert kazakh.stem(word) == word


def test_an_ending_that_breaks_vowel_harmony_is_not_an_ending(kazakh):
    assert kazakh.stem("серверлер") == "сервер"
    assert kazakh.stem("серверлар") == "серверлар"


@pytest.mark.parametrize("root", sorted(PROTECTED_ROOTS))
def test_a_protected_root_and_its_possessive_keep_the_root_whole(kazakh, root):
    possessive = root + ("ы" if harmony_of(root) == "back" else "і")
    assert (kazakh.stem(root), kazakh.stem(possessive)) == (root, root)


def test_capitals_are_lowered(kazakh):
    assert kazakh.stem("МАРШРУТТАР") == kazakh.stem("Маршрутқа") == "маршрут"


@pytest.mark.parametrize("word", LATIN_WORDS)
def test_latin_words_are_stemmed_as_an_english_build_stems_them(kazakh, word):
    assert kazakh.stem(word) == SearchEnglish({}).stem(word)


def test_latin_words_are_stemmed_at_all(kazakh):
    assert kazakh.stem("routes") == kazakh.stem("Routing") == "rout"


def test_function_words_of_both_languages_are_stopwords(kazakh):
    assert {"және", "үшін", "біздің", "бұл", "the", "and"} <= kazakh.stopwords


def test_endings_cut_off_foreign_words_by_a_hyphen_are_stopwords(kazakh):
    # "Flask-тың", "URL-ге", "Flask-пен": the splitter makes the ending a word of its own.
    assert {"тың", "ге", "пен", "і", "дар"} <= kazakh.stopwords


def test_content_words_are_not_stopwords(kazakh):
    words = {kazakh.stem(form) for forms in FORMS_OF_ONE_WORD.values() for form in forms}
    assert not words & kazakh.stopwords


def test_a_word_is_not_cut_down_to_a_stopword(kazakh):
    # соны+мен would leave the stopword соны: the index would then keep the whole word
    # while the search box looked for соны.
    assert "соны" in kazakh.stopwords
    assert kazakh.stem("сонымен") == "сонымен"


# The JavaScript side


def all_test_words() -> list[str]:
    forms = itertools.chain.from_iterable(FORMS_OF_ONE_WORD.values())
    pairs = itertools.chain.from_iterable(DIFFERENT_WORDS)
    extra = ["серверлар", "МАРШРУТТАР", "сонымен", "кілті", "", "h1", "маршрут2", "блог"]
    roots = [*PROTECTED_ROOTS, *(root + "ы" for root in PROTECTED_ROOTS)]
    return [*forms, *BARE_WORDS, *pairs, *SHORT_WORDS, *LATIN_WORDS, *roots, *extra]


def stem_in_node(javascript: str, words: list[str], workdir: Path) -> dict:
    """Stem ``words`` with the ``Stemmer`` that ``javascript`` defines, as searchtools.js does."""
    program = (
        "var window = globalThis;\n"  # language_data.js exports through window
        + javascript
        + """
const words = JSON.parse(require("fs").readFileSync(0, "utf8"));
const stemmer = new Stemmer();
process.stdout.write(JSON.stringify({
  stems: words.map((word) => stemmer.stemWord(word)),
  stopwords: typeof stopwords === "undefined" ? null : [...stopwords],
}));
"""
    )
    return run_in_node(program, words, workdir)


def test_the_javascript_stemmer_gives_the_python_stems(kazakh, tmp_path):
    words = all_test_words()
    stems = stem_in_node(javascript_stemmer(), words, tmp_path)["stems"]
    assert dict(zip(words, stems, strict=True)) == {word: kazakh.stem(word) for word in words}


# A real build

PAGE = """\
# Маршруттар

Flask қолданбасы сұрауларды маршруттарға бөледі. Әр маршруттың өз функциясы бар.

Шаблондарды `render_template` функциясы толтырады.
"""


# The language switcher in quickstart_site.sphinx_ext reads notfound's settings; the sitemap
# (sphinx-sitemap, loaded by the extension) needs the site's public address.
CONF = (
    'extensions = ["myst_parser", "notfound.extension", "quickstart_site.sphinx_ext"]\n'
    'html_baseurl = "https://quickstart.example/"\n'
)


@pytest.fixture(scope="module")
def kazakh_site(tmp_path_factory) -> Path:
    """A one-page site built with ``language = "kk"``, strictly, as the project builds."""
    root = tmp_path_factory.mktemp("kazakh-site")
    source = root / "source"
    source.mkdir()
    (source / "index.md").write_text(PAGE, encoding="utf-8")
    (root / "conf.py").write_text(CONF, encoding="utf-8")
    outdir = root / "html"
    command = [sys.executable, "-m", "sphinx", "-b", "html", "-c", str(root), *STRICT, "-q", "-E"]
    command += ["-D", "language=kk", "-d", str(root / "doctrees"), str(source), str(outdir)]
    done = subprocess.run(command, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stdout + done.stderr
    return outdir


@pytest.fixture(scope="module")
def search_index(kazakh_site) -> dict:
    return js_index.loads((kazakh_site / "searchindex.js").read_text(encoding="utf-8"))


def test_the_index_holds_stems_not_inflected_forms(search_index):
    terms = search_index["terms"]
    assert {"қолданба", "сұра", "функция", "шаблон", "render_templ"} <= terms.keys()
    assert not {"маршруттарға", "сұрауларды", "шаблондарды", "функциясы"} & terms.keys()
    # Sphinx files a word under the title alone when the title has it: маршруттың goes there.
    assert "маршрут" in search_index["titleterms"]


def test_the_index_leaves_out_stopwords_even_capitalized(search_index):
    assert not {"әр", "Әр", "өз", "бар"} & search_index["terms"].keys()


def test_the_search_page_loads_the_kazakh_stemmer(kazakh_site):
    search_page = (kazakh_site / "search.html").read_text(encoding="utf-8")
    assert "_static/language_data.js" in search_page
    assert "KazakhStemmer" in (kazakh_site / "_static" / "language_data.js").read_text("utf-8")


def test_a_query_in_another_form_finds_the_indexed_term(kazakh_site, search_index, tmp_path):
    # Forms the page does not contain, typed as a reader would.
    queries = ["Маршрутқа", "қолданбаның", "сұрау", "шаблонның", "функцияны", "Render_Template"]
    language_data = (kazakh_site / "_static" / "language_data.js").read_text(encoding="utf-8")
    found = stem_in_node(language_data, queries, tmp_path)
    indexed = search_index["terms"].keys() | search_index["titleterms"].keys()
    assert dict(zip(queries, [stem in indexed for stem in found["stems"]], strict=True)) == {
        query: True for query in queries
    }
    assert set(found["stopwords"]) == SearchKazakh.stopwords
