/*
 * The query side of the Kazakh search language: stem_kazakh() and cut() of
 * quickstart_site/sphinx_ext/kazakh_search.py, step for step. Written by hand because the
 * stemmer is the project's own. The data (letters, suffix table, stopwords, protected roots)
 * is not here: the Python table is passed in when language_data.js is generated, so both
 * sides share one definition. Latin words go to Sphinx's English Snowball stemmer, as in an
 * English build.
 */
var KazakhStemmer = function (table) {
  var latin = new EnglishStemmer();
  var stopwords = new Set(table.stopwords);

  var isKazakh = function (word) {
    if (!word) return false;
    for (var i = 0; i < word.length; i++) {
      if (!table.letters.includes(word[i])) return false;
    }
    return true;
  };

  var harmonyOf = function (text) {
    for (var i = text.length - 1; i >= 0; i--) {
      if (table.back.includes(text[i])) return "back";
      if (table.front.includes(text[i])) return "front";
    }
    return "";
  };

  var cutsIntoProtectedRoot = function (word, stem) {
    for (var i = 0; i < table.protectedRoots.length; i++) {
      var root = table.protectedRoots[i];
      if (word.startsWith(root) && stem.length < root.length) return true;
    }
    return false;
  };

  var hasVowel = function (text) {
    for (var i = 0; i < text.length; i++) {
      if (table.vowels.includes(text[i])) return true;
    }
    return false;
  };

  var devoiced = function (stem) {
    var last = stem[stem.length - 1];
    if (stem.length > 1 && table.devoiced.hasOwnProperty(last) &&
        table.vowels.includes(stem[stem.length - 2])) {
      return stem.slice(0, -1) + table.devoiced[last];
    }
    return stem;
  };

  // suffix: [text, letters the stem may end in, kind, lowest kind after it, harmony]
  var cut = function (word, suffix) {
    var text = suffix[0], after = suffix[1], harmony = suffix[4];
    if (!word.endsWith(text)) return null;
    var stem = word.slice(0, word.length - text.length);
    var stemHarmony = harmonyOf(stem);
    var fits =
      stem.length >= table.minStemLength &&
      hasVowel(stem) &&
      after.includes(stem[stem.length - 1]) &&
      (!harmony || !stemHarmony || harmony === stemHarmony) &&
      !cutsIntoProtectedRoot(word, stem);
    stem = devoiced(stem);
    return fits && !stopwords.has(stem) ? stem : null;
  };

  var stemKazakh = function (word) {
    word = devoiced(word);
    var lowest = 0;
    for (;;) {
      var stripped = false;
      for (var i = 0; i < table.suffixes.length; i++) {
        var suffix = table.suffixes[i];
        var stem = suffix[2] >= lowest ? cut(word, suffix) : null;
        if (stem === null) continue;
        word = stem;
        lowest = Math.max(lowest, suffix[3]);
        stripped = true;
        break;
      }
      if (!stripped) return word;
    }
  };

  this.stemWord = function (word) {
    word = word.toLowerCase();
    return isKazakh(word) ? stemKazakh(word) : latin.stemWord(word);
  };
};
