"""One search as a whole process against ``humaskit --help``, run in turn (interleaved), so a
machine whose speed drifts (shared cores) affects both alike. Prints medians of wall and CPU
time and their ratios (the targets: ≤ 2× at 1,000 releases, ≤ 2.5× at 10,000). Runs as
``bench_search.py`` does, with Python's bytecode cache, as an installed program runs.

    .venv/bin/python bench/bench_process_ratio.py /tmp/arsip-1k --runs 21
    .venv/bin/python bench/bench_process_ratio.py /tmp/arsip-1k --query "remisi idul fitri"
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
from pathlib import Path

from bench_search import humaskit_command, timed  # this folder: run as bench/...


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("archive", type=Path)
    parser.add_argument("--query", default="tes urine")
    parser.add_argument("--runs", type=int, default=21)
    options = parser.parse_args()
    humaskit = humaskit_command()
    help_command = [*humaskit, "--help"]
    search_command = [*humaskit, "--archive", str(options.archive), "search", options.query]
    search_command.append("--json")
    timed(help_command)
    timed(search_command)  # a first search may rebuild an index of another version
    runs: dict[str, list[tuple[float, float]]] = {"help": [], "search": []}
    for _ in range(options.runs):
        runs["help"].append(timed(help_command))
        runs["search"].append(timed(search_command))
    median = {
        name: (statistics.median(w for w, _ in pairs), statistics.median(c for _, c in pairs))
        for name, pairs in runs.items()
    }
    (help_wall, help_cpu), (search_wall, search_cpu) = median["help"], median["search"]
    print(f"load average {os.getloadavg()[0]:.2f}, {options.runs} pairs, medians")
    print(f"--help  {help_wall * 1000:6.0f} ms wall {help_cpu * 1000:6.0f} ms CPU")
    print(f"search  {search_wall * 1000:6.0f} ms wall {search_cpu * 1000:6.0f} ms CPU")
    print(f"ratio   {search_wall / help_wall:6.2f}x wall {search_cpu / help_cpu:6.2f}x CPU")
    return 0


if __name__ == "__main__":
    sys.exit(main())
