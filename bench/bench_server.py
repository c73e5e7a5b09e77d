"""The shared archive on PostgreSQL at scale: load, search in-process, search as a process,
and 16 concurrent searching clients. Figures go to docs/performance.md ("Shared archive").

    .venv/bin/python bench/bench_server.py --count 100000            # own throwaway cluster
    .venv/bin/python bench/bench_server.py --count 100000 --uri postgresql://...   # a server

Releases come from bench/make_archive.py's generator (the same template texts as the folder
benchmark; ``--varied N`` adds its long tail). They are loaded in batches of 1,000 rows per
transaction with their search vectors and a Markdown file each (rendering 100,000 Word files
would measure python-docx, not the archive).
"""

from __future__ import annotations

import argparse
import itertools
import json
import multiprocessing
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
sys.path.insert(0, str(Path(__file__).parent.parent / "tests"))

from bench_search import QUERIES, child_cpu, humaskit_command, median_of, percentile
from make_archive import long_tail, make_release

CLIENTS = 16


CHUNK = 10_000  # releases per worker transaction (one COPY each)
COLUMNS = (
    "id, day, title, unit, signature, unit_key, signature_key, tag_keys, record, texts,"
    " content_hash, doc, doc_version"
)


def _load_chunk(args: tuple[str, int, int, int, int]) -> set[tuple[str, str]]:
    """Releases ``first`` .. ``first + count - 1`` in one transaction, by COPY; returns their
    words (word, kind) for the words table. Each chunk draws from its own seed, so chunks load
    in parallel and the archive is the same for a given --seed whatever the order."""
    uri, seed, first, count, varied = args
    import psycopg

    from humaskit.archive.store import base_id
    from humaskit.backends.postgres import content_hash, textsearch
    from humaskit.record.model import dump_record

    rng = random.Random(seed * 1_000_003 + first)
    tail = None
    if varied:
        words = long_tail(random.Random(seed + 1), varied)
        weights = list(itertools.accumulate(1 / rank for rank in range(1, len(words) + 1)))
        tail = (words, weights)
    seen: set[tuple[str, str]] = set()
    with psycopg.connect(uri) as conn, conn.cursor() as cur:
        # The bench's own load: skip the files' foreign-key triggers (the ids are its own).
        cur.execute("SET session_replication_role = replica")
        files = []
        with cur.copy(f"COPY releases ({COLUMNS}) FROM STDIN") as copy:
            for number in range(first, first + count):
                release = make_release(rng, number, tail)
                release_id = f"{base_id(release)}-{number}"
                record = dump_record(release)
                vector, kinds = textsearch.document_vector(release)
                seen.update((w, k) for k, found in kinds.items() for w in found)
                copy.write_row(
                    (
                        release_id,
                        release.date,
                        release.title,
                        release.unit,
                        release.signature,
                        release.unit.casefold(),
                        release.signature.casefold(),
                        [t.casefold() for t in release.tags],
                        record,
                        release.texts(),
                        content_hash(record),
                        vector,
                        textsearch.DOC_VERSION,
                    )
                )
                files.append((release_id, f"# {release.title}\n".encode()))
        with cur.copy("COPY release_files (release_id, name, data) FROM STDIN") as copy:
            for release_id, data in files:
                copy.write_row((release_id, "release.md", data))
    return seen


def load(uri: str, count: int, seed: int, varied: int, workers: int) -> float:
    """COPY in chunks from ``workers`` processes with the secondary indexes dropped, then the
    indexes built once (as a restore from pg_dump does), the words table and VACUUM ANALYZE."""
    import psycopg

    from humaskit.backends.postgres import add_words

    start = time.perf_counter()
    with psycopg.connect(uri, autocommit=True) as conn:
        indexes = [
            (name, definition)
            for name, definition in conn.execute(
                "SELECT indexname, indexdef FROM pg_indexes WHERE tablename = 'releases'"
                " AND indexname <> 'releases_pkey'"
            )
        ]
        for name, _ in indexes:
            conn.execute(f'DROP INDEX "{name}"')
        chunks = [
            (uri, seed, first, min(CHUNK, count - first), varied)
            for first in range(0, count, CHUNK)
        ]
        words: set[tuple[str, str]] = set()
        with multiprocessing.Pool(workers) as pool:
            for done, found in enumerate(pool.imap_unordered(_load_chunk, chunks), start=1):
                words |= found
                took = time.perf_counter() - start
                print(f"  {min(done * CHUNK, count):>9,} loaded, {took:6.0f} s", flush=True)
        loaded = time.perf_counter() - start
        conn.execute("SET maintenance_work_mem = '512MB'")
        for name, definition in indexes:
            began = time.perf_counter()
            conn.execute(definition)
            print(f"  index {name}: {time.perf_counter() - began:.0f} s", flush=True)
        kinds: dict[str, set[str]] = {}
        for word, kind in words:
            kinds.setdefault(kind, set()).add(word)
        add_words(conn, kinds)
        conn.execute("VACUUM ANALYZE")
        print(f"  rows {loaded:.0f} s, all {time.perf_counter() - start:.0f} s", flush=True)
    return time.perf_counter() - start


def _backend_cpu(conn) -> float:  # type: ignore[no-untyped-def]
    """CPU seconds the connection's server process has used (the bench runs on the server's
    machine: /proc of the backend's pid)."""
    pid = conn.execute("SELECT pg_backend_pid()").fetchone()[0]
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def in_process(uri: str, repeat: int) -> dict:
    """Every query ``repeat`` times: wall and CPU (client and server process) percentiles,
    each query's median (ms) and how many releases it found."""
    from humaskit.backends import open_archive
    from humaskit.search.listing import Filters

    archive = open_archive(uri)
    archive.search("apel", Filters())  # connect, load the synonym list and Sastrawi once
    times, cpus = [], []
    per_query: dict[str, list[float]] = {q: [] for q in QUERIES}
    totals: dict[str, int] = {}
    load_before = os.getloadavg()[0]
    for _ in range(repeat):
        for query in QUERIES:
            cpu = time.process_time() + _backend_cpu(archive.conn)
            start = time.perf_counter()
            found = archive.search(query, Filters(), 10)
            elapsed = time.perf_counter() - start
            cpus.append(time.process_time() + _backend_cpu(archive.conn) - cpu)
            times.append(elapsed)
            per_query[query].append(elapsed)
            totals[query] = found.total
    archive.close()
    return {
        "in_process_p50_ms": round(1000 * statistics.median(times), 1),
        "in_process_p95_ms": round(1000 * percentile(times, 0.95), 1),
        "in_process_cpu_p50_ms": round(1000 * statistics.median(cpus), 1),
        "in_process_cpu_p95_ms": round(1000 * percentile(cpus, 0.95), 1),
        "in_process_load_average": [round(load_before, 2), round(os.getloadavg()[0], 2)],
        "per_query_ms_and_total": {
            q: (round(1000 * statistics.median(t)), totals[q]) for q, t in per_query.items()
        },
    }


def agreement(uri: str) -> dict:
    """How far the pool (the index's best ``POOL`` for the typed words, scored in full) is
    from scoring every match: the top ten of each query both ways."""
    from humaskit.backends import open_archive
    from humaskit.backends.postgres import search as server_search
    from humaskit.search.listing import Filters

    archive = open_archive(uri)
    pooled = {q: archive.search(q, Filters(), 10) for q in QUERIES}
    size = server_search.SCORE_ALL
    server_search.SCORE_ALL = 10**9
    try:
        full = {q: archive.search(q, Filters(), 10) for q in QUERIES}
    finally:
        server_search.SCORE_ALL = size
        archive.close()
    overlap = {
        q: len({h.id for h in pooled[q].hits} & {h.id for h in full[q].hits}) for q in QUERIES
    }
    # Many template releases tie on the score: the same scores, in order, is the fair test.
    same_scores = [
        [h.score for h in pooled[q].hits] == [h.score for h in full[q].hits] for q in QUERIES
    ]
    return {
        "pool_same_top10_scores": f"{sum(same_scores)}/{len(QUERIES)}",
        "pool_same_first": sum(pooled[q].hits[:1] == full[q].hits[:1] for q in QUERIES),
        "pool_top10_overlap": overlap,
        "pool_totals_equal": all(pooled[q].total == full[q].total for q in QUERIES),
    }


def _client(args: tuple[str, int, float]) -> list[float]:
    uri, seed, until = args
    from humaskit.backends import open_archive
    from humaskit.search.listing import Filters

    archive = open_archive(uri)
    archive.search("apel", Filters())
    rng = random.Random(seed)
    times = []
    while time.time() < until:
        start = time.perf_counter()
        archive.search(rng.choice(QUERIES), Filters(), 10)
        times.append(time.perf_counter() - start)
    return times


def concurrent(uri: str, seconds: float) -> dict:
    """``CLIENTS`` processes searching for ``seconds`` (after 5 s to start them all)."""
    until = time.time() + 5 + seconds
    with multiprocessing.Pool(CLIENTS) as pool:
        results = pool.map(_client, [(uri, n, until) for n in range(CLIENTS)])
    latencies = [t for r in results for t in r]
    return {
        "concurrent_qps": round(len(latencies) / seconds, 1),
        "concurrent_p50_ms": round(1000 * statistics.median(latencies)),
        "concurrent_p95_ms": round(1000 * percentile(latencies, 0.95)),
        "concurrent_queries": len(latencies),
        "concurrent_load_average": round(os.getloadavg()[0], 2),
    }


def whole_process(uri: str) -> dict:
    """``humaskit search`` as a person runs it, over ``humaskit --help``: wall and CPU."""
    hk = humaskit_command()
    help_wall, help_cpu = median_of([*hk, "--help"], 5)
    psycopg_wall, psycopg_cpu = median_of([sys.executable, "-c", "import psycopg"], 5)
    python_wall, _ = median_of([sys.executable, "-c", "pass"], 5)
    wall, cpu = median_of([*hk, "--archive", uri, "search", "tes urine", "--json"], 5)
    ratios = [median_of([*hk, "--archive", uri, "search", q, "--json"], 3) for q in QUERIES]
    return {
        "python_ms": round(1000 * python_wall),
        "import_psycopg_ms": round(1000 * psycopg_wall),
        "import_psycopg_cpu_ms": round(1000 * psycopg_cpu),
        "help_ms": round(1000 * help_wall),
        "help_cpu_ms": round(1000 * help_cpu),
        "search_process_ms": round(1000 * wall),
        "search_process_cpu_ms": round(1000 * cpu),
        "search_ratio": round(wall / help_wall, 2),
        "search_cpu_ratio": round(cpu / help_cpu, 2),
        "all_queries_ratio_median": round(statistics.median(w for w, _ in ratios) / help_wall, 2),
        "all_queries_ratio_max": round(max(w for w, _ in ratios) / help_wall, 2),
        "all_queries_cpu_ratio_median": round(
            statistics.median(c for _, c in ratios) / help_cpu, 2
        ),
        "whole_process_load_average": round(os.getloadavg()[0], 2),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=10000)
    parser.add_argument("--varied", type=int, default=0)
    parser.add_argument("--seed", type=int, default=6)
    parser.add_argument("--uri", help="an empty database (default: a throwaway cluster)")
    parser.add_argument("--no-load", action="store_true", help="measure what --uri holds")
    parser.add_argument("--load-only", action="store_true", help="load --uri, measure nothing")
    parser.add_argument("--workers", type=int, default=2, help="loading processes")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--seconds", type=float, default=20)
    options = parser.parse_args()

    cluster = None
    if options.uri:
        uri = options.uri
    else:
        import pg  # tests/pg.py: initdb in a temporary folder, a free port

        base = Path(tempfile.mkdtemp(prefix="humaskit-bench-pg-"))
        os.chmod(base, 0o700)
        cluster = pg.start_cluster(base)
        uri = cluster[0].new_database()
    try:
        import psycopg

        from humaskit.backends.postgres.server import init_server

        figures: dict = {"releases": options.count, "load_average": os.getloadavg()}
        if not options.no_load:
            init_server(uri)
            cpu = child_cpu()
            figures["load_s"] = round(load(uri, options.count, options.seed, options.varied,
                                           options.workers), 1)  # fmt: skip
            figures["load_client_cpu_s"] = round(child_cpu() - cpu, 1)
            figures["load_load_average"] = os.getloadavg()
        with psycopg.connect(uri) as conn:
            figures["releases"] = conn.execute("SELECT count(*) FROM releases").fetchone()[0]
            figures["database_MB"] = round(
                conn.execute("SELECT pg_database_size(current_database())").fetchone()[0] / 1e6
            )
            figures["search_indexes_MB"] = round(
                conn.execute(
                    "SELECT pg_relation_size('releases_doc') + pg_relation_size('releases_doc_rum')"
                    " + pg_relation_size('words_trgm')"
                ).fetchone()[0]
                / 1e6
            )
        print(json.dumps(figures), flush=True)
        if options.load_only:
            return 0
        figures |= in_process(uri, options.repeat)
        figures |= agreement(uri)
        print(json.dumps(figures), flush=True)
        figures |= whole_process(uri)
        print(json.dumps(figures), flush=True)
        figures |= concurrent(uri, options.seconds)
        print(json.dumps(figures, indent=1))
    finally:
        if cluster is not None:
            import pg

            pg.stop_cluster(*cluster)
            subprocess.run(["rm", "-rf", str(cluster[0].data.parent)], check=False)
    return 0


if __name__ == "__main__":
    sys.exit(main())
