"""Chinese search that runs in the browser.

Sphinx 9.0's Chinese search language indexes with jieba and stems Latin words with the English
stemmer, but its ``language_data.js`` ends with ``window.Stemmer = ChineseStemmer``, a class that
does not exist: every query on a zh page then fails with a ReferenceError and finds nothing
(sphinx-doc/sphinx#14229, fixed upstream by #14416 after 9.0). Same indexer, working JS side.
"""

from __future__ import annotations

import logging

from sphinx.application import Sphinx
from sphinx.search import _MINIFIED_JS_PATH
from sphinx.search.zh import SearchChinese


class SearchSimplifiedChinese(SearchChinese):
    js_stemmer_rawcode = ""  # so Sphinx uses js_stemmer_code as it is
    js_stemmer_code = "\n".join(
        (
            (_MINIFIED_JS_PATH / "base-stemmer.js").read_text(encoding="utf-8"),
            (_MINIFIED_JS_PATH / SearchChinese.js_stemmer_rawcode).read_text(encoding="utf-8"),
            "window.Stemmer = EnglishStemmer;",
        )
    )


def setup_chinese_search(app: Sphinx) -> None:
    # jieba logs the loading of its dictionary at DEBUG, through its own stderr handler: four
    # lines in the middle of the build's one line per step. Its warnings and errors still show.
    logging.getLogger("jieba").setLevel(logging.WARNING)
    app.add_search_language(SearchSimplifiedChinese)
