"""Search on the server with the folder archive's Indonesian matching, in one module.

Every release has one ``tsvector`` (``releases.doc``) built here, not by a PostgreSQL text
configuration: humaskit's own words (:func:`humaskit.search.analysis.words`, stop words out)
at their positions, each with its Sastrawi stem as a second lexeme ``s:<stem>`` at the same
position, so plain words, stems and phrases of either (``<->``) are all one ``@@``. Weights
say where a word stands: A title, B speakers' names, C unit / signature / location / tags,
D the text. Names get no stem (a name is matched as written), as in the folder index.

A query is first read into :class:`ServerQuery` — concepts (each a list of alternative forms:
a word and its synonyms, or ``a OR b``), phrases that must appear, forms that must not — and
:func:`translate` turns it into SQL. :func:`from_text` is the one place that reads what a person
typed; connect it to the query language's parser when that lands.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from humaskit.search.analysis import STOP_WORDS, stem_word, words

if TYPE_CHECKING:
    from humaskit.record.model import Release
    from humaskit.search.filters import Filters

DOC_VERSION = 1  # raise when document_vector changes: doctor then finds the old vectors
STEM = "s:"
FIELD_GAP = 4  # positions between fields, so a phrase never spans two of them
MAX_POSITION = 16383  # PostgreSQL's limit for a tsvector position
# ts_rank weights for {D, C, B, A}: the title and names count double (folder index boosts).
RANK_WEIGHTS = "{0.5, 0.5, 1.0, 1.0}"
STEM_SHARE = 0.5  # a shared stem counts half of the exact word
SYNONYM_SHARE = 0.8  # a synonym counts a little less than the word typed
ALL_CONCEPTS_BONUS = 1.0

Form = tuple[str, ...]


# --------------------------------------------------------------------------- what search/ gives
# The query language, the synonym list and the result types are the folder archive's own
# (humaskit.search), so both archives read a query the same way.


def load_synonyms(extra: Path | None) -> dict[Form, set[Form]]:
    from humaskit.search.synonyms import load_synonyms as load

    return load(extra)


def required_matches(concepts: int) -> int:
    from humaskit.search.query import required_matches as needed

    return needed(concepts)


def result_types() -> tuple[type, type]:
    """(SearchResult, Hit)."""
    from humaskit.search.engine import Hit, SearchResult

    return SearchResult, Hit


def remember_stems(found: dict[str, str]) -> None:
    """Stems the words table keeps: ``stem_word`` answers them without loading Sastrawi."""
    from humaskit.search.analysis import remember_stems as remember

    remember(found)


# --------------------------------------------------------------------------- documents


def field_words(release: Release) -> dict[str, list[str]]:
    names = [n for s in release.speakers for n in dict.fromkeys((s.name, s.short_name))]
    text = [
        *release.texts(),
        *(s.title for s in release.speakers),
        *(p.caption for p in release.photos),
        *release.tags,
    ]
    return {
        "A": words(release.title),
        "B": words("\n".join(names)),
        "C": words("\n".join([release.unit, release.signature, release.location, *release.tags])),
        "D": words("\n".join(text)),
    }


def document_vector(release: Release) -> tuple[str, dict[str, set[str]]]:
    """The tsvector literal of ``release`` and its words by kind (w, n, s) for the words table."""
    positions: dict[str, list[str]] = {}
    kinds: dict[str, set[str]] = {"w": set(), "n": set(), "s": set()}
    position = 0
    for weight, tokens in field_words(release).items():
        position += FIELD_GAP
        for token in tokens:
            position = min(position + 1, MAX_POSITION)
            positions.setdefault(token, []).append(f"{position}{weight}")
            if weight == "B":
                kinds["n"].add(token)
                continue
            kinds["w"].add(token)
            if weight in "AD":
                stem = stem_word(token)
                kinds["s"].add(stem)
                positions.setdefault(STEM + stem, []).append(f"{position}{weight}")
    literal = " ".join(f"{_quote(lex)}:{','.join(at)}" for lex, at in positions.items())
    return literal, kinds


def _quote(lexeme: str) -> str:
    return "'" + lexeme.replace("\\", "\\\\").replace("'", "''") + "'"


# --------------------------------------------------------------------------- queries


@dataclass
class ServerQuery:
    """What to look for: each concept is alternatives (the first as typed); every phrase
    must appear; no excluded form may."""

    concepts: list[list[Form]] = field(default_factory=list)
    phrases: list[Form] = field(default_factory=list)
    excluded: list[Form] = field(default_factory=list)
    # Alternatives typed in quotes (``"a b" OR c``): matched as phrases; the other multi-word
    # forms (a synonym's "pemeriksaan urine", two words of one concept) as bags of words.
    quoted: set[Form] = field(default_factory=set)
    # Read otherwise than typed (synonyms, OR, exclusions): the search says how.
    differs: bool = False

    @property
    def empty(self) -> bool:
        return not self.concepts and not self.phrases

    def reading(self) -> str:
        """The query as it was read, in the query language (as the folder archive says it)."""
        from humaskit.search import query as q

        concepts = [
            q.Concept([q.Alternative(f, quoted=f in self.quoted) for f in forms])
            for forms in self.concepts
        ]
        concepts += [q.Concept([q.Alternative(p, quoted=True)]) for p in self.phrases]
        return q.reading(concepts, self.excluded)


def from_text(text: str, synonyms: dict[Form, set[Form]]) -> ServerQuery:
    """What a person typed, read by the query language of ``humaskit search``
    (:mod:`humaskit.search.query`): concepts with their synonyms and OR alternatives,
    quoted phrases that must appear, and the forms ``-word`` / ``NOT word`` rule out."""
    from humaskit.search import query as q

    parsed = q.parse_query(text or "")
    found = ServerQuery(excluded=q.excluded_forms(parsed, synonyms))
    concepts = q.concepts(parsed, synonyms)
    expanded = any(a.expansion for c in concepts for a in c.alternatives)
    found.differs = expanded or bool(found.excluded) or any(len(g) > 1 for g in parsed.groups)
    for concept in concepts:
        if concept.must:
            found.phrases.append(concept.alternatives[0].form)
        else:
            found.concepts.append([a.form for a in concept.alternatives])
            found.quoted.update(a.form for a in concept.alternatives if a.quoted)
    return found


def _form_query(form: Form, names: set[str], stemmed: bool, *, phrase: bool) -> str | None:
    """A form as a tsquery: its words as written, or (``stemmed``) their stems; several
    words next to each other (``phrase``: ``a <-> b``) or anywhere in the release (``a & b``),
    as the folder archive matches a quoted phrase and a multi-word synonym.

    Only a phrase makes PostgreSQL recheck each candidate's vector for positions (~60 µs a
    release, decompressed from TOAST): with the synonym list's phrases read as bags, a
    search such as "tes urine" (= "pemeriksaan urine") is counted from the GIN index alone."""
    if stemmed:
        if len(form) == 1 and form[0] in names:
            return None  # a name is matched as written only
        lexemes = [_quote(STEM + stem_word(w)) for w in form]
    else:
        lexemes = [_quote(w) for w in form]
    joint = " <-> " if phrase else " & "
    return lexemes[0] if len(lexemes) == 1 else "(" + joint.join(lexemes) + ")"


def _any(parts: list[str | None]) -> str | None:
    kept = [p for p in parts if p]
    if not kept:
        return None
    return kept[0] if len(kept) == 1 else "(" + " | ".join(kept) + ")"


MAX_GROUPS = 64  # beyond this many "need of n" groups the index narrows by "any of them"


def _at_least(queries: list[str], need: int) -> tuple[str, bool]:
    """A tsquery true when at least ``need`` of ``queries`` are — the OR of every group of
    ``need`` of them AND-ed, so the GIN index itself leaves out releases with too few — and
    whether it is exact (else "any of them", to be counted afterwards)."""
    if need >= len(queries):
        return "(" + " & ".join(queries) + ")", True
    groups = list(itertools.combinations(queries, need))
    if need <= 1 or len(groups) > MAX_GROUPS:
        return "(" + " | ".join(queries) + ")", need <= 1
    return "(" + " | ".join("(" + " & ".join(g) + ")" for g in groups) + ")", True


@dataclass
class Translation:
    """``narrow``: one tsquery every hit matches (the GIN index finds the candidates);
    ``refine``: further conditions (minimum share of concepts, exclusions); ``score``."""

    narrow: str | None
    refine: list[str]
    refine_params: list[Any]
    score: str
    score_params: list[Any]
    # The words as typed, any of them: the RUM index ranks by it (``doc <=> typed``) to
    # choose the releases scored in full when many match. A flat OR of plain lexemes is what
    # RUM ranks fast; stems and synonyms would pull in most of the archive.
    typed: str | None = None


def translate(query: ServerQuery, names: set[str]) -> Translation:
    """SQL conditions on a release's ``doc`` and a score expression for ``query``."""
    required: list[str] = []
    refine: list[str] = []
    refine_params: list[Any] = []
    score_parts: list[str] = []
    score_params: list[Any] = []

    def rank(tsquery: str | None, share: float) -> None:
        if tsquery:
            score_parts.append(f"{share} * ts_rank('{RANK_WEIGHTS}', doc, %s::tsquery)")
            score_params.append(tsquery)

    concept_queries: list[str] = []

    def as_tsquery(form: Form, stemmed: bool) -> str | None:
        return _form_query(form, names, stemmed, phrase=form in query.quoted)

    for concept in query.concepts:
        typed, *others = concept
        whole = _any([as_tsquery(f, stemmed) for f in concept for stemmed in (False, True)])
        if whole is None:
            continue
        concept_queries.append(whole)
        rank(as_tsquery(typed, False), 1.0)
        rank(as_tsquery(typed, True), STEM_SHARE)
        for alt in others:
            rank(as_tsquery(alt, False), SYNONYM_SHARE)
            rank(as_tsquery(alt, True), SYNONYM_SHARE * STEM_SHARE)
    counted = concept_queries[:8]
    if counted:
        need = required_matches(len(counted))
        narrowed, exact = _at_least(counted, need)
        required.append(narrowed)
        if not exact:
            matched = " + ".join("(doc @@ %s::tsquery)::int" for _ in counted)
            refine.append(f"({matched}) >= {need}")
            refine_params.extend(counted)
        everything = " + ".join("(doc @@ %s::tsquery)::int" for _ in concept_queries)
        score_parts.append(f"{ALL_CONCEPTS_BONUS} * (({everything}) = {len(concept_queries)})::int")
        score_params.extend(concept_queries)
    for phrase in query.phrases:
        # Quoted words must stand as written, next to each other.
        as_written = _form_query(phrase, set(), False, phrase=True)
        assert as_written is not None
        required.append(as_written)
        rank(as_written, 1.0)
    for form in query.excluded:
        # In the one tsquery: the index leaves these releases out, none is read to check.
        ruled_out = _any([_form_query(form, names, s, phrase=True) for s in (False, True)])
        if ruled_out and required:
            required.append(f"!{ruled_out}")
    narrow = " & ".join(required) if required else None
    score = " + ".join(score_parts) if score_parts else "0"
    typed_words = [w for concept in query.concepts for w in concept[0]]
    typed_words += [w for phrase in query.phrases for w in phrase]
    any_typed = " | ".join(dict.fromkeys(_quote(w) for w in typed_words)) or None
    return Translation(narrow, refine, refine_params, score, score_params, any_typed)


def filter_sql(filters: Filters) -> tuple[list[str], list[Any]]:
    where: list[str] = []
    params: list[Any] = []
    if filters.since:
        where.append("day >= %s")
        params.append(filters.since)
    if filters.until:
        where.append("day <= %s")
        params.append(filters.until)
    if filters.unit:
        wanted = filters.unit.casefold().strip()
        where.append("(unit_key = %s OR signature_key = %s)")
        params += [wanted, wanted]
    if filters.tag:
        where.append("tag_keys @> ARRAY[%s]::text[]")
        params.append(filters.tag.casefold().strip())
    if filters.speaker:
        name = words(filters.speaker)
        if name:
            where.append("doc @@ %s::tsquery")
            params.append(" <-> ".join(f"{_quote(w)}:B" for w in name))
    return where, params


# --------------------------------------------------------------------------- typing mistakes


def edit_distance(a: str, b: str) -> int:
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, start=1):
        current = [i]
        for j, cb in enumerate(b, start=1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ca != cb)))
        previous = current
    return previous[-1]


def correctable(word: str) -> bool:
    return len(word) >= 4 and not word.isdigit() and word not in STOP_WORDS


def nearest(word: str, candidates: list[str]) -> str | None:
    """The closest candidate within one edit (two for words of eight letters or more)."""
    allowed = 2 if len(word) >= 8 else 1
    scored = sorted((edit_distance(word, c), c) for c in candidates if c != word)
    return scored[0][1] if scored and scored[0][0] <= allowed else None


# --------------------------------------------------------------------------- snippets


def highlight_marks(query: ServerQuery) -> tuple[set[str], set[str]]:
    """The words to mark in snippets, as the folder archive marks them."""
    from humaskit.search.snippets import marks

    return marks([form for concept in query.concepts for form in concept] + query.phrases)


def snippet_candidates(texts: list[str], marks: tuple[set[str], set[str]]) -> set[str]:
    """Words of ``texts`` whose stem :func:`snippet` will need (look them up first)."""
    from humaskit.search.snippets import token_word

    plain, stems = marks
    found = set()
    for paragraph in texts:
        for token in paragraph.split():
            word = token_word(token)
            if word and word not in plain and any(stem[1:] in word for stem in stems):
                found.update(words(word))  # as :func:`snippet` looks at it: word by word
    return found


def snippet(texts: list[str], marks: tuple[set[str], set[str]]) -> str:
    """The best window of about 30 words of a release's running text (``Release.texts()``,
    kept in ``releases.texts``), matched words between ``**``: the folder archive's own."""
    from humaskit.search.snippets import snippet as best_window

    return best_window(texts, marks)
