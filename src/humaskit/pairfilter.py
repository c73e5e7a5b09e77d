"""The Whoosh filter behind the ``*_pairs`` fields (imported only with Whoosh itself).

Whoosh pickles a schema's analyzers into the index, so this class must stay importable by
this name. Whoosh's own ``BiWordFilter`` fails on a field without words (an
``UnboundLocalError``) and emits a lone word as if it were a pair; this one emits nothing
for fewer than two words.
"""

from __future__ import annotations

from whoosh.analysis import Filter


class PairFilter(Filter):
    """Each two neighbouring tokens as one token: "warga", "bina" -> "warga bina"."""

    def __init__(self, sep: str = " ") -> None:
        self.sep = sep

    def __eq__(self, other: object) -> bool:
        return isinstance(other, PairFilter) and other.sep == self.sep

    def __hash__(self) -> int:
        return hash((PairFilter, self.sep))

    def __call__(self, tokens):  # type: ignore[no-untyped-def]
        previous = None
        for token in tokens:
            text = token.text
            if previous is not None:
                token.text = f"{previous}{self.sep}{text}"
                yield token
            previous = text
