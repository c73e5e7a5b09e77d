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

from humaskit.analysis import STOP_WORDS, stem_word, words
from humaskit.errors import HumasError, InputError
from humaskit.i18n import t
from humaskit.listing import Filters
from humaskit.store import Archive

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


class _QueryBuilder:
    def __init__(self, reader) -> None:  # type: ignore[no-untyped-def]
        self.reader = reader

    def is_name(self, word: str) -> bool:
        return self.reader.doc_frequency("speakers", word) > 0

    def known(self, word: str) -> bool:
        for name in ("content", "title", "speakers", "unit_text", "tags"):
            if self.reader.doc_frequency(name, word) > 0:
                return True
        stem = stem_word(word)
        return any(self.reader.doc_frequency(n, stem) > 0 for n in ("content_stem", "title_stem"))

    def correct(self, word: str, searcher) -> str | None:  # type: ignore[no-untyped-def]
        if len(word) < 4 or word.isdigit() or word in STOP_WORDS:
            return None
        for distance in (1, 2) if len(word) >= 8 else (1,):
            for name in ("content", "title"):
                found = searcher.corrector(name).suggest(word, limit=1, maxdist=distance, prefix=1)
                if found:
                    return found[0]
        return None

    def word(self, word: str):  # type: ignore[no-untyped-def]
        from whoosh.query import Or, Term

        clauses = [
            Term("title", word, boost=2.0),
            Term("content", word),
            Term("speakers", word, boost=2.0),
            Term("unit_text", word),
            Term("tags", word),
        ]
        if not self.is_name(word):
            stem = stem_word(word)
            clauses += [Term("title_stem", stem, boost=0.8), Term("content_stem", stem, boost=0.5)]
        return Or(clauses)

    def phrase(self, form: Form, stemmed: bool = True):  # type: ignore[no-untyped-def]
        from whoosh.query import Or, Phrase

        clauses = [
            Phrase("title", list(form), boost=2.0),
            Phrase("content", list(form)),
            Phrase("unit_text", list(form)),
        ]
        if stemmed:
            stems = [stem_word(w) for w in form]
            clauses += [
                Phrase("title_stem", stems, boost=0.8),
                Phrase("content_stem", stems, boost=0.5),
            ]
        return Or(clauses)

    def form(self, form: Form):  # type: ignore[no-untyped-def]
        return self.word(form[0]) if len(form) == 1 else self.phrase(form)

    def concept(self, forms: list[Form]):  # type: ignore[no-untyped-def]
        from whoosh.query import Or

        if len(forms) == 1:
            return self.form(forms[0])
        # The words as typed count fully; their synonyms a little less.
        alternatives = [self.form(forms[0])]
        for alt in forms[1:]:
            clause = self.form(alt)
            clause.boost = 0.8
            alternatives.append(clause)
        return Or(alternatives)


class _Postings:
    """A query's posting lists, read once per search, and what the query needs from them.

    ``required`` gives the releases that qualify (every quoted phrase, the minimum share of
    concepts) as sets of document numbers; ``scores`` gives Whoosh's BM25F score of the
    scoring query for just those releases. Both work on whole posting blocks (Whoosh's own
    matchers go posting by posting through a tree of Python objects, ~50 µs a release for
    a query with synonyms), and the scores are those Whoosh computes: its scorer objects
    do the arithmetic, and boosts combine as its matchers combine them.
    """

    def __init__(self, searcher, builder: _QueryBuilder) -> None:  # type: ignore[no-untyped-def]
        self.searcher = searcher
        self.builder = builder
        self.reader = searcher.reader()
        self.leaves = self.reader.leaf_readers()
        self.starts = [offset for _, offset in self.leaves]
        self._lists: dict[tuple[str, str], tuple[list[int], list[float], list]] = {}
        self._phrases: dict[tuple[str, tuple[str, ...]], dict[int, list[float]]] = {}
        self._lengths: dict[str, Any] = {}
        self._where: dict[tuple[str, str], dict[int, int]] = {}
        self.checked = True  # phrases: word positions checked (False: all words present)
        self.within: set[int] | None = None  # the releases that can qualify at all

    # ----------------------------------------------------------------- which releases

    def required(self, concepts: list[list[Form]], phrases: list[Form]) -> set[int]:
        """Releases with every quoted phrase and the minimum share of ``concepts``.

        Checking word positions is the costly part of a phrase, so it is done in two passes:
        first a phrase counts wherever its words all occur, which gives a superset of the
        answer; then positions are checked only for the releases in that superset.
        """
        need = required_matches(len(concepts))
        exact = not any(len(form) > 1 for forms in concepts for form in forms) and not phrases
        for positions in (False,) if exact else (False, True):
            self.checked = positions
            # Smallest first: an empty intersection stops the work early.
            phrase_sets = sorted((self.form(p, stemmed=False) for p in phrases), key=len)
            allowed: set[int] | None = None
            for found in phrase_sets:
                allowed = found if allowed is None else allowed & found
                if not allowed:
                    return set()
            concept_sets = [self.concept(c) for c in concepts]
            if concept_sets:
                matched = _at_least(concept_sets, need)
                allowed = matched if allowed is None else allowed & matched
            if not allowed:
                return set()
            self.within = allowed
        self.checked = True
        return allowed or set()

    def concept(self, forms: list[Form]) -> set[int]:
        found: set[int] = set()
        for form in forms:
            found |= self.form(form)
        return found

    def form(self, form: Form, stemmed: bool = True) -> set[int]:
        """Releases the query clause of ``form`` matches (see ``_QueryBuilder``).

        The exact fields are left out where the stemmed field holds them anyway: a release
        with "penerapan" in its text has "terap" in ``content_stem``.
        """
        found: set[int] = set()
        if len(form) > 1:
            if stemmed:
                stems = tuple(stem_word(w) for w in form)
                places = [("title_stem", stems), ("content_stem", stems)]
            else:
                places = [("title", form), ("content", form)]
            places.append(("unit_text", form))
            for name, words_ in places:
                if self.checked:
                    found.update(self.phrase(name, words_))
                else:  # first pass: the releases with all the words
                    lists = sorted((set(self.postings(name, w)[0]) for w in words_), key=len)
                    found.update(lists[0].intersection(*lists[1:]))
            return found
        word = form[0]
        if self.builder.is_name(word):  # names: exact fields only
            terms = [(name, word) for name in ("title", "content", "speakers")]
        else:
            stem = stem_word(word)
            terms = [("title_stem", stem), ("content_stem", stem)]
        terms += [("unit_text", word), ("tags", word)]
        for name, text in terms:
            found.update(self.postings(name, text)[0])
        return found

    # ----------------------------------------------------------------- posting lists

    def postings(self, name: str, text: str) -> tuple[list[int], list[float], list]:
        """Document numbers, weights and encoded values of one term, deleted ones left out."""
        key = (name, text)
        cached = self._lists.get(key)
        if cached is not None:
            return cached
        ids: list[int] = []
        weights: list[float] = []
        values: list = []
        for leaf, offset in self.leaves:
            if (name, text) not in leaf:
                continue
            matcher = leaf.postings(name, text)
            deleted = None
            if type(matcher).__name__ == "FilterMatcher":  # the segment has deletions
                deleted = leaf.deleted_docs_set
                matcher = matcher.child
            block_ids, block_weights, block_values = _read_postings(matcher)
            if deleted:
                keep = [i for i, d in enumerate(block_ids) if d not in deleted]
                block_ids = [block_ids[i] for i in keep]
                block_weights = [block_weights[i] for i in keep]
                block_values = [block_values[i] for i in keep]
            ids.extend(block_ids if not offset else [d + offset for d in block_ids])
            weights.extend(block_weights)
            values.extend(block_values)
        self._lists[key] = (ids, weights, values)
        return ids, weights, values

    def where(self, name: str, text: str) -> dict[int, int]:
        """docnum -> its place in the term's posting lists."""
        key = (name, text)
        found = self._where.get(key)
        if found is None:
            ids = self.postings(name, text)[0]
            found = self._where[key] = dict(zip(ids, range(len(ids)), strict=True))
        return found

    def phrase(self, name: str, words_: tuple[str, ...]) -> dict[int, list[float]]:
        """Releases with ``words_`` one after the other in field ``name``: docnum -> weights.

        Only releases in ``within`` (the first pass of ``required``) are looked at.
        """
        key = (name, words_)
        cached = self._phrases.get(key)
        if cached is not None:
            return cached
        found: dict[int, list[float]] = {}
        lists = [self.postings(name, w) for w in words_]
        if all(lists_[0] for lists_ in lists):
            decode = _positions_decoder(self.searcher.schema[name].format)
            where = [self.where(name, w) for w in words_]
            candidates = set(where[0]).intersection(*where[1:])
            if self.within is not None:
                candidates &= self.within
            # Releases share position lists (the same sentence in the same place): each
            # combination of encoded positions is decoded and checked once.
            seen: dict[tuple, bool] = {}
            all_values = [values for _, _, values in lists]
            all_weights = [weights for _, weights, _ in lists]
            pairs = list(zip(where, all_values, all_weights, strict=True))
            for docnum in sorted(candidates):
                values = tuple(vs[w[docnum]] for w, vs, _ in pairs)
                adjacent = seen.get(values)
                if adjacent is None:
                    adjacent = seen[values] = _adjacent(values, decode)
                if adjacent:
                    found[docnum] = [ws[w[docnum]] for w, _, ws in pairs]
        self._phrases[key] = found
        return found

    def lengths(self, name: str):  # type: ignore[no-untyped-def]
        """``docnum -> length of field name`` as Whoosh's scorers see it."""
        found = self._lengths.get(name)
        if found is None:
            found = self._lengths[name] = _field_lengths(self.leaves, name)
        return found

    # ----------------------------------------------------------------- scores

    def ranked(  # type: ignore[no-untyped-def]
        self,
        query,
        concepts: list[list[Form]],
        clauses: list,
        phrase_clauses: list,
        allowed: set[int],
        limit: int,
    ) -> list[tuple[int, float]]:
        """The ``limit`` best releases of ``allowed`` for ``query`` (all when 0), in Whoosh's
        order: best score first, then the lower document number.

        Releases are grouped by which concepts they match. A group's best possible score
        (each clause at its term's best weight and shortest field; with the bonus for all
        concepts when it has them all) is known without reading it, so groups are scored
        best bound first, and the rest are skipped once ``limit`` scores beat their bound:
        "pembinaan warga binaan menjahit" scores the 5,000 releases with all three words,
        not the 60,000 with two.
        """
        groups = [(allowed, ())]
        if limit and len(concepts) > 1:
            for one in (self.concept(c) for c in concepts):
                split = []
                for docs, mask in groups:
                    inside = docs & one
                    if inside:
                        split.append((inside, (*mask, True)))
                    if len(inside) < len(docs):
                        split.append((docs - inside, (*mask, False)))
                groups = split
        if len(groups) == 1:
            scores = self.scores(query, allowed)
            return heapq.nsmallest(limit or len(scores), scores.items(), key=_rank_key)
        clause_bounds = [self.bound(c) for c in clauses]
        extra = sum(self.bound(q) for q in phrase_clauses)  # every allowed release has them

        def best_possible(mask: tuple[bool, ...]) -> float:
            total = sum(b for b, hit in zip(clause_bounds, mask, strict=True) if hit) + extra
            if all(mask):  # the And bonus of _run (groups exist only with 2+ concepts)
                total *= 1.5
            return total * (1 + 1e-9) + 1e-9  # float sums in another order: stay above

        best: list[tuple[int, float]] = []
        for docs, mask in sorted(groups, key=lambda g: -best_possible(g[1])):
            if len(best) >= limit and best[-1][1] > best_possible(mask):
                break
            scores = self.scores(query, docs)
            best = heapq.nsmallest(limit, [*best, *scores.items()], key=_rank_key)
        return best

    def bound(self, query) -> float:  # type: ignore[no-untyped-def]
        """The highest score ``query`` can give any release (see ``scores``)."""
        from whoosh.query import Phrase, Term

        if isinstance(query, Term):
            found = self._max_score(query.fieldname, query.text)
        elif isinstance(query, Phrase):
            found = sum(self._max_score(query.fieldname, w) for w in query.words)
        else:
            subs = query.subqueries
            if not subs:
                return 0.0
            if len(subs) == 1:
                return self.bound(subs[0])
            found = sum(self.bound(sub) for sub in subs)
        return found * query.boost

    def _max_score(self, name: str, text: str) -> float:
        if (name, text) not in self.reader:
            return 0.0
        # Whoosh's own block-skipping bound: the term's highest weight, shortest field.
        return self.searcher.weighting.scorer(self.searcher, name, text).max_quality()

    def scores(self, query, allowed: set[int]) -> dict[int, float]:  # type: ignore[no-untyped-def]
        """Whoosh's score of ``query`` (Term, Phrase, And, Or) for each release in ``allowed``."""
        from whoosh.query import And, Or, Phrase, Term

        if isinstance(query, Term):
            found = self._term_scores(query.fieldname, query.text, allowed)
        elif isinstance(query, Phrase):
            found = self._phrase_scores(query.fieldname, tuple(query.words), allowed)
        elif isinstance(query, And | Or):
            subs = query.subqueries
            if not subs:
                return {}
            if len(subs) == 1:  # Whoosh uses the one child's matcher, without the boost
                return self.scores(subs[0], allowed)
            parts = [self.scores(sub, allowed) for sub in subs]
            if isinstance(query, And):
                common = set(parts[0]).intersection(*parts[1:])
                found = {d: _tree_sum([part[d] for part in parts]) for d in common}
            else:
                found = {}
                for part in parts:
                    for docnum, score in part.items():
                        found[docnum] = found[docnum] + score if docnum in found else score
        else:
            raise TypeError(f"unexpected query {query!r}")
        if query.boost != 1.0:
            boost = query.boost
            found = {d: score * boost for d, score in found.items()}
        return found

    def _scorer(self, name: str, text: str):  # type: ignore[no-untyped-def]
        scorer = self.searcher.weighting.scorer(self.searcher, name, text)
        return getattr(scorer, "_score", None) or (lambda weight, length: weight)

    def _term_scores(self, name: str, text: str, allowed: set[int]) -> dict[int, float]:
        if (name, text) not in self.reader:
            return {}
        ids, weights, _ = self.postings(name, text)
        score = _memoised(self._scorer(name, text))
        length = self.lengths(name)
        if len(allowed) * 4 < len(ids):  # few releases in a long list: look them up
            where = self.where(name, text)
            spots = ((d, where.get(d)) for d in allowed)
            return {d: score(weights[i], length(d)) for d, i in spots if i is not None}
        return {d: score(w, length(d)) for d, w in zip(ids, weights, strict=True) if d in allowed}

    def _phrase_scores(
        self, name: str, words_: tuple[str, ...], allowed: set[int]
    ) -> dict[int, float]:
        if any((name, w) not in self.reader for w in words_):
            return {}
        scorers = [_memoised(self._scorer(name, w)) for w in words_]
        length = self.lengths(name)
        found = {}
        for docnum, weights in self.phrase(name, words_).items():
            if docnum in allowed:
                size = length(docnum)
                found[docnum] = _tree_sum(
                    [score(w, size) for score, w in zip(scorers, weights, strict=True)]
                )
        return found


def _adjacent(values: tuple, decode) -> bool:  # type: ignore[no-untyped-def]
    """Whether the words with these encoded positions follow one another somewhere."""
    start = set(decode(values[0]))
    for i in range(1, len(values)):
        start &= {p - i for p in decode(values[i])}
        if not start:
            return False
    return True


def _memoised(score):  # type: ignore[no-untyped-def]
    """``score(weight, length)`` remembered: weights and byte-coded lengths repeat a lot."""
    memo: dict[tuple[float, int], float] = {}

    def cached(weight: float, length: int) -> float:
        found = memo.get((weight, length))
        if found is None:
            found = memo[(weight, length)] = score(weight, length)
        return found

    return cached


def _read_postings(matcher) -> tuple[list[int], list[float], list]:  # type: ignore[no-untyped-def]
    """Every posting of a fresh matcher, read a block (up to 128 postings) at a time."""
    ids: list[int] = []
    weights: list[float] = []
    values: list = []
    if not hasattr(matcher, "_read_ids"):  # not a whoosh3 block matcher
        while matcher.is_active():
            ids.append(matcher.id())
            weights.append(matcher.weight())
            values.append(matcher.value())
            matcher.next()
        return ids, weights, values
    while matcher.is_active():
        matcher._read_ids()
        matcher._read_weights()
        matcher._read_values()
        ids.extend(matcher._ids)
        weights.extend(matcher._weights)
        values.extend(matcher._values)
        matcher._next_block()
    return ids, weights, values


def _field_lengths(leaves, name: str):  # type: ignore[no-untyped-def]
    """A function ``docnum -> field length`` reading each segment's length column at once.

    Whoosh keeps a field's lengths as one byte per document; ``doc_field_length`` reads them
    one seek at a time (~5 µs). Falls back to it if the column is not where Whoosh 2.7 keeps it.
    """
    from whoosh.util.numeric import byte_to_length

    try:
        from whoosh.codec.whoosh3 import LENGTHS_COLUMN

        parts = bytearray()
        for leaf, offset in leaves:
            count = leaf.doc_count_all()
            parts.extend(bytes(offset - len(parts)))
            column = leaf._perdoc._cached_reader(f"_{name}_len", LENGTHS_COLUMN)
            if column is None:  # no lengths: Whoosh's default, 1 (byte_to_length(1) == 1)
                parts.extend(bytes([1]) * count)
                continue
            if column._fixedlen != 1:
                raise TypeError("not a byte column")
            size = min(column._count, count)
            parts.extend(column._dbfile.get(column._basepos, size))
            parts.extend(bytes(count - size))
    except (AttributeError, ImportError, TypeError):
        starts = [offset for _, offset in leaves]

        def slow(docnum: int) -> int:
            leaf, offset = leaves[bisect.bisect_right(starts, docnum) - 1]
            return leaf.doc_field_length(docnum - offset, name, 1)

        return slow
    table = [None, *(byte_to_length(b) for b in range(1, 256))]  # 0: Whoosh returns None
    data = bytes(parts)

    def fast(docnum: int) -> int:
        return table[data[docnum]]

    return fast


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


def _tree_sum(values: list[float]) -> float:
    """A sum added up in the order of Whoosh's binary matcher trees (same float result)."""
    if len(values) == 1:
        return values[0]
    if len(values) == 2:
        return values[0] + values[1]
    half = len(values) // 2
    return _tree_sum(values[:half]) + _tree_sum(values[half:])


def _rank_key(item: tuple[int, float]) -> tuple[float, int]:
    return -item[1], item[0]


class _Hit:
    """A ranked release, shaped like the part of ``whoosh.searching.Hit`` that ``_run`` uses."""

    def __init__(self, searcher, docnum: int, score: float) -> None:  # type: ignore[no-untyped-def]
        self.searcher = searcher
        self.docnum = docnum
        self.score = score

    def fields(self) -> dict:
        return self.searcher.stored_fields(self.docnum)


def _at_least(sets: list[set[int]], need: int) -> set[int]:
    """The members of at least ``need`` of ``sets``."""
    if need >= len(sets):
        ordered = sorted(sets, key=len)
        found = set(ordered[0])
        for other in ordered[1:]:
            found &= other
        return found
    # levels[k]: seen in at least k + 1 of the sets so far.
    levels: list[set[int]] = [set() for _ in range(need)]
    for one in sets:
        for k in range(need - 1, 0, -1):
            levels[k] |= levels[k - 1] & one
        levels[0] |= one
    return levels[need - 1]


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
    """Ranked releases for ``query`` within ``filters`` (an empty query lists by date)."""
    parsed = parse_query(query or "")
    wanted = filter_query(filters)
    if parsed.empty and wanted is None:
        raise InputError(t("search.empty_query"))
    result = SearchResult()
    if not archive.releases_dir.is_dir():
        return result
    from humaskit import index

    def noted(reason: str) -> None:
        result.rebuilt = reason

    ix = index.open_or_rebuild(archive, on_rebuild=noted)
    try:
        with ix.searcher() as searcher:
            _run(archive, searcher, parsed, wanted, limit, synonyms_file, result)
    except (HumasError, index.IndexUnavailable):
        raise
    except Exception as err:  # a segment file damaged after opening
        raise HumasError(t("search.index_damaged", error=f"{type(err).__name__}: {err}")) from None
    return result


def _run(archive, searcher, parsed, wanted, limit, synonyms_file, result) -> None:  # type: ignore[no-untyped-def]
    from whoosh.query import And, Every, Or

    reader = searcher.reader()
    builder = _QueryBuilder(reader)
    concepts = group_concepts(parsed.words, load_synonyms(synonyms_file))
    for concept in concepts:
        form = concept[0]
        if len(concept) == 1 and len(form) == 1 and not builder.known(form[0]):
            better = builder.correct(form[0], searcher)
            if better is not None:
                result.corrections.append((form[0], better))
                concept[0] = (better,)
    terms = [c[0] for c in concepts] + parsed.phrases
    clauses = [builder.concept(c) for c in concepts]
    phrase_clauses = [builder.phrase(p, stemmed=False) for p in parsed.phrases]
    if not clauses and not phrase_clauses:
        hits = searcher.search(
            wanted or Every(), limit=limit or None, sortedby=["date", "id"], reverse=True
        )
        result.total = len(hits)
    else:
        # Which releases qualify is worked out on document-number sets (one posting walk
        # per term), not by a Whoosh query: "m of n" as a query is C(n, m) conjunctions and
        # keeps Whoosh from skipping low-scoring blocks. The scoring query then ranks only
        # the releases that qualify, with block-quality skipping and a top-N limit.
        postings = _Postings(searcher, builder)
        allowed = postings.required(concepts[:MAX_REQUIRED_CONCEPTS], parsed.phrases)
        if allowed and wanted is not None:
            allowed = _filtered(searcher, wanted, allowed)
        result.total = len(allowed)
        if not allowed:
            return
        scoring = clauses + phrase_clauses
        if len(scoring) > 1:
            scoring.append(And(list(scoring), boost=0.5))  # all words present: ranked first
        ranked = postings.ranked(Or(scoring), concepts, clauses, phrase_clauses, allowed, limit)
        hits = [_Hit(searcher, docnum, score) for docnum, score in ranked]
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
