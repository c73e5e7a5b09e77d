"""``humaskit search``: from what a person types to ranked releases with highlighted snippets.

The path of a query, all through Whoosh's public API:

1. ``query.parse_query`` reads the query language ("phrases", OR, -word / NOT word) and
   ``query.concepts`` groups the loose words through the synonym list.
2. A word found nowhere in the archive is replaced by the nearest indexed word
   (``query.correction``: Whoosh's corrector), and the result says so.
3. Which releases qualify: every quoted phrase, a minimum share of the other concepts
   (``query.required_matches``), the filters, none of the exclusions. Whoosh's own
   ``Or(minmatch=...)`` is documented "not yet implemented", so the releases of each
   concept are collected as sets (``query.docs_of``: one ``docs_for_query`` per term,
   read in blocks, faster than Whoosh's matcher tree release by release) and counted.
   Only the stemmed field of a word is read there (its plain twin matches a subset), and
   a phrase's positions are checked, unless it is much rarer than the other words, only
   for the releases those let through.
4. Whoosh ranks those with BM25F over the plain and stemmed fields (``Require(every
   concept, query.among(releases))``: its matchers skip to just those releases, each one
   scored); a release with more concepts scores higher. When more than ``SHORTLIST``
   qualify (thousands, in a large archive), only the ``SHORTLIST`` that ``_shortlist``
   weighs most from the sets step 3 read are ranked: which terms they have, in which
   fields, how rare, but not how often. ``total`` still counts every qualifying release.
   ``snippets`` marks the matched words in each release's paragraphs (stored in the index).

The query's words are stemmed from the index's stem table when it lists them (or they are
their own stem), so most searches never load Sastrawi's dictionary (~40 ms a process).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from humaskit.errors import HumasError, InputError
from humaskit.i18n import t
from humaskit.search import query as q
from humaskit.search.filters import Filters
from humaskit.search.snippets import HIGHLIGHT, marks, snippet
from humaskit.search.synonyms import load_synonyms

if TYPE_CHECKING:
    from humaskit.archive.store import Archive

__all__ = ["HIGHLIGHT", "Hit", "SearchResult", "search"]

MAX_SHARED_CONCEPTS = 8  # beyond this the "at least m of n" rule uses the first eight
# A quoted phrase costs about this many postings read for each release with all its words
# (their positions decoded and compared): ~10 us against ~0.5 us a posting, at 100,000.
PHRASE_COST = 10
# Equal shortlist weights are ordered by date for up to this many releases (~2 us each).
TIED_BY_DATE = 20_000
# Of more qualifying releases than this (or than the hits asked for), only this many, the
# ones that weigh most by ``_shortlist``, are ranked by BM25F.
SHORTLIST = 100


@dataclass(frozen=True)
class Hit:
    id: str
    title: str
    date: str
    unit: str
    score: float
    snippet: str

    def to_json(self) -> dict:
        return asdict(self)


@dataclass
class SearchResult:
    hits: list[Hit] = field(default_factory=list)
    total: int = 0
    corrections: list[tuple[str, str]] = field(default_factory=list)
    rebuilt: str | None = None  # "missing" / "damaged" / "outdated" when rebuilt first
    # The query as it was read, when that differs from the words typed (synonyms, OR,
    # exclusions, corrections); None when it was read as typed.
    reading: str | None = None


def search(
    archive: Archive,
    query: str,
    filters: Filters,
    limit: int = 10,
    synonyms_file: Path | None = None,
) -> SearchResult:
    """Ranked releases for ``query`` within ``filters`` (an empty query lists by date)."""
    parsed = q.parse_query(query or "")
    if parsed.empty and filters.empty:
        raise InputError(t("search.empty_query"))
    if not archive.releases_dir.is_dir():
        return SearchResult()
    from humaskit.search import index

    result = SearchResult()

    def noted(reason: str) -> None:
        result.rebuilt = reason

    searcher = index.searcher(archive, on_rebuild=noted)
    searcher.weighting.forget()  # field lengths are shared within one search only
    try:
        _run(archive, searcher, parsed, filters, limit, synonyms_file, result)
    except HumasError:
        raise
    except Exception as err:  # a segment file damaged after opening
        raise HumasError(t("search.index_damaged", error=f"{type(err).__name__}: {err}")) from None
    return result


def _run(
    archive: Archive,
    searcher: Any,
    parsed: q.ParsedQuery,
    filters: Filters,
    limit: int,
    synonyms_file: Path | None,
    result: SearchResult,
) -> None:
    from whoosh.query import DefaultOr, Every, Require

    from humaskit.search import index

    synonyms = load_synonyms(synonyms_file)
    reader = searcher.reader()
    concepts = q.concepts(parsed, synonyms)
    table = index.stem_table(archive)
    typed = [f for c in concepts for a in c.alternatives for f in a.form]
    q.remember_indexed_stems(reader, table, [*typed, *(w for f in parsed.excluded for w in f)])
    for concept in concepts:
        first = concept.alternatives[0]
        if len(concept.alternatives) == 1 and len(first.form) == 1:
            word = first.form[0]
            if not q.known(reader, word):
                better = q.correction(searcher, word)
                if better is not None:
                    q.remember_indexed_stems(reader, table, [better])
                    result.corrections.append((word, better))
                    concept.alternatives[0] = q.Alternative((better,))
    excluded = q.excluded_forms(parsed, synonyms)
    expanded = any(a.expansion for c in concepts for a in c.alternatives)
    if expanded or result.corrections or excluded or any(len(g) > 1 for g in parsed.groups):
        result.reading = q.reading(concepts, excluded)

    wanted = filters.query()
    mask = q.exclusion_query(reader, excluded)
    sized = limit or None
    if not concepts:
        hits = searcher.search(
            wanted or Every(), limit=sized, sortedby="id", reverse=True, mask=mask
        )
        result.total = len(hits)
        _collect(hits, [], table, result, limit, scored=False)
        return

    queries = [q.concept_query(reader, c) for c in concepts]
    matching = [q.concept_query(reader, c, ranked=False) for c in concepts]
    must = [one for one, c in zip(matching, concepts, strict=True) if c.must]
    shared = [one for one, c in zip(matching, concepts, strict=True) if not c.must]
    cache: dict = {}  # (field, text) -> the term's releases, read once per search
    allowed = _qualifying(searcher, must, shared, cache)
    for wanted_or_not, keep in ((wanted, True), (mask, False)):
        if allowed and wanted_or_not is not None:
            found = q.docs_among(searcher, wanted_or_not, sorted(allowed))
            allowed = allowed & found if keep else allowed - found
    result.total = len(allowed)
    if not allowed:
        return
    # ``total`` comes from ``allowed``, not Whoosh's count.
    ranked = DefaultOr(queries)
    size = max(SHORTLIST, limit)
    if limit and len(allowed) > size:
        # Many qualify: only the ``size`` that weigh most by ``_shortlist`` are ranked.
        best = _shortlist(searcher, ranked, allowed, cache, size)
    else:
        best = sorted(allowed)
    # Each release of ``best`` scored by BM25F over every concept and field (Whoosh's scorer),
    # Whoosh's matchers skipping to them (``filter=`` would walk every release of every term
    # and drop the others). ``limit=None``: with a limit, Whoosh's collector replaces
    # sub-matchers whose maximum score seems too low to reach the top and so loses releases
    # that belong there (bench/bench_rank.py: at 1,000 releases "tes urine" kept 6 of the
    # exact top ten). optimize=False: RequireMatcher.skip_to_quality fails an assertion in
    # whoosh-reloaded 2.7.5.
    hits = searcher.search(Require(ranked, q.among(searcher, best)), limit=None, optimize=False)
    forms = [a.form for c in concepts for a in c.alternatives]
    _collect(hits, forms, table, result, limit, scored=True)


def _collect(
    hits: Any,
    forms: list[q.Form],
    table: dict[str, str] | None,
    result: SearchResult,
    limit: int,
    scored: bool,
) -> None:
    """The shown hits with their snippets (from the paragraphs stored in the index)."""
    marked = marks(forms)
    for hit in hits[: limit or None]:
        fields = hit.fields()
        result.hits.append(
            Hit(
                id=fields["id"],
                title=fields.get("title", ""),
                date=fields.get("date", ""),
                unit=fields.get("unit", ""),
                # Sorted by date (no words given), Whoosh puts the sort key where the score goes.
                score=round(float(hit.score), 4) if scored else 0.0,
                snippet=snippet(fields.get("paragraphs", []), marked, table),
            )
        )


def _shortlist(searcher: Any, ranked: Any, allowed: set[int], cache: dict, size: int) -> list[int]:
    """The ``size`` qualifying releases that BM25F ranks, out of many.

    Each release weighs the idf times the query boost of every term (or multi-word synonym)
    it has among those whose releases ``_qualifying`` read whole (``cache``), as Whoosh's
    ``Or`` and ``And`` add their parts' scores: which concepts it matches, in which fields
    (a title counts more than the text), and how rare they are, but not how often or in
    how long a text. Of equal weights the newest go first (their dates read from the
    index's date column, ~2 us a release, for up to ``TIED_BY_DATE`` of them). Reading no
    posting list again, this costs a few set intersections instead of scoring thousands of
    releases term by term in Python (the price is that a release whose BM25F score
    depends on a term read only for some candidates can be left out)."""
    import heapq

    weight = dict.fromkeys(allowed, 0.0)
    for terms, boost in q.term_boosts(ranked).items():
        sets: list[set[int]] = [cache[term] for term in terms if cache.get(term)]
        if len(sets) == len(terms):
            gain = boost * sum(searcher.idf(*term) for term in terms)
            having = allowed.intersection(*sets)
            if len(having) * 2 <= len(allowed):
                for docnum in having:
                    weight[docnum] += gain
            else:  # most have it: take it from the fewer without (the same order)
                for docnum in allowed - having:
                    weight[docnum] -= gain
    best = heapq.nlargest(size, ((w, d) for d, w in weight.items()))
    cutoff = best[-1][0]
    chosen = [docnum for w, docnum in best if w > cutoff]
    tied = [docnum for docnum, w in weight.items() if w == cutoff]
    if len(tied) <= TIED_BY_DATE:  # equal weights: the newest releases first
        dates = searcher.reader().column_reader("date")
        tied = heapq.nlargest(size - len(chosen), tied, key=lambda docnum: (dates[docnum], docnum))
    else:  # too many to read each date: Whoosh's order (a rebuild indexes newest first)
        tied = heapq.nsmallest(size - len(chosen), tied)
    return sorted(chosen + tied)


def _qualifying(searcher: Any, must: list[Any], shared: list[Any], cache: dict) -> set[int]:
    """The releases with every ``must`` query and the minimum share of ``shared`` ones.

    A release with m of n concepts has one of the n - m + 1 rarest: their releases (read as
    sets, ``query.docs_of``) are the candidates, and the commoner concepts are only checked
    for those candidates (``query.docs_among``), never read whole. A ``must`` query (a
    quoted phrase) is read whole only when it is much rarer than those candidates
    (``PHRASE_COST``); else its positions are checked only for the releases the other
    words let through.
    """
    reader = searcher.reader()
    counted = sorted(shared[:MAX_SHARED_CONCEPTS], key=lambda one: one.estimate_size(reader))
    need = q.required_matches(len(counted))
    seeds, others = counted[: len(counted) - need + 1], counted[len(counted) - need + 1 :]
    must = sorted(must, key=lambda one: one.estimate_size(reader))
    allowed: set[int] | None = None
    seeded = sum(one.estimate_size(reader) for one in seeds)
    if must and (not counted or must[0].estimate_size(reader) * PHRASE_COST <= seeded):
        allowed = set(q.docs_of(searcher, must[0], cache))
        for one in must[1:]:
            allowed = q.docs_among(searcher, one, sorted(allowed)) if allowed else allowed
        if not counted or not allowed:
            return allowed
        must = []
    counts: dict[int, int] = {}
    for one in seeds:
        for docnum in q.docs_of(searcher, one, cache):
            if allowed is None or docnum in allowed:
                counts[docnum] = counts.get(docnum, 0) + 1
    for left, one in enumerate(reversed(others)):
        # Drop the candidates that can no longer reach ``need`` with the concepts left.
        counts = {d: c for d, c in counts.items() if c + len(others) - left >= need}
        if len(counts) * 20 < one.estimate_size(reader):  # few candidates: skip to them
            found = q.docs_among(searcher, one, sorted(counts))
        else:  # many: reading the lists whole is cheaper than skipping
            found = q.docs_of(searcher, one, cache) & counts.keys()
        for docnum in found:
            counts[docnum] += 1
    qualifying = {docnum for docnum, count in counts.items() if count >= need}
    for one in must:  # rarer words than the phrase: its positions checked only for these
        qualifying = q.docs_among(searcher, one, sorted(qualifying)) if qualifying else qualifying
    return qualifying
