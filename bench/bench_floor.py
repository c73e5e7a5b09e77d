"""The start-up floor of a search process, measured side by side: a bare interpreter,
``humaskit --help``, importing only the Whoosh modules a folder search needs, importing
psycopg (a server search), and optionally one search. Interleaved, so a machine whose speed
drifts (shared cores) affects all alike; prints medians of CPU time (user + system) and
each as a multiple of ``--help``.

    .venv/bin/python bench/bench_floor.py
    .venv/bin/python bench/bench_floor.py --archive /tmp/arsip-1k --runs 21
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
from pathlib import Path

from bench_search import humaskit_command, timed  # this folder: run as bench/...

WHOOSH = "import whoosh.searching, whoosh.filedb.filestore, whoosh.codec.whoosh3"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--archive", type=Path, help="also time a search of this archive")
    parser.add_argument("--query", default="tes urine")
    parser.add_argument("--runs", type=int, default=15)
    options = parser.parse_args()
    humaskit = humaskit_command()
    commands = {
        "python -c pass": [sys.executable, "-c", "pass"],
        "humaskit --help": [*humaskit, "--help"],
        "import Whoosh's modules": [sys.executable, "-c", WHOOSH],
        "import psycopg": [sys.executable, "-c", "import psycopg"],
    }
    if options.archive:
        commands["search"] = [
            *humaskit, "--archive", str(options.archive), "search", options.query, "--json"
        ]  # fmt: skip
    for command in commands.values():
        timed(command)  # warm the page cache and the bytecode cache
    cpu: dict[str, list[float]] = {name: [] for name in commands}
    for _ in range(options.runs):
        for name, command in commands.items():
            cpu[name].append(timed(command)[1])
    median = {name: statistics.median(values) for name, values in cpu.items()}
    print(f"load average {os.getloadavg()[0]:.2f}, {options.runs} rounds, median CPU")
    for name, value in median.items():
        ratio = value / median["humaskit --help"]
        print(f"{name:26s} {value * 1000:6.0f} ms  {ratio:5.2f}x --help")
    return 0


if __name__ == "__main__":
    sys.exit(main())
