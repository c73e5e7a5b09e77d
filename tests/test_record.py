"""The release record: loading, validation of every key, and exact round trips."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
import yaml

from conftest import SEED_RECORD, archive_snapshot
from humaskit.errors import RecordError
from humaskit.record.model import dump_record, load_release_file, load_stored_yaml, parse_release

VALID = yaml.safe_load(SEED_RECORD.read_text("utf-8"))


def record(**changes: object) -> dict:
    data = json.loads(json.dumps(VALID, default=str))
    for key, value in changes.items():
        if value is _DROP:
            data.pop(key, None)
        else:
            data[key] = value
    return data


_DROP = object()


def write_yaml(folder: Path, data: object, name: str = "rilis.yaml") -> Path:
    path = folder / name
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), "utf-8")
    return path


# Each case: a file to write (text or bytes or a record dict), and the field the message must name.
BAD_RECORDS: list[tuple[str, object, str]] = [
    ("missing title", record(title=_DROP), "title"),
    ("missing date", record(date=_DROP), "date"),
    ("missing lead", record(lead=_DROP), "lead"),
    ("missing closing", record(closing=_DROP), "closing"),
    ("missing signature", record(signature=_DROP), "signature"),
    ("missing unit", record(unit=_DROP), "unit"),
    ("missing location", record(location=_DROP), "location"),
    ("impossible date", record(date="2025-02-30"), "date"),
    ("date in words", record(date="6 Februari 2025"), "date"),
    ("date as a number", record(date=20250206), "date"),
    ("title two lines", record(title="Rutan Pelaihari\nIkuti Penguatan"), "title"),
    ("empty title", record(title="   "), "title"),
    ("title is a number", record(title=2025), "title"),
    ("title is a list", record(title=["a", "b"]), "title"),
    ("unknown key", record(qoutes=[]), "qoutes"),
    (
        "speaker not in speakers",
        record(quotes=[{"speaker": "Budi", "text": "Halo"}]),
        "quotes[0].speaker",
    ),
    (
        "second quote speaker wrong",
        record(quotes=[VALID["quotes"][0], {"speaker": "Fani", "text": "x"}]),
        "quotes[1].speaker",
    ),
    (
        "speaker without title",
        record(speakers=[{"name": "Fani Andika"}], quotes=[]),
        "speakers[0].title",
    ),
    ("speaker is text", record(speakers=["Fani Andika"], quotes=[]), "speakers[0]"),
    ("body not a list", record(body="satu paragraf"), "body"),
    ("body with empty paragraph", record(body=["isi", ""]), "body[1]"),
    ("control character", record(lead="Kepala Rutan\x07 hadir"), "lead"),
    ("lead with two paragraphs", record(lead="Satu.\n\nDua."), "lead"),
    ("bad email", record(contact={"name": "Humas", "email": "bukan-email"}), "contact.email"),
    ("unknown contact key", record(contact={"name": "Humas", "wa": "0812"}), "contact.wa"),
    ("photo without caption", record(photos=[{"path": "foto.jpg"}]), "photos[0].caption"),
    ("tags not a list", record(tags="kehumasan"), "tags"),
    (
        "verb with spaces",
        record(quotes=[{**VALID["quotes"][0], "verb": "kata dia"}]),
        "quotes[0].verb",
    ),
    ("bad embargo", record(embargo="besok pagi"), "embargo"),
    ("dateline with an unknown part", record(dateline="{kota}, {outlet}"), "dateline"),
    ("dateline with a stray brace", record(dateline="{location, INFO_PAS"), "dateline"),
    ("dateline's outlet empty", record(outlet=_DROP, dateline="{location}, {outlet}"), "dateline"),
    ("record is a list", ["title", "date"], "(record)"),
]

BAD_FILES: list[tuple[str, bytes, str]] = [
    ("python object tag", b"title: !!python/object/apply:os.system ['echo hi']\n", "!!python"),
    ("not utf-8", "title: Kegiatan Rutan\n".encode("utf-16"), "UTF-8"),
    ("empty file", b"", "kosong"),
    ("broken yaml", b"title: [unclosed\ndate: 2025-02-06\n", "YAML"),
    ("duplicate key", b"title: A\ntitle: B\n", "title"),
    ("yaml alias bomb", b"a: &a [x, x]\nb: [*a, *a]\n", "alias"),
]


@pytest.mark.parametrize(("case", "data", "field"), BAD_RECORDS, ids=[c[0] for c in BAD_RECORDS])
def test_bad_record_exits_2_naming_the_field(cli, workdir, archive_dir, case, data, field) -> None:
    path = write_yaml(workdir, data)
    before = archive_snapshot(archive_dir)
    result = cli("new", path)
    assert result.exit_code == 2, result.stdout
    assert field in result.stderr
    assert "Traceback" not in result.stderr + result.stdout
    assert archive_snapshot(archive_dir) == before
    assert not (archive_dir / "releases").exists() or not any(
        (archive_dir / "releases").rglob("release.yaml")
    )


@pytest.mark.parametrize(("case", "content", "needle"), BAD_FILES, ids=[c[0] for c in BAD_FILES])
def test_bad_file_exits_2_with_a_clear_message(cli, workdir, archive_dir, case, content, needle):
    path = workdir / "rilis.yaml"
    path.write_bytes(content)
    result = cli("new", path)
    assert result.exit_code == 2
    assert needle in result.stderr
    assert "Traceback" not in result.stderr
    assert archive_snapshot(archive_dir) == {}


def test_folder_given_as_file(cli, workdir, archive_dir) -> None:
    result = cli("new", workdir)
    assert result.exit_code == 2
    assert "folder" in result.stderr
    assert archive_snapshot(archive_dir) == {}


def test_missing_file(cli, workdir) -> None:
    result = cli("new", workdir / "tidak-ada.yaml")
    assert result.exit_code == 2
    assert "tidak-ada.yaml" in result.stderr


def test_ten_megabyte_file_is_refused(cli, workdir, archive_dir) -> None:
    path = workdir / "besar.yaml"
    path.write_bytes(b"title: x\nlead: " + b"a" * (10 * 1024 * 1024) + b"\n")
    result = cli("new", path)
    assert result.exit_code == 2
    assert "MB" in result.stderr
    assert archive_snapshot(archive_dir) == {}


def test_every_problem_is_reported_at_once() -> None:
    data = record(title=_DROP, date="2025-13-01", qoutes=[])
    with pytest.raises(RecordError) as caught:
        parse_release(data)
    fields = [p.field for p in caught.value.problems]
    assert fields == ["qoutes", "title", "date"]
    assert '"quotes"' in str(caught.value)  # the nearest known key


def test_one_bad_file_among_several_writes_nothing(cli, workdir, archive_dir, seed_record):
    bad = write_yaml(workdir, record(date="2025-02-30"), "buruk.yaml")
    result = cli("new", seed_record, bad)
    assert result.exit_code == 2
    assert archive_snapshot(archive_dir) == {}


def test_json_record_is_accepted(cli, workdir) -> None:
    path = workdir / "rilis.json"
    path.write_text(json.dumps(record()), "utf-8")
    result = cli("new", path, "--json")
    assert result.exit_code == 0, result.stderr
    assert result.json()[0]["id"].startswith("2025-02-06-")


def test_text_is_nfc_normalised_and_trimmed() -> None:
    decomposed = "Kegiatan Cafe\u0301 Literasi  "
    release = parse_release(record(title=decomposed, lead="  Kepala\n  Rutan hadir.  "))
    assert release.title == "Kegiatan Café Literasi"
    assert release.lead == "Kepala Rutan hadir."


def test_quote_marks_around_quote_text_are_dropped() -> None:
    quote = {"speaker": "Fani Andika", "text": "“Kami siap,”"}
    release = parse_release(record(quotes=[quote]))
    assert release.quotes[0].text == "Kami siap,"


def test_profile_supplies_missing_values_and_the_file_wins() -> None:
    data = record(location=_DROP, signature="Rutan Pelaihari")
    defaults = {"location": "Pelaihari", "signature": "Profil", "unit": "Unit Profil"}
    release = parse_release(data, defaults=defaults)
    assert release.location == "Pelaihari"
    assert release.signature == "Rutan Pelaihari"
    assert release.unit == VALID["unit"]


@pytest.mark.parametrize(
    ("form", "dateline"),
    [
        (_DROP, "Wartanesia"),  # the seed: the outlet alone
        ("{location}, {outlet}", "Pelaihari, INFO_PAS"),
        ("{location} ({outlet})", "Pelaihari (INFO_PAS)"),
        ("{outlet}, {location}", "INFO_PAS, Pelaihari"),
        ("{location}", "Pelaihari"),
        ("{location}, Humas Ditjenpas -", "Pelaihari, Humas Ditjenpas"),  # the dash is ours
    ],
)
def test_the_dateline_takes_the_form_the_unit_writes(form, dateline) -> None:
    outlet = "Wartanesia" if form is _DROP else "INFO_PAS"
    release = parse_release(record(location="Pelaihari", outlet=outlet, dateline=form))
    assert release.dateline_text() == dateline
    from humaskit.document.compose import compose

    assert compose(release).paragraphs[0].text.startswith(f"{dateline} - Kepala Rumah Tahanan")
    assert parse_release(load_stored_yaml(dump_record(release))) == release


def test_the_profile_gives_the_dateline_form_and_the_record_wins() -> None:
    defaults = {"location": "Pelaihari", "outlet": "INFO_PAS", "dateline": "{location}, {outlet}"}
    data = record(location=_DROP, outlet=_DROP)
    assert parse_release(data, defaults=defaults).dateline_text() == "Pelaihari, INFO_PAS"
    data = record(location="Jakarta", outlet="ANTARA", dateline="{location} ({outlet})")
    assert parse_release(data, defaults=defaults).dateline_text() == "Jakarta (ANTARA)"


def test_stored_record_round_trips_exactly() -> None:
    release = load_release_file(SEED_RECORD)
    text = dump_record(release)
    assert parse_release(load_stored_yaml(text)) == release
    assert dump_record(parse_release(load_stored_yaml(text))) == text
    assert "!!" not in text and "Gun Gun Gunawan" in text  # readable, no tags or escapes


def test_yaml_date_and_string_date_are_the_same() -> None:
    assert parse_release(record(date="2025-02-06")).date == dt.date(2025, 2, 6)


def test_unquoted_impossible_date_in_yaml_names_the_field(cli, workdir, archive_dir) -> None:
    text = SEED_RECORD.read_text("utf-8").replace("date: 2025-02-06", "date: 2025-02-30")
    path = workdir / "rilis.yaml"
    path.write_text(text, "utf-8")
    result = cli("new", path)
    assert result.exit_code == 2
    assert "date" in result.stderr and "2025-02-30" in result.stderr
    assert archive_snapshot(archive_dir) == {}
