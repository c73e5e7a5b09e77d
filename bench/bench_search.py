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


def child_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def timed(command: list[str]) -> tuple[float, float]:
    """Wall-clock and CPU seconds of one run. On a machine shared with other work the CPU
    time is the steadier measure: it leaves out the time spent waiting for a core."""
    start, cpu = time.perf_counter(), child_cpu()
    subprocess.run(
        command, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=ENV
    )
    return time.perf_counter() - start, child_cpu() - cpu


def median_of(command: list[str], repeat: int) -> tuple[float, float]:
    timed(command)  # warm the page cache
    runs = [timed(command) for _ in range(repeat)]
    return statistics.median(w for w, _ in runs), statistics.median(c for _, c in runs)


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
    parser.add_argument("--no-fts", action="store_true", help="skip the SQLite FTS5 yardstick")
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

    help_s, help_cpu = median_of([*hk, "--help"], args.repeat)
    search_s, search_cpu = median_of(
        [*hk, "--archive", str(root), "search", "tes urine", "--json"], args.repeat
    )
    print(
        f"process: --help {help_s * 1000:.0f} ms (cpu {help_cpu * 1000:.0f}), search "
        f"{search_s * 1000:.0f} ms (cpu {search_cpu * 1000:.0f}): {search_s / help_s:.2f}x wall, "
        f"{search_cpu / help_cpu:.2f}x cpu",
        flush=True,
    )

    every = [
        median_of([*hk, "--archive", str(root), "search", query, "--json"], 3) for query in QUERIES
    ]
    walls, cpus = [w for w, _ in every], [c for _, c in every]
    print(
        f"process, all {len(QUERIES)} queries (median of 3 each): median "
        f"{statistics.median(walls) / help_s:.2f}x wall, "
        f"{statistics.median(cpus) / help_cpu:.2f}x cpu; slowest {max(walls) / help_s:.2f}x "
        f"wall, {max(cpus) / help_cpu:.2f}x cpu",
        flush=True,
    )

    from humaskit.search.engine import search
    from humaskit.search.filters import Filters

    # Import and open the searcher once, as a long-lived process would (it is then reused).
    search(archive, "tes urine", Filters())
    search(archive, "tes urine", Filters(tag="narkoba"))
    latencies: list[float] = []
    cpu_times: list[float] = []
    for _ in range(3):
        for query in QUERIES:
            start, cpu = time.perf_counter(), time.process_time()
            search(archive, query, Filters())
            latencies.append(time.perf_counter() - start)
            cpu_times.append(time.process_time() - cpu)
    print(
        f"in-process: p50 {percentile(latencies, 0.5) * 1000:.1f} ms, "
        f"p95 {percentile(latencies, 0.95) * 1000:.1f} ms over {len(latencies)} queries "
        f"(cpu p50 {percentile(cpu_times, 0.5) * 1000:.1f} ms, "
        f"p95 {percentile(cpu_times, 0.95) * 1000:.1f} ms)",
        flush=True,
    )

    slowest = sorted(zip(cpu_times, QUERIES * 3, strict=True), reverse=True)[:3]
    print("in-process slowest (cpu):", ", ".join(f"{q!r} {s * 1000:.0f} ms" for s, q in slowest))
    if args.no_fts:
        return finish()
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
    return finish()


def finish() -> int:
    print(f"python {platform.python_version()}, {os.cpu_count()} cpus")
    print("load average (1, 5, 15 min) at the end: {:.2f} {:.2f} {:.2f}".format(*os.getloadavg()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
