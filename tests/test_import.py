"""``humaskit import``: published text back into records, through the real command."""

from __future__ import annotations

import io
import json
import os
import shutil
import zipfile
from pathlib import Path

import docx
import pytest
import yaml

from conftest import archive_snapshot

IMPORT_DATA = Path(__file__).parent / "data" / "import"
UNIT = "Rumah Tahanan Negara Kelas IIB Pelaihari"


@pytest.fixture
def profile(cli, workdir: Path) -> Path:
    result = cli(
        "init",
        "--unit",
        UNIT,
        "--signature",
        "Rutan Pelaihari",
        "--location",
        "Pelaihari",
    )
    assert result.exit_code == 0, result.stderr
    return workdir / "humaskit.toml"


def copy_in(workdir: Path, *names: str) -> list[Path]:
    targets = []
    for name in names:
        target = workdir / name
        shutil.copy(IMPORT_DATA / name, target)
        targets.append(target)
    return targets


def import_one(cli, path: Path, *options: str) -> dict:  # type: ignore[no-untyped-def]
    result = cli("import", path, "--json", *options)
    assert result.exit_code == 0, result.stderr
    [row] = result.json()
    assert row["status"] == "imported"
    shown = cli("show", row["id"], "--json")
    assert shown.exit_code == 0, shown.stderr
    return {**shown.json(), "_row": row}


def speakers(record: dict) -> dict[str, dict]:
    return {s["name"]: s for s in record.get("speakers", [])}


# --------------------------------------------------------------------------- the seed


def test_seed_text_imports_with_its_structure(cli, profile, workdir, archive_dir) -> None:
    [seed] = copy_in(workdir, "seed.txt")
    record = import_one(cli, seed, "--year", "2025")
    assert record["date"] == "2025-02-06"
    assert record["outlet"] == "Wartanesia"
    assert record["location"] == "Pelaihari"  # from the profile
    assert "dateline" not in record  # "Wartanesia - " is what a record without one gets
    assert record["unit"] == UNIT
    assert record["signature"] == "Rutan Pelaihari"
    assert record["lead"].startswith("Kepala Rumah Tahanan Negara (Rutan) Kelas IIB Pelaihari")
    assert record["lead"].endswith("bagi ASN Pemasyarakatan.")
    assert len(record["body"]) == 4
    assert record["closing"].startswith("Dengan adanya kegiatan ini, diharapkan")
    people = speakers(record)
    assert people["Gun Gun Gunawan"]["title"] == "Sekretaris Direktorat Jenderal Pemasyarakatan"
    assert people["Fani Andika"]["short"] == "Fani"
    assert people["Lilik Sujandi"]["title"] == "Direktur Kepatuhan Internal"
    assert people["M. Hilal"]["title"] == (
        "Direktur Teknologi Informasi dan Kerja Sama Pemasyarakatan"
    )
    quotes = record["quotes"]
    assert [(q["speaker"], q["verb"]) for q in quotes] == [
        ("Gun Gun Gunawan", "ujar"),
        ("Fani Andika", "jelas"),
    ]
    assert quotes[0]["text"].startswith("Penggunaan media sosial yang tidak bijak")
    assert quotes[0]["text"].endswith("dunia nyata")
    assert "Komentar0" not in json.dumps(record)
    # The seed has no headline: one is made from the lead, with a warning.
    assert record["title"].startswith("Rutan Pelaihari Mengikuti Penguatan")
    assert any(w.startswith("title:") for w in record["_row"]["warnings"])
    # The original text is kept beside the record, its hash in meta.json.
    folder = next(archive_dir.glob(f"releases/2025/{record['id']}"))
    assert (folder / "source.txt").read_bytes() == seed.read_bytes()
    meta = json.loads((folder / "meta.json").read_text())
    assert len(meta["source_sha256"]) == 64
    # And it passes the checks without errors.
    assert cli("check", record["id"]).exit_code == 0


def test_year_comes_from_the_weekday_when_the_text_has_none(cli, profile, workdir) -> None:
    [seed] = copy_in(workdir, "seed.txt")
    moment = 1795000000  # November 2026: 6 Feb 2026 is a Friday, 6 Feb 2025 a Thursday
    os.utime(seed, (moment, moment))
    record = import_one(cli, seed)
    assert record["date"] == "2025-02-06"
    assert any(w.startswith("date:") for w in record["_row"]["warnings"])


# --------------------------------------------------------------------------- variants


def test_antara_dateline_and_jabatan_in_the_attribution(cli, profile, workdir) -> None:
    [path] = copy_in(workdir, "antara.txt")
    record = import_one(cli, path, "--unit", "Kantor Imigrasi Kelas I TPI Jakarta Pusat")
    assert record["title"] == "Imigrasi Jakarta Pusat Terbitkan 500 Paspor dalam Sehari"
    assert (record["location"], record["outlet"]) == ("Jakarta", "ANTARA")
    assert record["dateline"] == "{location} ({outlet})"  # written as it was published
    assert "\nJakarta (ANTARA) - " in cli("show", record["id"]).stdout
    assert record["unit"] == "Kantor Imigrasi Kelas I TPI Jakarta Pusat"
    assert record["date"] == "2025-03-08"
    assert speakers(record)["Budi Santoso"]["title"] == (
        "Kepala Kantor Imigrasi Kelas I TPI Jakarta Pusat"
    )
    assert record["quotes"] == [
        {
            "speaker": "Budi Santoso",
            "text": "Kami ingin warga tidak perlu cuti hanya untuk mengurus paspor",
            "verb": "kata",
        }
    ]
    assert record["closing"] == "Layanan serupa akan dibuka lagi bulan depan."
    text = json.dumps(record, ensure_ascii=False)
    for junk in ("Baca juga", "Pewarta", "Editor", "COPYRIGHT"):
        assert junk not in text


def test_info_pas_two_line_title_and_ujarnya(cli, profile, workdir) -> None:
    [path] = copy_in(workdir, "infopas.txt")
    record = import_one(cli, path)
    assert record["title"] == "Lapas Banjarmasin Gelar Pelatihan Las bagi Warga Binaan"
    assert (record["location"], record["outlet"]) == ("Banjarmasin", "INFO_PAS")
    assert record["dateline"] == "{location}, {outlet}"  # not "INFO_PAS - …"
    assert "\nBanjarmasin, INFO_PAS - " in cli("show", record["id"]).stdout
    assert record["date"] == "2025-02-11"
    assert record["signature"] == "Lapas Banjarmasin"
    [quote] = record["quotes"]
    assert (quote["speaker"], quote["verb"]) == ("Hendra Wijaya", "ujar")
    assert record["closing"].startswith("Dengan pelatihan ini")
    text = json.dumps(record, ensure_ascii=False)
    for junk in ("Bagikan", "kali dibaca", "Komentar", "(afn)", "WhatsApp"):
        assert junk not in text


def test_website_copy_with_date_line_tags_and_breadcrumbs(cli, profile, workdir) -> None:
    [path] = copy_in(workdir, "website.txt")
    record = import_one(cli, path)
    assert record["title"] == "Rutan Pelaihari Terima Kunjungan Kakanwil"
    assert record["location"] == "Pelaihari"
    assert "outlet" not in record
    assert record["date"] == "2025-03-07"  # "Jumat (7/3)", the year from the page's date line
    assert record["tags"] == ["kunjungan kerja", "kakanwil", "pelayanan"]
    [quote] = record["quotes"]
    assert (quote["speaker"], quote["verb"]) == ("Taufiqurrakhman", "tegas")
    assert record["body"] == [
        "Dalam kunjungan itu, Taufiqurrakhman meninjau dapur, klinik, dan ruang layanan kunjungan."
    ]
    text = json.dumps(record, ensure_ascii=False)
    for junk in ("Beranda", "Oleh: Admin", "views", "Editor"):
        assert junk not in text


def test_explicit_date_and_attribution_before_the_quote(cli, profile, workdir) -> None:
    [path] = copy_in(workdir, "before.txt")
    record = import_one(cli, path)
    assert record["date"] == "2025-02-04"
    assert (record["location"], record["outlet"]) == ("Tanah Laut", "Humas Bapas")
    assert record["signature"] == "Bapas Tanah Laut"
    rudi = speakers(record)["Rudi Hartono"]
    assert (rudi["title"], rudi["short"]) == ("Pembimbing Kemasyarakatan Ahli Muda", "Rudi")
    assert record["quotes"] == [
        {
            "speaker": "Rudi Hartono",
            "text": "Kerja sosial membantu klien diterima kembali oleh warga sekitar",
            "verb": "jelas",
        }
    ]


def test_windows_1252_text_is_read_with_a_warning(cli, profile, workdir) -> None:
    [path] = copy_in(workdir, "cp1252.txt")
    record = import_one(cli, path)
    assert any("Windows-1252" in w for w in record["_row"]["warnings"])
    assert record["title"] == "Polres Tanah Laut Bagikan Masker"
    assert record["date"] == "2025-02-05"
    [quote] = record["quotes"]
    assert quote == {
        "speaker": "Andi Pratama",
        "text": "Kami ingin warga tetap sehat di musim hujan",
        "verb": "ujar",
    }
    assert speakers(record)["Andi Pratama"]["short"] == "Andi"


def test_markdown_from_a_website(cli, profile, workdir) -> None:
    [path] = copy_in(workdir, "website.md")
    record = import_one(cli, path)
    assert record["title"] == "Dinas Kominfo Latih Admin Media Sosial Desa"
    assert (record["location"], record["outlet"]) == ("Bandung", "Diskominfo")
    assert record["date"] == "2025-02-06"
    assert record["lead"] == (
        "Dinas Komunikasi dan Informatika Kabupaten Bandung melatih 60 admin media sosial desa "
        "di Aula Dinas pada 06/02/2025."
    )
    [quote] = record["quotes"]
    assert (quote["speaker"], quote["verb"]) == ("Yuyun Yuliani", "tutur")
    assert record["signature"] == "Diskominfo Kabupaten Bandung"
    assert "foto.jpg" not in json.dumps(record)


def test_official_siaran_pers_with_number_and_contact(cli, profile, workdir) -> None:
    [path] = copy_in(workdir, "siaran_pers.txt")
    record = import_one(cli, path)
    assert record["title"] == "Rutan Pelaihari Gelar Bakti Sosial"
    assert record["number"] == "W15.PAS.PAS.13-HM.01.02-45"
    assert record["embargo"] == "segera"
    assert record["contact"] == {
        "name": "Siti Aminah",
        "phone": "0812-3456-7890",
        "email": "humas@rutanpelaihari.go.id",
    }
    assert "KEMENTERIAN" not in record["lead"]
    assert record["quotes"][0]["speaker"] == "Fani Andika"


def test_a_release_ending_on_a_quote_keeps_it_as_closing(cli, profile, workdir) -> None:
    [path] = copy_in(workdir, "ends_with_quote.txt")
    record = import_one(cli, path)
    assert record["closing"].startswith("“Jaga kewaspadaan")
    assert record["signature"] == "Rutan Pelaihari"  # from the profile
    assert any(w.startswith("closing:") for w in record["_row"]["warnings"])


def test_word_file_written_by_someone_else(cli, profile, workdir) -> None:
    document = docx.Document()
    document.add_heading("Rutan Pelaihari Gelar Donor Darah", level=1)
    document.add_paragraph(
        "Pelaihari - Rutan Kelas IIB Pelaihari menggelar donor darah bersama PMI Tanah Laut "
        "pada Rabu (12/2/2025) di aula rutan."
    )
    document.add_paragraph("Kepala Rutan Kelas IIB Pelaihari, Fani Andika, ikut mendonorkan darah.")
    document.add_paragraph("“Setetes darah kita menolong sesama,” ujar Fani.")
    document.add_paragraph("Kegiatan ini diharapkan rutin digelar setiap tiga bulan.")
    document.add_paragraph("- Rutan Pelaihari")
    path = workdir / "donor.docx"
    document.save(path)
    record = import_one(cli, path)
    assert record["title"] == "Rutan Pelaihari Gelar Donor Darah"
    assert record["date"] == "2025-02-12"
    assert record["quotes"] == [
        {"speaker": "Fani Andika", "text": "Setetes darah kita menolong sesama", "verb": "ujar"}
    ]
    assert record["closing"] == "Kegiatan ini diharapkan rutin digelar setiap tiga bulan."


# --------------------------------------------------------------------------- DOCX round trip


def test_docx_humaskit_wrote_imports_as_the_same_record(cli, seed_record, workdir) -> None:
    saved = cli("new", seed_record, "--json")
    assert saved.exit_code == 0, saved.stderr
    [row] = saved.json()
    original = cli("show", row["id"], "--json").json()
    copy = workdir / "dikirim.docx"
    shutil.copy(row["docx"], copy)
    result = cli("--archive", workdir / "other", "import", copy, "--json")
    assert result.exit_code == 0, result.stderr
    [imported] = result.json()
    again = cli("--archive", workdir / "other", "show", imported["id"], "--json").json()
    assert again == original


def test_docx_edited_in_word_is_read_from_its_text(cli, profile, seed_record, workdir) -> None:
    [row] = cli("new", seed_record, "--json").json()
    document = docx.Document(row["docx"])
    lead = next(p for p in document.paragraphs if p.text.startswith("Wartanesia - "))
    lead.text = lead.text.replace("Zoom Meeting", "Microsoft Teams")
    edited = workdir / "diedit.docx"
    document.save(edited)
    result = cli("--archive", workdir / "other", "import", edited, "--json", "--year", "2025")
    assert result.exit_code == 0, result.stderr
    [imported] = result.json()
    record = cli("--archive", workdir / "other", "show", imported["id"], "--json").json()
    assert "Microsoft Teams" in record["lead"]
    assert record["title"] == "Rutan Pelaihari Ikuti Penguatan Kehumasan Ditjenpas"


# --------------------------------------------------------------------------- the whole run


def test_second_import_of_the_same_file_is_not_duplicated(cli, profile, workdir, archive_dir):
    [path] = copy_in(workdir, "antara.txt")
    first = cli("import", path, "--json")
    assert first.exit_code == 0, first.stderr
    second = cli("import", path, "--json")
    assert second.exit_code == 0
    [row] = second.json()
    assert row == {"id": first.json()[0]["id"], "source": str(path), "status": "exists"}
    assert len(cli("list", "--json").json()) == 1
    human = cli("import", path)
    assert "Sudah diimpor" in human.stdout


def test_folder_import_one_bad_file_does_not_stop_the_rest(cli, profile, workdir) -> None:
    folder = workdir / "lama"
    (folder / "2025").mkdir(parents=True)
    for name in ("antara.txt", "infopas.txt", "website.md"):
        shutil.copy(IMPORT_DATA / name, folder / "2025" / name)
    (folder / "rusak.docx").write_bytes(b"ini bukan berkas word")
    (folder / "catatan.pdf").write_bytes(b"%PDF")  # not a release format: ignored
    result = cli("import", folder, "--json")
    assert result.exit_code == 1
    rows = result.json()
    assert [Path(r["source"]).name for r in rows] == ["antara.txt", "infopas.txt", "website.md"]
    assert "rusak.docx" in result.stderr
    assert "1 gagal dari 4 berkas" in result.stderr
    assert len(cli("list", "--json").json()) == 3


def test_record_files_and_archive_folders(cli, seed_record, workdir) -> None:
    result = cli("import", seed_record, "--json")
    assert result.exit_code == 0, result.stderr
    [row] = result.json()
    # Importing a whole archive takes each release.yaml once, not its .md and .docx copies.
    other = cli("--archive", workdir / "other", "import", workdir / "archive", "--json")
    assert other.exit_code == 0, other.stderr
    assert [r["id"] for r in other.json()] == [row["id"]]
    assert Path(other.json()[0]["source"]).name == "release.yaml"


def test_missing_fields_are_named_per_file(cli, workdir, archive_dir) -> None:
    [path] = copy_in(workdir, "antara.txt")
    result = cli("import", path)
    assert result.exit_code == 1
    assert "antara.txt" in result.stderr
    assert "unit: " in result.stderr and "signature: " in result.stderr
    assert "--signature" in result.stderr  # the fix is named
    assert "Traceback" not in result.stderr
    assert not archive_dir.exists()
    # Without a profile, both from the command line:
    given = ["--unit", "Kantor Imigrasi Jakarta Pusat", "--signature", "Kanim Jakpus", "--json"]
    done = cli("--archive", workdir / "lain", "import", path, *given)
    assert done.exit_code == 0, done.stderr
    shown = cli("--archive", workdir / "lain", "show", done.json()[0]["id"], "--json").json()
    assert (shown["unit"], shown["signature"]) == ("Kantor Imigrasi Jakarta Pusat", "Kanim Jakpus")
    cli("init", "--unit", UNIT, "--signature", "Rutan Pelaihari", "--location", "Pelaihari")
    fixed = cli("import", path, "--unit", "Kantor Imigrasi Jakarta Pusat", "--json")
    assert fixed.exit_code == 0, fixed.stderr
    record = cli("show", fixed.json()[0]["id"], "--json").json()
    assert record["unit"] == "Kantor Imigrasi Jakarta Pusat"  # --unit wins over the profile


def test_dry_run_shows_each_file_with_its_whole_id_and_writes_nothing(
    cli, profile, workdir, archive_dir
) -> None:
    paths = copy_in(workdir, "antara.txt", "infopas.txt")
    before = archive_snapshot(archive_dir)
    result = cli("import", *paths, "--dry-run")
    assert result.exit_code == 0, result.stderr
    assert archive_snapshot(archive_dir) == before
    lines = [line.strip() for line in result.stdout.splitlines()]
    assert "2025-02-11-lapas-banjarmasin-gelar-pelatihan-las-bagi-warga-binaan" in lines
    assert f"akan diimpor  {paths[0]}" in result.stdout
    as_json = cli("import", *paths, "--dry-run", "--json")
    statuses = {Path(r["source"]).name: r["status"] for r in as_json.json()}
    assert statuses == {"antara.txt": "ready", "infopas.txt": "ready"}
    forms = {Path(r["source"]).name: r["recovered"]["dateline"] for r in as_json.json()}
    assert forms == {"antara.txt": "{location} ({outlet})", "infopas.txt": "{location}, {outlet}"}
    assert archive_snapshot(archive_dir) == before


def test_missing_path_is_bad_usage(cli, workdir, archive_dir) -> None:
    result = cli("import", workdir / "tidak-ada.txt")
    assert result.exit_code == 2
    assert "tidak-ada.txt" in result.stderr
    assert not archive_dir.exists()


# --------------------------------------------------------------------------- hostile files


def _zip_bomb() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", b"\0" * (8 * 1024 * 1024))
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("name", "content", "expected"),
    [
        ("bukan.docx", b"PK? bukan zip sama sekali", "bukan berkas Word .docx"),
        ("bom.docx", None, "bom zip"),
        ("biner.txt", bytes(range(256)) * 8, "data biner"),
        ("rusak.txt", b"Judul\n\nPelaihari - Teks" + b"\x81\x8d\x8f", "UTF-8"),
        ("besar.txt", b"kata " * (1024 * 1024), "MB"),
        ("kosong.docx", b"", "bukan berkas Word .docx"),
    ],
)
def test_hostile_files_fail_one_by_one(cli, profile, workdir, archive_dir, name, content, expected):
    path = workdir / name
    path.write_bytes(_zip_bomb() if content is None else content)
    [good] = copy_in(workdir, "infopas.txt")
    result = cli("import", path, good, "--json")
    assert result.exit_code == 1
    assert expected in result.stderr and name in result.stderr
    assert "Traceback" not in result.stderr
    assert [Path(r["source"]).name for r in result.json()] == ["infopas.txt"]


def test_english_messages(cli, profile, workdir, monkeypatch) -> None:
    monkeypatch.setenv("HUMASKIT_LANG", "en")
    path = workdir / "bukan.docx"
    path.write_bytes(b"not a zip")
    result = cli("import", path)
    assert result.exit_code == 1
    assert "not a valid Word .docx file" in result.stderr


def test_docx_round_trip_with_photo_contact_and_letterhead(cli, profile, workdir) -> None:
    from PIL import Image

    seed = yaml.safe_load((Path(__file__).parent / "data" / "seed.yaml").read_text("utf-8"))
    data = json.loads(json.dumps(seed, default=str))
    Image.new("RGB", (800, 450), (90, 140, 90)).save(workdir / "apel.jpg", "JPEG")
    data["photos"] = [{"path": "apel.jpg", "caption": "Karutan mengikuti penguatan."}]
    data["contact"] = {"name": "Humas Rutan Pelaihari", "phone": "0812-3456-7890"}
    data["number"] = "SP-012/HUMAS/II/2025"
    data["embargo"] = "segera"
    record_file = workdir / "lengkap.json"
    record_file.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    [row] = cli("new", record_file, "--json").json()
    original = cli("show", row["id"], "--json").json()
    # Photo paths in the embedded record are never followed, even from inside the release
    # folder (a Word file could name any image on the machine); the rest is the same.
    inside = cli("--archive", workdir / "a2", "import", row["docx"], "--json")
    assert inside.exit_code == 0, inside.stderr
    imported_inside = cli("--archive", workdir / "a2", "show", row["id"], "--json").json()
    assert imported_inside == {k: v for k, v in original.items() if k != "photos"}
    assert not list((workdir / "a2").rglob("*.jpg"))
    # Sent on alone, the photo stays behind (with a warning); everything else is the same.
    alone = workdir / "kirim" / "rilis.docx"
    alone.parent.mkdir()
    shutil.copy(row["docx"], alone)
    result = cli("--archive", workdir / "a3", "import", alone, "--json")
    assert result.exit_code == 0, result.stderr
    [imported] = result.json()
    assert any(w.startswith("photos:") for w in imported["warnings"])
    again = cli("--archive", workdir / "a3", "show", imported["id"], "--json").json()
    assert again == {k: v for k, v in original.items() if k != "photos"}
