"""The Whoosh filter behind the ``*_pairs`` fields (imported only with Whoosh itself).

Whoosh pickles a schema's analyzers into the index, so this class must stay importable by
this name. Whoosh's own ``BiWordFilter`` fails on a field without words (an
``UnboundLocalError``) and emits a lone word as if it were a pair; this one emits nothing
for fewer than two words.
"""

from __future__ import annotations

from whoosh.analysis import Filter


class PairFilter(Filter):
    """Each two neighbouring tokens as one token: "warga", "bina" -> "warga bina".

    ``only="synonyms"`` keeps just the pairs of the packaged synonym list's multi-word forms
    (``analysis.synonym_pairs``): the pairs of a long text are nearly all different, and
    indexing every one doubled the time to build a large archive's index.
    """

    def __init__(self, sep: str = " ", only: str | None = None) -> None:
        self.sep = sep
        self.only = only

    def __eq__(self, other: object) -> bool:
        return isinstance(other, PairFilter) and (other.sep, other.only) == (self.sep, self.only)

    def __hash__(self) -> int:
        return hash((PairFilter, self.sep, self.only))

    def __call__(self, tokens):  # type: ignore[no-untyped-def]
        keep = None
        if getattr(self, "only", None) == "synonyms":
            from humaskit.search.analysis import synonym_pairs

            keep = synonym_pairs()
        previous = None
        for token in tokens:
            text = token.text
            if previous is not None:
                pair = f"{previous}{self.sep}{text}"
                if keep is None or pair in keep:
                    token.text = pair
                    yield token
            previous = text
