"""Search for Kazakh pages: Sphinx and Snowball have no Kazakh stemmer.

Kazakh is agglutinative: маршрут, маршруттар, маршрутты, маршруттың, маршрутқа are one word to
a reader, and five to an index without a stemmer. The stemmer here strips inflectional endings
so that they share one term. It is written by hand because no maintained Kazakh stemmer exists
that also runs in the browser: the query side must stem exactly as the index did.

The rules are defined once: ``FAMILIES`` below and the word lists in ``kazakh_search_data/``.
The query-side JavaScript (``kazakh_search_data/kazakh_stemmer.js``) holds the algorithm only;
``stemmer_table()`` is serialized into the page's ``language_data.js`` at build time, so index
and search box cannot drift (tests/test_kazakh_search.py runs both on the same words).
"""

from __future__ import annotations

import functools
import json
from dataclasses import dataclass
from pathlib import Path

from sphinx import package_dir
from sphinx.application import Sphinx
from sphinx.search import SearchLanguage, parse_stop_word
from sphinx.search.en import SearchEnglish

DATA = Path(__file__).parent / "kazakh_data"

KAZAKH_LETTERS = "аәбвгғдеёжзийкқлмнңоөпрстуұүфхһцчшщъыіьэюя"
VOWELS = "аәеёиоөұүыіэюя"
CONSONANTS = "".join(letter for letter in KAZAKH_LETTERS if letter not in VOWELS)
# Vowel harmony: a suffix takes back or front vowels after the stem's last harmonic vowel.
# у, и, ю sound either way and decide nothing; a loanword's soft sign asks for front endings
# (модуль -> модульдер).
BACK = "аоұыяё"
FRONT = "әөүіеэь"
# Which variant of an ending a stem takes depends on its last sound. Loanwords ending in
# б, в, г, д sound them voiceless (клуб -> клубта).
VOICELESS = "бвгдкқпстфхцчшщ"
VOICED = "жзйлмнңрьу"
# The letters that mark a third-person possessive, after which cases take an н (маршрутына).
POSSESSIVE = "ыі"
# Between vowels a final п, к, қ is voiced (жауап -> жауабы, бөлік -> бөлігі): a stem that ends
# in the voiced letter after a vowel is written with the voiceless one, so both forms meet.
DEVOICED = {"б": "п", "г": "к", "ғ": "қ"}

# Shorter stems are mostly roots already (үй, іс, ат): stripping them merges unrelated words.
MIN_STEM_LENGTH = 3

# Endings come off from the outside in. Stripping repeats rather than taking one ending per
# slot, so that a root that merely looks inflected (кесте "table": кес+те) is cut the same way
# alone and inside кестелер. Two orders are kept because breaking them chains wrong cuts:
# after a verb ending only verb endings (қолдану -> қолдан, not қол+дан), and after a polite
# "your"/imperative no case (орындаңыз "run it" -> орында, not орын+да).
CASE, NOUN, VERB = 0, 1, 2


@dataclass(frozen=True)
class Suffix:
    text: str
    after: str  # the letters the stem may end in for this variant to come off
    kind: int  # CASE, NOUN or VERB
    then: int  # the lowest kind that may still come off once this one is off
    harmony: str  # "back", "front" or "" (fits any stem)


def harmony_of(text: str) -> str:
    for letter in reversed(text):
        if letter in BACK:
            return "back"
        if letter in FRONT:
            return "front"
    return ""


@dataclass(frozen=True)
class Family:
    """One ending in all its variants: (endings, the letters a stem may end in to take them)."""

    name: str
    variants: tuple[tuple[str, str], ...]
    kind: int = CASE
    then: int = CASE
    harmonic: bool = True  # False for -мен, which ignores vowel harmony

    @property
    def suffixes(self) -> tuple[Suffix, ...]:
        return tuple(
            Suffix(text, after, self.kind, self.then, harmony_of(text) if self.harmonic else "")
            for texts, after in self.variants
            for text in texts.split()
        )


FAMILIES = (
    Family(
        "genitive",
        (("ның нің", VOWELS + "мнң"), ("дың дің", "жзйлрьу"), ("тың тің", VOICELESS)),
    ),
    Family(
        # After a vowel, -ды is the past tense (сұрады); the accusative there is -ны.
        "accusative and past tense",
        (("ны ні", VOWELS), ("ды ді", VOWELS + VOICED), ("ты ті", VOICELESS), ("н", POSSESSIVE)),
    ),
    Family("dative", (("ға ге", VOWELS + VOICED), ("қа ке", VOICELESS), ("на не", POSSESSIVE))),
    Family("locative", (("да де", VOWELS + VOICED), ("та те", VOICELESS), ("нда нде", POSSESSIVE))),
    Family(
        "ablative",
        (("дан ден", VOWELS + "жзйлрьу"), ("нан нен", "мнң" + POSSESSIVE), ("тан тен", VOICELESS)),
    ),
    Family(
        "instrumental",
        (("мен менен", VOWELS + "йлмнңрьу"), ("бен бенен", "жз"), ("пен пенен", VOICELESS)),
        harmonic=False,
    ),
    Family(
        "located in (файлдағы)",
        (("дағы дегі", VOWELS + VOICED), ("тағы тегі", VOICELESS), ("ндағы ндегі", POSSESSIVE)),
    ),
    Family(
        "possessive: its, our",
        (("сы сі", VOWELS), ("ы і", CONSONANTS), ("мыз міз", VOWELS), ("ымыз іміз", CONSONANTS)),
        kind=NOUN,
    ),
    Family(
        "possessive: your, also the polite imperative (орнатыңыз)",
        (("ңыз ңіз", VOWELS), ("ыңыз іңіз", CONSONANTS)),
        kind=NOUN,
        then=NOUN,
    ),
    Family(
        "plural",
        (("лар лер", VOWELS + "йру"), ("дар дер", "жзлмнңь"), ("тар тер", VOICELESS)),
        kind=NOUN,
    ),
    Family(
        "-ness (мүмкіндік, қауіпсіздік)",
        (("лық лік", VOWELS + "йру"), ("дық дік", "жзлмнңь"), ("тық тік", VOICELESS)),
        kind=NOUN,
    ),
    Family(
        "present tense (қайтарады, орнатамыз)",
        (("ады еді амыз еміз", CONSONANTS), ("йды йді ймыз йміз", VOWELS)),
        kind=VERB,
        then=VERB,
    ),
    Family(
        "participles (қайтаратын, жасалған)",
        (
            ("атын етін", CONSONANTS),
            ("йтын йтін", VOWELS),
            ("ған ген", VOWELS + VOICED),
            ("қан кен", VOICELESS),
        ),
        kind=VERB,
        then=VERB,
    ),
    Family(
        "converb, conditional, verbal noun (орнатып, жасаса, сұрау)",
        (("ып іп", CONSONANTS), ("п", VOWELS), ("са се у", KAZAKH_LETTERS)),
        kind=VERB,
        then=VERB,
    ),
    # Left out on purpose, each because it merges words a reader keeps apart: negation -ма/-ба
    # (қолданба "application" is not "not use"), the agent noun -шы (пайдаланушы "user"),
    # -сыз "without" (қауіпсіз "safe" is not қауіп "danger"), the adjective -лы (it would take
    # файлы "its file" for фай+лы), voice suffixes, and one-consonant endings after a vowel
    # other than -п (too many roots end that way).
)

# Longest first: маршруттың loses -тың, not -ың. Ties keep the table's order.
SUFFIXES = tuple(
    sorted(
        (suffix for family in FAMILIES for suffix in family.suffixes),
        key=lambda suffix: -len(suffix.text),
    )
)

FUNCTION_WORDS = frozenset(parse_stop_word((DATA / "stopwords.txt").read_text(encoding="utf-8")))
# Noun endings also stand alone after a hyphen on foreign words (Flask-тың, URL-і): the
# splitter cuts them off, so they are stopwords, or a query would need that exact ending.
DETACHED_ENDINGS = frozenset(suffix.text for suffix in SUFFIXES if suffix.kind != VERB)
KAZAKH_STOPWORDS = FUNCTION_WORDS | DETACHED_ENDINGS
# Where the rules alone would cut a word two ways (шаблон+ы or шабло+ны): see the file.
PROTECTED_ROOTS = frozenset(parse_stop_word((DATA / "roots.txt").read_text(encoding="utf-8")))


def is_kazakh(word: str) -> bool:
    return bool(word) and all(letter in KAZAKH_LETTERS for letter in word)


def stem_kazakh(word: str) -> str:
    """Strip endings, longest first, until none fits; ``word`` is lower-case Kazakh."""
    word = devoiced(word)
    lowest = CASE
    while True:
        for suffix in SUFFIXES:
            if suffix.kind >= lowest and (stem := cut(word, suffix)) is not None:
                word, lowest = stem, max(lowest, suffix.then)
                break
        else:
            return word


def cut(word: str, suffix: Suffix) -> str | None:
    """The stem left without ``suffix``, or None if it is not an ending of this word.

    It is one if what remains is long enough, keeps a vowel, ends in a sound that takes this
    variant, agrees in vowel harmony, keeps a protected root whole and is not a stopword
    (Sphinx would index the whole word then, while the search box looked for the stem).
    """
    if not word.endswith(suffix.text):
        return None
    stem = word[: -len(suffix.text)]
    stem_harmony = harmony_of(stem)
    fits = (
        len(stem) >= MIN_STEM_LENGTH
        and any(letter in VOWELS for letter in stem)
        and stem[-1] in suffix.after
        and (not suffix.harmony or not stem_harmony or suffix.harmony == stem_harmony)
        and not any(word.startswith(root) and len(stem) < len(root) for root in PROTECTED_ROOTS)
    )
    stem = devoiced(stem)
    return stem if fits and stem not in KAZAKH_STOPWORDS else None


def devoiced(stem: str) -> str:
    if len(stem) > 1 and stem[-1] in DEVOICED and stem[-2] in VOWELS:
        return stem[:-1] + DEVOICED[stem[-1]]
    return stem


class SearchKazakh(SearchLanguage):
    lang = "kk"
    language_name = "Kazakh"
    # Latin words (Flask's API names, English terms) are treated as an English build treats
    # them, stopwords included.
    stopwords = KAZAKH_STOPWORDS | SearchEnglish.stopwords

    def __init__(self, options: dict[str, str]) -> None:
        super().__init__(options)
        self.latin = SearchEnglish(options)

    def stem(self, word: str) -> str:
        word = word.lower()
        return stem_kazakh(word) if is_kazakh(word) else self.latin.stem(word)

    def word_filter(self, word: str) -> bool:
        # Sphinx falls back to indexing the unstemmed word, capitals and all, when the stem
        # is a stopword: "Әр" at the start of a sentence would be indexed. The search box
        # lower-cases before checking stopwords, so the index does too.
        return super().word_filter(word.lower())

    # SearchLanguage declares js_stemmer_code as a plain str attribute; a read-only property
    # serves it here (built on first use).
    @property
    def js_stemmer_code(self) -> str:  # type: ignore[override]
        return javascript_stemmer()


def stemmer_table() -> dict[str, object]:
    """Everything the JavaScript stemmer needs to stem as ``stem_kazakh`` does."""
    return {
        "letters": KAZAKH_LETTERS,
        "vowels": VOWELS,
        "back": BACK,
        "front": FRONT,
        "devoiced": DEVOICED,
        "minStemLength": MIN_STEM_LENGTH,
        "suffixes": [
            [suffix.text, suffix.after, suffix.kind, suffix.then, suffix.harmony]
            for suffix in SUFFIXES
        ],
        "stopwords": sorted(KAZAKH_STOPWORDS),
        "protectedRoots": sorted(PROTECTED_ROOTS),
    }


@functools.cache
def javascript_stemmer() -> str:
    """The ``Stemmer`` that Sphinx's searchtools.js applies to the reader's query."""
    # Latin words: the same Snowball English stemmer, from Sphinx, that an English build uses.
    snowball = Path(package_dir, "search", "minified-js")
    table = json.dumps(stemmer_table(), ensure_ascii=False, separators=(",", ":"))
    return "\n".join(
        (
            (snowball / "base-stemmer.js").read_text(encoding="utf-8"),
            (snowball / SearchEnglish.js_stemmer_rawcode).read_text(encoding="utf-8"),
            (DATA / "kazakh_stemmer.js").read_text(encoding="utf-8"),
            f"var KAZAKH_STEMMER_TABLE = {table};",
            "var Stemmer = function () { KazakhStemmer.call(this, KAZAKH_STEMMER_TABLE); };",
        )
    )


def setup_kazakh_search(app: Sphinx) -> None:
    """Register the Kazakh search language (called from the extension's setup)."""
    app.add_search_language(SearchKazakh)
