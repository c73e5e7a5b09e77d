"""``humaskit search``: from what a person types to ranked releases with highlighted snippets.

How a query is read:

- "quoted phrases" must appear as written; everything else is loose words. A stray quote or a
  bare AND / OR / NOT is not an error: the query falls back to plain words.
- Words (and multi-word forms such as "lembaga pemasyarakatan") are grouped into *concepts*
  through the synonym list: "lapas" also looks for "lembaga pemasyarakatan" and back.
- Each word matches its exact form (title, text, speakers, unit, tags) and, unless it is a
  speaker's name, its Sastrawi stem (penerapan finds menerapkan); the exact form scores higher.
- A minimum share of the concepts must match (like Elasticsearch's minimum_should_match): all
  of one or two, three of four, … so one shared word with a long query is not a hit. Releases
  with every concept get a bonus, so they come first.
- A word found nowhere in the archive is replaced by the nearest indexed word (edit distance
  1–2), and the result says so ("vaksinsi" -> "vaksinasi").
"""

from __future__ import annotations

import bisect
import heapq
import itertools
import re
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from humaskit.archive.store import Archive
from humaskit.errors import HumasError, InputError
from humaskit.i18n import t
from humaskit.search.analysis import STOP_WORDS, pairs, stem_word, words
from humaskit.search.indexview import NeedsWhoosh
from humaskit.search.listing import Filters
from humaskit.search.postcache import bitmap_of, members

SYNONYMS_FILE = "synonyms.txt"
HIGHLIGHT = "**"  # snippet markers around matched words (Markdown bold)
SNIPPET_WORDS = 30
MAX_REQUIRED_CONCEPTS = 8  # beyond this the "at least m of n" rule uses the first eight
OPERATORS = {"AND", "OR", "NOT", "ANDNOT", "ANDMAYBE"}


@dataclass(frozen=True)
class Hit:
    id: str
    title: str
    date: str
    unit: str
    score: float
    snippet: str

    def to_json(self) -> dict:
        return {
            "id": self.id,
            "title": self.title,
            "date": self.date,
            "unit": self.unit,
            "score": self.score,
            "snippet": self.snippet,
        }


@dataclass
class SearchResult:
    hits: list[Hit] = field(default_factory=list)
    total: int = 0
    corrections: list[tuple[str, str]] = field(default_factory=list)
    rebuilt: str | None = None  # "missing" / "damaged" when the index was rebuilt first


# --------------------------------------------------------------------------- synonyms


Form = tuple[str, ...]


def parse_synonyms(text: str) -> dict[Form, set[Form]]:
    """``a = b = c`` lines -> every form with the other forms of its lines."""
    table: dict[Form, set[Form]] = {}
    for line in text.splitlines():
        line = line.split("#", 1)[0].strip()
        if "=" not in line:
            continue
        forms = [tuple(words(part)) for part in line.split("=")]
        forms = [f for f in dict.fromkeys(forms) if f]
        for form in forms:
            table.setdefault(form, set()).update(f for f in forms if f != form)
    return table


@cache
def _packaged_synonyms() -> dict[Form, set[Form]]:
    from importlib import resources

    text = resources.files("humaskit").joinpath("data", SYNONYMS_FILE).read_text("utf-8")
    return parse_synonyms(text)


_extended: dict[tuple[str, int, int], dict[Form, set[Form]]] = {}


def load_synonyms(extra: Path | None = None) -> dict[Form, set[Form]]:
    """The packaged list, extended by a unit's ``synonyms.txt`` beside ``humaskit.toml``.

    Read once per process (again when the unit's file changes). Do not modify the table.
    """
    try:
        stat = extra.stat() if extra is not None else None
    except OSError:
        stat = None
    if extra is None or stat is None or not extra.is_file():
        return _packaged_synonyms()
    key = (str(extra), stat.st_mtime_ns, stat.st_size)
    found = _extended.get(key)
    if found is not None:
        return found
    table = {form: set(alts) for form, alts in _packaged_synonyms().items()}
    try:
        text = extra.read_text("utf-8")
    except (OSError, UnicodeDecodeError) as err:
        raise InputError(t("search.bad_synonyms", path=extra, error=err)) from None
    for form, alts in parse_synonyms(text).items():
        table.setdefault(form, set()).update(alts)
    _extended.clear()
    _extended[key] = table
    return table


# --------------------------------------------------------------------------- query parsing


@dataclass
class ParsedQuery:
    phrases: list[Form]
    words: list[str]

    @property
    def empty(self) -> bool:
        return not self.phrases and not self.words


def parse_query(text: str) -> ParsedQuery:
    """Balanced "quoted phrases" and loose words; anything odd becomes plain words."""
    text = text.replace("“", '"').replace("”", '"')
    phrases: list[Form] = []

    def take(match: re.Match) -> str:
        form = tuple(words(match.group(1)))
        if len(form) > 1:
            phrases.append(form)
            return " "
        return f" {match.group(1)} "  # a quoted single word is just a word

    rest = re.sub(r'"([^"]*)"', take, text)
    loose = " ".join(w for w in rest.replace('"', " ").split() if w not in OPERATORS)
    return ParsedQuery(phrases=phrases, words=words(loose))


def group_concepts(tokens: list[str], synonyms: dict[Form, set[Form]]) -> list[list[Form]]:
    """Greedy longest synonym forms: each concept is its own form followed by alternatives."""
    longest = max((len(f) for f in synonyms), default=1)
    concepts: list[list[Form]] = []
    i = 0
    while i < len(tokens):
        for size in range(min(longest, len(tokens) - i), 0, -1):
            form = tuple(tokens[i : i + size])
            if size == 1 or form in synonyms:
                concepts.append([form, *sorted(synonyms.get(form, ()))])
                i += size
                break
    return concepts


def required_matches(concepts: int) -> int:
    """How many of ``concepts`` a release must match: all of 1–2, then three quarters."""
    if concepts <= 2:
        return concepts
    return max(2, (concepts * 3) // 4)


# --------------------------------------------------------------------------- searching


@dataclass
class Clause:
    """A node of the scoring query: a term, all of ``subs`` ("all") or any of them ("any")."""

    kind: str
    name: str = ""
    text: str = ""
    subs: list[Clause] = field(default_factory=list)
    boost: float = 1.0


def _term(name: str, text: str, boost: float = 1.0) -> Clause:
    return Clause("term", name, text, boost=boost)


class _QueryBuilder:
    def __init__(self, view) -> None:  # type: ignore[no-untyped-def]
        self.view = view

    def has(self, name: str, text: str) -> bool:
        return self.view.has(name, text)

    def is_name(self, word: str) -> bool:
        return self.view.doc_frequency("speakers", word) > 0

    def known(self, word: str) -> bool:
        for name in ("content", "title", "speakers", "unit_text", "tags"):
            if self.view.doc_frequency(name, word) > 0:
                return True
        stem = stem_word(word)
        return any(self.view.doc_frequency(n, stem) > 0 for n in ("content_stem", "title_stem"))

    def correct(self, word: str) -> str | None:
        if len(word) < 4 or word.isdigit() or word in STOP_WORDS:
            return None
        for distance in (1, 2) if len(word) >= 8 else (1,):
            for name in ("content", "title"):
                found = self.view.suggest(name, word, distance)
                if found:
                    return found
        return None

    def word(self, word: str) -> Clause:
        clauses = [
            _term("title", word, 2.0),
            _term("content", word),
            _term("speakers", word, 2.0),
            _term("unit_text", word),
            _term("tags", word),
        ]
        if not self.is_name(word):
            stem = stem_word(word)
            clauses += [_term("title_stem", stem, 0.8), _term("content_stem", stem, 0.5)]
        return Clause("any", subs=clauses)

    def phrase(self, form: Form) -> Clause:
        """A phrase scores through its pair terms ("warga bina"), one per two neighbours."""

        def every(name: str, terms: list[str], boost: float) -> Clause:
            if len(terms) == 1:
                return _term(name, terms[0], boost)
            return Clause("all", subs=[_term(name, p) for p in terms], boost=boost)

        return Clause(
            "any",
            subs=[
                every(name, terms, boost)
                for name, terms, boost in _pair_places(form)
                if all(self.has(name, p) for p in terms)
            ],
        )

    def form(self, form: Form) -> Clause:
        return self.word(form[0]) if len(form) == 1 else self.phrase(form)

    def concept(self, forms: list[Form]) -> Clause:
        if len(forms) == 1:
            return self.form(forms[0])
        # The words as typed count fully; their synonyms a little less.
        alternatives = [self.form(forms[0])]
        for alt in forms[1:]:
            clause = self.form(alt)
            clause.boost = 0.8
            alternatives.append(clause)
        return Clause("any", subs=alternatives)


def _pair_places(form: Form) -> list[tuple[str, list[str], float]]:
    """Where a form of several words is looked up: field, the terms that must all be there,
    boost. Titles and units hold all their pairs of neighbouring words; the text holds only
    the pairs of the synonym list's phrases, so another form (a quoted phrase, a unit's own
    synonym) is looked for there as all its stems: quoted phrases are then checked word for
    word."""
    stems = tuple(stem_word(w) for w in form)
    if form in _packaged_synonyms():
        text = ("content_pairs", pairs(stems), 1.0)
    else:
        text = ("content_stem", list(dict.fromkeys(stems)), 1.0)
    return [("title_pairs", pairs(stems), 2.0), text, ("unit_pairs", pairs(form), 1.0)]


class _Postings:
    """A query's posting lists, read once per search, and what the query needs from them.

    ``required`` gives the releases that qualify (every quoted phrase, the minimum share of
    concepts) as the bits of an integer; ``ranked`` scores just those releases with BM25F
    as Whoosh defines it. Both work on whole posting lists from an ``indexview`` (Whoosh's
    own matchers go posting by posting through a tree of Python objects, ~50 µs a release
    for a query with synonyms).
    """

    def __init__(self, view, builder: _QueryBuilder) -> None:  # type: ignore[no-untyped-def]
        self.view = view
        self.builder = builder
        self.offsets = view.offsets
        self._lists: dict[tuple[str, str, bool], tuple[list[int], list[float], list]] = {}
        self._bits: dict[tuple, int] = {}
        self._deleted_bits: dict[int, int] = {}
        self.within: set[int] | None = None  # the releases that can qualify at all

    # ----------------------------------------------------------------- which releases

    def required(self, concepts: list[list[Form]], phrases: list[Form]) -> int:
        """Releases with every quoted phrase and the minimum share of ``concepts``, as the
        bits of an integer (bit ``d`` for document ``d``).

        A quoted phrase first counts wherever its pairs of neighbouring stems all occur,
        which gives a superset of the answer; its words are then checked as written and in
        order only in the releases that qualify on everything else.
        """
        allowed = -1  # every release
        for form in phrases:
            allowed &= self.form(form)
        if concepts:
            allowed &= _at_least(
                [self.concept(c) for c in concepts], required_matches(len(concepts))
            )
        if allowed > 0 and phrases:
            self.within = set(members(allowed))
            found = set(self.within)
            for form in phrases:
                found &= self.exact(form)
            allowed = _bits_of(sorted(found))
        return max(allowed, 0)

    def concept(self, forms: list[Form]) -> int:
        key = ("concept", *forms)
        found = self._bits.get(key)
        if found is None:
            found = 0
            for form in forms:
                found |= self.form(form)
            self._bits[key] = found
        return found

    def form(self, form: Form) -> int:
        """Releases the query clause of ``form`` matches (see ``_QueryBuilder``).

        The exact fields are left out where the stemmed field holds them anyway: a release
        with "penerapan" in its text has "terap" in ``content_stem``. A form of several words
        matches where all its pairs of neighbouring words are found in one field.
        """
        key = ("form", *form)
        found = self._bits.get(key)
        if found is not None:
            return found
        found = 0
        if len(form) > 1:
            for name, terms, _ in _pair_places(form):
                every = -1
                for term in terms:
                    every &= self.bits(name, term)
                found |= max(every, 0)
        else:
            word = form[0]
            if self.builder.is_name(word):  # names: exact fields only
                terms = [(name, word) for name in ("title", "content", "speakers")]
            else:
                stem = stem_word(word)
                terms = [("title_stem", stem), ("content_stem", stem)]
            terms += [("unit_text", word), ("tags", word)]
            for name, text in terms:
                found |= self.bits(name, text)
        self._bits[key] = found
        return found

    def bits(self, name: str, text: str) -> int:
        """The releases with a term, as the bits of an integer, deleted ones left out.

        Read as a whole from the term's bitmap in the postings file when it has one,
        else made from its document numbers.
        """
        key = (name, text)
        found = self._bits.get(key)
        if found is not None:
            return found
        found = 0
        if self.builder.has(name, text):
            for i, offset in enumerate(self.offsets):
                part = self.view.leaf_bits(i, name, text)
                if part is None:
                    lists = self.view.leaf_postings(i, name, text)
                    if lists is None:
                        continue
                    part = _bits_of(lists[0])
                deleted = self._deleted(i)
                if deleted:
                    part &= ~deleted
                found |= part << offset
        self._bits[key] = found
        return found

    def _deleted(self, i: int) -> int:
        found = self._deleted_bits.get(i)
        if found is None:
            deleted = self.view.deleted(i)
            found = self._deleted_bits[i] = _bits_of(sorted(deleted)) if deleted else 0
        return found

    def exact(self, form: Form) -> set[int]:
        """Releases of ``within`` with the words of ``form`` as written, one after the other."""
        if hasattr(self.view, "phrase_docs"):  # the copy: no word positions
            return self.view.phrase_docs(form, self.within or set())
        found: set[int] = set()
        for name in ("title", "content", "unit_text"):
            found.update(self.phrase(name, form))
        return found

    # ----------------------------------------------------------------- posting lists

    def postings(
        self, name: str, text: str, values: bool = False
    ) -> tuple[list[int], list[float], list]:
        """Document numbers, weights and (``values``) encoded positions of one term, deleted
        releases left out."""
        key = (name, text, values)
        cached = self._lists.get(key)
        if cached is not None:
            return cached
        ids: list[int] = []
        weights: list[float] = []
        found: list = []
        if not self.builder.has(name, text):
            self._lists[key] = (ids, weights, found)
            return ids, weights, found
        for i, offset in enumerate(self.offsets):
            lists = self.view.leaf_postings(i, name, text, values)
            if lists is None:
                continue
            block_ids, block_weights, block_values = lists
            deleted = self.view.deleted(i)
            if deleted:
                keep = [j for j, d in enumerate(block_ids) if d not in deleted]
                block_ids = [block_ids[j] for j in keep]
                block_weights = [block_weights[j] for j in keep]
                if values:
                    block_values = [block_values[j] for j in keep]
            ids.extend(block_ids if not offset else [d + offset for d in block_ids])
            weights.extend(block_weights)
            found.extend(block_values)
        self._lists[key] = (ids, weights, found)
        return ids, weights, found

    def phrase(self, name: str, words_: tuple[str, ...]) -> set[int]:
        """Releases of ``within`` with ``words_`` one after the other in field ``name``."""
        found: set[int] = set()
        lists = [self.postings(name, w, values=True) for w in words_]
        if not all(ids for ids, _, _ in lists):
            return found
        decode = _positions_decoder(self.view.positions_format(name))
        where = [dict(zip(ids, values, strict=True)) for ids, _, values in lists]
        candidates = set(where[0]).intersection(*where[1:])
        if self.within is not None:
            candidates &= self.within
        # Releases share position lists (the same sentence in the same place): each
        # combination of encoded positions is decoded and checked once.
        seen: dict[tuple, bool] = {}
        for docnum in candidates:
            encoded = tuple(w[docnum] for w in where)
            adjacent = seen.get(encoded)
            if adjacent is None:
                adjacent = seen[encoded] = _adjacent(encoded, decode)
            if adjacent:
                found.add(docnum)
        return found

    # ----------------------------------------------------------------- scores

    def ranked(
        self,
        concepts: list[list[Form]],
        clauses: list,
        phrase_clauses: list,
        allowed: int,
        limit: int,
    ) -> list[tuple[int, float]]:
        """The ``limit`` best releases of ``allowed`` (all when 0): best score first, then
        the lower document number.

        The score is BM25F by Whoosh's scorer objects: the sum of the clauses (one per
        concept, one per quoted phrase) with their boosts, and half as much again for a
        release that has them all (the words as typed, all present, come first).

        Releases are grouped by which concepts they match, so the bonus is known per group.
        A group's best possible score (each clause at its term's best weight and shortest
        field) is known without reading it, so groups are scored best bound first, and the
        rest are skipped once ``limit`` scores beat their bound: "pembinaan warga binaan
        menjahit" scores the 5,000 releases with all three words, not the 60,000 with two.
        """
        scoring = clauses + phrase_clauses
        leaves: list[tuple[float, Any]] = []
        for clause in scoring:
            _flatten(clause, 1.0, leaves)
        groups = [(allowed, (True,) * len(concepts))]  # one concept: every release has it
        if len(concepts) > 1:
            groups = [(allowed, ())]
            for one in (self.concept(c) for c in concepts):
                split = []
                for docs, mask in groups:
                    inside = docs & one
                    if inside:
                        split.append((inside, (*mask, True)))
                    if inside != docs:
                        split.append((docs & ~one, (*mask, False)))
                groups = split
        clause_bounds = [self.bound(c) for c in clauses]
        extra = sum(self.bound(q) for q in phrase_clauses)  # every allowed release has them

        def bonus(mask: tuple[bool, ...]) -> float:
            return 1.5 if len(scoring) > 1 and all(mask) else 1.0

        def best_possible(mask: tuple[bool, ...]) -> float:
            total = sum(b for b, hit in zip(clause_bounds, mask, strict=True) if hit) + extra
            return total * bonus(mask) * (1 + 1e-9) + 1e-9  # sums in another order: stay above

        best: list[tuple[int, float]] = []
        for docs, mask in sorted(groups, key=lambda g: -best_possible(g[1])):
            if limit and len(best) >= limit and best[-1][1] > best_possible(mask):
                break
            factor = bonus(mask)
            scores = [(d, total * factor) for d, total in self.totals(leaves, docs).items()]
            best = heapq.nsmallest(limit or len(best) + len(scores), best + scores, key=_rank_key)
        return best

    def totals(self, leaves: list[tuple[float, Any]], group: int) -> dict[int, float]:
        """Each release of ``docs``: the sum of its leaf clauses' scores times their boosts.

        A term that is a leaf more than once (a word and its synonym with the same stem) is
        scored once, with the sum of its boosts.
        """
        ordered = members(group)
        docs = set(ordered)
        found = dict.fromkeys(ordered, 0.0)
        terms: dict[tuple[str, str], float] = {}
        for boost, leaf in leaves:
            if leaf.kind == "term":
                key = (leaf.name, leaf.text)
                terms[key] = terms.get(key, 0.0) + boost
                continue
            # The pairs of a phrase: all of them, or the phrase is not there.
            parts = []
            for term in leaf.subs:
                part = dict.fromkeys(docs, 0.0)
                self.add_scores(part, term.name, term.text, 1.0, docs, ordered)
                parts.append(part)
            every = group
            for term in leaf.subs:
                every &= self.bits(term.name, term.text)
            for docnum in members(every):
                found[docnum] += boost * sum(part[docnum] for part in parts)
        for (name, text), boost in terms.items():
            self.add_scores(found, name, text, boost, docs, ordered)
        return found

    def bound(self, query) -> float:  # type: ignore[no-untyped-def]
        """The highest score ``query`` can give any release (see ``scores``)."""
        if query.kind == "term":
            found = self._max_score(query.name, query.text)
        else:
            subs = query.subs
            if not subs:
                return 0.0
            if len(subs) == 1:
                return self.bound(subs[0])
            found = sum(self.bound(sub) for sub in subs)
        return found * query.boost

    def _max_score(self, name: str, text: str) -> float:
        if not self.builder.has(name, text):
            return 0.0
        # Whoosh's own block-skipping bound: the term's highest weight, shortest field.
        return self.view.scorer(name, text)[1]

    def add_scores(
        self,
        into: dict[int, float],
        name: str,
        text: str,
        boost: float,
        docs: set[int],
        ordered: list[int],
    ) -> None:
        """Add ``boost`` times Whoosh's score of one term to ``into`` (which has every
        release of ``docs`` as a key) for the releases of ``docs`` that have the term;
        ``ordered`` is ``docs`` sorted."""
        if not self.builder.has(name, text):
            return
        ids, weights, _ = self.postings(name, text)
        if not ids:
            return
        score = self.view.scorer(name, text)[0]
        codes, table = self.view.lengths(name)
        # A score depends on the weight (few values) and the field's length code (one byte):
        # one row of 256 scores per weight, filled as codes turn up.
        rows: dict[float, list[float | None]] = {}

        def value(weight: float, code: int) -> float:
            row = rows.get(weight)
            if row is None:
                row = rows[weight] = [None] * 256
            found = row[code]
            if found is None:
                found = row[code] = boost * score(weight, table[code])
            return found

        # The scoring lines are repeated in both branches on purpose: collecting the hits
        # first and scoring them in one loop measured 5-8% slower on 5,000-release queries.
        if len(ordered) * 4 < len(ids):  # few releases in a long list: look them up
            count, i = len(ids), 0
            for docnum in ordered:  # ascending, like ids: each search starts where the last ended
                i = bisect.bisect_left(ids, docnum, i)
                if i == count:
                    break
                if ids[i] == docnum:
                    weight = weights[i]
                    row = rows.get(weight)
                    known = row[codes[docnum]] if row is not None else None
                    into[docnum] += known if known is not None else value(weight, codes[docnum])
        else:
            for docnum, weight in zip(ids, weights, strict=True):
                if docnum in docs:
                    row = rows.get(weight)
                    known = row[codes[docnum]] if row is not None else None
                    into[docnum] += known if known is not None else value(weight, codes[docnum])


def _flatten(query, boost: float, leaves: list) -> None:  # type: ignore[no-untyped-def]
    """The scored leaves of a clause with the product of the boosts above them: terms, and
    the pairs of a phrase (an ``And`` of terms, scored all or nothing)."""
    subs = query.subs
    if len(subs) == 1:  # Whoosh uses the one child's matcher, without the boost
        _flatten(subs[0], boost, leaves)
    elif query.kind in ("term", "all"):
        leaves.append((boost * query.boost, query))
    else:
        for sub in subs:
            _flatten(sub, boost * query.boost, leaves)


def _adjacent(values: tuple, decode) -> bool:  # type: ignore[no-untyped-def]
    """Whether the words with these encoded positions follow one another somewhere."""
    start = set(decode(values[0]))
    for i in range(1, len(values)):
        start &= {p - i for p in decode(values[i])}
        if not start:
            return False
    return True


def _positions_decoder(format_):  # type: ignore[no-untyped-def]
    """Whoosh's ``decode_positions`` of a ``Positions`` format, without its per-call overhead."""
    from pickle import loads

    from whoosh.formats import Positions
    from whoosh.system import _INT_SIZE

    if type(format_) is not Positions:
        return format_.decoder("positions")

    def decode(value: bytes) -> list[int]:
        codes = loads(value[_INT_SIZE:] if value.endswith(b".") else value[_INT_SIZE:] + b".")
        return list(itertools.accumulate(codes))

    return decode


def _rank_key(item: tuple[int, float]) -> tuple[float, int]:
    return -item[1], item[0]


class _Hit:
    """A ranked release, shaped like the part of ``whoosh.searching.Hit`` that ``_run`` uses."""

    def __init__(self, view, docnum: int, score: float) -> None:  # type: ignore[no-untyped-def]
        self.view = view
        self.docnum = docnum
        self.score = score

    def fields(self) -> dict:
        return self.view.stored(self.docnum)


def _at_least(sets: list[int], need: int) -> int:
    """The members of at least ``need`` of ``sets`` (sets as the bits of integers)."""
    # levels[k]: seen in at least k + 1 of the sets so far.
    levels = [0] * need
    for one in sets:
        for k in range(need - 1, 0, -1):
            levels[k] |= levels[k - 1] & one
        levels[0] |= one
    return levels[need - 1]


def _bits_of(ids: list[int]) -> int:
    """Sorted document numbers as the bits of an integer."""
    if not ids:
        return 0
    return int.from_bytes(bitmap_of(ids, ids[-1] + 1), "little")


def filter_query(filters: Filters):  # type: ignore[no-untyped-def]
    from whoosh.query import And, Or, Phrase, Term, TermRange

    parts = []
    if filters.since or filters.until:
        start = filters.since.isoformat() if filters.since else None
        end = filters.until.isoformat() if filters.until else None
        parts.append(TermRange("date", start, end))
    if filters.unit:
        wanted = filters.unit.casefold().strip()
        parts.append(Or([Term("unit_key", wanted), Term("signature_key", wanted)]))
    if filters.tag:
        parts.append(Term("tags", filters.tag.lower().strip()))
    if filters.speaker:
        name = words(filters.speaker)
        if len(name) == 1:
            parts.append(Term("speakers", name[0]))
        elif name:
            parts.append(Phrase("speakers", name))
    if not parts:
        return None
    return parts[0] if len(parts) == 1 else And(parts)


def _filtered(searcher, wanted, allowed: set[int]) -> set[int]:  # type: ignore[no-untyped-def]
    """The releases of ``allowed`` that ``filter_query`` lets through.

    A date range is checked on the few allowed releases through the date column: as a
    query it is one posting list per day in the range.
    """
    from whoosh.query import And, TermRange

    parts = wanted.subqueries if isinstance(wanted, And) else [wanted]
    for part in parts:
        if not allowed:
            break
        if (
            isinstance(part, TermRange)
            and part.fieldname == "date"
            and not (part.startexcl or part.endexcl)
        ):
            dates = searcher.reader().column_reader("date")
            start, end = part.start, part.end
            allowed = {
                d
                for d in allowed
                if (start is None or dates[d] >= start) and (end is None or dates[d] <= end)
            }
        else:
            allowed &= set(searcher.docs_for_query(part))
    return allowed


def search(
    archive: Archive,
    query: str,
    filters: Filters,
    limit: int = 10,
    synonyms_file: Path | None = None,
) -> SearchResult:
    """Ranked releases for ``query`` within ``filters`` (an empty query lists by date).

    Words and quoted phrases are answered from the index's copy without importing Whoosh
    when the copy is up to date; filters, an empty query, a phrase to check in many releases
    and anything else the copy cannot answer go through Whoosh.
    """
    parsed = parse_query(query or "")
    filtered = any((filters.since, filters.until, filters.unit, filters.tag, filters.speaker))
    if parsed.empty and not filtered:
        raise InputError(t("search.empty_query"))
    if not archive.releases_dir.is_dir():
        return SearchResult()
    if not filtered:
        found = _search_copy(archive, parsed, limit, synonyms_file)
        if found is not None:
            return found
    wanted = filter_query(filters)
    if parsed.empty and wanted is None:
        raise InputError(t("search.empty_query"))
    result = SearchResult()
    from humaskit.search import index
    from humaskit.search.indexview import WhooshView

    def noted(reason: str) -> None:
        result.rebuilt = reason

    ix = index.open_or_rebuild(archive, on_rebuild=noted)
    try:
        with ix.searcher() as searcher:
            view = WhooshView(searcher, archive.index_dir)
            _run(archive, view, parsed, wanted, limit, synonyms_file, result)
    except (HumasError, index.IndexUnavailable):
        raise
    except Exception as err:  # a segment file damaged after opening
        raise HumasError(t("search.index_damaged", error=f"{type(err).__name__}: {err}")) from None
    return result


def _search_copy(
    archive: Archive, parsed: ParsedQuery, limit: int, synonyms_file: Path | None
) -> SearchResult | None:
    """The result from the postings copy alone, or None when it cannot give it."""
    from humaskit.search import index, postcache
    from humaskit.search.analysis import use_stem_table
    from humaskit.search.indexview import CopyView

    if not index.version_matches(archive):
        return None
    snapshot = postcache.open_snapshot(archive.index_dir)
    if snapshot is None:
        return None
    if snapshot.stems is not None:
        use_stem_table(snapshot.stems.get)
    result = SearchResult()
    try:
        _run(archive, CopyView(snapshot, archive), parsed, None, limit, synonyms_file, result)
    except NeedsWhoosh:
        return None
    except HumasError:
        raise
    except Exception:  # a damaged copy: Whoosh answers, and doctor reports the copy
        return None
    return result


def _run(archive, view, parsed, wanted, limit, synonyms_file, result) -> None:  # type: ignore[no-untyped-def]
    builder = _QueryBuilder(view)
    concepts = group_concepts(parsed.words, load_synonyms(synonyms_file))
    for concept in concepts:
        form = concept[0]
        if len(concept) == 1 and len(form) == 1 and not builder.known(form[0]):
            better = builder.correct(form[0])
            if better is not None:
                result.corrections.append((form[0], better))
                concept[0] = (better,)
    terms = [c[0] for c in concepts] + parsed.phrases
    clauses = [builder.concept(c) for c in concepts]
    phrase_clauses = [builder.phrase(p) for p in parsed.phrases]
    if not clauses and not phrase_clauses:
        from whoosh.query import Every

        hits = view.searcher.search(
            wanted or Every(), limit=limit or None, sortedby=["date", "id"], reverse=True
        )
        result.total = len(hits)
    else:
        # Which releases qualify is worked out on sets of document numbers (integers of
        # bits), not by a Whoosh query: "m of n" as a query is C(n, m) conjunctions. Only
        # the releases that qualify are scored, best possible groups first.
        postings = _Postings(view, builder)
        allowed = postings.required(concepts[:MAX_REQUIRED_CONCEPTS], parsed.phrases)
        if allowed and wanted is not None:
            allowed = _bits_of(sorted(_filtered(view.searcher, wanted, set(members(allowed)))))
        result.total = allowed.bit_count()
        if not allowed:
            return
        ranked = postings.ranked(concepts, clauses, phrase_clauses, allowed, limit)
        hits = [_Hit(view, docnum, score) for docnum, score in ranked]
    marks = _highlight_terms(terms, concepts)
    for hit in hits[: limit if limit else None]:
        fields = hit.fields()
        snippet = _snippet(archive, fields["id"], marks)
        # Sorted by date (no words given), Whoosh puts the sort key where the score goes.
        score = hit.score if isinstance(hit.score, int | float) else 0.0
        result.hits.append(
            Hit(
                id=fields["id"],
                title=fields.get("title", ""),
                date=fields.get("date", ""),
                unit=fields.get("unit", ""),
                score=round(float(score), 4),
                snippet=snippet,
            )
        )


# --------------------------------------------------------------------------- snippets


def _highlight_terms(terms: list[Form], concepts: list[list[Form]]) -> tuple[set[str], set[str]]:
    """Words to mark as they are, and stems to mark inside longer words."""
    plain: set[str] = set()
    for concept in concepts:
        for form in concept:
            plain.update(form)
    for form in terms:
        plain.update(form)
    stems = {s for s in (stem_word(w) for w in plain) if len(s) >= 4}
    return plain, stems


def _snippet(archive: Archive, release_id: str, marks: tuple[set[str], set[str]]) -> str:
    """The best window of about 30 words, matched words between ``**``."""
    try:
        release = archive.load(release_id).release
    except HumasError:
        return ""
    plain, stems = marks
    best: tuple[int, list[str], int, int] | None = None
    for paragraph in release.texts():
        tokens = paragraph.split()
        flags = [_matches(tok, plain, stems) for tok in tokens]
        for start in range(0, max(1, len(tokens) - SNIPPET_WORDS + 1), 5):
            score = sum(flags[start : start + SNIPPET_WORDS])
            if best is None or score > best[0]:
                best = (score, tokens, start, len(tokens))
        if not plain:
            break
    if best is None:
        return ""
    _, tokens, start, count = best
    window = tokens[start : start + SNIPPET_WORDS]
    shown = [
        f"{HIGHLIGHT}{tok}{HIGHLIGHT}" if _matches(tok, plain, stems) else tok for tok in window
    ]
    text = " ".join(shown)
    if start > 0:
        text = "… " + text
    if start + SNIPPET_WORDS < count:
        text += " …"
    return text


def _matches(token: str, plain: set[str], stems: set[str]) -> bool:
    word = re.sub(r"^\W+|\W+$", "", token).lower()
    if not word:
        return False
    if word in plain:
        return True
    # Prefixes change a root's first letter (terap -> menerapkan): look for the rest of it,
    # then confirm with the stemmer, which only runs on these few candidates.
    return any(stem[1:] in word and stem_word(word) == stem for stem in stems)
