"""Start-up benchmark: ``humaskit --help`` against a bare typer app with as many commands.

Both run in the same interpreter (this venv's Python), alternately, so machine load hits both
alike. The target is a ratio of at most 1.5: humaskit's own modules may cost a little, heavy
libraries (python-docx, Whoosh, questionary, Sastrawi, Pillow, Jinja2, Babel, PyYAML) none,
because they are imported inside the commands that use them.

    .venv/bin/python bench/bench_startup.py            # 30 runs each, prints a table
    .venv/bin/python bench/bench_startup.py --runs 50 --check   # exit 1 above the target

Uses hyperfine when it is installed (apt install hyperfine), else a timing loop.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

TARGET = 1.5
# Run as installed programs run: with Python's bytecode cache (see bench_search.py).
ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}

BARE_APP = '''
import typer

app = typer.Typer(rich_markup_mode=None, add_completion=False, no_args_is_help=True)

def make(number):
    def command(
        name: str = typer.Argument(None, help="A name."),
        as_json: bool = typer.Option(False, "--json", help="JSON output."),
    ) -> None:
        """A command that does nothing."""

    command.__name__ = f"command{number}"
    app.command(name=f"command{number}")(command)

for number in range({count}):
    make(number)

if __name__ == "__main__":
    app(prog_name="bare")
'''


def humaskit_command_count() -> int:
    probe = (
        "from typer.main import get_command; from humaskit.cli import app; "
        "print(len(get_command(app).commands))"
    )
    done = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True, env=ENV
    )
    return int(done.stdout.strip())


def time_loop(commands: dict[str, list[str]], runs: int) -> dict[str, list[float]]:
    times: dict[str, list[float]] = {name: [] for name in commands}
    for argv in commands.values():  # warm the file cache once
        subprocess.run(argv, capture_output=True, check=True, env=ENV)
    for _ in range(runs):
        for name, argv in commands.items():
            start = time.perf_counter()
            subprocess.run(argv, capture_output=True, check=True, env=ENV)
            times[name].append(time.perf_counter() - start)
    return times


def time_hyperfine(commands: dict[str, list[str]], runs: int) -> dict[str, list[float]]:
    with tempfile.TemporaryDirectory() as tmp:
        export = Path(tmp) / "result.json"
        argv = ["hyperfine", "--warmup", "3", "--runs", str(runs), "-N", "--export-json"]
        argv += [str(export), *(" ".join(cmd) for cmd in commands.values())]
        subprocess.run(argv, check=True, capture_output=True, env=ENV)
        results = json.loads(export.read_text())["results"]
    return {name: r["times"] for name, r in zip(commands, results, strict=True)}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--check", action="store_true", help=f"exit 1 above {TARGET}x")
    parser.add_argument("--no-hyperfine", action="store_true")
    options = parser.parse_args()

    count = humaskit_command_count()
    with tempfile.TemporaryDirectory() as tmp:
        bare = Path(tmp) / "bare_app.py"
        bare.write_text(BARE_APP.replace("{count}", str(count)))
        commands = {
            "python -c pass": [sys.executable, "-c", "pass"],
            f"bare typer app ({count} commands) --help": [sys.executable, str(bare), "--help"],
            "humaskit --help": [sys.executable, "-m", "humaskit", "--help"],
        }
        use_hyperfine = shutil.which("hyperfine") and not options.no_hyperfine
        timer = time_hyperfine if use_hyperfine else time_loop
        times = timer(commands, options.runs)

    medians = {name: statistics.median(values) * 1000 for name, values in times.items()}
    print(f"timer: {'hyperfine' if use_hyperfine else 'Python loop'}, {options.runs} runs each")
    print("| command | median ms | min ms |")
    print("|---|---:|---:|")
    for name, values in times.items():
        print(f"| {name} | {medians[name]:.0f} | {min(values) * 1000:.0f} |")
    bare_name, humaskit_name = list(commands)[1:]
    ratio = medians[humaskit_name] / medians[bare_name]
    print(f"\nratio humaskit / bare typer app: {ratio:.2f} (target <= {TARGET})")
    return 1 if options.check and ratio > TARGET else 0


if __name__ == "__main__":
    sys.exit(main())
