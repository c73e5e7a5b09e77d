"""Many clients at once on the shared archive: 16 processes saving and editing, and clients
killed with SIGKILL in the middle of a save. Real processes, a real PostgreSQL (tests/pg.py)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import psycopg
import pytest
import yaml

from conftest import SEED_RECORD

CLIENTS = 16
EDITS = 3
HUMASKIT = [sys.executable, "-m", "humaskit"]


def run(*args: str | Path, cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [*HUMASKIT, *map(str, args)], capture_output=True, text=True, cwd=cwd, timeout=300
    )


def client(uri: str, number: int, shared: str, folder: Path) -> list[str]:
    """One officer: saves a release (all with the same title) and edits the shared one."""
    record = folder / f"rilis-{number}.yaml"
    done = run("--archive", uri, "new", record, "--json", cwd=folder)
    assert done.returncode == 0, done.stderr
    errors = []
    for edit in range(EDITS):
        changed = yaml.safe_load(SEED_RECORD.read_text("utf-8"))
        changed["closing"] = f"Penutup dari klien {number}, suntingan {edit}."
        path = folder / f"edit-{number}-{edit}.yaml"
        path.write_text(yaml.safe_dump(changed, allow_unicode=True), "utf-8")
        result = run("--archive", uri, "edit", shared, path, cwd=folder)
        if result.returncode != 0:
            errors.append(result.stderr)
    return [done.stdout, *errors]


@pytest.mark.slow
def test_sixteen_clients_save_and_edit_at_once(pg_database: str, workdir: Path) -> None:
    assert run("server", "init", pg_database, cwd=workdir).returncode == 0
    for number in range(CLIENTS):
        (workdir / f"rilis-{number}.yaml").write_bytes(SEED_RECORD.read_bytes())
    first = run("--archive", pg_database, "new", SEED_RECORD, "--json", cwd=workdir)
    assert first.returncode == 0, first.stderr
    shared = yaml.safe_load(first.stdout)[0]["id"]

    with ThreadPoolExecutor(CLIENTS) as pool:
        outcomes = list(pool.map(lambda n: client(pg_database, n, shared, workdir), range(CLIENTS)))
    assert all(len(o) == 1 for o in outcomes), [o[1:] for o in outcomes if len(o) > 1]

    with psycopg.connect(pg_database) as conn:
        ids = [r[0] for r in conn.execute("SELECT id FROM releases ORDER BY id")]
        numbers = [
            r[0]
            for r in conn.execute(
                "SELECT number FROM revisions WHERE release_id = %s ORDER BY number", (shared,)
            )
        ]
        revision = conn.execute(
            "SELECT revision FROM releases WHERE id = %s", (shared,)
        ).fetchone()[0]
        waiting = conn.execute("SELECT count(*) FROM pg_locks WHERE NOT granted").fetchone()[0]
    # Every save landed once: the shared title got 17 distinct ids.
    assert len(ids) == CLIENTS + 1 == len(set(ids))
    assert set(ids) == {shared} | {f"{shared}-{n}" for n in range(2, CLIENTS + 2)}
    # Every edit kept the version before it, numbered without gaps.
    assert numbers == list(range(1, CLIENTS * EDITS + 1))
    assert revision == CLIENTS * EDITS
    assert waiting == 0


KILLED_SAVE = """
import sys
from pathlib import Path
from humaskit.backends import open_archive
from humaskit.record.model import load_release_file
archive = open_archive(sys.argv[1])
release = load_release_file(Path(sys.argv[2]))
files = {"release.md": b"md", "release.docx": b"docx", "photos/01-besar.jpg": bytes(40_000_000)}
print("saving", flush=True)
archive.create(release, files)
print("saved", flush=True)
"""


@pytest.mark.slow
def test_a_client_killed_mid_save_leaves_nothing_half_written(
    pg_database: str, workdir: Path
) -> None:
    assert run("server", "init", pg_database, cwd=workdir).returncode == 0
    killed = 0
    for attempt in range(4):
        process = subprocess.Popen(
            [sys.executable, "-c", KILLED_SAVE, pg_database, str(SEED_RECORD)],
            stdout=subprocess.PIPE,
            text=True,
        )
        assert process.stdout is not None
        assert process.stdout.readline().strip() == "saving"
        time.sleep(0.05 * attempt)  # at different moments of the transaction
        os.kill(process.pid, signal.SIGKILL)
        process.wait(timeout=30)
        killed += process.returncode == -signal.SIGKILL
    assert killed >= 1

    deadline = time.monotonic() + 30  # the server notices the dead connections
    with psycopg.connect(pg_database, autocommit=True) as conn:
        while time.monotonic() < deadline:
            busy = conn.execute(
                "SELECT count(*) FROM pg_stat_activity"
                " WHERE datname = current_database() AND pid <> pg_backend_pid()"
            ).fetchone()[0]
            if busy == 0:
                break
            time.sleep(0.2)
        rows = conn.execute(
            "SELECT r.id, count(f.name), coalesce(sum(length(f.data)), 0)"
            " FROM releases r LEFT JOIN release_files f ON f.release_id = r.id GROUP BY r.id"
        ).fetchall()
    for release_id, files, size in rows:  # a release that exists is whole
        assert (files, size) == (3, 40_000_000 + 6), release_id
    done = run("--archive", pg_database, "doctor", "--json", cwd=workdir)
    assert done.returncode == 0, done.stdout + done.stderr
