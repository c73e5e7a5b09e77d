"""Guided drafting, driven in-process: keystrokes go through a prompt_toolkit pipe input into
the real ``humaskit`` command (no mocks of questionary), against a real archive."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
import yaml

from conftest import archive_snapshot
from humaskit.errors import RecordError
from humaskit.prompts import flows as prompts
from humaskit.record.model import parse_release

ENTER = "\r"
CLEAR = "\x15"  # Ctrl-U: clear a prefilled default
UP = "\x1b[A"
DOWN = "\x1b[B"
CTRL_C = "\x03"

TITLE = "Rutan Pelaihari Ikuti Penguatan Kehumasan Ditjenpas"
UNIT = "Rumah Tahanan Negara Kelas IIB Pelaihari"
LEAD = "Kepala Rutan Pelaihari, Fani Andika, mengikuti penguatan kehumasan pada Kamis (6/2)."
BODY = "Sekretaris Ditjenpas, Gun Gun Gunawan, memberikan arahan tentang media sosial."
QUOTE = "Kita harus bijak bermedia sosial"
JABATAN = "Sekretaris Direktorat Jenderal Pemasyarakatan"


def line(text: str) -> str:
    return text + ENTER


def paragraph(text: str) -> str:
    """A multi-line answer: Enter on the empty line after the text ends it."""
    return text + ENTER + ENTER


def title_to_place(title: str = TITLE, date: str = "6/2/2025") -> str:
    return line(title) + CLEAR + line(date)


def place() -> str:
    # The signature is suggested from the unit ("Rutan Pelaihari"): Enter accepts it.
    return line("Pelaihari") + line("Wartanesia") + line(UNIT) + ENTER


def rest_of_release(*, speaker: str = "Gun Gun Gunawan", jabatan: str | None = JABATAN) -> str:
    keys = paragraph(LEAD) + paragraph(BODY) + ENTER  # one body paragraph, then an empty one
    keys += line(speaker) + (line(jabatan) if jabatan is not None else ENTER)
    keys += CLEAR + line("Gun Gun") + ENTER  # short name; no second speaker
    keys += ENTER + paragraph(QUOTE) + ENTER  # quote by the first speaker, verb ujar
    keys += UP + ENTER  # "(no more quotes)" is the last choice
    keys += paragraph("seluruh ASN bijak bermedia sosial.")
    keys += line("kehumasan, media sosial") + ENTER + ENTER  # tags; no photo; no contact
    return keys


SAVE = ENTER  # "Save" is the first action of the review


@pytest.fixture
def keys():  # type: ignore[no-untyped-def]
    """Keystrokes for the prompts, through a pipe the prompts read as their terminal."""
    from prompt_toolkit.application import create_app_session
    from prompt_toolkit.input import create_pipe_input
    from prompt_toolkit.output import DummyOutput

    with create_pipe_input() as pipe, create_app_session(input=pipe, output=DummyOutput()):
        yield pipe


@pytest.fixture
def screen():  # type: ignore[no-untyped-def]
    """Like ``keys``, but what the prompts draw is kept: ``pipe, text()``."""
    from prompt_toolkit.application import create_app_session
    from prompt_toolkit.data_structures import Size
    from prompt_toolkit.input import create_pipe_input
    from prompt_toolkit.output.vt100 import Vt100_Output

    drawn = io.StringIO()
    output = Vt100_Output(drawn, lambda: Size(rows=50, columns=200), term="xterm")

    def text() -> str:
        return re.sub(r"\x1b\[[0-9;?]*[a-zA-Z]", "", drawn.getvalue())

    with create_pipe_input() as pipe, create_app_session(input=pipe, output=output):
        yield pipe, text


def only_release(cli) -> dict:  # type: ignore[no-untyped-def]
    [row] = cli("list", "--json").json()
    return cli("show", row["id"], "--json").json()


def drafts(archive: Path) -> list[Path]:
    return sorted((archive / "drafts").glob("*.yaml"))


# --------------------------------------------------------------------------- new


def test_full_new_release_is_saved_like_new_file(cli, keys, archive_dir: Path) -> None:
    keys.send_text(title_to_place() + place() + rest_of_release() + SAVE)
    result = cli("new", "--json")
    assert result.exit_code == 0, result.stderr
    [saved] = result.json()
    assert saved["id"] == "2025-02-06-rutan-pelaihari-ikuti-penguatan-kehumasan-ditjenpas"
    assert Path(saved["markdown"]).is_file() and Path(saved["docx"]).is_file()
    assert "Kamis, 6 Februari 2025" in result.stderr  # the date echoed back
    assert "“Kita harus bijak bermedia sosial,” ujar" in result.stderr  # the review
    record = only_release(cli)
    assert record == {
        "id": saved["id"],
        "title": TITLE,
        "date": "2025-02-06",
        "location": "Pelaihari",
        "outlet": "Wartanesia",
        "unit": UNIT,
        "lead": LEAD,
        "body": [BODY],
        "speakers": [{"name": "Gun Gun Gunawan", "title": JABATAN, "short": "Gun Gun"}],
        "quotes": [{"speaker": "Gun Gun Gunawan", "text": QUOTE, "verb": "ujar"}],
        "closing": "Dengan adanya kegiatan ini, diharapkan seluruh ASN bijak bermedia sosial.",
        "signature": "Rutan Pelaihari",
        "tags": ["kehumasan", "media sosial"],
    }
    assert drafts(archive_dir) == []  # the session's draft is gone once saved


def test_profile_values_are_the_defaults(cli, keys, workdir: Path) -> None:
    profile = workdir / "humaskit.toml"
    profile.write_text(
        f'unit = "{UNIT}"\nsignature = "Rutan Pelaihari"\nlocation = "Pelaihari"\n'
        '[contact]\nname = "Humas Rutan"\nphone = "0812-0000-0000"\n',
        encoding="utf-8",
    )
    keys.send_text(
        title_to_place() + ENTER * 4 + rest_of_release()[: -len(ENTER * 2)] + ENTER * 4 + SAVE
    )
    result = cli("new")
    assert result.exit_code == 0, result.stderr
    record = only_release(cli)
    assert (record["location"], record["unit"], record["signature"]) == (
        "Pelaihari",
        UNIT,
        "Rutan Pelaihari",
    )
    assert "outlet" not in record
    assert record["contact"] == {"name": "Humas Rutan", "phone": "0812-0000-0000"}


def test_the_profiles_dateline_form_is_used_and_dropped_with_the_outlet(
    cli, keys, workdir: Path
) -> None:
    (workdir / "humaskit.toml").write_text(
        f'unit = "{UNIT}"\nsignature = "Rutan Pelaihari"\nlocation = "Pelaihari"\n'
        'outlet = "INFO_PAS"\ndateline = "{location}, {outlet}"\n',
        encoding="utf-8",
    )
    rest = rest_of_release()[: -len(ENTER * 2)] + ENTER * 4 + SAVE
    keys.send_text(title_to_place() + ENTER * 4 + rest)
    saved = cli("new", "--json")
    assert saved.exit_code == 0, saved.stderr
    assert only_release(cli)["dateline"] == "{location}, {outlet}"
    markdown = Path(saved.json()[0]["markdown"]).read_text("utf-8")
    assert "\nPelaihari, INFO_PAS - Kepala Rutan Pelaihari" in markdown
    # The outlet cleared for one release: its form has nothing to fill, the town is written.
    keys.send_text(
        title_to_place("Rutan Pelaihari Gelar Donor Darah") + ENTER + CLEAR + ENTER * 3 + rest
    )
    again = cli("new", "--json")
    assert again.exit_code == 0, again.stderr
    markdown = Path(again.json()[0]["markdown"]).read_text("utf-8")
    assert "\nPelaihari - Kepala Rutan Pelaihari" in markdown


def test_invalid_answers_are_refused_until_corrected(cli, keys) -> None:
    typed = (
        ENTER  # an empty title is refused ...
        + line("Judul " * 50)  # ... and so is one over the record's length limit
        + CLEAR
        + line(TITLE)
        + CLEAR
        + line("31/2/2025")  # not a real day
        + CLEAR
        + line("kemarin")  # not a date
        + CLEAR
        + line("2025-02-07")
        + place()
        + paragraph("")  # an empty lead is refused
        + rest_of_release()
        + SAVE
    )
    keys.send_text(typed)
    result = cli("new", "--json")
    assert result.exit_code == 0, result.stderr
    record = only_release(cli)
    assert record["title"] == TITLE
    assert record["date"] == "2025-02-07"
    assert record["lead"] == LEAD


def test_checks_give_the_record_files_messages() -> None:
    """The prompts' checks are the record's rules: same verdict, same message."""

    def record_message(**fields: object) -> str:
        base = {
            "title": "x",
            "date": "2025-02-06",
            "location": "x",
            "unit": "x",
            "lead": "x",
            "closing": "x",
            "signature": "x",
        }
        with pytest.raises(RecordError) as err:
            parse_release({**base, **fields})
        return err.value.problems[0].message

    value, error = prompts._record_check("lead", lambda v: {"lead": v}, multiline=True)("a\n\nb")
    assert value is None and error == record_message(lead="a\n\nb")
    _, error = prompts._email_check("humas@")
    assert error == record_message(contact={"name": "x", "email": "humas@"})
    title, error = prompts.check_title("  Judul  ")
    assert (title, error) == ("Judul", None)
    day, error = prompts._date_check("6-2-2025")
    assert str(day) == "2025-02-06" and error is None
    assert prompts._date_check("32/1/2025")[1]


def test_last_jabatan_of_a_known_speaker_is_prefilled(cli, keys, seed_record: Path) -> None:
    assert cli("new", seed_record).exit_code == 0
    keys.send_text(
        title_to_place("Rutan Pelaihari Gelar Apel Pagi", "2025-03-03")
        + place()
        + paragraph(LEAD)
        + ENTER  # no body
        + line("Fani Andika")
        + ENTER  # jabatan: the one last used for Fani Andika in the archive
        + ENTER  # short name: suggested "Fani"
        + ENTER  # no second speaker
        + UP
        + ENTER  # no quote
        + paragraph("apel berjalan tertib.")
        + line("etika")
        + ENTER
        + ENTER
        + SAVE
    )
    result = cli("new", "--json")
    assert result.exit_code == 0, result.stderr
    record = cli("show", result.json()[0]["id"], "--json").json()
    assert record["speakers"] == [
        {"name": "Fani Andika", "title": "Kepala Rutan Kelas IIB Pelaihari", "short": "Fani"}
    ]
    assert record["tags"] == ["etika"]
    assert "quotes" not in record and "body" not in record


def test_a_photo_must_be_an_image(cli, keys, workdir: Path) -> None:
    from PIL import Image

    Image.new("RGB", (40, 30), "red").save(workdir / "apel.jpg")
    (workdir / "catatan.txt").write_text("bukan foto", encoding="utf-8")
    typed = title_to_place() + place() + rest_of_release()[: -len(ENTER * 2)]
    typed += line("catatan.txt") + CLEAR + line("tidak-ada.jpg") + CLEAR + line("apel.jpg")
    typed += line("Apel pagi") + ENTER + ENTER + SAVE
    keys.send_text(typed)
    result = cli("new", "--json")
    assert result.exit_code == 0, result.stderr
    record = only_release(cli)
    assert record["photos"] == [{"path": "photos/01-apel.jpg", "caption": "Apel pagi"}]
    folder = Path(result.json()[0]["markdown"]).parent
    assert (folder / "photos" / "01-apel.jpg").is_file()


def test_cancel_at_review_saves_nothing(cli, keys, archive_dir: Path) -> None:
    keys.send_text(title_to_place() + place() + rest_of_release() + DOWN + DOWN + ENTER + "y")
    result = cli("new")
    assert result.exit_code == 0, result.stderr
    assert cli("list", "--json").json() == []
    assert drafts(archive_dir) == []


def test_change_a_section_from_the_review(cli, keys) -> None:
    change_title = DOWN + ENTER + ENTER + CLEAR + line("Judul Baru Rutan Pelaihari")
    keys.send_text(title_to_place() + place() + rest_of_release() + change_title + SAVE)
    result = cli("new")
    assert result.exit_code == 0, result.stderr
    assert only_release(cli)["title"] == "Judul Baru Rutan Pelaihari"


# --------------------------------------------------------------------------- drafts


def test_ctrl_c_keeps_a_draft_and_resume_finishes_it(cli, keys, archive_dir: Path) -> None:
    keys.send_text(title_to_place() + "Pelai" + CTRL_C)
    result = cli("new")
    assert result.exit_code == 130
    [draft] = drafts(archive_dir)
    assert str(draft) in result.stderr and "humaskit new --resume" in result.stderr
    data = yaml.safe_load(draft.read_text(encoding="utf-8"))
    assert data["answers"] == {"title": TITLE, "date": "2025-02-06"}
    assert data["step"] == "place"
    assert data["partial"] == {"location": "Pelai"}  # the half-typed answer is kept too
    assert cli("list", "--json").json() == []

    # --resume lists the drafts; Enter picks the newest; the half-typed town is the default.
    keys.send_text(ENTER + line("hari") + line("Wartanesia") + line(UNIT) + ENTER)
    keys.send_text(rest_of_release() + SAVE)
    result = cli("new", "--resume", "--json")
    assert result.exit_code == 0, result.stderr
    record = only_release(cli)
    assert record["title"] == TITLE and record["location"] == "Pelaihari"
    assert drafts(archive_dir) == []


def test_end_of_input_keeps_a_draft(cli, keys, archive_dir: Path) -> None:
    keys.send_text(title_to_place() + place() + paragraph(LEAD) + paragraph(BODY))
    keys.close()  # end of input in the middle of the body
    result = cli("new")
    assert result.exit_code == 130
    [draft] = drafts(archive_dir)
    data = yaml.safe_load(draft.read_text(encoding="utf-8"))
    assert data["answers"]["body"] == [BODY]
    assert data["answers"]["lead"] == LEAD


def test_resume_without_drafts_says_so(cli, keys) -> None:
    result = cli("new", "--resume")
    assert result.exit_code == 1
    assert "humaskit new" in result.stderr


# --------------------------------------------------------------------------- edit


def test_edit_is_prefilled_and_keeps_a_revision(cli, keys, seed_record: Path) -> None:
    [saved] = cli("new", seed_record, "--json").json()
    before = cli("show", saved["id"], "--json").json()
    # Review → change a section → the place section: every field prefilled; replace the outlet.
    keys.send_text(DOWN + ENTER + DOWN + DOWN + ENTER)
    keys.send_text(ENTER + CLEAR + line("INFO_PAS") + ENTER + ENTER)
    keys.send_text(SAVE)
    result = cli("edit", saved["id"], "--json")
    assert result.exit_code == 0, result.stderr
    assert result.json()["revision"] == 1
    after = cli("show", saved["id"], "--json").json()
    assert after == {**before, "outlet": "INFO_PAS"}
    assert "INFO_PAS - Kepala Rumah Tahanan" in Path(saved["markdown"]).read_text("utf-8")


def test_edit_ctrl_c_changes_nothing(cli, keys, seed_record: Path, archive_dir: Path) -> None:
    [saved] = cli("new", seed_record, "--json").json()
    releases_before = archive_snapshot(archive_dir / "releases")
    keys.send_text(DOWN + ENTER + ENTER + CLEAR + "Judul setengah" + CTRL_C)
    result = cli("edit", saved["id"])
    assert result.exit_code == 130
    assert archive_snapshot(archive_dir / "releases") == releases_before
    [draft] = drafts(archive_dir)
    data = yaml.safe_load(draft.read_text(encoding="utf-8"))
    assert data["edit_of"] == saved["id"]
    assert data["partial"] == {"title": "Judul setengah"}

    keys.send_text(ENTER + line(" Lengkap") + SAVE)  # resume the edit: the title, then save
    result = cli("new", "--resume")
    assert result.exit_code == 0, result.stderr
    assert cli("show", saved["id"], "--json").json()["title"] == "Judul setengah Lengkap"
    assert drafts(archive_dir) == []


# --------------------------------------------------------------------------- init, language


def test_init_asks_for_the_profile(cli, keys, workdir: Path) -> None:
    keys.send_text(
        line(UNIT)
        + ENTER  # the signature suggested from the unit: Rutan Pelaihari
        + ENTER  # the town suggested from it: Pelaihari
        + line("INFO_PAS")
        + DOWN
        + ENTER  # the dateline as "Pelaihari, INFO_PAS - …"
        + line("KEMENTERIAN IMIGRASI DAN PEMASYARAKATAN")
        + line("RUTAN KELAS IIB PELAIHARI")
        + ENTER
        + line("Jl. A. Yani Km 3, Pelaihari")
        + line("(0512) 21000")
        + line("humas@")  # refused: not an e-mail address
        + CLEAR
        + line("rutan.pelaihari@kemenimipas.go.id")
        + ENTER  # no website
        + ENTER  # no logo
        + line("Fani")
        + line("0812")
        + ENTER
        + DOWN
        + ENTER  # WITA
        + ENTER  # A4
    )
    result = cli("init")
    assert result.exit_code == 0, result.stderr
    import tomllib

    profile = tomllib.loads((workdir / "humaskit.toml").read_text("utf-8"))
    assert profile["unit"] == UNIT
    assert profile["signature"] == "Rutan Pelaihari"  # suggested, accepted with Enter
    assert profile["location"] == "Pelaihari"
    assert (profile["outlet"], profile["dateline"]) == ("INFO_PAS", "{location}, {outlet}")
    assert profile["letterhead"] == [
        "KEMENTERIAN IMIGRASI DAN PEMASYARAKATAN",
        "RUTAN KELAS IIB PELAIHARI",
    ]
    assert profile["email"] == "rutan.pelaihari@kemenimipas.go.id"
    assert profile["contact"] == {"name": "Fani", "phone": "0812"}
    assert profile["timezone"] == "WITA"
    assert "logo" not in profile


def test_english_prompts(cli, screen, monkeypatch: pytest.MonkeyPatch, archive_dir) -> None:
    monkeypatch.setenv("HUMASKIT_LANG", "en")
    pipe, drawn = screen
    pipe.send_text(line(TITLE) + CTRL_C)
    result = cli("new")
    assert result.exit_code == 130
    assert "Headline (one line):" in drawn()
    assert "Date of the activity" in drawn()
    assert "Judul berita" not in drawn()
    assert "kept as a draft" in result.stderr


def test_indonesian_prompts_by_default(cli, screen) -> None:
    pipe, drawn = screen
    pipe.send_text(line(TITLE) + CTRL_C)
    result = cli("new")
    assert result.exit_code == 130
    assert "Judul berita (satu baris):" in drawn()
    assert "draf" in result.stderr


# --------------------------------------------------------------------------- no terminal


def test_no_terminal_means_pass_a_file(cli, seed_record: Path, archive_dir: Path) -> None:
    result = cli("new")
    assert result.exit_code == 2
    assert "humaskit new" in result.stderr and "Traceback" not in result.stderr
    [saved] = cli("new", seed_record, "--json").json()
    before = archive_snapshot(archive_dir)
    result = cli("edit", saved["id"])
    assert result.exit_code == 2
    assert f"humaskit edit {saved['id']}" in result.stderr
    assert archive_snapshot(archive_dir) == before
    result = cli("init")
    assert result.exit_code == 2 and "--unit" in result.stderr


def test_ctrl_c_before_any_answer_leaves_no_draft(cli, keys, seed_record, archive_dir) -> None:
    keys.send_text(CTRL_C)
    assert cli("new").exit_code == 130
    [saved] = cli("new", seed_record, "--json").json()
    keys.send_text(CTRL_C)  # at the review of an edit, nothing changed yet
    assert cli("edit", saved["id"]).exit_code == 130
    assert drafts(archive_dir) == []


def test_date_is_not_prefilled_and_enter_means_today(cli, keys) -> None:
    """A date typed over a prefilled one would be glued onto it (2026-11-2531/12/2025)."""
    import datetime as dt

    keys.send_text(line(TITLE) + line("") + place() + rest_of_release() + SAVE)
    result = cli("new", "--json")
    assert result.exit_code == 0, result.stderr
    assert only_release(cli)["date"] == dt.date.today().isoformat()


def test_typed_date_replaces_today_without_clearing(cli, keys) -> None:
    keys.send_text(line(TITLE) + line("31/12/2024") + place() + rest_of_release() + SAVE)
    result = cli("new", "--json")
    assert result.exit_code == 0, result.stderr
    assert only_release(cli)["date"] == "2024-12-31"
