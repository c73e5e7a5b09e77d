"""Benchmark ``humaskit recap`` and ``stats`` on a synthetic archive with publications.

Each command runs as a whole process, as a user runs it (start-up included); the median of
``--runs`` runs is reported, with ``humaskit --help`` as the floor. The archive is made
(``bench/make_archive.py --publications``) and indexed first when it does not exist.

    python bench/bench_recap.py /tmp/recap-100k --count 100000
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

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


def busiest_month(root: Path) -> str:
    """The month with the most releases (ids start with the date)."""
    from collections import Counter

    months = Counter(p.name[:7] for p in root.glob("releases/*/*"))
    return months.most_common(1)[0][0]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("root", type=Path)
    parser.add_argument("--count", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    humaskit = [*humaskit_command(), "--archive", str(args.root)]

    if not (args.root / "releases").exists():
        from make_archive import make_archive

        seconds = make_archive(args.root, args.count, publications=True)
        print(f"made {args.count} releases with publications in {seconds:.1f} s")
    if not (args.root / "index").exists():
        print(f"reindex: {timed([*humaskit, 'reindex']):.1f} s")
    subprocess.run([*humaskit, "recap", "--json"], check=True, capture_output=True, env=ENV)

    releases = sum(1 for _ in args.root.glob("releases/*/*"))
    month = busiest_month(args.root)
    out = Path(tempfile.mkdtemp(prefix="bench-recap-"))
    cases = [
        ("humaskit --help (floor)", [*humaskit_command(), "--help"]),
        (f"recap --month {month} --json", [*humaskit, "recap", "--month", month, "--json"]),
        (f"recap --month {month} (terminal)", [*humaskit, "recap", "--month", month]),
        (
            f"recap --month {month} --unit 'Rutan Pelaihari' --json",
            [*humaskit, "recap", "--month", month, "--unit", "Rutan Pelaihari", "--json"],
        ),
        (
            f"recap --month {month} --xlsx",
            [*humaskit, "recap", "--month", month, "--xlsx", str(out / "r.xlsx")],
        ),
        (
            f"recap --month {month} --docx",
            [*humaskit, "recap", "--month", month, "--docx", str(out / "r.docx")],
        ),
        ("recap --since 2024-01-01 --until 2024-12-31 --json (a year)",
         [*humaskit, "recap", "--since", "2024-01-01", "--until", "2024-12-31", "--json"]),
        ("stats --json (whole archive)", [*humaskit, "stats", "--json"]),
    ]  # fmt: skip
    print(f"{releases} releases; {platform.python_version()} on {platform.machine()}, "
          f"{os.cpu_count()} cores; median of {args.runs} runs")  # fmt: skip
    print("| command | median s | min s |")
    print("|---|---:|---:|")
    for label, command in cases:
        times = [timed(command) for _ in range(args.runs)]
        print(f"| `{label}` | {statistics.median(times):.2f} | {min(times):.2f} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
