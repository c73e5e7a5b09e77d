"""Compare the two ways of ranking the qualifying releases on an existing index.

"every": ``Or(every concept)`` filtered to the qualifying set, ``optimize=True`` (the ranking
until the shortlist, and still the one for up to ``engine.SHORTLIST`` qualifying releases);
"shortlist": the ``engine.SHORTLIST`` releases ``engine._shortlist`` weighs most (all of them
when fewer qualify), every one scored by ``Require(every concept, among(shortlist))`` with
no limit (the ranking now). CPU time of each (best of 2), and how good
their ten hits are against the exact BM25F top ten (every qualifying release scored, no
limit, so none of Whoosh's matcher replacement): how many score at least the exact tenth,
and the mean score below the exact top ten's mean.

    python bench/bench_rank.py /tmp/arsip-100k "penerapan layanan kunjungan daring" "tes urine"
    python bench/bench_rank.py /tmp/arsip-100k          # the 16 benchmark queries
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


def best_of_two(searcher: Any, run: Any) -> tuple[int, list[tuple[int, float]]]:
    best, hits = None, []
    for _ in range(2):
        searcher.weighting.forget()
        start = time.process_time()
        hits = [(hit.docnum, hit.score) for hit in run()]
        spent = time.process_time() - start
        best = spent if best is None else min(best, spent)
    return round((best or 0) * 1000), hits


def judged(hits: list[tuple[int, float]], exact: list[tuple[int, float]]) -> str:
    tenth = exact[-1][1]
    good = sum(1 for _, score in hits if score >= tenth - 1e-9)
    mean = sum(s for _, s in exact) / len(exact) - sum(s for _, s in hits) / max(1, len(hits))
    return f"{good}/{len(hits)} at or above the exact tenth, mean {mean:.3f} below"


def measure(searcher: Any, text: str) -> str:
    reader = searcher.reader()
    concepts = q.concepts(q.parse_query(text), load_synonyms(None))
    queries = [q.concept_query(reader, c) for c in concepts]
    matching = [q.concept_query(reader, c, ranked=False) for c in concepts]
    must = [one for one, c in zip(matching, concepts, strict=True) if c.must]
    shared = [one for one, c in zip(matching, concepts, strict=True) if not c.must]
    cache: dict = {}
    start = time.process_time()
    allowed = engine._qualifying(searcher, must, shared, cache)
    qualifying_ms = (time.process_time() - start) * 1000
    if not allowed:
        return f"{text!r}: none qualify (a typo: the engine corrects it first)"
    ranked = DefaultOr(queries)
    size = min(engine.SHORTLIST, len(allowed))

    def every() -> Any:
        return searcher.search(ranked, limit=10, filter=allowed, optimize=True)

    def shortlisted() -> Any:
        best = engine._shortlist(searcher, ranked, allowed, cache, size)
        among = Require(ranked, q.among(searcher, best))
        return searcher.search(among, limit=None, optimize=False)[:10]

    every_ms, every_hits = best_of_two(searcher, every)
    short_ms, short_hits = best_of_two(searcher, shortlisted)
    searcher.weighting.forget()
    exact = [(h.docnum, h.score) for h in searcher.search(ranked, limit=None, filter=allowed)]
    exact = exact[:10]
    return (
        f"{text!r}: {len(allowed)} qualify ({qualifying_ms:.0f} ms); every: {every_ms} ms, "
        f"{judged(every_hits, exact)}; shortlist: {short_ms} ms, {judged(short_hits, exact)}"
    )


def main() -> None:
    searcher = index.searcher(Archive(Path(sys.argv[1])))
    if len(sys.argv) > 2:
        texts = sys.argv[2:]
    else:
        sys.path.insert(0, str(Path(__file__).parent))
        from bench_search import QUERIES

        texts = QUERIES
    for text in texts:
        print(measure(searcher, text), flush=True)


if __name__ == "__main__":
    main()
