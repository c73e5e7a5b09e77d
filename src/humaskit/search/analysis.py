"""Indonesian text analysis for the search index: words, a short stop list, Sastrawi stems.

Two analyzers: ``plain_analyzer`` (lower-cased words) and ``stem_analyzer`` (the same words
reduced to their root by PySastrawi: menerapkan, penerapan, diterapkan -> terap). The index
keeps both, so an exact word ranks above a mere shared stem, and names are matched in the plain
form only. The plain fields keep word positions: a quoted phrase is a Whoosh ``Phrase`` query.

Whoosh pickles the schema, analyzers included, into the index: the stemming function must be
a plain module-level function importable by name (pickle stores a function as its module and
name; a lambda or a nested function cannot be pickled).
"""

from __future__ import annotations

import re
from typing import Any

# Words so common in releases that they carry no meaning for search. Deliberately short:
# Sastrawi's 800-word list drops words people search for (hari, bulan, kerja, tahun).
STOP_WORDS = frozenset(
    """
    yang dan di ke dari ini itu dengan untuk pada dalam oleh serta atau juga akan telah
    sudah adalah ialah para bagi tersebut sebagai karena agar supaya bahwa yaitu yakni pun
    nya lah kah
    """.split()  # noqa: SIM905 - a word list reads better as text
)

# A word: letters and digits, joined by hyphens for reduplication (sehari-hari, hal-hal).
WORD_PATTERN = r"\w+(?:-\w+)*"

_WORD = re.compile(WORD_PATTERN)

# Roots Sastrawi picks wrongly when two dictionary words fit (mengunjungi -> unjung, while
# kunjungan -> kunjung): the root humas texts mean.
ROOT_FIXES = {"unjung": "kunjung"}

_stemmer: Any = None
_stems: dict[str, str] = {}


def stem_word(word: str) -> str:
    """The Sastrawi root of one lower-case word, memoised (about 1 ms per unseen word)."""
    found = _stems.get(word)
    if found is not None:
        return found
    global _stemmer
    # Digits and very short words (acronyms such as PB, ZI) are kept as they are.
    if len(word) <= 3 or (not word.isalpha() and "-" not in word):
        root = word
    else:
        if _stemmer is None:
            _stemmer = _make_stemmer()
        root = _stemmer.stem(word) or word
        root = ROOT_FIXES.get(root, root)
    if len(_stems) < 500_000:
        _stems[word] = root
    return root


def remember_stems(found: dict[str, str]) -> None:
    """Stems already known (a server archive keeps its words' stems), so ``stem_word``
    answers them without loading Sastrawi."""
    if len(_stems) + len(found) < 500_000:
        _stems.update(found)


def stem_indexed(word: str, table: dict[str, str] | None) -> str:
    """The stem of a word known to be in the index's titles or texts: from the index's stem
    table when there is one (a word it does not list is its own stem), else Sastrawi."""
    if table is None:
        return stem_word(word)
    return table.get(word, word)


def _make_stemmer():  # -> Sastrawi.Stemmer.Stemmer.Stemmer
    """Sastrawi's plain stemmer (the memo above replaces its cache), built quickly.

    ``StemmerFactory().create_stemmer()`` adds its 30,000 dictionary words one method call
    at a time (~20 ms, paid by every search); the same dictionary is filled here at once.
    """
    from Sastrawi.Dictionary.ArrayDictionary import ArrayDictionary
    from Sastrawi.Stemmer.Stemmer import Stemmer
    from Sastrawi.Stemmer.StemmerFactory import StemmerFactory

    dictionary = ArrayDictionary()
    # What ArrayDictionary.add keeps: every non-blank line, as itself.
    dictionary.words = {w: w for w in StemmerFactory().get_words() if w and w.strip()}
    return Stemmer(dictionary)


def plain_analyzer():  # -> whoosh.analysis.Analyzer
    from whoosh.analysis import LowercaseFilter, RegexTokenizer, StopFilter

    return (
        RegexTokenizer(WORD_PATTERN)
        | LowercaseFilter()
        | StopFilter(stoplist=STOP_WORDS, minsize=1)
    )


def stem_analyzer():  # -> whoosh.analysis.Analyzer
    from whoosh.analysis import StemFilter

    # Our own memo is unbounded and shared by index and queries; Whoosh's LRU is not needed.
    return plain_analyzer() | StemFilter(stemfn=stem_word, cachesize=None)


def words(text: str) -> list[str]:
    """The lower-case words of ``text`` without stop words (query side of ``plain_analyzer``:
    cut first, then lower-cased, as Whoosh does)."""
    return [w for w in (m.lower() for m in _WORD.findall(text)) if w not in STOP_WORDS]
