"""``humaskit search`` on the server: the query of :mod:`.textsearch` run in one statement."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

from humaskit.backends.postgres import textsearch
from humaskit.backends.postgres.schema import RANKED
from humaskit.errors import InputError
from humaskit.i18n import t

if TYPE_CHECKING:
    from humaskit.backends.postgres import PostgresArchive
    from humaskit.search.engine import SearchResult
    from humaskit.search.filters import Filters

TRIGRAM_THRESHOLD = 0.3
CANDIDATES = 30
# More releases than SCORE_ALL match: the RUM index ranks them and its best POOL are scored.
# Scoring costs ~60 µs a match (its vector decompressed); the RUM ranking costs with how many
# releases hold the typed words, matching or not: at 1,000,000 releases "lapas pelaihari"
# (3,828 matches) scores in 235 ms and ranks in 340; past ~5,000 matches ranking wins.
SCORE_ALL = 5000
POOL = 300
SEARCH_WORK_MEM = "64MB"  # see _planner_settings


def search(
    archive: PostgresArchive,
    text: str,
    filters: Filters,
    limit: int = 10,
    synonyms_file: Path | None = None,
) -> SearchResult:
    SearchResult, Hit = textsearch.result_types()
    query = textsearch.from_text(text, textsearch.load_synonyms(synonyms_file))
    filter_where, filter_params = textsearch.filter_sql(filters)
    if query.empty and not filter_where:
        raise InputError(t("search.empty_query"))
    result = SearchResult()
    conn = archive.conn
    words = {w for concept in query.concepts for form in concept for w in form}
    words |= {w for form in query.phrases for w in form}
    known = _known(conn, words)
    names = {w for w, kind in known if kind == "n"}
    for concept in query.concepts:
        form = concept[0]
        if len(concept) == 1 and len(form) == 1 and not _is_known(form[0], known):
            better = _correct(conn, form[0])
            if better is not None:
                result.corrections.append((form[0], better))
                concept[0] = (better,)
                names |= {w for w, kind in _known(conn, {better}) if kind == "n"}
    if query.differs or result.corrections:
        result.reading = query.reading()
    translation = textsearch.translate(query, names)
    limit_sql = f" LIMIT {int(limit)}" if limit else ""
    if translation.narrow is None:  # filters only: newest first
        clause = " WHERE " + " AND ".join(filter_where) if filter_where else ""
        ranked = conn.execute(
            f"SELECT id, 0, count(*) OVER () FROM releases{clause} ORDER BY id DESC{limit_sql}",
            filter_params,
        ).fetchall()
    else:
        with _planner_settings(conn):
            ranked = _ranked(conn, translation, filter_where, filter_params, limit)
    if not ranked:
        return result
    result.total = ranked[0][2]
    shown = dict(
        (row[0], row[1:])
        for row in conn.execute(
            "SELECT id, title, day, unit, texts FROM releases WHERE id = ANY(%s)",
            ([r[0] for r in ranked],),
        )
    )
    rows = [(i, *shown[i], score, None) for i, score, _ in ranked if i in shown]
    marks = textsearch.highlight_marks(query)
    wanted: set[str] = set()
    for row in rows:
        wanted |= textsearch.snippet_candidates(row[4], marks)
    _look_up_stems(conn, wanted)
    for release_id, title, day, unit, texts, score_value, _ in rows:
        result.hits.append(
            Hit(
                id=release_id,
                title=title,
                date=day.isoformat(),
                unit=unit,
                score=round(float(score_value), 4),
                snippet=textsearch.snippet(texts, marks),
            )
        )
    return result


@contextmanager
def _planner_settings(conn) -> Iterator[None]:
    """One transaction with two planner settings of its own (``SET LOCAL``).

    - ``enable_seqscan`` off: the planner prices ``doc @@ q`` like any operator and, when
      more than about half the archive matches, reads every row instead of the GIN index;
      that decompresses every vector (~60 µs each: 3.0 s to count the 616,000 matches of
      "pembinaan warga binaan menjahit" at 1,000,000 releases), while the index answers a
      query without phrases exactly and the scan visits only the matches' pages (1.25 s in
      parallel; 1.75 s as ``_ranked`` runs it, collecting the newest matches too).
    - ``work_mem`` ``SEARCH_WORK_MEM``: below ~16 MB that scan's bitmap of a million
      releases turns lossy (every row of a page rechecked, as slow as reading them all), and
      RUM's ranking of the pool sorts on disk (1.2 s instead of 0.73 s). Memory is taken
      only as a statement needs it.
    """
    with conn.transaction():
        conn.execute("SELECT set_config('enable_seqscan', 'off', true)")
        conn.execute("SELECT set_config('work_mem', %s, true)", (SEARCH_WORK_MEM,))
        yield


def _ranked(
    conn,
    translation: textsearch.Translation,
    filter_where: list[str],
    filter_params: list,
    limit: int,
) -> list[tuple[str, float, int]]:
    """The best ``limit`` releases matching ``translation``: (id, score, how many match).

    The GIN index finds and counts the matches. Scoring reads each scored release's vector
    (decompressed from TOAST), so past ``SCORE_ALL`` matches the RUM index first ranks the
    releases holding the words as typed (``ORDER BY ... <=> 'a' | 'b'``: RUM's ts_rank from
    its posting lists; a flat OR of plain words is what it ranks fast) and only its best
    ``POOL`` are checked against the whole query and scored in full, together with the
    newest ``POOL`` matches, taken from the same scan that counts them. RUM gives releases
    of equal rank in the order they were stored, oldest first; with the newest in the pool,
    equally relevant releases show newest first, as when every match is scored. Should
    fewer than ``limit`` of the pool match the whole query, every match is scored after all.
    """
    where = " AND ".join(["doc @@ %s::tsquery", *filter_where])
    where_params = [translation.narrow, *filter_params]
    refine, refine_params = "", []
    if translation.refine:  # a minimum share the tsquery cannot say exactly
        refine = " AND " + " AND ".join(translation.refine)
        refine_params = translation.refine_params
    limit_sql = f" LIMIT {int(limit)}" if limit else ""
    size = max(POOL, limit)
    total, newest = conn.execute(  # an id starts with the date: newest first
        f"WITH matched AS MATERIALIZED (SELECT id FROM releases WHERE {where}{refine})"
        " SELECT (SELECT count(*) FROM matched),"
        f" ARRAY(SELECT id FROM matched ORDER BY id DESC LIMIT {size})",
        [*where_params, *refine_params],
    ).fetchone()
    if not total:
        return []
    rows = []
    if limit and total > max(SCORE_ALL, size) and translation.typed:
        # The pool: the RUM index's best for the typed words within the filters, and the
        # newest matches; then the whole query and the score (each vector decompressed once).
        pool_where = " AND ".join([f"{RANKED} @@ %s::tsquery", *filter_where])
        best = conn.execute(
            f"SELECT id FROM releases WHERE {pool_where}"
            f" ORDER BY {RANKED} <=> %s::tsquery LIMIT {size}",
            [translation.typed, *filter_params, translation.typed],
        ).fetchall()
        pool = sorted({release_id for (release_id,) in best} | set(newest))
        rows = conn.execute(
            "WITH found AS MATERIALIZED (SELECT id, doc || ''::tsvector AS doc FROM releases"
            " WHERE id = ANY(%s))"
            f" SELECT id, {translation.score} AS score FROM found"
            f" WHERE doc @@ %s::tsquery{refine} ORDER BY score DESC, id DESC{limit_sql}",
            [pool, *translation.score_params, translation.narrow, *refine_params],
        ).fetchall()
    if len(rows) < min(limit or total, total):
        # Every match scored; the vectors are decompressed once, in the CTE.
        rows = conn.execute(
            "WITH found AS MATERIALIZED (SELECT id, doc || ''::tsvector AS doc FROM releases"
            f" WHERE {where})"
            f" SELECT id, {translation.score} AS score FROM found WHERE true{refine}"
            f" ORDER BY score DESC, id DESC{limit_sql}",
            [*where_params, *translation.score_params, *refine_params],
        ).fetchall()
    return [(release_id, score, total) for release_id, score in rows]


def _known(conn, words: set[str]) -> set[tuple[str, str]]:
    """Which of ``words`` the archive has as written (kinds w, n) or by their stem (s).

    The stems of known words come from the words table; Sastrawi is loaded only for a word
    the archive does not have as written."""
    if not words:
        return set()
    rows = conn.execute(
        "SELECT word, kind::text, stem FROM words WHERE word = ANY(%s) AND kind IN ('w', 'n', 'y')",
        (sorted(words),),
    )
    found: set[tuple[str, str]] = set()
    stems: dict[str, str] = {}
    for word, kind, stem in rows:
        if kind != "y":  # a synonym list's word: its stem is kept, but it is no archive word
            found.add((word, kind))
        if stem:
            stems[word] = stem
    textsearch.remember_stems(stems)
    unknown = {w for w in words if (w, "w") not in found and (w, "n") not in found}
    if unknown:
        wanted = sorted({textsearch.stem_word(w) for w in unknown})
        rows = conn.execute("SELECT word FROM words WHERE kind = 's' AND word = ANY(%s)", (wanted,))
        found |= {(word, "s") for (word,) in rows}
    return found


def _look_up_stems(conn, words: set[str]) -> None:
    if words:
        rows = conn.execute(
            "SELECT word, stem FROM words WHERE kind = 'w' AND word = ANY(%s)", (sorted(words),)
        )
        textsearch.remember_stems({word: stem for word, stem in rows if stem})


def _is_known(word: str, known: set[tuple[str, str]]) -> bool:
    return (
        (word, "w") in known or (word, "n") in known or (textsearch.stem_word(word), "s") in known
    )


def _correct(conn, word: str) -> str | None:
    """The nearest word of the archive's text (pg_trgm narrows, edit distance decides)."""
    if not textsearch.correctable(word):
        return None
    with conn.transaction():
        conn.execute(
            "SELECT set_config('pg_trgm.similarity_threshold', %s, true)",
            (str(TRIGRAM_THRESHOLD),),
        )
        rows = conn.execute(
            "SELECT word, stem FROM words WHERE kind = 'w' AND word %% %s"
            " ORDER BY similarity(word, %s) DESC, word LIMIT %s",
            (word, word, CANDIDATES),
        ).fetchall()
    textsearch.remember_stems({w: stem for w, stem in rows if stem})
    return textsearch.nearest(word, [r[0] for r in rows])
