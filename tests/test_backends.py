"""One behaviour suite, two archives: every test runs through the real CLI against a folder
archive and against the shared archive on PostgreSQL (tests/pg.py), and must pass on both."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml
from PIL import Image

from conftest import DATA, SEED_RECORD

UNIT = "Rumah Tahanan Negara Kelas IIB Pelaihari"


@pytest.fixture(params=["folder", "postgresql"])
def archive(request, cli, workdir: Path, monkeypatch) -> str:  # type: ignore[no-untyped-def]
    """The archive every command of the test uses (through HUMASKIT_ARCHIVE)."""
    if request.param == "folder":
        location = str(workdir / "archive")
    else:
        location = request.getfixturevalue("pg_database")
        done = cli("server", "init", location)
        assert done.exit_code == 0, done.stderr
    monkeypatch.setenv("HUMASKIT_ARCHIVE", location)
    return location


def record_with_photo(folder: Path, name: str = "rilis.yaml", **changes: object) -> Path:
    data = yaml.safe_load(SEED_RECORD.read_text("utf-8"))
    Image.new("RGB", (800, 450), (90, 140, 90)).save(folder / "apel.jpg", "JPEG")
    data["photos"] = [{"path": "apel.jpg", "caption": "Karutan Pelaihari mengikuti penguatan."}]
    data.update(changes)
    path = folder / name
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), "utf-8")
    return path


def new(cli, *records: Path) -> list[str]:  # type: ignore[no-untyped-def]
    done = cli("new", *records, "--json")
    assert done.exit_code == 0, done.stderr
    return [row["id"] for row in done.json()]


def test_new_then_show_gives_the_record_back(cli, archive, workdir: Path) -> None:
    [release_id] = new(cli, record_with_photo(workdir))
    assert release_id == "2025-02-06-rutan-pelaihari-ikuti-penguatan-kehumasan-ditjenpas"
    shown = cli("show", release_id, "--json").json()
    assert shown["title"] == "Rutan Pelaihari Ikuti Penguatan Kehumasan Ditjenpas"
    assert shown["photos"] == [
        {"path": "photos/01-apel.jpg", "caption": "Karutan Pelaihari mengikuti penguatan."}
    ]
    text = cli("show", release_id)
    assert text.exit_code == 0 and "Fani Andika" in text.stdout
    missing = cli("show", "2025-01-01-tidak-ada")
    assert missing.exit_code == 1 and "Traceback" not in missing.stderr
    assert cli("show", "bukan id").exit_code == 2


def test_the_same_title_twice_gets_a_second_id(cli, archive, seed_record: Path) -> None:
    first, second = new(cli, seed_record, seed_record)
    assert second == f"{first}-2"


def test_edit_keeps_the_photo_and_the_previous_revision(cli, archive, workdir: Path) -> None:
    from humaskit.backends import open_archive

    [release_id] = new(cli, record_with_photo(workdir))
    shown = cli("show", release_id, "--json").json()
    shown.pop("id")
    shown["title"] = "Rutan Pelaihari Ikuti Penguatan Kehumasan Ditjenpas 2025"
    edited = workdir / "edited.yaml"  # the stored photo path is kept as it is
    edited.write_text(yaml.safe_dump(shown, allow_unicode=True), "utf-8")
    (workdir / "apel.jpg").unlink()
    done = cli("edit", release_id, edited, "--json")
    assert done.exit_code == 0, done.stderr
    assert done.json()["revision"] == 1
    again = cli("edit", release_id, edited, "--json")  # the same again: nothing to keep
    assert again.exit_code == 0 and again.json()["revision"] == 0
    shown["closing"] += " Kegiatan ditutup dengan doa."
    edited.write_text(yaml.safe_dump(shown, allow_unicode=True), "utf-8")
    third = cli("edit", release_id, edited, "--json")
    assert third.json()["revision"] == 2
    assert cli("show", release_id, "--json").json()["title"].endswith("2025")

    stored = open_archive(archive)
    assert stored.read_meta(release_id)["revision"] == 2
    photo = stored.read_file(release_id, "photos/01-apel.jpg")
    assert photo.startswith(b"\xff\xd8")  # still the JPEG
    with stored.release_folder(release_id) as folder:
        assert (folder / "release.docx").read_bytes()[:2] == b"PK"


def test_list_filters_and_orders_newest_first(cli, archive, workdir: Path) -> None:
    older = record_with_photo(
        workdir, "a.yaml", date="2024-12-30", title="Apel Akhir Tahun", tags=[]
    )
    tagged = record_with_photo(workdir, "b.yaml", tags=["Hari Bakti"])
    other = record_with_photo(
        workdir, "c.yaml", unit="Lapas Kelas IIA Banjarmasin", title="Lapas Donor Darah", tags=[]
    )
    ids = new(cli, older, tagged, other)
    listed = cli("list", "--json").json()
    assert [r["id"] for r in listed] == sorted(ids, reverse=True)
    assert [r["id"] for r in cli("list", "--since", "2025-01-01", "--json").json()] == sorted(
        ids[1:], reverse=True
    )
    assert [r["id"] for r in cli("list", "--tag", "hari bakti", "--json").json()] == [ids[1]]
    by_unit = cli("list", "--unit", "lapas kelas iia banjarmasin", "--json").json()
    assert [r["id"] for r in by_unit] == [ids[2]]
    assert len(cli("list", "--limit", "1", "--json").json()) == 1


def test_search_finds_stems_synonyms_phrases_and_mistakes(cli, archive, workdir: Path) -> None:
    seed, other = new(
        cli,
        record_with_photo(workdir),
        record_with_photo(
            workdir,
            "b.yaml",
            title="Lapas Banjarmasin Gelar Donor Darah",
            unit="Lembaga Pemasyarakatan Kelas IIA Banjarmasin",
            lead="Lembaga Pemasyarakatan Banjarmasin menggelar donor darah bersama PMI.",
            body=[],
            quotes=[],
            speakers=[],
            tags=[],
            photos=[],
            closing="Kegiatan ini rutin digelar setiap tiga bulan.",
            signature="Lapas Banjarmasin",
        ),
    )

    def found(*args: str) -> list[str]:
        done = cli("search", *args, "--json")
        assert done.exit_code == 0, done.stderr
        return [hit["id"] for hit in done.json()]

    assert found("penerapan etika") == [seed]  # menerapkan, by its stem
    assert found("lembaga pemasyarakatan donor") == [other]  # and "Lapas" the other way
    assert found('"media sosial"') == [seed]
    assert found('"sosial media"') == []
    # A multi-word synonym is matched by its words, wherever they stand, on both archives:
    # "kakanwil" = "kepala kantor wilayah" finds the seed's "Kepala Rutan ... Kantor Wilayah";
    # typed in quotes, those words must stand together, and they do not.
    assert found("kakanwil") == [seed]
    assert found('"kepala kantor wilayah"') == []
    assert found("kehumasn") == [seed]  # a typing mistake
    assert sorted(found("kegiatan")) == sorted([seed, other])
    assert found("kegiatan -donor") == [seed]  # ruled out in the index query itself
    assert found("kegiatan NOT kehumasan") == [other]
    assert found("donor", "--unit", "Rutan Pelaihari") == []
    assert found("", "--speaker", "Fani Andika") == [seed]
    assert found("", "--since", "2026-01-01") == []
    hit = cli("search", "etika", "--json").json()[0]
    assert "**" in hit["snippet"] and hit["unit"] == UNIT
    human = cli("search", "kehumasn")
    assert human.exit_code == 0 and "kehumasan" in human.stdout + human.stderr
    assert cli("search", "").exit_code == 2


def test_export_builds_documents_from_the_stored_record(cli, archive, workdir: Path) -> None:
    from docx import Document

    [release_id] = new(cli, record_with_photo(workdir))
    (workdir / "apel.jpg").unlink()  # the stored copy is what goes into the document
    out = workdir / "keluar"
    done = cli("export", release_id, "--docx", out / "rilis.docx", "--md", out / "rilis.md")
    assert done.exit_code == 0, done.stderr
    document = Document(str(out / "rilis.docx"))
    assert any("Fani Andika" in p.text for p in document.paragraphs)
    assert len(document.inline_shapes) >= 1  # the photo
    assert "Ditjenpas" in (out / "rilis.md").read_text("utf-8")


def test_a_dateline_form_is_kept_and_written_by_either_archive(cli, archive, workdir) -> None:
    from docx import Document

    path = record_with_photo(workdir, outlet="INFO_PAS", dateline="{location}, {outlet}")
    [release_id] = new(cli, path)
    assert cli("show", release_id, "--json").json()["dateline"] == "{location}, {outlet}"
    out = workdir / "keluar"
    assert cli("export", release_id, "--docx", out / "rilis.docx").exit_code == 0
    lead = Document(str(out / "rilis.docx")).paragraphs
    assert any(p.text.startswith("Pelaihari, INFO_PAS - Kepala Rumah Tahanan") for p in lead)


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice is not installed")
def test_export_pdf(cli, archive, workdir: Path) -> None:
    [release_id] = new(cli, record_with_photo(workdir))
    done = cli("export", release_id, "--pdf", workdir / "rilis.pdf")
    assert done.exit_code == 0, done.stderr
    assert (workdir / "rilis.pdf").read_bytes().startswith(b"%PDF")


def test_import_check_and_doctor(cli, archive, workdir: Path) -> None:
    (workdir / "humaskit.toml").write_text(
        f'unit = "{UNIT}"\nsignature = "Rutan Pelaihari"\nlocation = "Pelaihari"\n', "utf-8"
    )
    source = workdir / "seed.txt"
    shutil.copy(DATA / "import" / "seed.txt", source)
    done = cli("import", source, "--year", "2025", "--json")
    assert done.exit_code == 0, done.stderr
    [row] = done.json()
    assert row["status"] == "imported"
    again = cli("import", source, "--year", "2025", "--json")
    assert again.json()[0]["status"] != "imported"  # the same file is not saved twice
    checked = cli("check", row["id"], "--json")
    assert checked.exit_code in (0, 1), checked.stderr
    doctor = cli("doctor", "--json")
    assert doctor.exit_code == 0, doctor.stdout + doctor.stderr
    assert doctor.json()["consistent"] is True
    assert cli("reindex").exit_code == 0
    assert [h["id"] for h in cli("search", "halinar", "--json").json()] == [row["id"]]


def test_publish_recap_and_stats_on_either_archive(cli, archive, seed_record: Path) -> None:
    """The publication log and the recap read it the same way from a folder or a server."""
    first, second = new(cli, seed_record, seed_record)
    url = "https://www.instagram.com/p/rutan-pelaihari"
    done = cli("publish", first, url, "--date", "2025-02-07")
    assert done.exit_code == 0, done.stderr
    assert cli("publish", second, "https://rutanpelaihari.id/berita/1", "--channel", "website",
               "--date", "2025-02-08").exit_code == 0  # fmt: skip
    listed = cli("publish", first, "--json").json()["publications"]
    assert [(p["channel"], p["date"], p["url"]) for p in listed] == [
        ("instagram", "2025-02-07", url)
    ]
    assert url in cli("show", first).stdout
    assert cli("publish", first, "ftp://x", "--channel", "other").exit_code == 2  # nothing written

    recap = cli("recap", "--month", "2025-02", "--json").json()
    assert recap["releases"] == 2 and recap["publications"] == 2
    assert recap["channels"]["instagram"] == 1 and recap["channels"]["website"] == 1
    assert "2025-02-06" not in recap["days_without_release"]
    assert len(recap["days_without_release"]) == 27  # every other day of February 2025
    stats = cli("stats", "--json").json()
    assert stats["per_speaker"]["Fani Andika"] == 2 and stats["per_channel"]["website"] == 1

    assert cli("publish", first, "--remove", url).exit_code == 0
    assert cli("publish", first, "--json").json()["publications"] == []
    assert cli("recap", "--month", "2025-02", "--json").json()["publications"] == 1


def test_doctor_finds_and_repairs_a_missing_rendering(cli, archive, seed_record: Path) -> None:
    """One line per problem naming the file, and --repair renders it again, on both."""
    [release_id] = new(cli, seed_record)
    if archive.startswith("postgresql://"):
        import psycopg

        with psycopg.connect(archive, autocommit=True) as conn:
            conn.execute(
                "DELETE FROM release_files WHERE release_id = %s AND name = 'release.md'",
                (release_id,),
            )
    else:
        (Path(archive) / "releases" / "2025" / release_id / "release.md").unlink()
    found = cli("doctor", "--json")
    assert found.exit_code == 1
    problems = found.json()["problems"]
    assert [(p["kind"], p["id"]) for p in problems] == [("stale_rendering", release_id)]
    assert problems[0]["path"].endswith("release.md") and problems[0]["message"]
    assert len(cli("doctor").stdout.strip().splitlines()) == 1
    fixed = cli("doctor", "--repair", "--json")
    assert fixed.exit_code == 0, fixed.stdout + fixed.stderr
    assert [p["kind"] for p in fixed.json()["repaired"]] == ["stale_rendering"]
    assert cli("doctor").exit_code == 0


def test_an_imported_web_page_is_logged_where_it_went_out(cli, archive, workdir: Path) -> None:
    """On either archive, the page a release was imported from is its website publication."""
    page = workdir / "donor-darah.html"
    shutil.copy(DATA / "import" / "messy" / "lapas_banjarmasin.html", page)
    done = cli("import", page, "--unit", "Lembaga Pemasyarakatan Kelas IIA Banjarmasin", "--json")
    assert done.exit_code == 0, done.stderr
    [row] = done.json()
    logged = cli("publish", row["id"], "--json").json()["publications"]
    assert [(p["channel"], p["url"]) for p in logged] == [
        ("website", "https://lapasbanjarmasin.go.id/berita/donor-darah")
    ]
    recap = cli("recap", "--month", "2023-09", "--json").json()
    assert recap["channels"]["website"] == 1
