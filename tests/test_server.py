"""The shared archive on a real PostgreSQL (tests/pg.py starts a throwaway cluster): schema
migrations, units and roles, row-level security through humaskit and through raw SQL, and the
promise that the folder archive never loads psycopg."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import psycopg
import pytest
import yaml

from conftest import SEED_RECORD

PELAIHARI = "Rumah Tahanan Negara Kelas IIB Pelaihari"  # the seed record's unit
BANJARMASIN = "Lembaga Pemasyarakatan Kelas IIA Banjarmasin"


def as_role(uri: str, role: str) -> str:
    """The same database through another login role (the test cluster trusts 127.0.0.1)."""
    return uri.replace("postgresql://postgres@", f"postgresql://{role}@", 1)


@pytest.fixture
def server(cli, pg_database: str) -> str:
    """A fresh database with the humaskit schema; the administrator's URI."""
    done = cli("server", "init", pg_database)
    assert done.exit_code == 0, done.stderr
    return pg_database


@pytest.fixture
def units(cli, server: str) -> dict[str, str]:
    """Two units with their own roles: role name -> that role's URI."""
    for unit, role in ((PELAIHARI, "rutan_plh"), (BANJARMASIN, "lapas_bjm")):
        done = cli("server", "add-unit", unit, "--role", role, "--server", server)
        assert done.exit_code == 0, done.stderr
    return {role: as_role(server, role) for role in ("rutan_plh", "lapas_bjm")}


def other_unit_record(folder: Path, unit: str, title: str) -> Path:
    data = yaml.safe_load(SEED_RECORD.read_text("utf-8"))
    data.update(unit=unit, title=title)
    path = folder / f"{abs(hash(title))}.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), "utf-8")
    return path


def test_server_init_creates_the_schema_once(cli, pg_database: str) -> None:
    first = cli("server", "init", pg_database, "--json")
    assert first.exit_code == 0, first.stderr
    assert first.json()["applied"] == [1, 2, 3]
    again = cli("server", "init", pg_database, "--json")
    assert again.exit_code == 0, again.stderr
    assert again.json()["applied"] == []
    with psycopg.connect(pg_database) as conn:
        versions = conn.execute("SELECT version FROM humaskit_schema_version").fetchall()
    assert sorted(versions) == [(1,), (2,), (3,)]
    assert doc_indexes(pg_database) == {"releases_doc": "gin", "releases_doc_rum": "rum"}


def doc_indexes(uri: str) -> dict[str, str]:
    """The search indexes of releases and their access methods."""
    with psycopg.connect(uri) as conn:
        rows = conn.execute(
            "SELECT i.relname, am.amname FROM pg_index x"
            " JOIN pg_class i ON i.oid = x.indexrelid JOIN pg_am am ON am.oid = i.relam"
            " WHERE x.indrelid = 'releases'::regclass AND i.relname LIKE 'releases_doc%'"
        ).fetchall()
    return dict(rows)


def test_server_init_upgrades_a_schema_2_archive_with_the_rum_index(
    cli, server: str, seed_record: Path
) -> None:
    saved = cli("--archive", server, "new", seed_record, "--json")
    assert saved.exit_code == 0, saved.stderr
    with psycopg.connect(server) as conn:  # the archive as schema 2 left it: no RUM index
        conn.execute("DROP INDEX releases_doc_rum")
        conn.execute("DELETE FROM humaskit_schema_version WHERE version = 3")
    old = cli("--archive", server, "search", "kehumasan")
    assert old.exit_code == 1 and "server init" in old.stderr
    upgraded = cli("server", "init", server, "--json")
    assert upgraded.exit_code == 0, upgraded.stderr
    assert upgraded.json()["applied"] == [3]
    assert doc_indexes(server) == {"releases_doc": "gin", "releases_doc_rum": "rum"}
    found = cli("--archive", server, "search", "kehumasan", "--json")
    assert found.exit_code == 0, found.stderr
    assert [hit["id"] for hit in found.json()] == [saved.json()[0]["id"]]
    assert cli("server", "init", server, "--json").json()["applied"] == []


def test_server_init_names_the_package_of_a_missing_extension(
    cli, pg_database: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    from humaskit.backends.postgres import schema

    # An extension this server surely lacks, needed by the ranking migration.
    monkeypatch.setattr(schema, "EXTENSIONS", [(3, "humaskit_absent", "postgresql-{major}-absent")])
    done = cli("server", "init", pg_database)
    assert done.exit_code == 1
    with psycopg.connect(pg_database) as conn:
        major = int(conn.execute("SHOW server_version_num").fetchone()[0]) // 10000
    assert f"apt-get install postgresql-{major}-absent" in done.stderr, done.stderr
    assert "Traceback" not in done.stderr
    with psycopg.connect(pg_database) as conn:  # nothing applied half-way
        assert conn.execute("SELECT to_regclass('releases')").fetchone()[0] is None


def pooled_search(
    server: str, monkeypatch: pytest.MonkeyPatch, pool: int, query: str, limit: int
) -> tuple[int, list[str]]:
    """``query`` on the server with a pool of ``pool`` (every match scored up to ``pool``
    matches): how many match and the ids shown."""
    from humaskit.backends import open_archive
    from humaskit.backends.postgres import search as server_search
    from humaskit.search.filters import Filters

    monkeypatch.setattr(server_search, "POOL", pool)
    monkeypatch.setattr(server_search, "SCORE_ALL", pool)
    archive = open_archive(server)
    try:
        found = archive.search(query, Filters(), limit)
    finally:
        archive.close()
    return found.total, [hit.id for hit in found.hits]


def test_many_matches_are_ranked_by_the_index_and_counted_exactly(
    cli, server: str, workdir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """More matches than the pool: the RUM index chooses the releases scored in full, the
    count stays exact, and the clear best still comes first."""
    folder = workdir / "records"
    folder.mkdir()
    titles = [f"Rutan Pelaihari Gelar Kegiatan {n}" for n in ("Pagi", "Siang", "Sore", "Malam")]
    titles.append("Lomba Menjahit, Pameran Menjahit dan Pelatihan Menjahit")
    paths = [other_unit_record(folder, PELAIHARI, title) for title in titles]
    saved = cli("--archive", server, "new", *map(str, paths), "--json")
    assert saved.exit_code == 0, saved.stderr
    best = saved.json()[-1]["id"]

    def search(pool: int) -> tuple[int, list[str]]:
        return pooled_search(server, monkeypatch, pool, "kehumasan pelaihari menjahit", 2)

    everything, pooled = search(1000), search(1)  # every match scored; the index's best two
    assert everything[0] == pooled[0] == 5
    assert everything[1][0] == pooled[1][0] == best
    assert len(pooled[1]) == 2


def test_equally_relevant_releases_show_newest_first_when_the_index_ranks(
    cli, server: str, workdir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Past the pool, RUM gives releases of equal rank in the order they were stored (the
    oldest first, here); the newest matches join the pool, so the newest of equally
    relevant releases still comes first, as when every match is scored."""
    folder = workdir / "records"
    folder.mkdir()
    paths = []
    for year in (2014, 2020, 2025):  # 6 February is a Thursday ("Kamis (6/2)") in each
        data = yaml.safe_load(SEED_RECORD.read_text("utf-8"))
        data["date"] = f"{year}-02-06"
        paths.append(folder / f"{year}.yaml")
        paths[-1].write_text(yaml.safe_dump(data, allow_unicode=True), "utf-8")
    for path in paths:  # stored oldest first
        assert cli("--archive", server, "new", str(path)).exit_code == 0

    newest = "2025-02-06-rutan-pelaihari-ikuti-penguatan-kehumasan-ditjenpas"
    every_match_scored = pooled_search(server, monkeypatch, 1000, "kehumasan", 1)
    assert every_match_scored == pooled_search(server, monkeypatch, 1, "kehumasan", 1)
    assert every_match_scored == (3, [newest])


def test_a_searchs_planner_settings_stay_in_its_own_transaction(
    cli, server: str, seed_record: Path
) -> None:
    """A search turns sequential scans off and raises work_mem for itself only: the
    connection's later statements (a list, a save, a sync in the same process) plan as the
    server's administrator configured them."""
    from humaskit.backends import open_archive
    from humaskit.search.filters import Filters

    assert cli("--archive", server, "new", seed_record).exit_code == 0
    archive = open_archive(server)
    try:
        before = archive.conn.execute("SHOW work_mem").fetchone()
        assert archive.search("kehumasan", Filters(), 10).total == 1
        assert archive.conn.execute("SHOW enable_seqscan").fetchone() == ("on",)
        assert archive.conn.execute("SHOW work_mem").fetchone() == before != ("64MB",)
    finally:
        archive.close()


def test_an_archive_without_schema_says_how_to_make_one(cli, pg_database: str, seed_record) -> None:
    done = cli("--archive", pg_database, "new", seed_record)
    assert done.exit_code == 1
    assert "server init" in done.stderr and "Traceback" not in done.stderr


def test_a_password_in_the_profile_is_refused(cli, workdir: Path, server: str) -> None:
    with_password = server.replace("postgres@", "postgres:rahasia@", 1)
    (workdir / "humaskit.toml").write_text(f'unit = "Rutan"\narchive = "{with_password}"\n')
    done = cli("list")
    assert done.exit_code == 2
    assert '"archive"' in done.stderr and "rahasia" not in done.stderr


def test_the_profile_and_the_environment_choose_the_server(
    cli, workdir: Path, server: str, seed_record: Path, monkeypatch
) -> None:
    (workdir / "humaskit.toml").write_text(f'unit = "Rutan"\narchive = "{server}"\n')
    saved = cli("new", seed_record, "--json")
    assert saved.exit_code == 0, saved.stderr
    assert not (workdir / "archive").exists()  # nothing on this computer's disk
    release_id = saved.json()[0]["id"]
    assert saved.json()[0]["docx"].endswith(f"#{release_id}/release.docx")
    (workdir / "humaskit.toml").write_text('unit = "Rutan"\n')
    monkeypatch.setenv("HUMASKIT_ARCHIVE", server)
    listed = cli("list", "--json")
    assert [r["id"] for r in listed.json()] == [release_id]


def test_init_with_a_server_writes_the_uri_without_password(cli, workdir: Path, server) -> None:
    done = cli("--archive", server, "init", "--unit", PELAIHARI, "--signature", "Rutan Pelaihari")
    assert done.exit_code == 0, done.stderr
    profile = (workdir / "humaskit.toml").read_text("utf-8")
    assert f'archive = "{server}"' in profile
    assert not (workdir / "archive").exists()


def test_add_unit_refuses_a_bad_role_name(cli, server: str) -> None:
    done = cli("server", "add-unit", "Lapas X", "--role", "Lapas X; DROP", "--server", server)
    assert done.exit_code == 2
    assert "--role" in done.stderr


def test_a_unit_writes_only_its_own_releases_through_humaskit(
    cli, workdir: Path, units: dict[str, str], seed_record: Path
) -> None:
    plh, bjm = units["rutan_plh"], units["lapas_bjm"]
    saved = cli("--archive", plh, "new", seed_record, "--json")
    assert saved.exit_code == 0, saved.stderr
    release_id = saved.json()[0]["id"]
    before = cli("--archive", bjm, "show", release_id, "--json").json()  # every unit reads it

    changed = yaml.safe_load(seed_record.read_text("utf-8"))
    changed["title"] = "Judul Diubah Unit Lain"
    other = workdir / "changed.yaml"
    other.write_text(yaml.safe_dump(changed, allow_unicode=True), "utf-8")
    edit = cli("--archive", bjm, "edit", release_id, other)
    assert edit.exit_code == 1
    assert "lapas_bjm" in edit.stderr and "Traceback" not in edit.stderr
    assert cli("--archive", plh, "show", release_id, "--json").json() == before

    # Saving a release in another unit's name is refused too; its own unit's is fine.
    foreign = cli("--archive", bjm, "new", seed_record)
    assert foreign.exit_code == 1 and "lapas_bjm" in foreign.stderr
    own = other_unit_record(workdir, BANJARMASIN, "Lapas Banjarmasin Gelar Apel Pagi")
    assert cli("--archive", bjm, "new", own).exit_code == 0
    ids = [r["id"] for r in cli("--archive", plh, "list", "--json").json()]
    assert len(ids) == 2

    # The owner edits: a revision is kept.
    mine = cli("--archive", plh, "edit", release_id, other, "--json")
    assert mine.exit_code == 0, mine.stderr
    assert mine.json()["revision"] == 1


def test_a_unit_cannot_touch_another_units_release_with_raw_sql(
    cli, units: dict[str, str], seed_record: Path, workdir: Path
) -> None:
    plh, bjm = units["rutan_plh"], units["lapas_bjm"]
    theirs = cli("--archive", plh, "new", seed_record, "--json").json()[0]["id"]
    own_record = other_unit_record(workdir, BANJARMASIN, "Lapas Banjarmasin Gelar Apel Pagi")
    mine = cli("--archive", bjm, "new", own_record, "--json").json()[0]["id"]

    with psycopg.connect(bjm, autocommit=True) as conn:
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            conn.execute(
                "INSERT INTO releases (id, day, title, unit, unit_key, signature_key, record,"
                " content_hash) VALUES ('2025-03-01-palsu', '2025-03-01', 'Palsu', %s, '', '',"
                " 'title: Palsu', 'x')",
                (PELAIHARI,),
            )
        assert (
            conn.execute("UPDATE releases SET title = 'Diubah' WHERE id = %s", (theirs,)).rowcount
            == 0
        )
        with pytest.raises(psycopg.errors.InsufficientPrivilege):  # moving its own away
            conn.execute("UPDATE releases SET unit = %s WHERE id = %s", (PELAIHARI, mine))
        assert conn.execute("DELETE FROM releases WHERE id = %s", (theirs,)).rowcount == 0
        assert (
            conn.execute(
                "UPDATE release_files SET data = 'x' WHERE release_id = %s", (theirs,)
            ).rowcount
            == 0
        )
        assert (
            conn.execute("DELETE FROM release_files WHERE release_id = %s", (theirs,)).rowcount == 0
        )
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            conn.execute(
                "INSERT INTO revisions (release_id, number, record, content_hash)"
                " VALUES (%s, 99, 'x', 'x')",
                (theirs,),
            )
        with pytest.raises(psycopg.errors.InsufficientPrivilege):  # the tables themselves
            conn.execute("DROP TABLE releases")
        # Its own rows it may change: the policies do not simply forbid everything.
        assert (
            conn.execute(
                "UPDATE releases SET title = 'Diubah Sendiri' WHERE id = %s", (mine,)
            ).rowcount
            == 1
        )
        assert conn.execute("DELETE FROM releases WHERE id = %s", (mine,)).rowcount == 1

    with psycopg.connect(plh) as conn:
        row = conn.execute("SELECT title FROM releases WHERE id = %s", (theirs,)).fetchone()
        files = conn.execute(
            "SELECT count(*) FROM release_files WHERE release_id = %s", (theirs,)
        ).fetchone()
    assert row == ("Rutan Pelaihari Ikuti Penguatan Kehumasan Ditjenpas",)
    assert files[0] == 2  # release.md and release.docx


def test_the_folder_archive_never_imports_psycopg(cli, seed_record: Path, workdir) -> None:
    probe = (
        "import sys\nfrom humaskit.cli import run\ncode = run()\n"
        "print('psycopg' in sys.modules, file=sys.stderr)\n"
    )
    release_id = "2025-02-06-rutan-pelaihari-ikuti-penguatan-kehumasan-ditjenpas"
    commands = (
        ["--help"],
        ["new", str(seed_record)],
        ["show", release_id],
        ["edit", release_id, str(seed_record)],
        ["list"],
        ["search", "kehumasan"],
        ["export", release_id, "--md", "keluar.md"],
        ["check", release_id],
        ["reindex"],
        ["doctor"],
    )
    for argv in commands:
        done = subprocess.run(
            [sys.executable, "-c", probe, *argv],
            capture_output=True,
            text=True,
            cwd=workdir,
            timeout=120,
            check=False,
        )
        assert done.returncode in (0, 1), done.stderr  # check may find something to fix
        assert done.stderr.strip().splitlines()[-1] == "False", (argv, done.stderr)


def test_a_server_search_of_archive_words_does_not_load_sastrawi(
    cli, server: str, seed_record: Path, workdir: Path
) -> None:
    """Stems of the archive's words come from the words table, as the folder's index keeps
    them, so a search pays for Sastrawi only for a word the archive does not have."""
    assert cli("--archive", server, "new", seed_record).exit_code == 0
    probe = (
        "import sys\nfrom humaskit.cli import run\ncode = run()\n"
        "print(sorted(m for m in ('Sastrawi', 'whoosh', 'docx') if m in sys.modules),"
        " file=sys.stderr)\n"
    )
    for query, expected in (("etika kehumasan", "[]"), ("kehumasn", "['Sastrawi']")):
        done = subprocess.run(
            [sys.executable, "-c", probe, "--archive", server, "search", query, "--json"],
            capture_output=True,
            text=True,
            cwd=workdir,
            timeout=120,
            check=False,
        )
        assert done.returncode == 0, done.stderr
        assert len(json.loads(done.stdout)) == 1
        assert done.stderr.strip().splitlines()[-1] == expected, (query, done.stderr)


def test_add_unit_says_how_to_give_the_new_role_a_password(cli, server: str) -> None:
    import uuid

    role = f"unit_{uuid.uuid4().hex[:8]}"  # roles live across the cluster's databases
    done = cli("server", "add-unit", "Lapas Kelas IIA Amuntai", "--role", role, "--server", server)
    assert done.exit_code == 0, done.stderr
    assert f'psql "{server}" -c "\\password {role}"' in done.stdout  # the next step, runnable


def test_rows_saved_before_the_facets_column_list_and_recap_from_their_record(
    cli, server: str, seed_record: Path
) -> None:
    """A row whose ``facets`` is NULL (saved under schema 1) still has its tags and
    speakers: list and recap read them from the record."""
    assert cli("--archive", server, "new", seed_record).exit_code == 0
    listed = cli("--archive", server, "list", "--json").json()
    recap = ["--archive", server, "stats", "--json"]
    before = cli(*recap).json()
    with psycopg.connect(server) as conn:
        conn.execute("UPDATE releases SET facets = NULL")
    assert cli("--archive", server, "list", "--json").json() == listed
    assert listed[0]["tags"]  # the seed has tags: something was read
    assert cli(*recap).json() == before
    assert before["per_tag"] and before["per_speaker"]  # from the facets, or the record
