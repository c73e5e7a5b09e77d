"""Compare the two ways of ranking the qualifying releases on an existing index.

``Require(every concept, the rarest ones)`` with ``optimize=False`` (the ranking until
schema 5) against ``Or(every concept)`` filtered to the qualifying set with Whoosh's
block-max optimisation (``optimize=True``, the ranking now): CPU time of ``Searcher.search``
alone (best of 2), and whether both give the same hits and scores.

    python bench/bench_rank.py /tmp/arsip-100k "penerapan layanan kunjungan daring" "tes urine"
"""

from __future__ import annotations

import sys
import time
from pathlib import Path
from typing import Any

from whoosh.query import DefaultOr, Require

from humaskit.archive.store import Archive
from humaskit.search import engine, index
from humaskit.search import query as q
from humaskit.search.synonyms import load_synonyms


def best_of_two(searcher: Any, ranked: Any, allowed: set[int], optimize: bool) -> tuple[int, list]:
    best, hits = None, []
    for _ in range(2):
        searcher.weighting.forget()
        start = time.process_time()
        hits = searcher.search(ranked, limit=10, filter=allowed, optimize=optimize)
        spent = time.process_time() - start
        best = spent if best is None else min(best, spent)
    return round((best or 0) * 1000), [(h.docnum, round(h.score, 4)) for h in hits]


def main() -> None:
    searcher = index.searcher(Archive(Path(sys.argv[1])))
    reader = searcher.reader()
    for text in sys.argv[2:]:
        concepts = q.concepts(q.parse_query(text), load_synonyms(None))
        queries = [q.concept_query(reader, c) for c in concepts]
        must = [one for one, c in zip(queries, concepts, strict=True) if c.must]
        shared = [one for one, c in zip(queries, concepts, strict=True) if not c.must]
        start = time.process_time()
        allowed = engine._qualifying(searcher, must, shared)
        qualifying_ms = (time.process_time() - start) * 1000
        counted = sorted(
            shared[: engine.MAX_SHARED_CONCEPTS], key=lambda o: o.estimate_size(reader)
        )
        seeds = counted[: len(counted) - q.required_matches(len(counted)) + 1]
        if must:
            narrow = min(must, key=lambda o: o.estimate_size(reader))
        else:
            narrow = seeds[0] if len(seeds) == 1 else DefaultOr(seeds)
        old_ms, old = best_of_two(searcher, Require(DefaultOr(queries), narrow), allowed, False)
        new_ms, new = best_of_two(searcher, DefaultOr(queries), allowed, True)
        print(
            f"{text!r}: {len(allowed)} qualify ({qualifying_ms:.0f} ms); rank: Require, "
            f"optimize=False {old_ms} ms; Or, optimize=True {new_ms} ms; same hits: {old == new}",
            flush=True,
        )


if __name__ == "__main__":
    main()
