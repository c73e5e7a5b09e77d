"""Two and four real ``humaskit`` processes saving, editing and searching one archive at once.

Every save lands exactly once with its own id, every edit is kept (as the record or as a
revision), and a search or list running during the writes returns a consistent answer: valid
JSON whose every id is a complete release.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from conftest import SEED_RECORD

SEED_ID = "2025-02-06-rutan-pelaihari-ikuti-penguatan-kehumasan-ditjenpas"


def _env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("HUMASKIT_")}
    env["HUMASKIT_LANG"] = "en"
    return env


def start(archive: Path, *args: str | Path) -> subprocess.Popen:
    argv = [sys.executable, "-m", "humaskit", "--archive", str(archive), *map(str, args)]
    return subprocess.Popen(
        argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=_env()
    )


def finish(process: subprocess.Popen) -> str:
    out, err = process.communicate(timeout=300)
    assert process.returncode == 0, err
    assert "Traceback" not in err
    return out


def folders(archive: Path) -> set[str]:
    return {p.name for p in (archive / "releases").glob("*/*") if not p.name.startswith(".")}


def record_with(path: Path, **changes: object) -> Path:
    record = yaml.safe_load(SEED_RECORD.read_text(encoding="utf-8"))
    record.update(changes)
    path.write_text(yaml.safe_dump(record, allow_unicode=True), encoding="utf-8")
    return path


@pytest.mark.parametrize("processes", [2, 4])
def test_processes_saving_the_same_title_get_distinct_ids(tmp_path: Path, processes: int) -> None:
    archive = tmp_path / "archive"
    each = 3
    running = [start(archive, "new", *[SEED_RECORD] * each, "--json") for _ in range(processes)]
    ids = [row["id"] for p in running for row in json.loads(finish(p))]
    assert len(ids) == processes * each
    assert len(set(ids)) == len(ids), "two saves were given the same id"
    assert set(ids) == folders(archive), "a save is missing or landed twice"
    assert all(i == SEED_ID or i.startswith(f"{SEED_ID}-") for i in ids)
    listed = json.loads(finish(start(archive, "list", "--json")))
    assert sorted(row["id"] for row in listed) == sorted(ids)
    found = json.loads(finish(start(archive, "search", "Pelaihari", "--limit", "100", "--json")))
    assert sorted(row["id"] for row in found) == sorted(ids)


@pytest.mark.parametrize("processes", [2, 4])
def test_processes_editing_one_release_keep_every_version(tmp_path: Path, processes: int) -> None:
    archive = tmp_path / "archive"
    finish(start(archive, "new", SEED_RECORD))
    original = json.loads(finish(start(archive, "show", SEED_ID, "--json")))["lead"]
    leads = [
        f"Versi {n}: Kepala Rutan membuka kegiatan pada Kamis (6/2)." for n in range(processes)
    ]
    files = [record_with(tmp_path / f"versi-{n}.yaml", lead=lead) for n, lead in enumerate(leads)]
    running = [start(archive, "edit", SEED_ID, path, "--json") for path in files]
    revisions = sorted(json.loads(finish(p))["revision"] for p in running)
    assert revisions == list(range(1, processes + 1)), "two edits took the same revision"

    folder = archive / "releases" / "2025" / SEED_ID
    kept = [yaml.safe_load(p.read_text("utf-8"))["lead"] for p in (folder / "revisions").iterdir()]
    current = yaml.safe_load((folder / "release.yaml").read_text("utf-8"))["lead"]
    assert sorted([*kept, current]) == sorted([original, *leads]), "an edit was lost"
    assert current in leads
    assert not list(folder.rglob(".tmp-*"))
    shown = json.loads(finish(start(archive, "show", SEED_ID, "--json")))
    assert shown["lead"] == current
    assert current in (folder / "release.md").read_text("utf-8")


@pytest.mark.parametrize("writers", [2, 4])
def test_search_and_list_during_writes_are_consistent(tmp_path: Path, writers: int) -> None:
    archive = tmp_path / "archive"
    finish(start(archive, "new", SEED_RECORD))
    records = [
        record_with(tmp_path / f"baru-{n}.yaml", title=f"Rutan Pelaihari Gelar Kegiatan {n}")
        for n in range(writers)
    ]
    running = [start(archive, "new", path, path, "--json") for path in records[1:]]
    running.append(start(archive, "edit", SEED_ID, records[0], "--json"))
    answers = []
    while any(p.poll() is None for p in running):
        search = start(archive, "search", "Pelaihari", "--limit", "1000", "--json")
        listing = start(archive, "list", "--json")
        answers.append((json.loads(finish(search)), json.loads(finish(listing))))
    for process in running:
        finish(process)

    assert answers, "the writers finished before any reader ran"
    complete = folders(archive)
    for found, listed in answers:
        for row in [*found, *listed]:
            assert row["id"] in complete
            assert (archive / "releases" / row["date"][:4] / row["id"] / "release.yaml").is_file()
            assert row["title"]
    total = 1 + 2 * (writers - 1)
    assert len(complete) == total
    final = json.loads(finish(start(archive, "search", "Pelaihari", "--limit", "1000", "--json")))
    assert len(final) == total
    doctor = start(archive, "doctor", "--json")
    assert json.loads(finish(doctor))["consistent"]


# Words far from each other and from the seed's text: a search for one cannot be corrected
# into another.
MARKERS = ["mangrove", "gamelan", "trombon", "kaligrafi", "origami", "akuarium"]


@pytest.mark.slow
@pytest.mark.parametrize("round_", range(2))
def test_concurrent_edits_leave_the_final_record_indexed(tmp_path: Path, round_: int) -> None:
    """Six ``edit``s of one release at once: the index holds the record that ends on disk
    (each save indexes what is on disk, inside the index lock), an older version is not
    found, and doctor finds the archive consistent."""
    archive = tmp_path / "archive"
    finish(start(archive, "new", SEED_RECORD))
    files = [
        record_with(tmp_path / f"versi-{word}.yaml", closing=f"Kegiatan ditutup dengan {word}.")
        for word in MARKERS
    ]
    running = [start(archive, "edit", SEED_ID, path, "--json") for path in files]
    for process in running:
        finish(process)

    record = archive / "releases" / "2025" / SEED_ID / "release.yaml"
    closing = yaml.safe_load(record.read_text("utf-8"))["closing"]
    (final,) = [word for word in MARKERS if word in closing]
    for word in MARKERS:
        found = json.loads(finish(start(archive, "search", word, "--json")))
        assert [row["id"] for row in found] == ([SEED_ID] if word == final else []), word
    doctor = start(archive, "doctor", "--json")
    assert json.loads(finish(doctor))["consistent"]
