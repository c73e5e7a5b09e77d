"""The query language of ``humaskit search``, read into plain data, then built as Whoosh queries.

What a person types::

    remisi "idul fitri"        a "quoted phrase" must appear as written (word order, no stems)
    remisi OR asimilasi        either word (OR also joins phrases: "sepak bola" OR futsal)
    remisi -natal              exclude a word or a phrase; NOT natal says the same
    warga binaan menjahit      everything else: required, in the usual minimum share

Odd input is never an error: a stray quote, a bare AND, or an OR/NOT with nothing after it
is read as plain words or dropped. OR, NOT and AND count only in capitals ("atau" is a stop
word, "not" an ordinary one).

``parse_query`` gives a ``ParsedQuery`` (groups of typed alternatives and exclusions);
``concepts`` groups its loose words through the synonym list ("lapas" also looks for
"lembaga pemasyarakatan"); ``concept_query`` and ``exclusion_query`` make the Whoosh queries.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from humaskit.search.analysis import remember_stems, stem_word, words
from humaskit.search.synonyms import Form, Table

OR, NOT, AND = "OR", "NOT", "AND"
# A -"quoted phrase", a "quoted phrase", or anything else up to a space.
TOKEN = re.compile(r'(-?)"([^"]*)"|(\S+)')


@dataclass(frozen=True)
class Alternative:
    """One way a concept can be found: a word or a run of words."""

    form: Form
    quoted: bool = False  # typed in quotes: matched as written, as a phrase
    expansion: bool = False  # added from the synonym list, not typed


@dataclass
class Concept:
    """Something the query asks for, found through any of its alternatives."""

    alternatives: list[Alternative]

    @property
    def must(self) -> bool:
        """A quoted phrase on its own is required outright, outside the minimum share."""
        return len(self.alternatives) == 1 and self.alternatives[0].quoted


@dataclass
class ParsedQuery:
    """What was typed: groups of alternatives (one item unless joined by OR), exclusions."""

    groups: list[list[Alternative]] = field(default_factory=list)
    excluded: list[Form] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        return not self.groups


def parse_query(text: str) -> ParsedQuery:
    """Read the query language (see the module docstring) into plain data."""
    text = text.replace("“", '"').replace("”", '"')
    items: list[tuple[str, Any]] = []  # ("op", "OR"/"NOT") or ("item", (Alternative, negated))
    for match in TOKEN.finditer(text):
        minus, quoted, bare = match.groups()
        if bare in (OR, NOT, AND):
            items.append(("op", bare))
            continue
        if bare is not None:
            negated = bare.startswith("-") and len(bare) > 1
            found = words(bare[1:] if negated else bare)
            if not found:
                continue
            # A hyphenated word stays one word; "a/b" and the like give several.
            for word in found:
                items.append(("item", (Alternative((word,)), negated)))
            continue
        form = tuple(words(quoted))
        if form:
            alternative = Alternative(form, quoted=len(form) > 1)
            items.append(("item", (alternative, bool(minus))))
    parsed = ParsedQuery()
    negate_next = join_next = False
    for kind, value in items:
        if kind == "op":
            negate_next = value == NOT
            join_next = value == OR and bool(parsed.groups)
            continue
        alternative, negated = value
        if negated or negate_next:
            parsed.excluded.append(alternative.form)
        elif join_next:
            parsed.groups[-1].append(alternative)
        else:
            parsed.groups.append([alternative])
        negate_next = join_next = False
    return parsed


def concepts(parsed: ParsedQuery, synonyms: Table) -> list[Concept]:
    """The concepts of a query: runs of loose words are grouped by the longest forms of the
    synonym list, and each form brings its alternatives; an OR group is one concept."""
    found: list[Concept] = []
    run: list[str] = []

    def flush() -> None:
        for form in group_forms(run, synonyms):
            found.append(Concept(with_synonyms(Alternative(form), synonyms)))
        run.clear()

    for group in parsed.groups:
        if len(group) == 1 and not group[0].quoted:
            run.extend(group[0].form)
            continue
        flush()
        alternatives: list[Alternative] = []
        for one in group:
            for alt in [one] if one.quoted else with_synonyms(one, synonyms):
                if alt.form not in (a.form for a in alternatives):
                    alternatives.append(alt)
        found.append(Concept(alternatives))
    flush()
    return found


def group_forms(tokens: list[str], synonyms: Table) -> list[Form]:
    """Greedy longest synonym forms: "pembebasan bersyarat pb" -> two forms."""
    longest = max((len(f) for f in synonyms), default=1)
    forms: list[Form] = []
    i = 0
    while i < len(tokens):
        for size in range(min(longest, len(tokens) - i), 0, -1):
            form = tuple(tokens[i : i + size])
            if size == 1 or form in synonyms:
                forms.append(form)
                i += size
                break
    return forms


def with_synonyms(alternative: Alternative, synonyms: Table) -> list[Alternative]:
    """The alternative as typed, followed by its forms from the synonym list."""
    extra = [Alternative(f, expansion=True) for f in sorted(synonyms.get(alternative.form, ()))]
    return [alternative, *extra]


def excluded_forms(parsed: ParsedQuery, synonyms: Table) -> list[Form]:
    """Every form an exclusion rules out: the typed one and its synonyms ("-lapas" also
    leaves out releases that write "lembaga pemasyarakatan")."""
    found: dict[Form, None] = {}
    for form in parsed.excluded:
        found[form] = None
        found.update(dict.fromkeys(sorted(synonyms.get(form, ()))))
    return list(found)


def required_matches(count: int) -> int:
    """How many of ``count`` concepts a release must match: all of 1–2, then three quarters
    (like Elasticsearch's minimum_should_match), so one shared word is not a hit."""
    if count <= 2:
        return count
    return max(2, (count * 3) // 4)


def reading(concepts: list[Concept], excluded: list[Form]) -> str:
    """The query as it was read, in the query language: synonyms and corrections in place."""

    def shown(alt: Alternative) -> str:
        return f'"{" ".join(alt.form)}"' if len(alt.form) > 1 else alt.form[0]

    parts = []
    for concept in concepts:
        alts = [shown(a) for a in concept.alternatives]
        parts.append(alts[0] if len(alts) == 1 else "(" + " OR ".join(alts) + ")")
    parts += [f'-"{" ".join(f)}"' if len(f) > 1 else f"-{f[0]}" for f in excluded]
    return " ".join(parts)


# --------------------------------------------------------------------------- Whoosh queries

# Field, boost: where a word is looked for as written ...
WORD_FIELDS = (("title", 2.0), ("content", 1.0), ("speakers", 2.0), ("unit_text", 1.0))
# ... and by its stem (not for names: "Bali" must not find "bal...").
STEM_FIELDS = (("title_stem", 0.8), ("content_stem", 0.5))
PHRASE_FIELDS = (("title", 2.0), ("content", 1.0), ("speakers", 2.0), ("unit_text", 1.0))
SYNONYM_BOOST = 0.8  # a synonym's match counts a little less than the words typed


def is_name(reader: Any, word: str) -> bool:
    """Whether ``word`` is part of a speaker's name somewhere in the archive."""
    return reader.doc_frequency("speakers", word) > 0


# A plain field whose releases are a subset of a stemmed field's: the same text, so a word
# in the plain field puts its stem in the stemmed one.
STEMMED_TWIN = {"title": "title_stem", "content": "content_stem"}


def form_query(
    reader: Any, form: Form, boost: float = 1.0, quoted: bool = False, ranked: bool = True
) -> Any:
    """A word in any field as written or, unless it is a name, by its stem. Several words:
    quoted, a Whoosh ``Phrase`` (consecutive positions) in the title, text, speakers or unit;
    else (a multi-word synonym) all their stems in one field, which costs no position checks.

    ``ranked=False`` gives the query that only decides *which* releases match: the plain
    title and text terms are left out where their stemmed twins are asked for (they match a
    subset of the twins' releases), so the longest posting lists are read once, not twice.

    ``DefaultOr`` is Whoosh's ``Or`` without its small-index shortcut, which reads every
    posting of every term into arrays before matching (slower here, not faster)."""
    from whoosh.query import And, DefaultOr, Phrase, Term

    if len(form) > 1 and quoted:
        subs = [Phrase(name, list(form), boost=b) for name, b in PHRASE_FIELDS]
        return DefaultOr(subs, boost=boost)
    if len(form) > 1:
        stems = list(dict.fromkeys(stem_word(w) for w in form))
        every = [(name, stems, b) for name, b in STEM_FIELDS]
        every += [
            (name, list(form), b)
            for name, b in WORD_FIELDS
            if name != "content" and (ranked or name not in STEMMED_TWIN)
        ]
        return DefaultOr(
            [And([Term(name, w) for w in terms], boost=b) for name, terms, b in every],
            boost=boost,
        )
    word = form[0]
    stemmed = not is_name(reader, word)
    subs = [
        Term(name, word, boost=b)
        for name, b in WORD_FIELDS
        if ranked or not stemmed or name not in STEMMED_TWIN
    ]
    subs.append(Term("tags", word))
    if stemmed:
        stem = stem_word(word)
        subs += [Term(name, stem, boost=b) for name, b in STEM_FIELDS]
    return DefaultOr(subs, boost=boost)


def docs_of(searcher: Any, query: Any, cache: dict) -> set[int]:
    """The releases ``query`` (made here) matches, as a set of document numbers: an ``Or``
    is the union and an ``And`` the intersection of its parts' sets, a term's set read
    once per search (a term's postings are read in blocks; walking Whoosh's matcher tree
    goes release by release)."""
    from whoosh.query import And, Or, Term

    if isinstance(query, Term):
        key = (query.fieldname, query.text)
        if key not in cache:
            cache[key] = set(searcher.docs_for_query(query))
        return cache[key]
    if isinstance(query, Or):
        found: set[int] = set()
        for sub in query.subqueries:
            found |= docs_of(searcher, sub, cache)
        return found
    if isinstance(query, And):
        # Rarest part first, and no list read once the intersection is empty (a multi-word
        # synonym often lacks a word in some field: "kepala kantor wilayah" in a unit).
        reader = searcher.reader()
        common: set[int] | None = None
        for sub in sorted(query.subqueries, key=lambda one: one.estimate_size(reader)):
            if common is not None and not common:
                break
            docs = docs_of(searcher, sub, cache)
            common = set(docs) if common is None else common & docs
        return common or set()
    return set(searcher.docs_for_query(query))


def docs_among(searcher: Any, query: Any, candidates: list[int]) -> set[int]:
    """Which of the sorted ``candidates`` ``query`` matches: Whoosh's matcher skips from one
    candidate to the next, so the cost follows the candidates, not the posting lists. The
    parts of an ``Or`` are checked one after the other, the rarest first, each only for
    the candidates the earlier ones did not match (a phrase in the title spares the check
    of its positions in the text)."""
    from whoosh.query import Or

    found: set[int] = set()
    if isinstance(query, Or):
        reader = searcher.reader()
        for sub in sorted(query.subqueries, key=lambda one: one.estimate_size(reader)):
            if not candidates:
                break
            if sub.estimate_size(reader):
                matched = docs_among(searcher, sub, candidates)
                found |= matched
                candidates = [docnum for docnum in candidates if docnum not in matched]
        return found
    for leaf, offset in searcher.leaf_searchers():
        end = offset + leaf.doc_count_all()
        matcher = query.matcher(leaf)
        for docnum in candidates:
            if docnum < offset:
                continue
            if docnum >= end or not matcher.is_active():
                break
            if matcher.id() < docnum - offset:
                matcher.skip_to(docnum - offset)
            if matcher.is_active() and matcher.id() == docnum - offset:
                found.add(docnum)
    return found


def concept_query(reader: Any, concept: Concept, ranked: bool = True) -> Any:
    """Any alternative of ``concept``; the forms typed count fully, synonyms a little less
    (``ranked=False``: only which releases match, see ``form_query``)."""
    from whoosh.query import DefaultOr

    subs = [
        form_query(reader, a.form, SYNONYM_BOOST if a.expansion else 1.0, a.quoted, ranked)
        for a in concept.alternatives
    ]
    return subs[0] if len(subs) == 1 else DefaultOr(subs)


def exclusion_query(reader: Any, forms: list[Form]) -> Any:
    """Releases with any excluded form (``None`` when nothing is excluded)."""
    from whoosh.query import DefaultOr

    if not forms:
        return None
    return DefaultOr([form_query(reader, form, quoted=True) for form in forms])


def remember_indexed_stems(reader: Any, table: dict[str, str] | None, typed: list[str]) -> None:
    """Teach ``stem_word`` the stems of the ``typed`` words that are in the index's titles
    or texts, from the index's stem table (a word it does not list is its own stem); the
    other words are stemmed by Sastrawi as before."""
    if table is None:
        return
    found = {}
    for word in typed:
        if word in table:
            found[word] = table[word]
        elif reader.doc_frequency("content", word) or reader.doc_frequency("title", word):
            found[word] = word
    remember_stems(found)


def known(reader: Any, word: str) -> bool:
    """Whether ``word`` is in the archive, as written or by its stem."""
    for name in ("content", "title", "speakers", "unit_text", "tags"):
        if reader.doc_frequency(name, word) > 0:
            return True
    stem = stem_word(word)
    return any(reader.doc_frequency(n, stem) > 0 for n in ("content_stem", "title_stem"))


def correction(searcher: Any, word: str) -> str | None:
    """The nearest word of the archive for a word found nowhere (Whoosh's corrector, edit
    distance 1, or 2 for words of 8 letters and more); ``None`` when nothing is near."""
    if len(word) < 4 or word.isdigit():
        return None
    for distance in (1, 2) if len(word) >= 8 else (1,):
        for name in ("content", "title"):
            found = searcher.suggest(name, word, limit=1, maxdist=distance)
            if found:
                return found[0]
    return None


def among(searcher: Any, docnums: list[int]) -> Any:
    """A Whoosh query that matches exactly the releases ``docnums`` (sorted, the searcher's
    numbering), with score 0: ``Require(ranked, among(...))`` scores only those releases,
    Whoosh's matchers skipping to them (``filter=`` would walk every release of every term
    and drop the others). Built on Whoosh's public ``Query`` and ``ListMatcher``."""
    return _among_type()(searcher, docnums)


@cache
def _among_type() -> type:
    """The query class of ``among``, made once per process (Whoosh is imported lazily)."""
    from bisect import bisect_left

    from whoosh.matching import ListMatcher, NullMatcher
    from whoosh.query import Query

    class Among(Query):
        def __init__(self, searcher: Any, docnums: list[int]) -> None:
            self.searcher = searcher
            self.docnums = docnums

        def __eq__(self, other: object) -> bool:
            return other is self

        def __hash__(self) -> int:
            return id(self)

        def __repr__(self) -> str:
            return f"Among({len(self.docnums)} releases)"

        def estimate_size(self, ixreader: Any) -> int:
            return len(self.docnums)

        def matcher(self, leaf: Any, context: Any = None) -> Any:
            for one, offset in self.searcher.leaf_searchers():
                if one is leaf:
                    end = offset + leaf.doc_count_all()
                    docnums = self.docnums
                    start, stop = bisect_left(docnums, offset), bisect_left(docnums, end)
                    ids = [d - offset for d in docnums[start:stop]]
                    return ListMatcher(ids, weights=[0.0] * len(ids)) if ids else NullMatcher()
            return NullMatcher()

    return Among


def term_boosts(query: Any, boost: float = 1.0, found: dict | None = None) -> dict:
    """The terms of ``query`` (made here) that score a release, each with the boost Whoosh
    scores it with (its own times those of the ``Or``s above it): ``((field, text),)`` for a
    term, ``((field, text), ...)`` for an ``And`` of terms (a multi-word synonym: it scores
    only where all its terms are). Phrases are left out (their positions decide)."""
    from whoosh.query import And, Or, Term

    found = {} if found is None else found
    if isinstance(query, Term):
        key: tuple = ((query.fieldname, query.text),)
        found[key] = max(found.get(key, 0.0), boost * query.boost)
    elif isinstance(query, And) and all(isinstance(sub, Term) for sub in query.subqueries):
        key = tuple((sub.fieldname, sub.text) for sub in query.subqueries)
        found[key] = max(found.get(key, 0.0), boost * query.boost)
    elif isinstance(query, Or):
        for sub in query.subqueries:
            term_boosts(sub, boost * query.boost, found)
    return found
