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
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
sys.path.insert(0, str(Path(__file__).parent.parent / "tests"))

from bench_search import QUERIES, humaskit_command, median_of, percentile
from make_archive import long_tail, make_release

BATCH = 1000
CLIENTS = 16


def load(uri: str, count: int, seed: int, varied: int) -> float:
    import psycopg

    from humaskit.archive.store import base_id
    from humaskit.backends.postgres import add_words, content_hash, textsearch
    from humaskit.record.model import dump_record

    rng = random.Random(seed)
    tail = None
    if varied:
        words = long_tail(random.Random(seed + 1), varied)
        weights = list(itertools.accumulate(1 / rank for rank in range(1, len(words) + 1)))
        tail = (words, weights)
    used: Counter[str] = Counter()
    start = time.perf_counter()
    with psycopg.connect(uri, autocommit=True) as conn:
        for first in range(0, count, BATCH):
            rows, files, words_seen = [], [], set()
            for number in range(first, min(count, first + BATCH)):
                release = make_release(rng, number, tail)
                wanted = base_id(release)
                used[wanted] += 1
                release_id = wanted if used[wanted] == 1 else f"{wanted}-{used[wanted]}"
                record = dump_record(release)
                vector, kinds = textsearch.document_vector(release)
                words_seen.update((w, k) for k, found in kinds.items() for w in found)
                rows.append(
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
                files.append((release_id, "release.md", f"# {release.title}\n".encode()))
            with conn.transaction(), conn.cursor() as cur:
                cur.executemany(
                    "INSERT INTO releases (id, day, title, unit, signature, unit_key,"
                    " signature_key, tag_keys, record, texts, content_hash, doc, doc_version)"
                    " VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s::tsvector, %s)",
                    rows,
                )
                cur.executemany(
                    "INSERT INTO release_files (release_id, name, data) VALUES (%s, %s, %s)",
                    files,
                )
                kinds: dict[str, set[str]] = {}
                for word, kind in words_seen:
                    kinds.setdefault(kind, set()).add(word)
                add_words(conn, kinds)
            if (first // BATCH) % 10 == 0:
                print(f"  {first + len(rows):>9,} loaded, {time.perf_counter() - start:6.0f} s")
        conn.execute("VACUUM ANALYZE")
    return time.perf_counter() - start


def in_process(uri: str, repeat: int) -> tuple[list[float], dict[str, tuple[float, int]]]:
    """Every query ``repeat`` times; also each query's median (ms) and how many it found."""
    from humaskit.backends import open_archive
    from humaskit.search.listing import Filters

    archive = open_archive(uri)
    archive.search("apel", Filters())  # connect, load the synonym list and Sastrawi once
    times = []
    per_query: dict[str, list[float]] = {q: [] for q in QUERIES}
    totals: dict[str, int] = {}
    for _ in range(repeat):
        for query in QUERIES:
            start = time.perf_counter()
            found = archive.search(query, Filters(), 10)
            elapsed = time.perf_counter() - start
            times.append(elapsed)
            per_query[query].append(elapsed)
            totals[query] = found.total
    medians = {q: (round(1000 * statistics.median(t)), totals[q]) for q, t in per_query.items()}
    return times, medians


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


def concurrent(uri: str, seconds: float) -> tuple[float, float, int]:
    until = time.time() + 5 + seconds
    with multiprocessing.Pool(CLIENTS) as pool:
        results = pool.map(_client, [(uri, n, until) for n in range(CLIENTS)])
    latencies = [t for r in results for t in r]
    return len(latencies) / seconds, percentile(latencies, 0.95), len(latencies)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=10000)
    parser.add_argument("--varied", type=int, default=0)
    parser.add_argument("--seed", type=int, default=6)
    parser.add_argument("--uri", help="an empty database (default: a throwaway cluster)")
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
        from humaskit.backends.postgres.server import init_server

        init_server(uri)
        seconds = load(uri, options.count, options.seed, options.varied)
        import psycopg

        with psycopg.connect(uri) as conn:
            size = conn.execute("SELECT pg_database_size(current_database())").fetchone()[0]
            index = conn.execute(
                "SELECT pg_relation_size('releases_doc') + pg_relation_size('words_trgm')"
            ).fetchone()[0]
        times, per_query = in_process(uri, options.repeat)
        hk = humaskit_command()
        help_time = median_of([*hk, "--help"], 5)
        search_time = median_of([*hk, "--archive", uri, "search", "tes urine", "--json"], 5)
        all_queries = [
            median_of([*hk, "--archive", uri, "search", q, "--json"], 3) / help_time
            for q in QUERIES
        ]
        qps, p95, served = concurrent(uri, options.seconds)
        figures = {
            "releases": options.count,
            "load_s": round(seconds, 1),
            "database_MB": round(size / 1e6),
            "search_indexes_MB": round(index / 1e6),
            "in_process_p50_ms": round(1000 * statistics.median(times), 1),
            "in_process_p95_ms": round(1000 * percentile(times, 0.95), 1),
            "help_ms": round(1000 * help_time),
            "search_process_ms": round(1000 * search_time),
            "search_ratio": round(search_time / help_time, 2),
            "all_queries_ratio_median": round(statistics.median(all_queries), 2),
            "all_queries_ratio_max": round(max(all_queries), 2),
            "concurrent_qps": round(qps, 1),
            "concurrent_p95_ms": round(1000 * p95),
            "concurrent_queries": served,
            "per_query_ms_and_total": per_query,
        }
        print(json.dumps(figures, indent=1))
    finally:
        if cluster is not None:
            import pg

            pg.stop_cluster(*cluster)
            subprocess.run(["rm", "-rf", str(cluster[0].data.parent)], check=False)
    return 0


if __name__ == "__main__":
    sys.exit(main())
