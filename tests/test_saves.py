"""Saved, never reported as failed; doctor finds every kind of damage, one line each.

A save reports exactly what was saved and what was not: a failed index update names the
saved ids and says not to save again; an identical edit keeps no revision; a failed edit
leaves no revision behind. ``doctor`` names the file of each problem once, finds damage
anywhere in ``releases/`` and ``index/``, and ``--repair`` fixes what it can without taking
the work of saves running beside it for damage.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
import yaml

from conftest import SEED_RECORD
from test_hostile import mounted

SEED = yaml.safe_load(SEED_RECORD.read_text("utf-8"))


def _record(folder: Path, name: str, **changes: str) -> Path:
    path = folder / f"{name}.yaml"
    path.write_text(yaml.safe_dump({**SEED, **changes}, allow_unicode=True), "utf-8")
    return path


@pytest.fixture
def archive(cli, workdir: Path) -> Path:
    folder = workdir / "archive"
    assert cli("--archive", folder, "new", SEED_RECORD).exit_code == 0
    return folder


def _seed_id(archive: Path) -> str:
    return "2025-02-06-rutan-pelaihari-ikuti-penguatan-kehumasan-ditjenpas"


def test_a_failed_index_update_names_every_saved_release(cli, workdir, archive) -> None:
    second = _record(workdir, "b", title="Rutan Pelaihari Gelar Donor Darah")
    third = _record(workdir, "c", title="Lapas Amuntai Panen Sayur Hidroponik")
    changed = _record(workdir, "d", closing="Kegiatan ditutup dengan doa bersama.")
    with mounted(["--bind", "-o", "ro", str(archive / "index")], archive / "index"):
        result = cli("--archive", archive, "new", second, third, "--json")
        assert result.exit_code == 1
        ids = [row["id"] for row in result.json()]  # the saved ones are still reported
        assert len(ids) == 2 and all(i in result.stderr for i in ids)
        assert "doctor --repair" in result.stderr and "Traceback" not in result.stderr
        edited = cli("--archive", archive, "edit", _seed_id(archive), changed)
        assert edited.exit_code == 1 and _seed_id(archive) in edited.stderr
    listed = {row["id"] for row in cli("--archive", archive, "list", "--json").json()}
    assert set(ids) <= listed and len(listed) == 3
    assert cli("--archive", archive, "doctor").exit_code == 1
    assert cli("--archive", archive, "doctor", "--repair").exit_code == 0
    found = cli("--archive", archive, "search", "hidroponik", "--json").json()
    assert [hit["id"] for hit in found] == [ids[1]]


def test_an_identical_edit_keeps_no_revision(cli, workdir, archive) -> None:
    release_id = _seed_id(archive)
    revisions = archive / "releases" / "2025" / release_id / "revisions"
    for _ in range(3):
        result = cli("--archive", archive, "edit", release_id, SEED_RECORD, "--json")
        assert result.exit_code == 0 and result.json()["revision"] == 0
    assert not revisions.exists() or not list(revisions.iterdir())
    changed = _record(workdir, "d", closing="Kegiatan ditutup dengan doa bersama.")
    assert cli("--archive", archive, "edit", release_id, changed, "--json").json()["revision"] == 1
    assert cli("--archive", archive, "edit", release_id, changed, "--json").json()["revision"] == 0
    assert len(list(revisions.iterdir())) == 1


def test_edits_at_a_full_disk_pile_up_no_revisions(cli, workdir) -> None:
    disk = workdir / "disk"
    disk.mkdir()
    with mounted(["-t", "tmpfs", "-o", "size=2m", "tmpfs"], disk):
        archive = disk / "archive"
        assert cli("--archive", archive, "new", SEED_RECORD).exit_code == 0
        release_id = _seed_id(archive)
        with (disk / "filler").open("wb", buffering=0) as handle:  # nothing left to flush at close
            try:
                while True:
                    handle.write(b"\0" * 65536)
                    handle.flush()
                    os.fsync(handle.fileno())
            except OSError:
                pass
        changed = _record(workdir, "d", closing="Kegiatan ditutup dengan doa bersama." * 20)
        for _ in range(3):
            assert cli("--archive", archive, "edit", release_id, changed).exit_code == 1
        revisions = archive / "releases" / "2025" / release_id / "revisions"
        assert not revisions.exists() or len(list(revisions.iterdir())) <= 1
        (disk / "filler").unlink()
        assert cli("--archive", archive, "edit", release_id, changed).exit_code == 0
        assert cli("--archive", archive, "doctor", "--repair").exit_code == 0


# --------------------------------------------------------------------------- doctor


def _doctor(cli, archive: Path, *args: str):  # type: ignore[no-untyped-def]
    return cli("--archive", archive, "doctor", *args)


def test_doctor_prints_one_line_per_problem_naming_its_file(cli, archive) -> None:
    folder = archive / "releases" / "2025" / _seed_id(archive)
    (folder / "release.md").unlink()
    (folder / "release.docx").unlink()
    result = _doctor(cli, archive)
    lines = result.stdout.splitlines()
    assert len(lines) == len(set(lines)) == 2
    assert str(folder / "release.md") in lines[0] and str(folder / "release.docx") in lines[1]


def test_doctor_compares_content_not_only_presence(cli, workdir, archive) -> None:
    folder = archive / "releases" / "2025" / _seed_id(archive)
    record = folder / "release.yaml"
    stat = record.stat()
    record.write_text(record.read_text("utf-8").replace("Zoom Meeting", "Zoom Rapat"), "utf-8")
    os.utime(record, ns=(stat.st_atime_ns, stat.st_mtime_ns))  # same time, other content
    result = _doctor(cli, archive, "--json")
    assert {(p["kind"], p["path"]) for p in result.json()["problems"]} >= {
        ("stale_entry", str(record))
    }
    assert _doctor(cli, archive, "--repair").exit_code == 0
    assert cli("--archive", archive, "search", '"zoom rapat"', "--json").json()


def _damage(archive: Path, kind: str, workdir: Path, cli) -> Path:  # type: ignore[no-untyped-def]
    """Make one kind of damage; returns the path doctor must name."""
    other = _record(workdir, "o", title="Lapas Amuntai Panen Sayur Hidroponik")
    assert cli("--archive", archive, "new", other).exit_code == 0
    folder = archive / "releases" / "2025" / "2025-02-06-lapas-amuntai-panen-sayur-hidroponik"
    if kind == "folder named release.yaml":
        (folder / "release.yaml").unlink()
        (folder / "release.yaml").mkdir()
        return folder / "release.yaml"
    if kind == "wrong year":
        target = archive / "releases" / "2019" / folder.name
        target.parent.mkdir()
        folder.rename(target)
        return target
    if kind == "meta not an object":
        (folder / "meta.json").write_text("[]")
        return folder / "meta.json"
    if kind == "index temp":
        leftover = archive / "index" / ".tmp-999999999-segment.part"
        leftover.write_bytes(b"x")
        return leftover
    if kind == "whoosh toc temp":
        leftover = archive / "index" / "_MAIN_1.toc.1700000000.5"
        leftover.write_bytes(b"x")
        os.utime(leftover, (1_700_000_000, 1_700_000_000))
        return leftover
    if kind == "archive temp":
        leftover = archive / "releases" / "2025" / ".tmp-999999999-build"
        leftover.mkdir()
        return leftover
    if kind == "invalid utf-8":
        (folder / "release.yaml").write_bytes(b"title: \xff\n")
        return folder / "release.yaml"
    if kind == "symlinked photos":
        (folder / "photos").symlink_to(workdir, target_is_directory=True)
        return folder / "photos"
    raise AssertionError(kind)


REPAIRABLE = ["wrong year", "meta not an object", "index temp", "whoosh toc temp", "archive temp"]
BY_HAND = ["folder named release.yaml", "invalid utf-8", "symlinked photos"]


@pytest.mark.parametrize("kind", REPAIRABLE + BY_HAND)
def test_doctor_reports_every_kind_of_damage_and_repairs_what_it_can(
    cli, workdir, archive, kind
) -> None:
    path = _damage(archive, kind, workdir, cli)
    result = _doctor(cli, archive, "--json")
    assert result.exit_code == 1
    assert str(path) in {p["path"] for p in result.json()["problems"]}, result.stdout
    listed = cli("--archive", archive, "list", "--json")
    assert listed.exit_code == 0 and _seed_id(archive) in listed.stdout  # healthy ones stay
    repaired = _doctor(cli, archive, "--repair", "--json")
    if kind in REPAIRABLE:
        assert repaired.exit_code == 0, repaired.stdout
        assert cli("--archive", archive, "list", "--json").json()[0]["id"].startswith("2025-")
        assert len(cli("--archive", archive, "list", "--json").json()) == 2
    else:
        assert repaired.exit_code == 1
        assert [p["path"] for p in repaired.json()["problems"]] == [str(path)]


@pytest.mark.slow
def test_doctor_repair_beside_saves_reports_no_in_flight_entries(workdir) -> None:
    archive = workdir / "archive"
    run = [sys.executable, "-m", "humaskit", "--archive", str(archive)]
    subprocess.run([*run, "new", str(SEED_RECORD)], check=True, capture_output=True)
    records = [
        _record(workdir, f"r{i}", title=f"Rutan Pelaihari Gelar Kegiatan Nomor {i}")
        for i in range(8)
    ]
    savers = [
        subprocess.Popen(
            [*run, "new", str(path)], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
        )
        for path in records
    ]
    reports = []
    deadline = time.monotonic() + 120
    while any(p.poll() is None for p in savers) and time.monotonic() < deadline:
        done = subprocess.run(
            [*run, "doctor", "--repair", "--json"], capture_output=True, text=True
        )
        reports.append(json.loads(done.stdout))
    for saver in savers:
        assert saver.wait(timeout=120) == 0, saver.stderr.read() if saver.stderr else ""
    for report in reports:
        assert report["problems"] == [], report
    final = subprocess.run([*run, "doctor", "--json"], capture_output=True, text=True)
    assert json.loads(final.stdout)["consistent"], final.stdout
