"""``humaskit check``: each rule with a case that triggers it and one that does not."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
import yaml

from conftest import SEED_RECORD


def seed() -> dict:
    return yaml.safe_load(SEED_RECORD.read_text(encoding="utf-8"))


def run_check(cli, workdir: Path, record: dict):  # type: ignore[no-untyped-def]
    path = workdir / "rilis.yaml"
    path.write_text(json.dumps(record, default=str, ensure_ascii=False), encoding="utf-8")
    return cli("check", path, "--json")


def codes(result) -> set[str]:  # type: ignore[no-untyped-def]
    return {f["code"] for f in result.json()}


def test_the_seed_passes_once_its_acronym_is_written_out(cli, workdir) -> None:
    record = seed()
    [finding] = run_check(cli, workdir, record).json()  # as published: "UPT" alone
    assert (finding["code"], finding["field"]) == ("acronym", "lead")
    assert '"UPT"' in finding["message"] and "unit pelaksana teknis" in finding["message"]
    record["lead"] = record["lead"].replace("UPT", "Unit Pelaksana Teknis (UPT)")
    result = run_check(cli, workdir, record)
    assert result.exit_code == 0
    assert result.json() == []
    human = cli("check", workdir / "rilis.yaml")
    assert human.exit_code == 0
    assert "Tidak ada temuan" in human.stderr


def test_weekday_that_does_not_match_the_date_is_an_error(cli, workdir) -> None:
    record = seed()
    record["lead"] = record["lead"].replace("Kamis (6/2)", "Rabu (6/2)")
    result = run_check(cli, workdir, record)
    assert result.exit_code == 1
    [finding] = [f for f in result.json() if f["code"] == "weekday"]
    assert finding["severity"] == "error"
    assert finding["field"] == "lead"
    assert "Rabu (6/2)" in finding["message"] and "Kamis" in finding["message"]
    human = cli("check", workdir / "rilis.yaml")
    assert human.exit_code == 1
    assert "kesalahan: lead:" in human.stdout


def test_long_weekday_form_is_checked_too(cli, workdir) -> None:
    record = seed()
    record["body"][0] += " Kegiatan lanjutan digelar Jumat, 7 Februari 2025."
    assert "weekday" not in codes(run_check(cli, workdir, record))
    record["body"][0] = record["body"][0].replace("Jumat, 7", "Sabtu, 7")
    assert "weekday" in codes(run_check(cli, workdir, record))


@pytest.mark.parametrize(("days", "severity"), [(20, "warning"), (800, "error"), (-3, None)])
def test_date_in_the_future(cli, workdir, days, severity) -> None:
    record = seed()
    record["date"] = (dt.date.today() + dt.timedelta(days=days)).isoformat()
    record["lead"] = record["lead"].replace(" pada Kamis (6/2)", "")
    findings = [f for f in run_check(cli, workdir, record).json() if f["code"] == "date-future"]
    assert [f["severity"] for f in findings] == ([severity] if severity else [])


def test_implausibly_old_date(cli, workdir) -> None:
    record = seed()
    record["lead"] = record["lead"].replace(" pada Kamis (6/2)", "")
    record["date"] = "1985-02-06"
    result = run_check(cli, workdir, record)
    assert "date-old" in codes(result)
    assert result.exit_code == 1
    record["date"] = "2005-02-06"
    assert "date-old" not in codes(run_check(cli, workdir, record))


def test_quoted_speaker_never_introduced_with_a_jabatan(cli, workdir) -> None:
    record = seed()
    # Fani is first named without the jabatan, before the quote would introduce her.
    record["lead"] = record["lead"].replace(
        "Kepala Rumah Tahanan Negara (Rutan) Kelas IIB Pelaihari, Fani Andika,", "Fani Andika"
    )
    record["body"][3] = "Menanggapi arahan tersebut, Fani Andika meminta tim humas bergerak cepat."
    result = run_check(cli, workdir, record)
    [finding] = [f for f in result.json() if f["code"] == "speaker-intro"]
    assert finding["field"] == "quotes[1].speaker"
    assert "Fani Andika" in finding["message"]
    assert result.exit_code == 0  # a warning does not fail the check
    # Not named in the text at all: the quote's attribution introduces her with the jabatan.
    record = seed()
    record["lead"] = record["lead"].replace(
        "Kepala Rumah Tahanan Negara (Rutan) Kelas IIB Pelaihari, Fani Andika,", "Tim humas"
    )
    record["body"][3] = "Menanggapi arahan tersebut, tim humas bergerak cepat."
    assert "speaker-intro" not in codes(run_check(cli, workdir, record))


def test_stray_quote_marks(cli, workdir) -> None:
    record = seed()
    record["quotes"][0]["text"] += ' "kata beliau'
    record["body"][1] = "Selain itu, “inovasi menjadi kunci bagi setiap satuan kerja."
    result = run_check(cli, workdir, record)
    fields = {f["field"] for f in result.json() if f["code"] == "stray-quote"}
    assert fields == {"quotes[0].text", "body[1]"}
    record = seed()
    record["body"][1] = "Selain itu, “inovasi” menjadi kunci bagi setiap satuan kerja."
    assert "stray-quote" not in codes(run_check(cli, workdir, record))


def test_quote_punctuation(cli, workdir) -> None:
    record = seed()
    record["quotes"][1]["text"] = "Banyak hal yang perlu kita tindaklanjuti, yaitu:"
    record["body"][2] += " “Kita siap” ujar seorang petugas."
    result = run_check(cli, workdir, record)
    fields = {f["field"] for f in result.json() if f["code"] == "quote-punctuation"}
    assert fields == {"quotes[1].text", "body[2]"}
    record = seed()
    record["quotes"][1]["text"] = "Apakah kita sudah siap?"
    record["body"][2] += " “Kita siap,” ujar seorang petugas."
    assert "quote-punctuation" not in codes(run_check(cli, workdir, record))


def test_attribution_verb_outside_the_known_list(cli, workdir) -> None:
    record = seed()
    record["quotes"][1]["verb"] = "celoteh"
    [finding] = [f for f in run_check(cli, workdir, record).json() if f["code"] == "verb"]
    assert finding["field"] == "quotes[1].verb" and "celoteh" in finding["message"]
    record["quotes"][1]["verb"] = "pungkas"
    assert "verb" not in codes(run_check(cli, workdir, record))


def test_headline_over_twelve_words(cli, workdir) -> None:
    record = seed()
    record["title"] = (
        "Rutan Pelaihari Ikuti Kegiatan Penguatan Bidang Kehumasan yang Diselenggarakan "
        "Direktorat Jenderal Pemasyarakatan Secara Daring"
    )
    [finding] = [f for f in run_check(cli, workdir, record).json() if f["code"] == "headline-long"]
    assert finding["field"] == "title" and "14" in finding["message"]
    record["title"] = "Rutan Pelaihari Ikuti Penguatan Kehumasan Ditjenpas"
    assert "headline-long" not in codes(run_check(cli, workdir, record))


def test_lead_without_who_when_where(cli, workdir) -> None:
    record = seed()
    record["lead"] = "Sosialisasi etika bermedia sosial dilaksanakan dengan tertib."
    found = codes(run_check(cli, workdir, record))
    assert {"lead-who", "lead-when", "lead-where"} <= found
    record["lead"] = (
        "Petugas Rutan Pelaihari mengikuti sosialisasi etika bermedia sosial pada Senin (3/2) "
        "di aula rutan."
    )
    found = codes(run_check(cli, workdir, record))
    assert not {"lead-who", "lead-when", "lead-where"} & found


def test_a_dateline_with_the_town_says_where(cli, workdir) -> None:
    record = seed()
    record["lead"] = "Petugas Rutan mengikuti sosialisasi etika bermedia sosial pada Senin (3/2)."
    assert "lead-where" in codes(run_check(cli, workdir, record))  # "Wartanesia - Petugas …"
    record["dateline"] = "{location}, {outlet}"  # "Pelaihari, Wartanesia - Petugas …"
    assert "lead-where" not in codes(run_check(cli, workdir, record))


def test_an_acronym_is_written_out_where_it_is_first_used(cli, workdir) -> None:
    record = seed()
    record["lead"] = record["lead"].replace("UPT", "Unit Pelaksana Teknis (UPT)")
    record["body"] = ["Sebanyak 40 WBP dan petugas Lapas mengikuti kegiatan di Rutan Pelaihari."]
    found = [
        (f["message"].split('"')[1], f["field"])
        for f in run_check(cli, workdir, record).json()
        if f["code"] == "acronym"
    ]
    # "Rutan" is written out in the lead ("Rumah Tahanan Negara (Rutan)"); the others never
    # are, and are named in the order the text uses them.
    assert found == [("WBP", "body[0]"), ("Lapas", "body[0]")]
    record["body"][0] = (
        "Sebanyak 40 warga binaan pemasyarakatan (WBP) dan petugas lembaga pemasyarakatan "
        "mengikuti kegiatan. Para WBP dan petugas Lapas antusias."
    )
    assert "acronym" not in codes(run_check(cli, workdir, record))


def test_a_passive_headline_is_pointed_out(cli, workdir) -> None:
    record = seed()
    for title, passive in (
        ("Remisi Diberikan kepada 120 Warga Binaan Rutan Pelaihari", "Diberikan"),
        ("Penguatan Kehumasan Diikuti Jajaran Rutan Pelaihari", "Diikuti"),
        ("Rutan Pelaihari Ikuti Penguatan Kehumasan Ditjenpas", None),
        ("Rutan Pelaihari Gelar Diskusi bersama Dinas Kesehatan", None),  # nouns with di-
    ):
        record["title"] = title
        found = [
            f for f in run_check(cli, workdir, record).json() if f["code"] == "headline-passive"
        ]
        assert [f'"{passive}"' in f["message"] for f in found] == ([True] if passive else [])


def test_times_are_written_with_a_dot_and_a_zone(cli, workdir) -> None:
    record = seed()
    record["body"] = [
        "Apel dimulai pukul 08:00 WITA di lapangan.",  # a colon
        "Rapat dibuka pukul 10.00 dan ditutup jam 12:30.",  # no zone; a colon
    ]
    findings = [
        (f["code"], f["field"], f["message"]) for f in run_check(cli, workdir, record).json()
    ]
    times = [f for f in findings if f[0].startswith("time-")]
    assert times == [
        ("time-format", "body[0]", 'jam ditulis dengan titik: "pukul 08.00", bukan "pukul 08:00".'),
        ("time-format", "body[1]", 'jam ditulis dengan titik: "jam 12.30", bukan "jam 12:30".'),
        (
            "time-zone",
            "body[1]",
            '"pukul 10.00" tanpa zona waktu; tambahkan WIB, WITA atau WIT '
            '(mis. "pukul 10.00 WITA").',
        ),
    ]
    record["body"] = [
        "Apel dimulai pukul 08.00 WITA, rapat pukul 09.00–11.30 WITA, doa pukul 12.00 s.d. "
        "pukul 12.30 WIB dan senam pukul 15.00 hingga 16.00 WIT."
    ]
    assert not {"time-format", "time-zone"} & codes(run_check(cli, workdir, record))


def test_paragraph_over_120_words(cli, workdir) -> None:
    record = seed()
    record["body"][1] = " ".join(["Kegiatan ini melibatkan seluruh petugas rutan."] * 25)
    [finding] = [f for f in run_check(cli, workdir, record).json() if f["code"] == "paragraph-long"]
    assert finding["field"] == "body[1]"
    record["body"][1] = " ".join(["Kegiatan ini melibatkan seluruh petugas rutan."] * 15)
    assert "paragraph-long" not in codes(run_check(cli, workdir, record))


def test_cliches_from_the_data_file(cli, workdir) -> None:
    record = seed()
    record["closing"] = "Acara berlangsung meriah dan peserta sangat antusias."
    findings = [f for f in run_check(cli, workdir, record).json() if f["code"] == "cliche"]
    assert {f["field"] for f in findings} == {"closing"}
    assert any("sangat antusias" in f["message"] for f in findings)
    # "dalam rangka" only when it comes again and again
    record = seed()
    record["body"][1] = "Kegiatan ini dalam rangka memperingati Hari Bakti."
    assert "cliche" not in codes(run_check(cli, workdir, record))
    record["body"][2] += " Dalam rangka itu pula, dalam rangka berikutnya."
    assert "cliche" in codes(run_check(cli, workdir, record))


def test_likely_duplicate_in_the_archive(cli, workdir, seed_record) -> None:
    saved = cli("new", seed_record, "--json")
    assert saved.exit_code == 0
    [row] = saved.json()
    record = seed()
    record["title"] = "Rutan Pelaihari Ikuti Penguatan Kehumasan dari Ditjenpas"
    [finding] = [f for f in run_check(cli, workdir, record).json() if f["code"] == "duplicate"]
    assert row["id"] in finding["message"]
    # An archived release is not its own duplicate; another day is not a duplicate either.
    assert "duplicate" not in codes(cli("check", row["id"], "--json"))
    record["date"] = "2025-02-07"
    record["lead"] = record["lead"].replace("Kamis (6/2)", "Jumat (7/2)")
    assert "duplicate" not in codes(run_check(cli, workdir, record))


def test_new_shows_warnings_without_blocking(cli, workdir) -> None:
    record = seed()
    record["closing"] = "Acara berlangsung meriah dan peserta sangat antusias."
    path = workdir / "rilis.yaml"
    path.write_text(json.dumps(record, default=str, ensure_ascii=False), encoding="utf-8")
    result = cli("new", path, "--json")
    assert result.exit_code == 0
    assert len(result.json()) == 1  # stdout stays clean JSON
    assert "sangat antusias" in result.stderr


def test_check_of_a_published_text_file(cli, workdir) -> None:
    text = (
        "Rutan Pelaihari Gelar Apel\n\nPelaihari - Rutan Pelaihari menggelar apel pada "
        "Rabu (6/2/2025) di lapangan.\n\nApel berlangsung lancar.\n\n- Rutan Pelaihari\n"
    )
    path = workdir / "rilis.txt"
    path.write_text(text, encoding="utf-8")
    cli("init", "--unit", "Rutan Pelaihari", "--signature", "Rutan Pelaihari")
    result = cli("check", path, "--json")
    assert result.exit_code == 1
    assert {"weekday", "cliche"} <= codes(result)


def test_unknown_target(cli, workdir) -> None:
    missing_id = cli("check", "2025-01-01-tidak-ada")
    assert missing_id.exit_code == 1
    neither = cli("check", "bukan/berkas.yaml")
    assert neither.exit_code == 2
    assert "bukan/berkas.yaml" in neither.stderr


def test_english_findings(cli, workdir, monkeypatch) -> None:
    monkeypatch.setenv("HUMASKIT_LANG", "en")
    record = seed()
    record["lead"] = record["lead"].replace("Kamis (6/2)", "Rabu (6/2)")
    [finding] = [f for f in run_check(cli, workdir, record).json() if f["code"] == "weekday"]
    assert "Kamis" in finding["message"] and "fix the weekday" in finding["message"]
