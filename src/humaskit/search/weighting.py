"""BM25F as Whoosh computes it, with each release's field lengths read once per search.

A broad query is an ``Or`` of dozens of terms (each word and synonym in six fields, as
written and by its stem): Whoosh's ``BM25FScorer`` looks the release's length in the
field up again for every term that matches it, and that lookup was a fifth of the time
of the broadest benchmark query. The scores are the same; only the lookups are shared.
"""

from __future__ import annotations

from typing import Any


def make_weighting() -> Any:  # -> whoosh.scoring.BM25F
    """A ``BM25F`` whose scorers share field lengths; ``forget()`` it before each search."""
    from whoosh.scoring import BM25F, BM25FScorer

    class SharedLengthsBM25F(BM25F):
        def __init__(self) -> None:
            super().__init__()
            self.lengths: dict[tuple[int, str], dict[int, int]] = {}

        def forget(self) -> None:
            """Drop the lengths read (a leaf searcher's id is unique only while it lives)."""
            self.lengths.clear()

        def scorer(self, searcher: Any, fieldname: str, text: Any, qf: int = 1) -> Any:
            found = super().scorer(searcher, fieldname, text, qf=qf)
            if isinstance(found, BM25FScorer):
                lengths = self.lengths.setdefault((id(searcher), fieldname), {})
                length_of = found.dfl

                def dfl(docnum: int) -> int:
                    known = lengths.get(docnum)
                    if known is None:
                        known = lengths[docnum] = length_of(docnum)
                    return known

                found.dfl = dfl
            return found

    return SharedLengthsBM25F()
