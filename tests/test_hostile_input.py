"""Hostile and careless input, class by class: each is exit 2 naming the field (or 1 naming
the file), one line or one list of problems, no traceback, and the archive as it was.

The classes (issue 16): YAML/JSON values that do not convert, a scalar where a list belongs,
complex keys, lone surrogates and U+FFFE/U+FFFF, invisible-only text, values past Word's
255-character property limit, size limits, special files (FIFO, devices, folders, loops) as
a record, a photo or a logo, images python-docx or Pillow trip over, damaged stored files,
closed and full standard streams, and a finding repeated thousands of times.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import docx
import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from PIL import Image

from conftest import SEED_RECORD, archive_snapshot
from humaskit.record.model import MAX_ITEMS

EXAMPLES = settings(
    max_examples=int(os.environ.get("HUMASKIT_EXAMPLES", "15")),
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
SEED = yaml.safe_load(SEED_RECORD.read_text("utf-8"))
HEAD = "title: T\ndate: 2025-02-06\nlocation: Pelaihari\nunit: Rutan\nlead: L\nclosing: C\n"
HEAD += "signature: Rutan Pelaihari\n"


@pytest.fixture
def archive(cli, workdir: Path) -> Path:
    folder = workdir / "archive"
    assert cli("--archive", folder, "new", SEED_RECORD).exit_code == 0
    return folder


def _refused(result, exit_code: int, *names: str) -> None:  # type: ignore[no-untyped-def]
    assert result.exit_code == exit_code, (result.exit_code, result.stdout, result.stderr)
    assert "Traceback" not in result.stderr and result.stderr.startswith("humaskit: ")
    for name in names:
        assert name in result.stderr, (name, result.stderr)


def _write(folder: Path, text: str, name: str = "rec.yaml") -> Path:
    path = folder / name
    path.write_text(text, "utf-8", errors="surrogatepass")
    return path


# --------------------------------------------------------------------------- values


@pytest.mark.parametrize(
    ("line", "field"),
    [
        ('title: !!int "abc"', "title"),
        ('title: !!float "x"', "title"),
        ('title: !!bool "maybe"', "title"),
        ('date: !!timestamp "xyz"', "date"),
        ('date: !!timestamp "2025-13-45"', "date"),
        ('tags: [!!int "12x"]', "tags[0]"),
        ("tags: [" + "9" * 5000 + "]", "tags[0]"),
        ("title: " + "7" * 5000, "title"),
        ("speakers: " + "1" * 4400, "speakers"),
    ],
)
def test_yaml_values_that_do_not_convert_name_the_field(cli, workdir, archive, line, field):
    key = line.split(":", 1)[0]
    text = "\n".join(x for x in HEAD.splitlines() if not x.startswith(f"{key}:")) + f"\n{line}\n"
    before = archive_snapshot(archive)
    _refused(cli("--archive", archive, "new", _write(workdir, text)), 2, field)
    assert archive_snapshot(archive) == before


def test_a_json_integer_past_pythons_digit_limit_names_the_field(cli, workdir, archive) -> None:
    data = {**yaml.safe_load(HEAD), "date": "2025-02-06"}
    text = json.dumps(data)[:-1] + ', "tags": [' + "9" * 5000 + "]}"
    _refused(cli("--archive", archive, "new", _write(workdir, text, "rec.json")), 2, "tags[0]")


TAGS = ["!!int", "!!float", "!!bool", "!!timestamp", "!!str", "!!null", "!!binary", "!!seq"]
TAGS += ["!!map", "!!set", "!!omap", "!!pairs", ""]
VALUES = ['"abc"', '"2025-13-45"', "9" * 120, "[1, 2]", "{a: 1}", "~", "yes", "1e400", ".nan"]
VALUES += ["2025-02-30", "<<", "=", '"\\ud800"', '"\\u200b"', "[[1]]"]


@EXAMPLES
@given(
    entries=st.lists(
        st.tuples(
            st.sampled_from([*sorted(MAX_ITEMS), "title", "date", "lead", "contact", "embargo"]),
            st.sampled_from(TAGS),
            st.sampled_from(VALUES),
        ),
        min_size=1,
        max_size=6,
        unique_by=lambda e: e[0],
    )
)
def test_any_tagged_value_is_refused_in_one_message(cli, workdir, archive, entries) -> None:
    text = "".join(f"{key}: {tag} {value}\n" for key, tag, value in entries)
    before = archive_snapshot(archive)
    result = cli("--archive", archive, "new", _write(workdir, text))
    _refused(result, 2, "rec.yaml")
    assert archive_snapshot(archive) == before


@pytest.mark.parametrize("key", ["? [a, b]\n: 1", "? {a: 1}\n: 1", "[x]: 1"])
def test_complex_yaml_keys_are_one_line(cli, workdir, archive, key) -> None:
    _refused(cli("--archive", archive, "new", _write(workdir, HEAD + key + "\n")), 2, "rec.yaml")


@EXAMPLES
@given(
    key=st.sampled_from(sorted(MAX_ITEMS)),
    value=st.one_of(
        st.integers(), st.text(min_size=1, max_size=5), st.booleans(), st.floats(allow_nan=False)
    ),
)
def test_a_scalar_where_a_list_belongs_names_the_field(cli, workdir, archive, key, value) -> None:
    record = {**SEED, key: value}
    path = workdir / "scalar.json"
    path.write_text(json.dumps(record, default=str), "utf-8")
    _refused(cli("--archive", archive, "new", path), 2, key)


@EXAMPLES
@given(
    field=st.sampled_from(["title", "lead", "closing", "unit", "location"]),
    bad=st.sampled_from(["\ud800", "\udfff", "\ufffe", "\uffff", "\x00", "\x1b"]),
    fmt=st.sampled_from(["json", "yaml"]),
)
def test_unwritable_characters_name_the_field(cli, workdir, archive, field, bad, fmt) -> None:
    record = {**SEED, "date": "2025-02-06", field: f"awal {bad} akhir"}
    # Written as escapes ("\\ud800"): the JSON and YAML parsers make the lone surrogate.
    text = json.dumps(record) if fmt == "json" else yaml.safe_dump(record, allow_unicode=False)
    path = workdir / f"bad.{fmt}"
    path.write_text(text, "ascii")
    before = archive_snapshot(archive)
    _refused(cli("--archive", archive, "new", path), 2, field)
    assert archive_snapshot(archive) == before


@pytest.mark.parametrize("invisible", ["\u200b", "\u200b\u200c\u200d", "\ufeff\u2060", "\u3164"])
@pytest.mark.parametrize("field", ["title", "lead", "signature"])
def test_text_made_only_of_invisible_characters_is_empty(cli, workdir, archive, invisible, field):
    path = workdir / "blank.json"
    path.write_text(json.dumps({**SEED, "date": "2025-02-06", field: invisible}), "utf-8")
    _refused(cli("--archive", archive, "new", path), 2, field)


def test_values_past_words_property_limit_are_cut_there_and_kept_in_the_text(cli, workdir):
    record = {
        **SEED,
        "unit": "Rumah Tahanan Negara " + "Kelas IIB Pelaihari " * 20,
        "tags": [f"kegiatan-{i:03d}-humas" for i in range(40)],
    }
    path = workdir / "long.json"
    path.write_text(json.dumps(record, default=str), "utf-8")
    result = cli("new", path, "--json")
    assert result.exit_code == 0, result.stderr
    document = docx.Document(result.json()[0]["docx"])
    props = document.core_properties
    assert len(props.author) <= 255 and len(props.keywords) <= 255
    assert props.keywords.startswith("kegiatan-000-humas, kegiatan-001-humas")
    shown = cli("show", result.json()[0]["id"], "--json").json()
    assert shown["unit"] == " ".join(record["unit"].split()) and len(shown["tags"]) == 40


@pytest.mark.parametrize("key", sorted(MAX_ITEMS))
def test_lists_past_the_size_limits_are_refused_naming_them(cli, workdir, archive, key) -> None:
    items = {
        "body": "Paragraf.",
        "speakers": {"name": "A", "title": "B"},
        "quotes": {"speaker": "Fani Andika", "text": "Ya"},
        "tags": "t",
        "photos": {"path": "x.jpg", "caption": "c"},
    }[key]
    record = {**SEED, "date": "2025-02-06", key: [items] * (MAX_ITEMS[key] + 1)}
    path = workdir / "many.json"
    path.write_text(json.dumps(record), "utf-8")
    _refused(cli("--archive", archive, "new", path), 2, key)


def test_a_body_at_the_paragraph_limit_is_saved_and_rendered(cli, workdir) -> None:
    body = [f"Paragraf ke-{i} tentang kegiatan pembinaan." for i in range(MAX_ITEMS["body"])]
    path = workdir / "long-body.json"
    path.write_text(json.dumps({**SEED, "date": "2025-02-06", "body": body}), "utf-8")
    result = cli("new", path, "--json")
    assert result.exit_code == 0, result.stderr
    texts = [p.text for p in docx.Document(result.json()[0]["docx"]).paragraphs]
    assert body[-1] in texts and body[0] in texts


# --------------------------------------------------------------------------- special files


@pytest.fixture
def fifo(workdir: Path) -> Path:
    path = workdir / "pipa.yaml"
    os.mkfifo(path)
    return path


@pytest.mark.parametrize("special", ["fifo", "/dev/zero", "/dev/urandom", "folder"])
@pytest.mark.parametrize("command", ["new", "edit", "check"])
def test_only_regular_files_are_read_as_records(cli, workdir, archive, fifo, special, command):
    path = {"fifo": fifo, "folder": workdir}.get(special, Path(special))
    release_id = cli("--archive", archive, "list", "--json").json()[0]["id"]
    args = {"new": ["new", path], "edit": ["edit", release_id, path], "check": ["check", path]}
    before = archive_snapshot(archive)
    _refused(cli("--archive", archive, *args[command]), 2, str(path))
    assert archive_snapshot(archive) == before


def test_a_symlink_loop_is_named_without_a_permissions_hint(cli, workdir, archive) -> None:
    (workdir / "a.yaml").symlink_to(workdir / "b.yaml")
    (workdir / "b.yaml").symlink_to(workdir / "a.yaml")
    result = cli("--archive", archive, "new", workdir / "a.yaml")
    _refused(result, 2, "a.yaml")
    assert "izin" not in result.stderr


def test_check_of_an_existing_file_it_cannot_check_says_so(cli, archive) -> None:
    result = cli("--archive", archive, "check", "/etc/passwd")
    _refused(result, 2, "/etc/passwd")
    assert "tidak ada" not in result.stderr  # it exists; it is not a kind humaskit checks


def test_a_record_over_the_size_cap_is_refused_before_reading(cli, workdir, archive) -> None:
    path = workdir / "big.yaml"
    with path.open("wb") as handle:
        handle.truncate(3 * 1024 * 1024)
    _refused(cli("--archive", archive, "new", path), 2, "big.yaml", "MB")


# --------------------------------------------------------------------------- images


def _with_photo(workdir: Path, photo: Path) -> Path:
    record = {**SEED, "date": "2025-02-06", "photos": [{"path": str(photo), "caption": "Foto"}]}
    path = workdir / "photo.json"
    path.write_text(json.dumps(record), "utf-8")
    return path


def _cmyk_jpeg_without_header(path: Path) -> Path:
    """A CMYK JPEG as design programs write it: Adobe marker, no JFIF or EXIF segment."""
    Image.new("CMYK", (64, 48), (0, 120, 200, 0)).save(path, "JPEG")
    data = path.read_bytes()
    assert data[6:10] not in (b"JFIF", b"Exif")
    return path


def test_a_cmyk_jpeg_without_jfif_or_exif_is_embedded(cli, workdir) -> None:
    photo = _cmyk_jpeg_without_header(workdir / "cmyk.jpg")
    result = cli("new", _with_photo(workdir, photo), "--json")
    assert result.exit_code == 0, result.stderr
    assert len(docx.Document(result.json()[0]["docx"]).inline_shapes) == 1


def test_a_cmyk_logo_is_checked_by_init_and_placed_by_new(cli, workdir) -> None:
    logo = _cmyk_jpeg_without_header(workdir / "logo.jpg")
    init = cli(
        "init", "--unit", "Rutan Pelaihari", "--signature", "Rutan Pelaihari", "--logo", logo
    )
    assert init.exit_code == 0, init.stderr
    result = cli("new", SEED_RECORD, "--json")
    assert result.exit_code == 0, result.stderr
    header = docx.Document(result.json()[0]["docx"]).sections[0].first_page_header
    assert header.tables  # the logo table


@pytest.mark.parametrize("defect", ["truncated", "directory", "fifo", "text"])
def test_a_broken_photo_or_logo_names_it(cli, workdir, archive, defect) -> None:
    photo = workdir / "foto.jpg"
    if defect == "truncated":
        Image.new("RGB", (400, 300), (10, 200, 30)).save(photo, quality=95)
        photo.write_bytes(photo.read_bytes()[:-2000])
    elif defect == "directory":
        photo.mkdir()
    elif defect == "fifo":
        os.mkfifo(photo)
    else:
        photo.write_text("bukan gambar")
    before = archive_snapshot(archive)
    result = cli("--archive", archive, "new", _with_photo(workdir, photo))
    _refused(result, 2, "photos[0].path", str(photo))
    assert "tidak ada" not in result.stderr  # it exists: say what is wrong with it
    assert archive_snapshot(archive) == before
    init = cli("init", "--unit", "R", "--signature", "R", "--logo", photo, "--force")
    _refused(init, 2, "logo")


def test_pillows_decompression_bomb_warning_is_a_refusal_line(cli, workdir, archive) -> None:
    photo = workdir / "besar.png"
    Image.new("1", (10_000, 9_500)).save(photo)  # 95 million pixels, a few kilobytes
    result = cli("--archive", archive, "new", _with_photo(workdir, photo))
    _refused(result, 2, "photos[0].path")
    assert "DecompressionBomb" not in result.stderr and result.stderr.count("\n") == 1


# --------------------------------------------------------------------------- stored files


def _seed_folder(archive: Path) -> Path:
    return next((archive / "releases" / "2025").iterdir())


@pytest.mark.parametrize("damage", [b"\xff\xfe\x00bad", b"title: [unclosed\n", b"- a list\n"])
def test_a_damaged_stored_record_is_named_and_the_rest_keeps_working(cli, workdir, archive, damage):
    other = {**SEED, "title": "Rutan Pelaihari Gelar Apel Pagi", "date": "2025-02-06"}
    path = workdir / "other.json"
    path.write_text(json.dumps(other), "utf-8")
    record = _seed_folder(archive) / "release.yaml"
    release_id = record.parent.name
    record.write_bytes(damage)
    saved = cli("--archive", archive, "new", path)  # same date: its duplicate check reads it
    assert saved.exit_code == 0, saved.stderr
    listed = cli("--archive", archive, "list", "--json")
    assert listed.exit_code == 0 and len(listed.json()) == 1
    assert str(record) in listed.stderr
    for args in (["show", release_id], ["edit", release_id, path], ["check", release_id]):
        _refused(cli("--archive", archive, *args), 1, str(record))
    doctor = cli("--archive", archive, "doctor", "--json")
    [problem] = doctor.json()["problems"]
    assert problem["kind"] == "damaged_record" and problem["path"] == str(record)


@pytest.mark.parametrize("meta", ["[1, 2]", '"teks"', "{rusak", "\udcff"])
def test_a_meta_json_that_is_not_an_object_is_named_and_repaired(cli, workdir, archive, meta):
    folder = _seed_folder(archive)
    (folder / "meta.json").write_text(meta, "utf-8", errors="surrogateescape")
    changed = workdir / "changed.json"
    changed.write_text(json.dumps({**SEED, "date": "2025-02-06", "closing": "Selesai."}))
    _refused(cli("--archive", archive, "edit", folder.name, changed), 1, str(folder / "meta.json"))
    doctor = cli("--archive", archive, "doctor")
    assert doctor.exit_code == 1 and str(folder / "meta.json") in doctor.stdout
    assert cli("--archive", archive, "doctor", "--repair").exit_code == 0
    assert json.loads((folder / "meta.json").read_text())["revision"] == 0
    assert cli("--archive", archive, "edit", folder.name, changed).exit_code == 0


# --------------------------------------------------------------------------- streams


def test_closed_stdout_and_stdin_are_one_line(archive, workdir) -> None:
    err = workdir / "err.txt"
    with err.open("w") as stderr:
        done = subprocess.run(
            f"{sys.executable} -m humaskit --archive {archive} list >&-",
            shell=True,
            stderr=stderr,
            cwd=workdir,
        )
    assert done.returncode == 1 and "Traceback" not in err.read_text()
    assert err.read_text().startswith("humaskit: ")
    done = subprocess.run(
        f"{sys.executable} -m humaskit --archive {archive} new <&-",
        shell=True,
        capture_output=True,
        text=True,
        cwd=workdir,
    )
    assert done.returncode == 2 and "Traceback" not in done.stderr
    assert done.stderr.startswith("humaskit: ")


@pytest.mark.parametrize("args", [["list"], ["list", "--json"], ["show", "--json"]])
def test_a_full_stdout_is_not_blamed_on_the_archive(archive, workdir, args) -> None:
    if not Path("/dev/full").exists():
        pytest.skip("no /dev/full here")
    if args[0] == "show":
        args = ["show", _seed_folder(archive).name, "--json"]
    with open("/dev/full", "w") as full:
        done = subprocess.run(
            [sys.executable, "-m", "humaskit", "--archive", str(archive), *args],
            stdout=full,
            stderr=subprocess.PIPE,
            text=True,
            cwd=workdir,
        )
    assert done.returncode == 1 and "Traceback" not in done.stderr
    assert done.stderr.startswith("humaskit: ") and done.stderr.count("\n") == 1
    assert str(archive) not in done.stderr  # the archive is fine


def test_a_reader_that_stops_early_is_not_an_error_message(archive, workdir) -> None:
    done = subprocess.run(
        f"{sys.executable} -m humaskit --archive {archive} list --json | head -c 1",
        shell=True,
        capture_output=True,
        text=True,
        cwd=workdir,
    )
    assert "Traceback" not in done.stderr and "Exception ignored" not in done.stderr


# --------------------------------------------------------------------------- messages


def test_a_note_repeated_thousands_of_times_is_said_once_with_a_count(cli, workdir) -> None:
    body = ["Senin (6/2) " * 2000]
    path = workdir / "ulang.json"
    path.write_text(json.dumps({**SEED, "date": "2025-02-06", "body": body}), "utf-8")
    result = cli("check", path, "--json")
    weekday = [f for f in result.json() if f["code"] == "weekday"]
    assert len(weekday) == 1 and "2000" in weekday[0]["message"]


def test_a_full_stdout_after_a_save_still_says_what_was_saved(workdir) -> None:
    if not Path("/dev/full").exists():
        pytest.skip("no /dev/full here")
    archive = workdir / "archive"
    with open("/dev/full", "w") as full:
        done = subprocess.run(
            [sys.executable, "-m", "humaskit", "--archive", str(archive), "new", str(SEED_RECORD)],
            stdout=full,
            stderr=subprocess.PIPE,
            text=True,
            cwd=workdir,
        )
    saved = next((archive / "releases" / "2025").iterdir()).name
    assert done.returncode == 1 and "Traceback" not in done.stderr
    assert saved in done.stderr and done.stderr.count("humaskit: ") == 1
