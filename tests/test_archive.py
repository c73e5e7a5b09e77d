"""The archive on disk: layout, ids, revisions, root order, and two processes at once."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from conftest import SEED_RECORD, archive_snapshot
from humaskit.archive.store import ID_PATTERN, Archive, make_slug
from humaskit.record.model import load_release_file, parse_release

SEED_ID = "2025-02-06-rutan-pelaihari-ikuti-penguatan-kehumasan-ditjenpas"


def test_release_folder_layout(cli, seed_record, archive_dir) -> None:
    assert cli("new", seed_record).exit_code == 0
    folder = archive_dir / "releases" / "2025" / SEED_ID
    assert sorted(p.name for p in folder.iterdir()) == [
        "meta.json",
        "release.docx",
        "release.md",
        "release.yaml",
    ]
    assert load_release_file(folder / "release.yaml") == load_release_file(SEED_RECORD)
    meta = json.loads((folder / "meta.json").read_text())
    assert meta["revision"] == 0 and meta["created"].endswith("Z")
    assert not list(folder.parent.glob(".tmp-*"))


def test_same_title_same_day_gets_numbered_ids(cli, seed_record) -> None:
    ids = [cli("new", seed_record, "--json").json()[0]["id"] for _ in range(3)]
    assert ids == [SEED_ID, f"{SEED_ID}-2", f"{SEED_ID}-3"]


def test_slug_is_ascii_and_capped() -> None:
    assert make_slug("Kunjungan Kerja ke Lapas Perempuan: Pembinaan & Kemandirian") == (
        "kunjungan-kerja-ke-lapas-perempuan-pembinaan-kemandirian"
    )
    long = make_slug("Sosialisasi " * 30)
    assert len(long) <= 60 and not long.endswith("-")
    assert make_slug("Café Ñusantara — “Apel” Pagi") == "cafe-nusantara-apel-pagi"
    assert make_slug("!!!") == "siaran-pers"
    assert ID_PATTERN.fullmatch(f"2025-02-06-{long}")


@pytest.mark.parametrize(
    "bad_id", ["../../etc", "/etc/passwd", "2025-02-06-../../x", "2025/../..", "..", "a b", ""]
)
def test_path_like_ids_are_refused(cli, seed_record, bad_id) -> None:
    cli("new", seed_record)
    for command in (["show", bad_id], ["edit", bad_id, str(seed_record)]):
        result = cli(*command)
        assert result.exit_code == 2, command
        assert "id" in result.stderr
        assert "Traceback" not in result.stderr


def test_show_unknown_id_is_exit_1(cli) -> None:
    result = cli("show", "2024-01-01-tidak-ada")
    assert result.exit_code == 1
    assert "2024-01-01-tidak-ada" in result.stderr


def test_show_json_is_the_record_with_id(cli, seed_record) -> None:
    cli("new", seed_record)
    shown = cli("show", SEED_ID, "--json").json()
    assert shown.pop("id") == SEED_ID
    assert parse_release(shown) == load_release_file(SEED_RECORD)


def test_show_prints_the_release_as_it_reads(cli, seed_record) -> None:
    cli("new", seed_record)
    text = cli("show", SEED_ID).stdout
    assert "Kamis, 6 Februari 2025" in text
    assert "Wartanesia - Kepala Rumah Tahanan Negara" in text
    assert text.rstrip().endswith("- Rutan Pelaihari")


def test_edit_keeps_a_numbered_revision_and_rerenders(cli, seed_record, archive_dir) -> None:
    cli("new", seed_record)
    data = yaml.safe_load(seed_record.read_text())
    data["title"] = "Rutan Pelaihari Perkuat Kehumasan"
    data["closing"] = "Kegiatan ditutup dengan diskusi."
    changed = seed_record.with_name("v2.yaml")
    changed.write_text(yaml.safe_dump(data, allow_unicode=True), "utf-8")
    result = cli("edit", SEED_ID, changed, "--json")
    assert result.exit_code == 0, result.stderr
    assert result.json()["revision"] == 1
    folder = archive_dir / "releases" / "2025" / SEED_ID
    [revision] = (folder / "revisions").iterdir()
    assert revision.name.startswith("001-")
    assert load_release_file(revision) == load_release_file(SEED_RECORD)
    assert "# Rutan Pelaihari Perkuat Kehumasan" in (folder / "release.md").read_text()
    assert cli("show", SEED_ID, "--json").json()["closing"] == data["closing"]
    assert json.loads((folder / "meta.json").read_text())["revision"] == 1
    cli("edit", SEED_ID, seed_record)
    assert len(list((folder / "revisions").iterdir())) == 2


def test_bad_edit_changes_nothing(cli, seed_record, workdir, archive_dir) -> None:
    cli("new", seed_record)
    before = archive_snapshot(archive_dir)
    bad = workdir / "bad.yaml"
    bad.write_text("title: x\ndate: 2025-02-31\n", "utf-8")
    assert cli("edit", SEED_ID, bad).exit_code == 2
    assert archive_snapshot(archive_dir) == before


def test_list_filters_and_order(cli, workdir) -> None:
    base = yaml.safe_load(SEED_RECORD.read_text())
    for day, title, tags, unit in [
        ("2024-12-30", "Apel Akhir Tahun", ["apel"], "Lapas Kelas IIA Banjarmasin"),
        ("2025-01-15", "Tes Urine Petugas", ["P4GN"], base["unit"]),
        ("2025-03-01", "Bakti Sosial", ["baksos", "P4GN"], base["unit"]),
    ]:
        signature = "Lapas Banjarmasin" if "Lapas" in unit else base["signature"]
        record = {**base, "date": day, "title": title, "tags": tags, "unit": unit}
        record["signature"] = signature
        path = workdir / f"{day}.yaml"
        path.write_text(yaml.safe_dump(record, allow_unicode=True), "utf-8")
        assert cli("new", path).exit_code == 0
    rows = cli("list", "--json").json()
    assert [r["date"] for r in rows] == ["2025-03-01", "2025-01-15", "2024-12-30"]
    assert set(rows[0]) == {"id", "title", "date", "unit", "tags"}
    since = cli("list", "--since", "2025-01-01", "--json").json()
    assert [r["title"] for r in since] == ["Bakti Sosial", "Tes Urine Petugas"]
    until = cli("list", "--until", "15/1/2025", "--json").json()
    assert [r["title"] for r in until] == ["Tes Urine Petugas", "Apel Akhir Tahun"]
    assert [r["title"] for r in cli("list", "--tag", "p4gn", "--json").json()] == [
        "Bakti Sosial",
        "Tes Urine Petugas",
    ]
    by_signature = cli("list", "--unit", "rutan pelaihari", "--json").json()
    assert len(by_signature) == 2
    # Filters are answered by the index; a missing index is rebuilt first, with the same answer.
    filtered = ["list", "--tag", "P4GN", "--until", "2025-02-01", "--json"]
    from_index = cli(*filtered).json()
    assert [r["title"] for r in from_index] == ["Tes Urine Petugas"]
    shutil.rmtree(workdir / "archive" / "index")
    assert cli(*filtered).json() == from_index
    assert cli("list", "--unit", "rutan pelaihari", "--json").json() == by_signature
    assert len(cli("list", "--limit", "1", "--json").json()) == 1
    assert cli("list", "--limit", "0", "--json").json() == rows  # 0 is all, as for search
    shown = [line.strip() for line in cli("list").stdout.splitlines()]
    assert shown[:3] == [
        "2025-03-01  Bakti Sosial",
        "2025-03-01-bakti-sosial",
        f"{base['unit']} · baksos, P4GN",
    ]


def test_a_list_read_from_the_index_shows_each_record_as_it_is_on_disk(
    cli, seed_record, workdir, archive_dir, monkeypatch
) -> None:
    """A long list comes from the index's stored fields; an entry whose record changed
    behind humaskit's back (edited by hand, no reindex) is read from the record, and so is
    a release copied in by hand (not indexed) when the folder names say which to list."""
    from humaskit.search import listing

    cli("new", seed_record)
    base = yaml.safe_load(SEED_RECORD.read_text())
    for day in ("2025-01-15", "2025-03-01"):
        path = workdir / f"{day}.yaml"
        path.write_text(yaml.safe_dump({**base, "date": day}, allow_unicode=True), "utf-8")
        assert cli("new", path).exit_code == 0
    record = next((archive_dir / "releases" / "2025").glob(f"{SEED_ID}/release.yaml"))
    by_hand = yaml.safe_load(record.read_text("utf-8"))
    by_hand["title"] = "Judul Diubah Tangan"
    by_hand["tags"] = ["diubah"]
    record.write_text(yaml.safe_dump(by_hand, allow_unicode=True), "utf-8")
    # A release copied in from another archive (a backup restored by hand): not indexed.
    other = workdir / "lain"
    restored = {**base, "date": "2025-02-10", "title": "Rilis dari Cadangan"}
    (workdir / "r.yaml").write_text(yaml.safe_dump(restored, allow_unicode=True), "utf-8")
    [restored_id] = [
        r["id"] for r in cli("--archive", other, "new", workdir / "r.yaml", "--json").json()
    ]
    shutil.copytree(
        other / "releases" / "2025" / restored_id, archive_dir / "releases" / "2025" / restored_id
    )
    from_records = cli("list", "--json").json()  # a short list: the records answer
    assert len(from_records) == 4 and from_records[1]["title"] == "Rilis dari Cadangan"
    monkeypatch.setattr(listing, "RECORDS_READ_AT_MOST", 0)  # as for a long one
    from_index = cli("list", "--json").json()
    assert from_index == from_records  # the folder names say which releases there are
    filtered = cli("list", "--json", "--until", "2025-02-06").json()  # the index says which
    assert filtered == from_records[2:]
    for listed in (from_index, filtered):
        assert [(r["id"] == SEED_ID, r["title"], r["tags"]) for r in listed][-2] == (
            True,
            "Judul Diubah Tangan",
            ["diubah"],
        )
    # Without an index (deleted, or of another version) the list does not wait for a rebuild.
    shutil.rmtree(archive_dir / "index")
    assert cli("list", "--json").json() == from_records
    assert not (archive_dir / "index").exists()
    rebuilt = cli("list", "--json", "--until", "2025-02-06")  # a filter needs the index
    assert rebuilt.json() == filtered and "Indeks pencarian belum ada" in rebuilt.stderr


def test_list_bad_date_option_is_exit_2(cli) -> None:
    result = cli("list", "--since", "kemarin")
    assert result.exit_code == 2
    assert "--since" in result.stderr


def test_empty_archive_lists_nothing_and_succeeds(cli) -> None:
    result = cli("list", "--json")
    assert result.exit_code == 0
    assert result.json() == []


def test_archive_root_order(cli, seed_record, workdir, tmp_path, monkeypatch) -> None:
    explicit = tmp_path / "explicit"
    assert cli("--archive", explicit, "new", seed_record).exit_code == 0
    assert (explicit / "releases").is_dir()

    from_env = tmp_path / "from-env"
    monkeypatch.setenv("HUMASKIT_ARCHIVE", str(from_env))
    assert cli("new", seed_record).exit_code == 0
    assert (from_env / "releases").is_dir()
    monkeypatch.delenv("HUMASKIT_ARCHIVE")

    unit_folder = workdir / "unit"
    (unit_folder / "naskah").mkdir(parents=True)
    (unit_folder / "humaskit.toml").write_text('unit = "Rutan Pelaihari"\n', "utf-8")
    monkeypatch.chdir(unit_folder / "naskah")
    assert cli("new", seed_record).exit_code == 0
    assert (unit_folder / "archive" / "releases").is_dir()
    assert not (unit_folder / "naskah" / "archive").exists()


def test_init_writes_profile_whose_values_fill_records(cli, workdir) -> None:
    result = cli(
        "init",
        "--unit",
        "Rutan Kelas IIB Pelaihari",
        "--signature",
        "Rutan Pelaihari",
        "--location",
        "Pelaihari",
        "--outlet",
        "Wartanesia",
        "--letterhead",
        "KEMENTERIAN IMIGRASI DAN PEMASYARAKATAN",
        "--letterhead",
        "RUTAN KELAS IIB PELAIHARI",
        "--timezone",
        "WITA",
    )
    assert result.exit_code == 0, result.stderr
    assert (workdir / "archive").is_dir()
    text = (workdir / "humaskit.toml").read_text()
    assert 'unit = "Rutan Kelas IIB Pelaihari"' in text and 'timezone = "WITA"' in text
    record = yaml.safe_load(SEED_RECORD.read_text())
    for key in ("location", "outlet", "unit", "signature"):
        record.pop(key)
    path = workdir / "tanpa-unit.yaml"
    path.write_text(yaml.safe_dump(record, allow_unicode=True), "utf-8")
    saved = cli("new", path, "--json").json()[0]
    shown = cli("show", saved["id"], "--json").json()
    assert shown["unit"] == "Rutan Kelas IIB Pelaihari"
    assert shown["outlet"] == "Wartanesia"
    assert cli("init", "--unit", "Lain").exit_code == 2  # never overwrites silently


def test_a_ditjenpas_dateline_from_the_profile_reaches_every_output(cli, workdir) -> None:
    """ "Pelaihari, INFO_PAS - …", the usual form of corrections units: the profile's dateline
    form fills in the town and the outlet in the Markdown, the Word file and `show`."""
    result = cli(
        "init", "--unit", "Rutan Kelas IIB Pelaihari", "--signature", "Rutan Pelaihari",
        "--location", "Pelaihari", "--outlet", "INFO_PAS", "--dateline", "{location}, {outlet}",
    )  # fmt: skip
    assert result.exit_code == 0, result.stderr
    record = yaml.safe_load(SEED_RECORD.read_text())
    for key in ("location", "outlet"):
        record.pop(key)
    path = workdir / "tanpa-dateline.yaml"
    path.write_text(yaml.safe_dump(record, allow_unicode=True), "utf-8")
    saved = cli("new", path, "--json").json()[0]
    lead = "Pelaihari, INFO_PAS - Kepala Rumah Tahanan Negara (Rutan) Kelas IIB Pelaihari"
    assert lead in Path(saved["markdown"]).read_text("utf-8")
    import docx

    document = docx.Document(saved["docx"])
    assert any(p.text.startswith(lead) for p in document.paragraphs)
    assert lead in cli("show", saved["id"]).stdout


def test_a_dateline_form_that_cannot_be_filled_is_refused_by_init(cli, workdir) -> None:
    for form, needle in (("{kota}, {outlet}", "{location}"), ("{location}, {outlet}", "outlet")):
        result = cli(
            "init", "--unit", "Rutan Pelaihari", "--location", "Pelaihari", "--dateline", form
        )
        assert result.exit_code == 2, result.stdout
        assert "dateline" in result.stderr and needle in result.stderr
        assert len(result.stderr.strip().splitlines()) == 1 and "Traceback" not in result.stderr
        assert not (workdir / "humaskit.toml").exists() and not (workdir / "archive").exists()


def test_bad_profile_is_exit_2_naming_the_key(cli, workdir, seed_record) -> None:
    (workdir / "humaskit.toml").write_text('unit = "X"\nsignatur = "Y"\n', "utf-8")
    result = cli("new", seed_record)
    assert result.exit_code == 2
    assert "signatur" in result.stderr and "signature" in result.stderr


def test_unit_template_overrides_the_packaged_one(cli, workdir, seed_record, archive_dir):
    (workdir / "humaskit.toml").write_text('unit = "Rutan Pelaihari"\n', "utf-8")
    (workdir / "templates").mkdir()
    (workdir / "templates" / "release.md.j2").write_text(
        "JUDUL: {{ doc.headline }}\n{{ doc.signature }}\n", "utf-8"
    )
    cli("new", seed_record)
    text = (archive_dir / "releases" / "2025" / SEED_ID / "release.md").read_text()
    assert text == "JUDUL: Rutan Pelaihari Ikuti Penguatan Kehumasan Ditjenpas\n- Rutan Pelaihari\n"


def test_title_with_template_syntax_stays_literal(cli, workdir, archive_dir) -> None:
    record = yaml.safe_load(SEED_RECORD.read_text())
    record["title"] = "Hasil {{ 7*7 }} dan {% if true %}x{% endif %}"
    path = workdir / "jinja.yaml"
    path.write_text(yaml.safe_dump(record, allow_unicode=True), "utf-8")
    saved = cli("new", path, "--json").json()[0]
    assert "# Hasil {{ 7*7 }} dan {% if true %}x{% endif %}" in Path(saved["markdown"]).read_text()


def _save_many(root: str, record: str, count: int) -> None:
    for _ in range(count):
        subprocess.run(
            [sys.executable, "-m", "humaskit", "--archive", root, "new", record],
            check=True,
            capture_output=True,
        )


@pytest.mark.slow  # several processes
def test_two_processes_saving_at_once_both_land(tmp_path) -> None:
    root = tmp_path / "archive"
    script = (
        "import sys; from humaskit.cli import app; "
        "sys.argv=['humaskit','--archive',sys.argv[1],'new',*[sys.argv[2]]*int(sys.argv[3])]; app()"
    )
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", script, str(root), str(SEED_RECORD), "20"],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )
        for _ in range(2)
    ]
    for proc in procs:
        _, err = proc.communicate(timeout=300)
        assert proc.returncode == 0, err.decode()
    ids = Archive(root).ids()
    assert len(ids) == 40 and len(set(ids)) == 40
    for release_id in ids:
        assert Archive(root).load(release_id).release.title.startswith("Rutan Pelaihari")
    assert not list((root / "releases" / "2025").glob(".tmp-*"))


def test_utf8_output_under_lang_c(tmp_path) -> None:
    env = {**os.environ, "LANG": "C", "LC_ALL": "C", "PYTHONIOENCODING": ""}
    env.pop("PYTHONUTF8", None)
    root = tmp_path / "archive"
    run = [sys.executable, "-X", "utf8=0", "-m", "humaskit", "--archive", str(root)]
    saved = subprocess.run([*run, "new", str(SEED_RECORD)], env=env, capture_output=True)
    assert saved.returncode == 0, saved.stderr.decode("utf-8", "replace")
    shown = subprocess.run([*run, "show", SEED_ID], env=env, capture_output=True)
    assert shown.returncode == 0
    assert "“Penggunaan media sosial" in shown.stdout.decode("utf-8")


def test_index_busy_after_saving_says_the_release_is_safe(
    cli, seed_record, archive_dir, monkeypatch
):
    from filelock import FileLock

    from humaskit.search import index

    monkeypatch.setattr(index, "LOCK_TIMEOUT", 0.2)
    archive_dir.mkdir()
    with FileLock(str(archive_dir / index.LOCK_NAME)):  # another process writing the index
        result = cli("new", seed_record)
    assert result.exit_code == 1
    assert SEED_ID in result.stderr and "doctor --repair" in result.stderr
    assert Archive(archive_dir).ids() == [SEED_ID]  # saved once, complete
    assert cli("doctor", "--repair").exit_code == 0
    assert [h["id"] for h in cli("search", "kehumasan", "--json").json()] == [SEED_ID]
