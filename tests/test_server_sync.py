"""``humaskit sync`` between a unit's folder archive and the shared archive on PostgreSQL."""

from __future__ import annotations

from pathlib import Path

import yaml

from humaskit.backends import open_archive


def save(cli, archive, record: Path) -> str:  # type: ignore[no-untyped-def]
    done = cli("--archive", archive, "new", record, "--json")
    assert done.exit_code == 0, done.stderr
    return done.json()[0]["id"]


def edit_title(cli, archive, release_id: str, title: str, workdir: Path) -> None:  # type: ignore[no-untyped-def]
    shown = cli("--archive", archive, "show", release_id, "--json").json()
    shown.pop("id")
    shown["title"] = title
    path = workdir / f"edit-{abs(hash(title))}.yaml"
    path.write_text(yaml.safe_dump(shown, allow_unicode=True), "utf-8")
    done = cli("--archive", archive, "edit", release_id, path)
    assert done.exit_code == 0, done.stderr


def sync(cli, folder, direction: str, uri: str) -> dict:  # type: ignore[no-untyped-def]
    done = cli("--archive", folder, "sync", direction, uri, "--json")
    assert done.exit_code in (0, 1), done.stderr
    return {**done.json(), "exit": done.exit_code}


def test_sync_sends_once_keeps_revisions_and_reports_conflicts(
    cli, workdir: Path, pg_database: str, seed_record: Path
) -> None:
    assert cli("server", "init", pg_database).exit_code == 0
    laptop = workdir / "laptop"
    release_id = save(cli, laptop, seed_record)
    edit_title(cli, laptop, release_id, "Judul Kedua", workdir)  # one revision on the laptop

    first = sync(cli, laptop, "--to", pg_database)
    assert first["copied"] == [release_id] and first["exit"] == 0
    again = sync(cli, laptop, "--to", pg_database)
    assert again["copied"] == [] and again["updated"] == [] and again["unchanged"] == 1

    server = open_archive(pg_database)
    assert server.revision_records(release_id) == open_archive(laptop).revision_records(release_id)
    assert server.read_file(release_id, "release.docx")[:2] == b"PK"
    found = cli("--archive", pg_database, "search", "kehumasan", "--json").json()
    assert [hit["id"] for hit in found] == [release_id]

    # Changed on the laptop only: the server gets it as a new version, the old one a revision.
    edit_title(cli, laptop, release_id, "Judul Ketiga", workdir)
    sent = sync(cli, laptop, "--to", pg_database)
    assert sent["updated"] == [release_id]
    assert cli("--archive", pg_database, "show", release_id, "--json").json()["title"] == (
        "Judul Ketiga"
    )
    assert len(server.revision_records(release_id)) == 2

    # A copy back for offline work in another folder.
    other = workdir / "offline"
    brought = sync(cli, other, "--from", pg_database)
    assert brought["copied"] == [release_id]
    assert cli("--archive", other, "show", release_id, "--json").json()["title"] == "Judul Ketiga"
    assert [h["id"] for h in cli("--archive", other, "search", "kehumasan", "--json").json()] == [
        release_id
    ]

    # Changed on both sides since the last sync: reported, neither overwritten.
    edit_title(cli, laptop, release_id, "Versi Laptop", workdir)
    edit_title(cli, pg_database, release_id, "Versi Server", workdir)
    clash = sync(cli, laptop, "--to", pg_database)
    assert clash["conflicts"] == [release_id] and clash["exit"] == 1
    assert cli("--archive", pg_database, "show", release_id, "--json").json()["title"] == (
        "Versi Server"
    )
    assert cli("--archive", laptop, "show", release_id, "--json").json()["title"] == (
        "Versi Laptop"
    )


def test_sync_needs_one_direction_and_a_server(cli, workdir: Path) -> None:
    assert cli("sync").exit_code == 2
    done = cli("sync", "--to", workdir / "elsewhere")
    assert done.exit_code == 2 and "--to" in done.stderr
    server = "postgresql://localhost/kanwil"  # refused before any connection is tried
    done = cli("--archive", server, "sync", "--to", server)
    assert done.exit_code == 2 and "--archive FOLDER" in done.stderr


def test_the_publication_log_travels_with_its_release(
    cli, workdir: Path, pg_database: str, seed_record: Path
) -> None:
    """Publications recorded on either side reach the other by URL; none is lost."""
    assert cli("server", "init", pg_database).exit_code == 0
    laptop = workdir / "laptop"
    release_id = save(cli, laptop, seed_record)
    on_laptop = "https://www.instagram.com/p/laptop"
    assert cli("--archive", laptop, "publish", release_id, on_laptop).exit_code == 0
    sync(cli, laptop, "--to", pg_database)

    def urls(archive) -> list[str]:  # type: ignore[no-untyped-def]
        shown = cli("--archive", archive, "publish", release_id, "--json").json()
        return [p["url"] for p in shown["publications"]]

    assert urls(pg_database) == [on_laptop]
    assert not open_archive(pg_database).file_names(release_id).count("publications.yaml")
    on_server = "https://rutanpelaihari.id/berita/tes-urine"
    published = cli(
        "--archive", pg_database, "publish", release_id, on_server, "--channel", "website"
    )
    assert published.exit_code == 0, published.stderr
    sync(cli, laptop, "--from", pg_database)
    assert urls(laptop) == [on_laptop, on_server]
    recap = cli("--archive", laptop, "recap", "--month", "2025-02", "--json").json()
    assert recap["publications"] == 2  # the laptop's index knows the server's entry too
