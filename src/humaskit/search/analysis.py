"""Indonesian text analysis for the search index: words, a short stop list, Sastrawi stems.

Two analyzers: ``plain_analyzer`` (lower-cased words) and ``stem_analyzer`` (the same words
reduced to their root by PySastrawi: menerapkan, penerapan, diterapkan -> terap). The index
keeps both, so an exact word ranks above a mere shared stem, and names are matched in the plain
form only. The pair analyzers index each two neighbouring words as one term, so a phrase is
found by looking its pairs up instead of comparing word positions release by release.

Whoosh pickles the schema, analyzers included, into the index: the stemming function must be
a plain module-level function importable by name (see PITFALLS).
"""

from __future__ import annotations

import itertools
from collections.abc import Callable
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

# Roots Sastrawi picks wrongly when two dictionary words fit (mengunjungi -> unjung, while
# kunjungan -> kunjung): the root humas texts mean.
ROOT_FIXES = {"unjung": "kunjung"}

_stemmer: Any = None
_stems: dict[str, str] = {}
_lookup: Callable[[str], str | None] | None = None


def stem_word(word: str) -> str:
    """The Sastrawi root of one lower-case word, memoised (about 1 ms per unseen word)."""
    found = _stems.get(word)
    if found is not None:
        return found
    if _lookup is not None:
        found = _lookup(word)
        if found is not None:
            if len(_stems) < 500_000:
                _stems[word] = found
            return found
    global _stemmer
    if _stemmer is None:
        _stemmer = _make_stemmer()
    # Digits and very short words (acronyms such as PB, ZI) are kept as they are.
    if len(word) <= 3 or (not word.isalpha() and "-" not in word):
        root = word
    else:
        root = _stemmer.stem(word) or word
        root = ROOT_FIXES.get(root, root)
    if len(_stems) < 500_000:
        _stems[word] = root
    return root


def use_stem_table(lookup: Callable[[str], str | None] | None) -> None:
    """Look words up in ``lookup`` (the stems the index keeps of the archive's words) before
    Sastrawi, so a search need not load Sastrawi for them."""
    global _lookup
    _lookup = lookup


def known_stems() -> dict[str, str]:
    """The stems worked out (or remembered) in this process so far."""
    return _stems


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


PAIR_SEPARATOR = " "


def pair_analyzer(only: str | None = None):  # -> whoosh.analysis.Analyzer
    """Each two neighbouring stems as one term ("warga bina"): a phrase becomes a term lookup.

    A field of one word has no pairs; ``only="synonyms"``: just the synonym list's pairs.
    """
    from humaskit.search.pairfilter import PairFilter

    return stem_analyzer() | PairFilter(sep=PAIR_SEPARATOR, only=only)


def synonym_pairs() -> frozenset[str]:
    """The stem pairs of every multi-word form of the packaged synonym list."""
    global _synonym_pairs
    if _synonym_pairs is None:
        from humaskit.search.engine import _packaged_synonyms

        found: set[str] = set()
        for form in _packaged_synonyms():
            if len(form) > 1:
                found.update(pairs(tuple(stem_word(w) for w in form)))
        _synonym_pairs = frozenset(found)
    return _synonym_pairs


_synonym_pairs: frozenset[str] | None = None


def plain_pair_analyzer():  # -> whoosh.analysis.Analyzer
    """Each two neighbouring words as they are, for unit names ("kantor wilayah")."""
    from humaskit.search.pairfilter import PairFilter

    return plain_analyzer() | PairFilter(sep=PAIR_SEPARATOR)


def pairs(tokens: tuple[str, ...] | list[str]) -> list[str]:
    """The pair terms of a phrase's words, as the pair analyzers index them."""
    return [f"{a}{PAIR_SEPARATOR}{b}" for a, b in itertools.pairwise(tokens)]


def words(text: str) -> list[str]:
    """The lower-case words of ``text`` without stop words (query side of ``plain_analyzer``)."""
    import re

    return [
        w
        for w in (m.group(0).lower() for m in re.finditer(WORD_PATTERN, text))
        if w not in STOP_WORDS
    ]
