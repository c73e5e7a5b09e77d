"""Benchmark humaskit search (Whoosh) on a synthetic archive, with SQLite FTS5 as the yardstick.

Measures in one run: index build time and peak memory (``humaskit reindex`` as a process),
whole-process ``humaskit search`` against ``humaskit --help``, in-process query latency
p50/p95, and the same queries on SQLite FTS5 over the same texts.

    python bench/bench_search.py /tmp/arsip-100k --count 100000
"""

from __future__ import annotations

import argparse
import os
import platform
import resource
import shutil
import sqlite3
import statistics
import subprocess
import sys
import time
from pathlib import Path

QUERIES = [
    "tes urine",
    "penerapan layanan kunjungan daring",
    "pembinaan warga binaan menjahit",
    "kunjungan kerja kakanwil",
    "pemeriksaan kesehatan",
    "zona integritas wbk",
    "pembebasan bersyarat",
    "berita bohong pilkada",
    "vaksinsi",
    "pertandingan sepak bola",
    "lapas pelaihari",
    "Fani Andika",
    "ketahanan pangan panen sayuran",
    "remisi idul fitri",
    "donor darah hut",
    '"jemput bola" paspor',
]


# Processes run as installed programs run: with Python's bytecode cache. A shell that sets
# PYTHONDONTWRITEBYTECODE would make every run compile humaskit from source (~30 ms).
ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}


def humaskit_command() -> list[str]:
    exe = Path(sys.executable).with_name("humaskit")
    return [str(exe)] if exe.exists() else [sys.executable, "-m", "humaskit"]


def timed(command: list[str]) -> float:
    start = time.perf_counter()
    subprocess.run(
        command, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=ENV
    )
    return time.perf_counter() - start


def median_of(command: list[str], repeat: int) -> float:
    timed(command)  # warm the page cache
    return statistics.median(timed(command) for _ in range(repeat))


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def fts_words(query: str) -> str:
    from humaskit.search.analysis import words

    return " OR ".join(f'"{w}"' for w in words(query)) or '""'


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("root", type=Path)
    parser.add_argument("--count", type=int, help="generate this many releases first")
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument(
        "--keep-index", action="store_true", help="use the index there is (no timed reindex)"
    )
    args = parser.parse_args()
    hk = humaskit_command()
    root = args.root.absolute()

    if args.count and not (root / "releases").exists():
        sys.path.insert(0, str(Path(__file__).parent))
        from make_archive import make_archive

        seconds = make_archive(root, args.count)
        print(f"generated {args.count} releases in {seconds:.1f} s", flush=True)

    from humaskit.archive.store import Archive

    print("load average (1, 5, 15 min) at the start: {:.2f} {:.2f} {:.2f}".format(*os.getloadavg()))
    archive = Archive(root)
    total = len(archive.ids())
    if not (args.keep_index and archive.index_dir.is_dir()):
        shutil.rmtree(archive.index_dir, ignore_errors=True)
        start = time.perf_counter()
        subprocess.run(
            [*hk, "--archive", str(root), "reindex"], check=True, stderr=subprocess.DEVNULL, env=ENV
        )
        build = time.perf_counter() - start
        peak_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
        print(
            f"reindex: {total} releases in {build:.1f} s ({total / build:.0f}/s), "
            f"peak RSS {peak_mb:.0f} MB",
            flush=True,
        )
    index_mb = sum(p.stat().st_size for p in archive.index_dir.iterdir()) / 1e6
    print(f"index: {total} releases, {index_mb:.0f} MB", flush=True)

    help_s = median_of([*hk, "--help"], args.repeat)
    search_s = median_of(
        [*hk, "--archive", str(root), "search", "tes urine", "--json"], args.repeat
    )
    print(
        f"process: --help {help_s * 1000:.0f} ms, search {search_s * 1000:.0f} ms "
        f"({search_s / help_s:.2f}x)",
        flush=True,
    )

    every = [
        median_of([*hk, "--archive", str(root), "search", query, "--json"], 3) for query in QUERIES
    ]
    print(
        f"process, all {len(QUERIES)} queries (median of 3 each): median "
        f"{statistics.median(every) * 1000:.0f} ms ({statistics.median(every) / help_s:.2f}x), "
        f"slowest {max(every) * 1000:.0f} ms ({max(every) / help_s:.2f}x)",
        flush=True,
    )

    from humaskit.search.engine import search
    from humaskit.search.filters import Filters

    # Import and open the searcher once, as a long-lived process would (it is then reused).
    search(archive, "tes urine", Filters())
    search(archive, "tes urine", Filters(tag="narkoba"))
    latencies: list[float] = []
    for _ in range(3):
        for query in QUERIES:
            start = time.perf_counter()
            search(archive, query, Filters())
            latencies.append(time.perf_counter() - start)
    print(
        f"in-process: p50 {percentile(latencies, 0.5) * 1000:.1f} ms, "
        f"p95 {percentile(latencies, 0.95) * 1000:.1f} ms over {len(latencies)} queries",
        flush=True,
    )

    db = sqlite3.connect(":memory:")
    db.execute("CREATE VIRTUAL TABLE docs USING fts5(id UNINDEXED, title, body)")
    rows = [(s.id, s.release.title, "\n".join(s.release.texts())) for s in archive.iter_releases()]
    start = time.perf_counter()
    db.executemany("INSERT INTO docs VALUES (?, ?, ?)", rows)
    db.commit()
    fts_build = time.perf_counter() - start
    fts: list[float] = []
    for _ in range(3):
        for query in QUERIES:
            start = time.perf_counter()
            db.execute(
                "SELECT id FROM docs WHERE docs MATCH ? ORDER BY rank LIMIT 10", (fts_words(query),)
            ).fetchall()
            fts.append(time.perf_counter() - start)
    print(
        f"sqlite fts5: build {fts_build:.1f} s, p50 {percentile(fts, 0.5) * 1000:.1f} ms, "
        f"p95 {percentile(fts, 0.95) * 1000:.1f} ms",
        flush=True,
    )
    slowest = sorted(zip(latencies, QUERIES * 3, strict=True), reverse=True)[:3]
    print("in-process slowest:", ", ".join(f"{q!r} {s * 1000:.0f} ms" for s, q in slowest))
    print(f"python {platform.python_version()}, {os.cpu_count()} cpus, {platform.processor()}")
    print("load average (1, 5, 15 min) at the end: {:.2f} {:.2f} {:.2f}".format(*os.getloadavg()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
