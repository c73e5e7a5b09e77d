"""Two read-only views of the search index with one interface, for ``humaskit.search.engine``.

- :class:`WhooshView` reads through an open Whoosh searcher, taking each segment's posting
  lists from its ``humaskit.search.postcache`` copy when there is one. It can do everything:
  spelling suggestions, filters, word positions for quoted phrases.
- :class:`CopyView` reads only the copy (``postcache.Snapshot``) and never imports Whoosh,
  whose import alone costs about as much as ``humaskit --help``. It serves searches without
  filters: words, typing mistakes (the suggestions Whoosh's corrector gives) and quoted
  phrases found in a few releases (checked in their files); the scores are Whoosh's BM25F,
  computed from the same statistics. What it cannot answer raises :class:`NeedsWhoosh`.

Document numbers are the index's: each segment's numbers shifted by the documents of the
segments before it.
"""

from __future__ import annotations

import bisect
import re
from math import log
from pathlib import Path
from typing import Any

from humaskit.archive.store import Archive
from humaskit.search import postcache
from humaskit.search.analysis import WORD_PATTERN

Lists = tuple[list[int], list[float], list]

PHRASE_CHECKS = 200  # releases a quoted phrase is checked in from their files, at most

# Whoosh's BM25F defaults (whoosh.scoring.BM25F), the weighting humaskit's searcher uses.
BM25_B = 0.75
BM25_K1 = 1.2


class _View:
    offsets: list[int]

    def __init__(self) -> None:
        self._has: dict[tuple[str, str], bool] = {}
        self._scorers: dict[tuple[str, str], tuple[Any, float]] = {}
        self._lengths: dict[str, tuple[bytes, list]] = {}

    def has(self, name: str, text: str) -> bool:
        """Whether the index has the term (remembered: Whoosh takes ~50 µs to look)."""
        key = (name, text)
        found = self._has.get(key)
        if found is None:
            found = self._has[key] = self._lookup(name, text)
        return found

    def scorer(self, name: str, text: str) -> tuple[Any, float]:
        """``score(weight, length)`` of the term and the highest score it can give."""
        key = (name, text)
        found = self._scorers.get(key)
        if found is None:
            found = self._scorers[key] = self._make_scorer(name, text)
        return found

    def lengths(self, name: str) -> tuple[bytes, list]:
        """Field ``name``'s length code per document and the code -> length table."""
        found = self._lengths.get(name)
        if found is None:
            found = self._lengths[name] = self._read_lengths(name)
        return found

    def _lookup(self, name: str, text: str) -> bool:
        raise NotImplementedError

    def _make_scorer(self, name: str, text: str) -> tuple[Any, float]:
        raise NotImplementedError

    def _read_lengths(self, name: str) -> tuple[bytes, list]:
        raise NotImplementedError


class WhooshView(_View):
    """The index through a Whoosh searcher, with the postings copy where there is one."""

    def __init__(self, searcher, index_dir: Path) -> None:  # type: ignore[no-untyped-def]
        super().__init__()
        self.searcher = searcher
        self.reader = searcher.reader()
        self.leaves = self.reader.leaf_readers()
        self.offsets = [offset for _, offset in self.leaves]
        self.fast = [
            postcache.load(index_dir, leaf._segid, leaf.doc_count_all())
            if hasattr(leaf, "_segid")  # not an empty index's reader
            else None
            for leaf, _ in self.leaves
        ]

    def _lookup(self, name: str, text: str) -> bool:
        return (name, text) in self.reader

    def doc_frequency(self, name: str, text: str) -> int:
        return self.reader.doc_frequency(name, text)

    def deleted(self, i: int) -> frozenset[int]:
        return self.leaves[i][0].deleted_docs_set

    def leaf_postings(self, i: int, name: str, text: str, values: bool = False) -> Lists | None:
        """One segment's postings of a term (its own numbers, deletions kept), or None."""
        leaf, fast = self.leaves[i][0], self.fast[i]
        if fast is not None and not values:
            copy = fast.get(name, text)
            return None if copy is None else (copy[0], copy[1], [])
        if (name, text) not in leaf:
            return None
        matcher = leaf.postings(name, text)
        if type(matcher).__name__ == "FilterMatcher":  # deletions: the caller filters
            matcher = matcher.child
        return postcache.read_postings(matcher, values)

    def leaf_bits(self, i: int, name: str, text: str) -> int | None:
        fast = self.fast[i]
        return None if fast is None else fast.bits(name, text)

    def _make_scorer(self, name: str, text: str) -> tuple[Any, float]:
        scorer = self.searcher.weighting.scorer(self.searcher, name, text)
        score = getattr(scorer, "_score", None) or (lambda weight, length: weight)
        return score, scorer.max_quality()

    def _read_lengths(self, name: str) -> tuple[bytes, list]:
        return postcache.length_codes(self.leaves, name), postcache.length_table()

    def stored(self, docnum: int) -> dict:
        return self.searcher.stored_fields(docnum)

    def positions_format(self, name: str):  # type: ignore[no-untyped-def]
        return self.searcher.schema[name].format

    def suggest(self, name: str, word: str, maxdist: int) -> str | None:
        """The indexed word of field ``name`` nearest to ``word`` (Whoosh's corrector)."""
        found = self.searcher.corrector(name).suggest(word, limit=1, maxdist=maxdist, prefix=1)
        return found[0] if found else None


class CopyView(_View):
    """The index as its postings copy describes it; never imports Whoosh."""

    def __init__(self, snapshot: postcache.Snapshot, archive: Archive) -> None:
        super().__init__()
        self.snapshot = snapshot
        self.archive = archive
        self.segments = snapshot.segments
        self.offsets = snapshot.offsets
        self._stats: dict[tuple[str, str], tuple[int, float, int] | None] = {}

    def _term_stats(self, name: str, text: str) -> tuple[int, float, int] | None:
        """Documents, highest weight and shortest field over all segments (as Whoosh's
        ``combine_terminfos``), or None when no segment has the term."""
        key = (name, text)
        if key in self._stats:
            return self._stats[key]
        parts = [s for s in (seg.stats(name, text) for seg in self.segments) if s is not None]
        found = None
        if parts:
            found = (
                sum(p[0] for p in parts),
                max(p[1] for p in parts),
                min(p[2] for p in parts),
            )
        self._stats[key] = found
        return found

    def _lookup(self, name: str, text: str) -> bool:
        return self._term_stats(name, text) is not None

    def doc_frequency(self, name: str, text: str) -> int:
        stats = self._term_stats(name, text)
        return 0 if stats is None else stats[0]

    def deleted(self, i: int) -> frozenset[int]:
        return self.snapshot.deleted[i]

    def leaf_postings(self, i: int, name: str, text: str, values: bool = False) -> Lists | None:
        if values:
            raise NeedsWhoosh("word positions")
        copy = self.segments[i].get(name, text)
        return None if copy is None else (copy[0], copy[1], [])

    def leaf_bits(self, i: int, name: str, text: str) -> int | None:
        return self.segments[i].bits(name, text)

    def _make_scorer(self, name: str, text: str) -> tuple[Any, float]:
        """Whoosh's BM25FScorer: idf from the documents with the term among all documents
        (deleted ones count, as in Whoosh), the average field length over all documents."""
        stats = self._term_stats(name, text)
        snapshot = self.snapshot
        frequency = 0 if stats is None else stats[0]
        idf = log(snapshot.doc_count_all / (frequency + 1)) + 1
        average = snapshot.field_length.get(name, 0) / (snapshot.doc_count_all or 1) or 1

        def score(weight: float, length: int) -> float:
            return idf * (
                (weight * (BM25_K1 + 1))
                / (weight + BM25_K1 * ((1 - BM25_B) + BM25_B * length / average))
            )

        best = 0.0 if stats is None else score(stats[1], stats[2])
        return score, best

    def _read_lengths(self, name: str) -> tuple[bytes, list]:
        codes = b"".join(seg.lengths(name) for seg in self.segments)
        return codes, self.snapshot.length_table

    def stored(self, docnum: int) -> dict:
        i = bisect.bisect_right(self.offsets, docnum) - 1
        return self.segments[i].stored(docnum - self.offsets[i])

    def phrase_docs(self, words: tuple[str, ...], candidates: set[int]) -> set[int]:
        """The releases of ``candidates`` whose title, text or unit has ``words`` one after
        the other, as Whoosh's phrase query finds them (the copy keeps no word positions:
        the words are read from the releases themselves, so only for a few)."""
        if len(candidates) > PHRASE_CHECKS:
            raise NeedsWhoosh("word positions in many releases")
        from humaskit.errors import HumasError
        from humaskit.search.index import field_texts

        found = set()
        for docnum in candidates:
            try:
                release = self.archive.load(self.stored(docnum)["id"]).release
            except HumasError:
                raise NeedsWhoosh("a release that cannot be read") from None
            if any(_follow(text, words) for text in field_texts(release).values()):
                found.add(docnum)
        return found

    def suggest(self, name: str, word: str, maxdist: int) -> str | None:
        """What Whoosh's corrector suggests (``suggest(word, limit=1, maxdist, prefix=1)``):
        of the field's words that share the first letter and are at most ``maxdist`` edits
        away, the most frequent, then the last in alphabetical order. Whoosh counts a swap of
        two letters as one edit when the index has several segments (Damerau-Levenshtein)
        and as two with one segment (its Levenshtein automaton)."""
        if not word:
            return None
        frequency: dict[str, float] = {}
        for segment in self.segments:
            for term, weight in segment.frequencies(name, word[:1]).items():
                frequency[term] = frequency.get(term, 0.0) + weight
        swaps = len(self.segments) > 1
        best: tuple[float, str] | None = None
        for term, weight in frequency.items():
            if abs(len(term) - len(word)) > maxdist or edits(term, word, swaps) > maxdist:
                continue
            item = (-(maxdist + (1.0 / (weight or 1) * 0.5)), term)
            if best is None or item > best:
                best = item
        return None if best is None else best[1]


def _follow(text: str, words: tuple[str, ...]) -> bool:
    """Whether ``words`` follow one another in ``text`` as the plain analyzer sees it: every
    word counts for its position, stop words too (Whoosh keeps their places)."""
    tokens = [m.group(0).lower() for m in re.finditer(WORD_PATTERN, text)]
    size, wanted = len(words), list(words)
    first = words[0]
    return any(
        tokens[i : i + size] == wanted for i in range(len(tokens) - size + 1) if tokens[i] == first
    )


def edits(a: str, b: str, swaps: bool) -> int:
    """Levenshtein distance, counting a swap of neighbours as one edit when ``swaps``
    (optimal string alignment, as ``whoosh.support.levenshtein.damerau_levenshtein``)."""
    before: list[int] = []
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i] + [0] * len(b)
        for j, cb in enumerate(b, 1):
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ca != cb))
            if swaps and i > 1 and j > 1 and ca == b[j - 2] and a[i - 2] == cb and ca != cb:
                current[j] = min(current[j], before[j - 2] + 1)
        before, previous = previous, current
    return previous[len(b)]


class NeedsWhoosh(Exception):
    """The copy cannot answer this search (word positions, spelling suggestions)."""
