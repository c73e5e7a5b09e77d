"""Hostile and malformed input, driven through the real ``humaskit`` command.

Property-based (hypothesis): any valid record survives save → ``show --json`` → Markdown and
DOCX unchanged; any invalid record or random bytes is exit 2 with one message naming the
field, no traceback, and the archive byte-for-byte as it was. Then the paths a hostile
record or archive could use to reach outside, and a read-only or full archive folder.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import io
import json
import os
import re
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path

import docx
import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import SEED_RECORD, archive_snapshot
from humaskit.document.compose import compose
from humaskit.errors import InputError
from humaskit.record.model import (
    KNOWN_VERBS,
    REQUIRED,
    check_text,
    parse_release,
    strip_quote_marks,
)

# One archive and one working folder serve every example of a test, so the fixtures are
# function-scoped on purpose; each example writes into its own fresh folder.
EXAMPLES = settings(
    max_examples=int(os.environ.get("HUMASKIT_EXAMPLES", "25")),
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

# Text that has broken other programs: template syntax, Markdown, YAML specials, paths, HTML.
TRICKY = [
    "{{ 7*7 }}",
    "{% if true %}x{% endif %}",
    "{# komentar",
    "<script>alert(1)</script>",
    "../../etc/passwd",
    "C:\\Windows\\win.ini",
    "&amp; &",
    "*tebal* _miring_",
    "# judul",
    "- butir",
    "`kode`",
    "[tautan](http://x)",
    "Rp1.000.000,00",
    "100%",
    "null",
    "yes",
    "~",
    "2025-02-06",
    "0x1F",
    "1e3",
    "'",
    '"',
    "key: value",
    "---",
    "|",
    ">",
    "!!python/object:os.system",
    "&anchor",
    "*alias",
    "@",
    "👍🏽",
    "中文",
    "مرحبا",
    "e\u0301",  # decomposed é: stored NFC
    "\u00a0",
    "\t",
]
_chars = st.characters(codec="utf-8", exclude_categories=("Cc", "Cs", "Zl", "Zp"))
_word = st.one_of(st.sampled_from(TRICKY), st.text(_chars, min_size=1, max_size=10))


def _clean(value: str) -> str | None:
    return check_text(value)[0]


def _line(max_words: int = 6, limit: int = 200) -> st.SearchStrategy[str]:
    return (
        st.lists(_word, min_size=1, max_size=max_words)
        .map(" ".join)
        .map(_clean)
        .filter(lambda s: bool(s) and len(s) <= limit)
    )


_paragraph = _line(max_words=25, limit=10_000)
_quote_text = _paragraph.filter(
    lambda s: strip_quote_marks(s) == s and s.rstrip(".,;: ").strip(".,;:?! ")
)
_signature = _line(3).filter(lambda s: s.lstrip("-–— ").strip() == s)
_email = st.from_regex(r"[a-z]{1,8}@[a-z]{1,8}\.go\.id", fullmatch=True)
_embargo = st.one_of(
    st.just("segera"),
    st.datetimes(min_value=dt.datetime(2000, 1, 1), max_value=dt.datetime(2099, 12, 31)).map(
        lambda d: d.strftime("%Y-%m-%d %H:%M")
    ),
)


@st.composite
def valid_records(draw: st.DrawFn) -> dict:
    """A record humaskit must accept, already in its canonical (stored) form."""
    record: dict = {
        "title": draw(_line()),
        "date": draw(st.dates(dt.date(1990, 1, 1), dt.date(2099, 12, 31))).isoformat(),
        "location": draw(_line(3)),
        "unit": draw(_line()),
        "lead": draw(_paragraph),
        "closing": draw(_paragraph),
        "signature": draw(_signature),
    }
    if draw(st.booleans()):
        record["outlet"] = draw(_line(3))
    if body := draw(st.lists(_paragraph, max_size=3)):
        record["body"] = body
    names = draw(st.lists(_line(4), max_size=3, unique=True))
    if names:
        record["speakers"] = [
            {"name": name, "title": draw(_line())}
            | ({"short": draw(_line(1))} if draw(st.booleans()) else {})
            for name in names
        ]
        if quotes := [
            {
                "speaker": draw(st.sampled_from(names)),
                "text": draw(_quote_text),
                "verb": draw(st.sampled_from(KNOWN_VERBS)),
            }
            for _ in range(draw(st.integers(0, 3)))
        ]:
            record["quotes"] = quotes
    if tags := draw(st.lists(_line(2), max_size=4, unique_by=str.casefold)):
        record["tags"] = tags
    if draw(st.booleans()):
        contact = {"name": draw(_line(3))}
        if draw(st.booleans()):
            contact["phone"] = draw(
                st.from_regex(r"\+62 8[0-9]{2}-[0-9]{4}-[0-9]{4}", fullmatch=True)
            )
        if draw(st.booleans()):
            contact["email"] = draw(_email)
        record["contact"] = contact
    if draw(st.booleans()):
        record["number"] = draw(_line(2))
    if draw(st.booleans()):
        record["embargo"] = draw(_embargo)
    return record


def write_record(folder: Path, record: dict, fmt: str) -> Path:
    if fmt == "json":
        path = folder / "rekaman.json"
        path.write_text(json.dumps(record, ensure_ascii=False), encoding="utf-8")
    else:
        path = folder / "rekaman.yaml"
        path.write_text(yaml.safe_dump(record, allow_unicode=True), encoding="utf-8")
    return path


def docx_text(path: Path) -> str:
    document = docx.Document(str(path))
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        parts += [cell.text for row in table.rows for cell in row.cells]
    for section in document.sections:
        parts += [p.text for p in section.header.paragraphs]
        parts += [p.text for p in section.first_page_header.paragraphs]
    return "\n".join(parts)


def assert_clean_refusal(result, field: str | None = None) -> None:  # type: ignore[no-untyped-def]
    assert result.exit_code == 2, (result.exit_code, result.stderr)
    assert "Traceback" not in result.stderr + result.stdout
    assert result.stdout == ""
    assert result.stderr.startswith("humaskit: ")
    if field is not None:
        assert field in result.stderr, result.stderr
        # One problem, so one message: the head line and one "  - field: ..." line.
        assert result.stderr.count("\n  - ") <= 1, result.stderr


@pytest.fixture
def populated(cli, workdir: Path) -> Path:
    """An archive holding the seed release, whose bytes a refused command must not touch."""
    archive = workdir / "archive"
    assert cli("--archive", archive, "new", SEED_RECORD).exit_code == 0
    return archive


# --------------------------------------------------------------------------- round trip


@EXAMPLES
@given(record=valid_records(), fmt=st.sampled_from(["yaml", "json"]))
def test_valid_record_round_trips_through_save_show_markdown_and_docx(
    cli, workdir: Path, record: dict, fmt: str
) -> None:
    folder = Path(tempfile.mkdtemp(dir=workdir))
    archive = folder / "archive"
    result = cli("--archive", archive, "new", write_record(folder, record, fmt), "--json")
    assert result.exit_code == 0, result.stderr
    [saved] = result.json()

    shown = cli("--archive", archive, "show", saved["id"], "--json")
    assert shown.exit_code == 0, shown.stderr
    assert shown.json() == {"id": saved["id"], **record}

    markdown = Path(saved["markdown"]).read_text(encoding="utf-8")
    words = docx_text(Path(saved["docx"]))
    texts = [record["title"], record["lead"], record["closing"], *record.get("body", [])]
    # A quote's closing full stop becomes the comma before its attribution: “…,” ujar Fani.
    texts += [quote["text"].rstrip(".,;: ") for quote in record.get("quotes", [])]
    for text in texts:
        assert text in markdown
        assert text in words
    assert f"# {record['title']}\n" in markdown
    for paragraph in compose(parse_release(record)).paragraphs:
        assert f"\n{paragraph.text}\n" in markdown


def test_template_syntax_in_a_title_stays_literal_in_markdown_and_docx(cli, workdir) -> None:
    record = yaml.safe_load(SEED_RECORD.read_text(encoding="utf-8"))
    record["title"] = "{{ 7*7 }} {% for x in range(3) %}x{% endfor %} {{ config }}"
    record["lead"] = "{{ ''.__class__.__mro__ }} " + record["lead"]
    result = cli("new", write_record(workdir, record, "yaml"), "--json")
    assert result.exit_code == 0, result.stderr
    [saved] = result.json()
    for text in (Path(saved["markdown"]).read_text("utf-8"), docx_text(Path(saved["docx"]))):
        assert record["title"] in text
        assert "{{ ''.__class__.__mro__ }}" in text
        assert "49" not in text and "xxx" not in text


# --------------------------------------------------------------------------- refusals

# (field the message must name, how to break a valid record)
MUTATIONS = [
    *[(key, lambda r, key=key: r.pop(key)) for key in REQUIRED],
    ("titel", lambda r: r.update(titel="Judul")),
    ("title", lambda r: r.update(title="baris satu\nbaris dua")),
    ("title", lambda r: r.update(title=["sebuah", "daftar"])),
    ("title", lambda r: r.update(title={"a": 1})),
    ("title", lambda r: r.update(title="x" * 201)),
    ("date", lambda r: r.update(date="2025-02-30")),
    ("date", lambda r: r.update(date="6 Februari 2025")),
    ("date", lambda r: r.update(date=20250206)),
    ("lead", lambda r: r.update(lead=r["lead"] + "\x07")),
    ("lead", lambda r: r.update(lead="satu\n\ndua")),
    ("closing", lambda r: r.update(closing="\u2028")),
    ("body", lambda r: r.update(body={"paragraf": "satu"})),
    ("body[0]", lambda r: r.update(body=[5])),
    ("speakers[0]", lambda r: r.update(speakers=["Fani"])),
    ("speakers[0].title", lambda r: r.update(speakers=[{"name": "Fani"}])),
    ("quotes[0].speaker", lambda r: r.update(quotes=[{"speaker": "Siapa", "text": "Halo"}])),
    ("quotes[0].verb", lambda r: r.update(quotes=[{"speaker": "Siapa", "text": "x", "verb": "1"}])),
    ("contact.email", lambda r: r.update(contact={"name": "Humas", "email": "bukan-email"})),
    ("photos[0].caption", lambda r: r.update(photos=[{"path": "a.jpg"}])),
    ("photos[0].path", lambda r: r.update(photos=[{"path": "/etc/passwd", "caption": "x"}])),
    ("photos[0].path", lambda r: r.update(photos=[{"path": "/dev/zero", "caption": "x"}])),
    ("photos[0].path", lambda r: r.update(photos=[{"path": "/etc", "caption": "x"}])),
    ("photos[0].path", lambda r: r.update(photos=[{"path": "tidak-ada.jpg", "caption": "x"}])),
    ("embargo", lambda r: r.update(embargo="besok pagi")),
    ("tags[0]", lambda r: r.update(tags=[""])),
]


@EXAMPLES
@given(
    record=valid_records(),
    mutation=st.sampled_from(MUTATIONS),
    fmt=st.sampled_from(["yaml", "json"]),
    command=st.sampled_from(["new", "edit"]),
)
def test_invalid_record_is_exit_2_naming_the_field_and_changes_nothing(
    cli, workdir: Path, populated: Path, record: dict, mutation, fmt: str, command: str
) -> None:
    field, breaker = mutation
    record.pop("quotes", None) if field.startswith("speakers") else None
    breaker(record)
    before = archive_snapshot(populated)
    path = write_record(Path(tempfile.mkdtemp(dir=workdir)), record, fmt)
    args = ["new", path] if command == "new" else ["edit", _seed_id(populated), path]
    assert_clean_refusal(cli("--archive", populated, *args), field)
    assert archive_snapshot(populated) == before


@EXAMPLES
@given(
    content=st.one_of(
        st.binary(max_size=3000),
        st.text(max_size=2000).map(lambda s: s.encode("utf-8", "surrogatepass")),
        st.lists(st.sampled_from(list(b"[]{}:-,'\"!&*#|> \n\t\x00\xff")), max_size=400).map(bytes),
    ),
    suffix=st.sampled_from([".yaml", ".json", ".yml", ".txt"]),
    command=st.sampled_from(["new", "edit"]),
)
def test_random_bytes_are_exit_2_and_change_nothing(
    cli, workdir: Path, populated: Path, content: bytes, suffix: str, command: str
) -> None:
    path = Path(tempfile.mkdtemp(dir=workdir)) / f"acak{suffix}"
    path.write_bytes(content)
    before = archive_snapshot(populated)
    args = ["new", path] if command == "new" else ["edit", _seed_id(populated), path]
    assert_clean_refusal(cli("--archive", populated, *args))
    assert str(path.name) in cli("--archive", populated, *args).stderr
    assert archive_snapshot(populated) == before


@pytest.mark.parametrize("depth", [2000, 100_000])
@pytest.mark.parametrize("suffix", [".yaml", ".json"])
def test_records_nested_thousands_deep_are_exit_2(cli, workdir, populated, depth, suffix) -> None:
    path = workdir / f"dalam{suffix}"
    path.write_text('{"title": ' + "[" * depth + "]" * depth + "}")
    before = archive_snapshot(populated)
    assert_clean_refusal(cli("--archive", populated, "new", path))
    assert archive_snapshot(populated) == before


def _seed_id(archive: Path) -> str:
    return next((archive / "releases" / "2025").iterdir()).name


# --------------------------------------------------------------------------- reaching outside


@pytest.mark.parametrize(
    "bad_id",
    [
        "../../../../etc/passwd",
        "/etc/passwd",
        "2025-02-06-x/../../../../tmp",
        "2025-02-06-x/",
        "2025-02-06-x\x00",
        "2025-02-06-X",
        "~root",
        "\\..\\..\\windows",
        "2025-02-06-" + "a" * 200,
    ],
)
def test_ids_cannot_name_a_path(cli, populated: Path, bad_id: str) -> None:
    before = archive_snapshot(populated)
    for args in (["show", bad_id], ["edit", bad_id, SEED_RECORD]):
        result = cli("--archive", populated, *args)
        assert result.exit_code == 2, (args, result.stderr)
        assert "Traceback" not in result.stderr
    assert archive_snapshot(populated) == before


def test_a_release_folder_symlinked_outside_is_neither_read_nor_written(
    cli, populated: Path, tmp_path: Path
) -> None:
    folder = next((populated / "releases" / "2025").iterdir())
    outside = tmp_path / "di-luar"
    shutil.move(folder, outside)
    folder.symlink_to(outside, target_is_directory=True)
    before = {p.name: p.read_bytes() for p in outside.iterdir() if p.is_file()}
    for args in (["show", folder.name], ["edit", folder.name, SEED_RECORD]):
        result = cli("--archive", populated, *args)
        assert result.exit_code == 1, (args, result.stderr)
        assert "symlink" in result.stderr
    assert {p.name: p.read_bytes() for p in outside.iterdir() if p.is_file()} == before
    assert not (outside / "revisions").exists()


@pytest.mark.parametrize("name", ["../release.md.j2", "/etc/passwd", "..", ".hidden", "a/b.j2"])
def test_template_names_cannot_name_a_path(name: str) -> None:
    from humaskit.document.templates import find_template

    with pytest.raises(InputError):
        find_template(name, None)


def test_a_template_symlinked_outside_its_folder_is_refused(workdir: Path) -> None:
    from humaskit.archive.profile import Profile
    from humaskit.document.templates import find_template

    (workdir / "humaskit.toml").write_text('unit = "Rutan"\n')
    templates = workdir / "templates"
    templates.mkdir()
    (templates / "surat.docx").symlink_to("/etc/passwd")
    profile = Profile(unit="Rutan", path=workdir / "humaskit.toml")
    if profile.templates_dir != templates:
        pytest.skip("profile templates folder is not templates/ beside humaskit.toml")
    with pytest.raises(InputError):
        find_template("surat.docx", profile)


def _png(path: Path) -> Path:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), (200, 30, 30)).save(buffer, "PNG")
    path.write_bytes(buffer.getvalue())
    return path


def test_photo_from_anywhere_is_copied_in_under_a_safe_name(cli, workdir, tmp_path) -> None:
    elsewhere = tmp_path / "di luar" / "..;rm -rf ~;$(reboot) `id` Foto Apel.PNG"
    elsewhere.parent.mkdir()
    _png(elsewhere)
    linked = workdir / "tautan.jpg"
    linked.symlink_to(elsewhere)  # a symlink to a real image is read like the image
    record = yaml.safe_load(SEED_RECORD.read_text(encoding="utf-8"))
    record["photos"] = [
        {"path": str(elsewhere), "caption": "Apel pagi"},
        {"path": "tautan.jpg", "caption": "Lagi"},
    ]
    result = cli("new", write_record(workdir, record, "yaml"), "--json")
    assert result.exit_code == 0, result.stderr
    [saved] = result.json()
    folder = Path(saved["markdown"]).parent
    shown = cli("show", saved["id"], "--json").json()
    paths = [photo["path"] for photo in shown["photos"]]
    assert paths[0] == "photos/01-rm-rf-reboot-id-foto-apel.png"
    assert re.fullmatch(r"photos/02-[a-z0-9-]+\.png", paths[1])
    for relative in paths:
        stored = folder / relative
        assert not stored.is_symlink()
        assert stored.resolve().parent == (folder / "photos").resolve()
        assert stored.read_bytes() == elsewhere.read_bytes()


def test_etc_passwd_as_a_photo_is_exit_2(cli, workdir, populated) -> None:
    record = yaml.safe_load(SEED_RECORD.read_text(encoding="utf-8"))
    record["photos"] = [{"path": "/etc/passwd", "caption": "Bukan foto"}]
    before = archive_snapshot(populated)
    result = cli("--archive", populated, "new", write_record(workdir, record, "yaml"))
    assert_clean_refusal(result, "photos[0].path")
    assert archive_snapshot(populated) == before


# --------------------------------------------------------------------------- read-only, full


@contextlib.contextmanager
def mounted(args: list[str], target: Path) -> Iterator[None]:
    """Mount over ``target`` for the duration, or skip when this machine does not allow it."""
    if shutil.which("mount") is None or os.geteuid() != 0:
        pytest.skip("needs root and mount(8) to make a read-only or full folder")
    done = subprocess.run(["mount", *args, str(target)], capture_output=True, text=True)
    if done.returncode != 0:
        pytest.skip(f"cannot mount here ({done.stderr.strip()})")
    try:
        yield
    finally:
        subprocess.run(["umount", "-l", str(target)], check=False)


def _assert_failed_clearly(result, path_part: str) -> None:  # type: ignore[no-untyped-def]
    assert result.exit_code == 1, (result.exit_code, result.stderr)
    assert "Traceback" not in result.stderr
    assert result.stderr.startswith("humaskit: ")
    assert path_part in result.stderr


def _changed_seed(folder: Path) -> Path:
    """The seed record with another closing: an edit that has something to save."""
    target = folder / "changed.yaml"
    data = yaml.safe_load(SEED_RECORD.read_text("utf-8"))
    data["closing"] += " Kegiatan ditutup dengan doa bersama."
    target.write_text(yaml.safe_dump(data, allow_unicode=True), "utf-8")
    return target


def test_read_only_archive_is_exit_1_with_a_clear_message(cli, workdir, populated) -> None:
    before = archive_snapshot(populated)
    seed_id = _seed_id(populated)
    with mounted(["--bind", "-o", "ro", str(populated)], populated):
        probe = populated / "probe"
        with contextlib.suppress(OSError):
            probe.write_text("x")
        if probe.exists():
            probe.unlink()
            pytest.skip("the read-only bind mount is still writable here")
        _assert_failed_clearly(cli("--archive", populated, "new", SEED_RECORD), str(populated))
        _assert_failed_clearly(
            cli("--archive", populated, "edit", seed_id, _changed_seed(workdir)), str(populated)
        )
        assert cli("--archive", populated, "show", seed_id).exit_code == 0
        assert cli("--archive", populated, "list", "--json").exit_code == 0
    assert archive_snapshot(populated) == before


def test_full_archive_disk_is_exit_1_and_leaves_nothing_half_written(cli, workdir) -> None:
    disk = workdir / "disk"
    disk.mkdir()
    with mounted(["-t", "tmpfs", "-o", "size=2m", "tmpfs"], disk):
        archive = disk / "archive"
        assert cli("--archive", archive, "new", SEED_RECORD).exit_code == 0
        seed_id = _seed_id(archive)
        filler = disk / "filler"
        with contextlib.suppress(OSError), filler.open("wb") as handle:
            while True:
                handle.write(b"\0" * 65536)
                handle.flush()
                os.fsync(handle.fileno())
        before = archive_snapshot(archive)
        _assert_failed_clearly(cli("--archive", archive, "new", SEED_RECORD), str(archive))
        edited = cli("--archive", archive, "edit", seed_id, _changed_seed(workdir))
        _assert_failed_clearly(edited, str(archive))
        after = archive_snapshot(archive)
        # Nothing half-written: no new release, no temp file, the record and renderings intact.
        assert {k: v for k, v in after.items() if "revisions/" not in k} == before
        assert not [p for p in archive.rglob(".tmp-*")]
        filler.unlink()
        assert cli("--archive", archive, "new", SEED_RECORD).exit_code == 0
