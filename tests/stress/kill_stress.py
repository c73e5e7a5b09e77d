"""Crash stress: SIGKILL ``humaskit new``, ``edit``, ``import`` and ``reindex`` at random moments.

Each round starts one real ``humaskit`` process on a shared archive and kills it with SIGKILL
after a random delay between 0 and about its full running time (measured first), so kills
land during start-up, validation, rendering, the folder rename, the index commit, and after.
Afterwards it checks what a user relies on:

- every release folder is complete and readable: ``release.yaml`` loads, ``release.md``,
  ``release.docx`` (opens in python-docx) and ``meta.json`` (valid JSON) are there, every
  revision loads;
- no temp file is visible to a user: anything left by a killed process is a hidden
  ``.tmp-*`` file or folder;
- every release whose ``new`` reported success exists, and none disappeared;
- ``humaskit doctor --repair`` brings files and index into agreement (then ``doctor`` is
  clean, no ``.tmp-*`` is left), and ``search`` and ``list`` agree on the number of releases.

    .venv/bin/python tests/stress/kill_stress.py --kills 200      # about 3 minutes
    .venv/bin/python tests/stress/kill_stress.py --kills 200 --keep /tmp/stress

``tests/test_crash.py`` runs the same with 20 kills in the default test suite.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import random
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import yaml

SEED = Path(__file__).resolve().parents[1] / "data" / "seed.yaml"
OPERATIONS = ("new", "edit", "import", "reindex")
KNOWN_FILES = {"release.yaml", "release.md", "release.docx", "meta.json"}


@dataclass
class Summary:
    rounds: int = 0
    killed: Counter = field(default_factory=Counter)
    finished: Counter = field(default_factory=Counter)
    problems: list[str] = field(default_factory=list)

    def line(self) -> str:
        kills = ", ".join(f"{op} {self.killed[op]}" for op in OPERATIONS)
        done = ", ".join(f"{op} {self.finished[op]}" for op in OPERATIONS)
        return f"{self.rounds} rounds; killed: {kills}; finished before the kill: {done}"


def humaskit(archive: Path, *args: str | Path) -> list[str]:
    return [sys.executable, "-m", "humaskit", "--archive", str(archive), *map(str, args)]


def run(archive: Path, *args: str | Path, cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        humaskit(archive, *args), cwd=cwd, capture_output=True, text=True, timeout=300, env=_env()
    )


def _env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("HUMASKIT_")}
    env["HUMASKIT_LANG"] = "en"
    return env


def make_inputs(work: Path, count: int = 6) -> list[Path]:
    """Record files derived from the seed: new titles, one photo each, some with more body."""
    from PIL import Image

    base = yaml.safe_load(SEED.read_text(encoding="utf-8"))
    records = work / "records"
    records.mkdir(parents=True, exist_ok=True)
    paths = []
    for number in range(count):
        photo = records / f"foto-{number}.jpg"
        buffer = io.BytesIO()
        Image.new("RGB", (320, 240), (20 * number, 90, 160)).save(buffer, "JPEG")
        photo.write_bytes(buffer.getvalue())
        record = dict(base)
        record["title"] = f"{base['title']} Bagian {number}"
        record["body"] = base["body"] * (1 + number % 3)
        record["photos"] = [{"path": photo.name, "caption": f"Kegiatan bagian {number}"}]
        path = records / f"rekaman-{number}.yaml"
        path.write_text(yaml.safe_dump(record, allow_unicode=True), encoding="utf-8")
        paths.append(path)
    return paths


def command_for(op: str, archive: Path, inputs: list[Path], rng: random.Random) -> list[str]:
    if op == "new":
        return humaskit(archive, "new", rng.choice(inputs), "--json")
    if op == "edit":
        ids = release_ids(archive)
        return humaskit(archive, "edit", rng.choice(ids), rng.choice(inputs), "--json")
    if op == "import":
        return humaskit(archive, "import", *rng.sample(inputs, 2), "--json")
    return humaskit(archive, "reindex")


def release_ids(archive: Path) -> list[str]:
    return sorted(p.name for p in (archive / "releases").glob("*/*") if not p.name.startswith("."))


def calibrate(archive: Path, inputs: list[Path], work: Path) -> dict[str, float]:
    """How long each operation takes here, so kills can land anywhere inside it."""
    rng = random.Random(0)
    durations = {}
    for op in OPERATIONS:
        start = time.perf_counter()
        done = subprocess.run(
            command_for(op, archive, inputs, rng), cwd=work, capture_output=True, env=_env()
        )
        if done.returncode != 0:
            raise SystemExit(f"humaskit {op} failed before any kill: {done.stderr.decode()}")
        durations[op] = time.perf_counter() - start
    return durations


def stress(work: Path, kills: int, seed: int = 1, log=print) -> Summary:  # type: ignore[no-untyped-def]
    rng = random.Random(seed)
    archive = work / "archive"
    inputs = make_inputs(work)
    durations = calibrate(archive, inputs, work)
    log("calibration (s): " + ", ".join(f"{op} {d:.2f}" for op, d in durations.items()))
    summary = Summary()
    confirmed: set[str] = set(release_ids(archive))
    while sum(summary.killed.values()) < kills:
        op = rng.choice(OPERATIONS)
        before = set(release_ids(archive))
        process = subprocess.Popen(
            command_for(op, archive, inputs, rng),
            cwd=work,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            env=_env(),
        )
        time.sleep(rng.uniform(0.0, durations[op] * 1.1))
        if process.poll() is None:
            process.send_signal(signal.SIGKILL)
            summary.killed[op] += 1
        out, err = process.communicate()
        summary.rounds += 1
        if process.returncode == 0:
            summary.finished[op] += 1
            if op in ("new", "import"):
                confirmed |= {row["id"] for row in json.loads(out)}
        elif process.returncode != -signal.SIGKILL:
            summary.problems.append(f"humaskit {op} failed (exit {process.returncode}): {err!r}")
        lost = (before | confirmed) - set(release_ids(archive))
        summary.problems += [f"release {i} disappeared after {op}" for i in sorted(lost)]
        if summary.rounds % 25 == 0:
            log(summary.line())
    summary.problems += check_folders(archive)
    summary.problems += check_repair(archive, work, log)
    return summary


def check_folders(archive: Path) -> list[str]:
    """Every release folder complete and readable; nothing but hidden temps left over."""
    import docx

    problems = []
    for folder in (archive / "releases").glob("*/*"):
        if folder.name.startswith(".tmp-"):
            continue  # a killed build: hidden, removed by doctor --repair
        if folder.name.startswith("."):
            problems.append(f"unexpected hidden entry {folder}")
            continue
        names = {p.name for p in folder.iterdir() if not p.name.startswith(".tmp-")}
        if missing := KNOWN_FILES - names:
            problems.append(f"{folder.name}: missing {sorted(missing)}")
            continue
        extra = {
            n for n in names - KNOWN_FILES - {"photos", "revisions"} if n.split(".")[0] != "source"
        }
        if extra:  # import keeps the file it read as source.<ext>
            problems.append(f"{folder.name}: unexpected files {sorted(extra)}")
        try:
            record = yaml.safe_load((folder / "release.yaml").read_text("utf-8"))
            assert isinstance(record, dict) and record.get("title")
            json.loads((folder / "meta.json").read_text("utf-8"))
            docx.Document(str(folder / "release.docx"))
            assert (folder / "release.md").read_text("utf-8").strip()
            for revision in (folder / "revisions").glob("*"):
                if not revision.name.startswith(".tmp-"):
                    assert yaml.safe_load(revision.read_text("utf-8"))["title"]
            for photo in (folder / "photos").glob("*"):
                assert photo.name.startswith(".tmp-") or photo.stat().st_size > 0
        except Exception as err:  # any failure to read is what this script looks for
            problems.append(f"{folder.name}: unreadable ({type(err).__name__}: {err})")
    # index/ is Whoosh's: a killed writer may leave MAIN.tmp there; doctor --repair removes it.
    problems += [f"visible temp file {p}" for p in visible_temps(archive, skip="index")]
    return problems


def visible_temps(archive: Path, skip: str | None = None) -> list[Path]:
    found = []
    for path in archive.rglob("*"):
        parts = path.relative_to(archive).parts
        if parts[0] == skip or any(part.startswith(".") for part in parts):
            continue
        if any(mark in path.name.lower() for mark in ("tmp", ".part", "~")):
            found.append(path)
    return found


def check_repair(archive: Path, work: Path, log=print) -> list[str]:  # type: ignore[no-untyped-def]
    """doctor --repair brings files and index into agreement; search and list agree."""
    problems = []
    repaired = run(archive, "doctor", "--repair", "--json", cwd=work)
    if repaired.returncode != 0:
        problems.append(f"doctor --repair left problems: {repaired.stdout} {repaired.stderr}")
    else:  # what the kills had left behind: evidence they hit mid-write
        kinds = Counter(f["kind"] for f in json.loads(repaired.stdout)["repaired"])
        log("doctor --repair fixed: " + (", ".join(f"{k} {n}" for k, n in kinds.items()) or "-"))
    checked = run(archive, "doctor", "--json", cwd=work)
    if checked.returncode != 0 or not json.loads(checked.stdout)["consistent"]:
        problems.append(f"doctor after repair: {checked.stdout} {checked.stderr}")
    leftovers = sorted(str(p) for p in [*archive.rglob(".tmp-*"), *visible_temps(archive)])
    if leftovers:
        problems.append(f"temps left after doctor --repair: {leftovers[:5]}")
    listed = run(archive, "list", "--json", cwd=work)
    found = run(archive, "search", "Pelaihari", "--limit", "100000", "--json", cwd=work)
    if listed.returncode or found.returncode:
        problems.append(f"list/search failed: {listed.stderr} {found.stderr}")
    else:
        listed_ids = {row["id"] for row in json.loads(listed.stdout)}
        found_ids = {row["id"] for row in json.loads(found.stdout)}
        if listed_ids != set(release_ids(archive)) or found_ids != listed_ids:
            problems.append(
                f"list ({len(listed_ids)}), search ({len(found_ids)}) and folders "
                f"({len(release_ids(archive))}) disagree"
            )
    return problems


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--kills", type=int, default=200)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--keep", type=Path, help="work in this folder and keep it")
    options = parser.parse_args()
    work = options.keep or Path(tempfile.mkdtemp(prefix="humaskit-stress-"))
    work.mkdir(parents=True, exist_ok=True)
    start = time.perf_counter()
    try:
        summary = stress(work, options.kills, options.seed)
    finally:
        if options.keep is None:
            shutil.rmtree(work, ignore_errors=True)
    print(summary.line())
    print(f"{time.perf_counter() - start:.0f} s; problems: {len(summary.problems)}")
    for problem in summary.problems:
        print(f"  - {problem}")
    return 1 if summary.problems else 0


if __name__ == "__main__":
    sys.exit(main())
