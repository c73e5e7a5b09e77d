"""``humaskit recap`` and ``stats``: every count in the terminal, XLSX, DOCX and JSON output
agrees with the records of a known archive (tests/recap_data.py), counted here without
humaskit's code; the days without a release are exactly the ones marked."""

from __future__ import annotations

import calendar
import datetime as dt
import json
import re
import shutil
import subprocess
import zipfile
from collections import Counter
from pathlib import Path

import pytest
from typer.testing import CliRunner

import recap_data
from humaskit.cli import app
from humaskit.recap.figures import choose_period, last_full_month

MARCH = [dt.date(2025, 3, d) for d in range(1, 32)]
CHANNEL_NAMES = {
    "website": "Situs web",
    "instagram": "Instagram",
    "facebook": "Facebook",
    "x": "X (Twitter)",
    "youtube": "YouTube",
    "tiktok": "TikTok",
    "media": "Media massa",
    "other": "Lainnya",
}
SOFFICE = shutil.which("soffice")
needs_soffice = pytest.mark.skipif(
    SOFFICE is None or shutil.which("pdftotext") is None,
    reason="LibreOffice (soffice) and poppler (pdftotext) are not installed "
    "(apt-get install libreoffice-calc-nogui libreoffice-writer-nogui poppler-utils)",
)


# --------------------------------------------------------------------------- the archive


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> dict:  # type: ignore[no-untyped-def]
    """The known archive, saved and published through the real CLI once for this module."""
    root = tmp_path_factory.mktemp("recap")
    archive = root / "archive"
    runner = CliRunner()
    paths = recap_data.write_records(root / "records")
    made = runner.invoke(app, ["--archive", str(archive), "new", *map(str, paths), "--json"])
    assert made.exit_code == 0, made.stderr
    ids = [row["id"] for row in json.loads(made.stdout)]
    entries = recap_data.entries()
    for entry, release_id in zip(entries, ids, strict=True):
        for args in recap_data.publish_commands(entry, release_id):
            done = runner.invoke(app, ["--archive", str(archive), *args])
            assert done.exit_code == 0, (args, done.stderr)
    return {"archive": archive, "ids": dict(zip(ids, entries, strict=True))}


@pytest.fixture
def run(built, monkeypatch, tmp_path):  # type: ignore[no-untyped-def]
    monkeypatch.chdir(tmp_path)
    runner = CliRunner()

    def invoke(*args: str | Path, archive: Path | None = None):  # type: ignore[no-untyped-def]
        where = archive or built["archive"]
        argv = ["--archive", str(where), *map(str, args)]
        return runner.invoke(app, argv, catch_exceptions=False)

    return invoke


def march(built) -> dict:  # type: ignore[no-untyped-def]
    """The March figures counted straight from the fixture's plain data."""
    items = {i: e for i, e in built["ids"].items() if e.day.month == 3}
    publications = [p for e in items.values() for p in e.publications]
    per_day = Counter(e.day for e in items.values())
    return {
        "releases": len(items),
        "publications": len(publications),
        "unpublished": sum(1 for e in items.values() if not e.publications),
        "channels": Counter(p[1] for p in publications),
        "per_day": per_day,
        "without": [d for d in MARCH if per_day[d] == 0],
        "urls": {p[0] for p in publications},
        "items": items,
    }


# --------------------------------------------------------------------------- JSON


def test_json_counts_agree_with_the_records(built, run) -> None:
    expected = march(built)
    result = run("recap", "--month", "2025-03", "--json")
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)
    assert (data["since"], data["until"], data["month"]) == ("2025-03-01", "2025-03-31", "2025-03")
    assert data["releases"] == expected["releases"] == 22
    assert data["publications"] == expected["publications"]
    assert data["unpublished"] == expected["unpublished"] == 3
    assert data["channels"] == {c: expected["channels"][c] for c in CHANNEL_NAMES}
    assert data["days_without_release"] == [d.isoformat() for d in expected["without"]]
    assert {d["date"]: d["releases"] for d in data["days"]} == {
        d.isoformat(): expected["per_day"][d] for d in MARCH
    }
    assert sum(w["releases"] for w in data["weeks"]) == expected["releases"]
    assert [w["start"] for w in data["weeks"]][:2] == ["2025-03-01", "2025-03-03"]
    assert {i["id"] for i in data["items"]} == set(expected["items"])
    urls = {p["url"] for i in data["items"] for p in i["publications"]}
    assert urls == expected["urls"]
    outlets = {p["outlet"] for i in data["items"] for p in i["publications"]} - {None}
    assert outlets == {"ANTARA", "Wartanesia"}


def test_unit_and_tag_narrow_the_recap(built, run) -> None:
    lapas = run("recap", "--month", "2025-03", "--unit", "Lapas Banjarbaru", "--json")
    data = json.loads(lapas.stdout)
    wanted = [
        e for e in built["ids"].values() if e.day.month == 3 and e.unit[1] == "Lapas Banjarbaru"
    ]
    assert data["releases"] == len(wanted) == 2
    assert data["publications"] == sum(len(e.publications) for e in wanted)
    tagged = json.loads(run("recap", "--month", "2025-03", "--tag", "kamtib", "--json").stdout)
    assert tagged["releases"] == sum(
        1 for e in built["ids"].values() if e.day.month == 3 and "kamtib" in e.tags
    )


def test_a_range_counts_only_its_days(built, run) -> None:
    data = json.loads(
        run("recap", "--since", "2025-02-28", "--until", "2025-03-04", "--json").stdout
    )
    days = {dt.date(2025, 2, 28), *(dt.date(2025, 3, d) for d in range(1, 5))}
    assert data["month"] is None
    assert data["releases"] == sum(1 for e in built["ids"].values() if e.day in days) == 4
    assert data["days_without_release"] == ["2025-03-01", "2025-03-02"]


def test_recap_reads_the_index_not_the_release_files(built, run, tmp_path) -> None:
    """With every record file made unreadable the index still answers the recap."""
    copy = tmp_path / "copy"
    shutil.copytree(built["archive"], copy)
    for record in copy.glob("releases/*/*/release.yaml"):
        record.write_text("title: [broken", "utf-8")
    result = run("recap", "--month", "2025-03", "--json", archive=copy)
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout)["publications"] == march(built)["publications"]


def test_a_copied_archive_keeps_its_publications_after_reindex(built, run, tmp_path) -> None:
    copy = tmp_path / "copy"
    shutil.copytree(built["archive"], copy)
    shutil.rmtree(copy / "index")
    assert run("reindex", archive=copy).exit_code == 0
    data = json.loads(run("recap", "--month", "2025-03", "--json", archive=copy).stdout)
    assert data["publications"] == march(built)["publications"]


@pytest.mark.parametrize(
    ("args", "field"),
    [
        (["--month", "2025-13"], "--month"),
        (["--month", "maret"], "--month"),
        (["--month", "2025-03", "--since", "2025-03-01"], "--month"),
        (["--since", "2025-03-10", "--until", "2025-03-01"], "--since"),
        (["--since", "10-03-2025x"], "--since"),
    ],
)
def test_bad_periods_are_refused(run, args, field) -> None:
    result = run("recap", *args)
    assert result.exit_code == 2
    assert field in result.stderr and "Traceback" not in result.stderr


def test_the_default_is_the_last_full_month() -> None:
    period = choose_period(None, None, None, dt.date(2025, 4, 15))
    assert (period.since, period.until, period.month) == (
        dt.date(2025, 3, 1),
        dt.date(2025, 3, 31),
        "2025-03",
    )
    assert last_full_month(dt.date(2025, 1, 1)).month == "2024-12"


# --------------------------------------------------------------------------- terminal


def calendar_cells(text: str) -> dict[int, str]:
    """Day -> what its calendar cell shows (a count or the ✗ mark), from the printed grid."""
    cells: dict[int, str] = {}
    grid = text.split("Maret 2025", 1)[1].split("Angka =", 1)[0]
    for line in grid.splitlines():
        for cell in line.split("│")[1:-1]:
            if match := re.fullmatch(r"\s*(\d+) (\S+)\s*", cell):
                cells[int(match.group(1))] = match.group(2)
    return cells


def test_terminal_shows_the_same_figures(built, run) -> None:
    expected = march(built)
    text = run("recap", "--month", "2025-03").stdout
    assert "Laporan Publikasi Kehumasan Bulan Maret 2025" in text
    totals = {
        label: int(n)
        for label, n in re.findall(r"^\s+(Siaran pers[^\d│]*?|Publikasi)\s+(\d+)\s*$", text, re.M)
    }
    assert totals["Siaran pers"] == expected["releases"]
    assert totals["Publikasi"] == expected["publications"]
    assert totals["Siaran pers belum dipublikasikan"] == expected["unpublished"]
    for channel, name in CHANNEL_NAMES.items():
        assert re.search(rf"│ {re.escape(name)}\s+│\s+{expected['channels'][channel]} │", text)
    cells = calendar_cells(text)
    assert sorted(cells) == list(range(1, 32))
    marked = [d for d, shown in cells.items() if shown == "✗"]
    assert marked == [d.day for d in expected["without"]]
    assert {d: int(s) for d, s in cells.items() if s != "✗"} == {
        d.day: n for d, n in expected["per_day"].items()
    }
    for url in expected["urls"]:
        assert url in text
    bars = re.findall(r"Minggu ke-\d+ \([^)]*\)\s+█*\s+(\d+)\s+(\d+)", text)
    assert sum(int(r) for r, _ in bars) == expected["releases"]
    assert sum(int(p) for _, p in bars) == expected["publications"]


def test_terminal_in_english(run, monkeypatch) -> None:
    monkeypatch.setenv("HUMASKIT_LANG", "en")
    text = run("recap", "--month", "2025-03").stdout
    assert "Public Relations Publication Report for March 2025" in text
    assert "Mon" in text and "Sun" in text and "News media" in text


# --------------------------------------------------------------------------- XLSX


def test_recap_files_never_go_into_the_archive_nor_overwrite_without_force(
    built, run, tmp_path
) -> None:
    inside = built["archive"] / "rekap.xlsx"
    refused = run("recap", "--month", "2025-03", "--xlsx", inside)
    assert refused.exit_code == 2
    assert "--xlsx" in refused.stderr and "Traceback" not in refused.stderr
    assert not inside.exists()
    target = tmp_path / "rekap.docx"
    target.write_bytes(b"laporan lama")
    kept = run("recap", "--month", "2025-03", "--docx", target)
    assert kept.exit_code == 2 and "--docx" in kept.stderr and "--force" in kept.stderr
    assert target.read_bytes() == b"laporan lama"
    forced = run("recap", "--month", "2025-03", "--docx", target, "--force")
    assert forced.exit_code == 0, forced.stderr
    assert target.read_bytes().startswith(b"PK")


def test_xlsx_figures_links_calendar_and_chart(built, run, tmp_path) -> None:
    from openpyxl import load_workbook

    expected = march(built)
    target = tmp_path / "rekap.xlsx"
    result = run("recap", "--month", "2025-03", "--xlsx", target)
    assert result.exit_code == 0, result.stderr
    book = load_workbook(target)
    assert book.sheetnames == ["Ringkasan", "Daftar", "Kalender"]
    summary = {row[0]: row[1] for row in book["Ringkasan"].iter_rows(values_only=True) if row[0]}
    assert summary["Siaran pers"] == expected["releases"]
    assert summary["Publikasi"] == expected["publications"]
    assert summary["Siaran pers belum dipublikasikan"] == expected["unpublished"]
    assert summary["Hari tanpa siaran pers"] == len(expected["without"])
    for channel, name in CHANNEL_NAMES.items():
        assert summary[name] == expected["channels"][channel]

    rows = list(book["Daftar"].iter_rows(min_row=2))
    links = [row[6].hyperlink.target for row in rows if row[6].hyperlink is not None]
    assert sorted(links) == sorted(expected["urls"])
    assert all(row[6].value == row[6].hyperlink.target for row in rows if row[6].hyperlink)
    assert {row[7].value for row in rows} == set(expected["items"])
    assert sum(1 for row in rows if row[3].value == "belum dipublikasikan") == 3

    calendar_sheet = book["Kalender"]
    marks = {}
    for row in calendar_sheet.iter_rows(max_col=7):
        for cell in row:
            if isinstance(cell.value, str) and (m := re.fullmatch(r"(\d+): (\S+)", cell.value)):
                marks[int(m.group(1))] = (m.group(2), cell.fill.fgColor.rgb)
    assert sorted(marks) == list(range(1, 32))
    shaded = [d for d, (mark, fill) in marks.items() if mark == "✗" and fill.endswith("F4CCCC")]
    assert shaded == [d.day for d in expected["without"]]
    with zipfile.ZipFile(target) as archive:
        charts = [n for n in archive.namelist() if n.startswith("xl/charts/chart")]
        assert len(charts) == 2
        xml = archive.read(charts[0]).decode()
    # A native bar chart over the summary sheet's cells, editable in Excel or LibreOffice.
    assert "<barChart>" in xml and "<f>'Ringkasan'!$B$10:$B$17</f>" in xml


@needs_soffice
@pytest.mark.slow
def test_the_xlsx_opens_in_libreoffice_with_its_chart(built, run, tmp_path) -> None:
    expected = march(built)
    target = tmp_path / "rekap.xlsx"
    run("recap", "--month", "2025-03", "--xlsx", target)
    profile = tmp_path / "lo-profile"
    subprocess.run(
        [
            SOFFICE,
            f"-env:UserInstallation={profile.as_uri()}",
            "--headless",
            "--norestore",
            "--convert-to",
            "pdf",
            "--outdir",
            str(tmp_path),
            str(target),
        ],
        check=True,
        capture_output=True,
        timeout=300,
        env={"HOME": str(tmp_path), "PATH": "/usr/bin:/bin"},
    )
    text = subprocess.run(
        ["pdftotext", "-layout", str(tmp_path / "rekap.pdf"), "-"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    assert "Laporan Publikasi Kehumasan Bulan Maret 2025" in text
    assert re.search(rf"Publikasi\s+{expected['publications']}\b", text)
    assert re.search(rf"Situs web\s+{expected['channels']['website']}\b", text)
    # The chart titles are drawn only by the charts, not written in any cell.
    assert "Publikasi per kanal" in text and "Siaran pers per hari" in text


# --------------------------------------------------------------------------- DOCX / PDF


def docx_text(path: Path) -> tuple[list[str], list[list[list[str]]]]:
    import docx

    document = docx.Document(str(path))
    paragraphs = [p.text for p in document.paragraphs]
    tables = [[[c.text for c in row.cells] for row in t.rows] for t in document.tables]
    return paragraphs, tables


def test_docx_report_on_the_letterhead(built, run, tmp_path) -> None:
    import docx

    expected = march(built)
    target = tmp_path / "laporan.docx"
    assert run("recap", "--month", "2025-03", "--docx", target).exit_code == 0
    paragraphs, tables = docx_text(target)
    assert "LAPORAN PUBLIKASI KEHUMASAN BULAN MARET 2025" in paragraphs
    summary = dict(tables[0])
    assert summary["Siaran pers"] == str(expected["releases"])
    assert summary["Publikasi"] == str(expected["publications"])
    assert summary["Hari tanpa siaran pers"] == str(len(expected["without"]))
    channels = dict(tables[1][1:])
    for channel, name in CHANNEL_NAMES.items():
        assert channels[name] == str(expected["channels"][channel])
    assert channels["Jumlah"] == str(expected["publications"])
    listed = tables[2][1:]
    assert len(listed) == expected["releases"]
    text = "\n".join(cell for row in listed for cell in row)
    assert {u for u in expected["urls"] if u in text} == expected["urls"]
    assert sum(1 for row in listed if row[3] == "belum dipublikasikan") == 3
    days_line = paragraphs[paragraphs.index("Hari tanpa siaran pers") + 1]
    shown = [int(n) for n in re.findall(r"(\d+) Mar", days_line)]
    assert shown == [d.day for d in expected["without"]]
    document = docx.Document(str(target))
    assert len(document.inline_shapes) == 1  # the chart picture
    header = document.sections[0].first_page_header
    assert "RUMAH TAHANAN NEGARA KELAS IIB PELAIHARI" in [p.text for p in header.paragraphs]


@needs_soffice
@pytest.mark.slow
def test_pdf_report_through_libreoffice(built, run, tmp_path) -> None:
    target = tmp_path / "laporan.pdf"
    result = run("recap", "--month", "2025-03", "--pdf", target)
    assert result.exit_code == 0, result.stderr
    text = subprocess.run(
        ["pdftotext", str(target), "-"], check=True, capture_output=True, text=True
    ).stdout
    assert "LAPORAN PUBLIKASI KEHUMASAN BULAN MARET 2025" in text
    assert "Halaman 1 dari" in text


# --------------------------------------------------------------------------- stats


def test_stats_json_agrees_with_the_records(built, run) -> None:
    entries = list(built["ids"].values())
    data = json.loads(run("stats", "--json").stdout)
    assert data["releases"] == len(entries)
    assert data["per_month"] == dict(sorted(Counter(f"{e.day:%Y-%m}" for e in entries).items()))
    assert data["per_unit"] == dict(Counter(e.unit[0] for e in entries).most_common())
    assert data["per_tag"] == {
        tag: n for tag, n in Counter(t for e in entries for t in e.tags).items()
    }
    assert data["per_speaker"] == dict(Counter(e.speaker for e in entries))
    publications = Counter(p[1] for e in entries for p in e.publications)
    assert data["per_channel"] == {c: publications[c] for c in CHANNEL_NAMES}
    ranged = json.loads(
        run("stats", "--since", "2025-03-01", "--until", "2025-03-31", "--json").stdout
    )
    assert ranged["releases"] == march(built)["releases"]


def test_stats_in_the_terminal(built, run) -> None:
    text = run("stats").stdout
    assert "Maret 2025" in text and "Februari 2025" in text and "April 2025" in text
    assert re.search(r"│ Fani Andika\s+│\s+22 │", text)
    assert re.search(r"│ Rina Wulandari\s+│\s+2 │", text)


def test_an_empty_archive_has_a_recap_of_zeros(run, tmp_path) -> None:
    empty = tmp_path / "empty"
    data = json.loads(run("recap", "--month", "2025-02", "--json", archive=empty).stdout)
    assert data["releases"] == 0
    assert len(data["days_without_release"]) == calendar.monthrange(2025, 2)[1]
    assert run("recap", "--month", "2025-02", archive=empty).exit_code == 0
    assert json.loads(run("stats", "--json", archive=empty).stdout)["releases"] == 0


def test_the_days_still_to_come_of_a_running_month_are_not_days_without_release() -> None:
    from humaskit.recap.figures import compute_recap, parse_month

    today = dt.date(2025, 3, 12)
    recap = compute_recap([], parse_month("2025-03"), today=today)
    assert recap.days_without_release == [dt.date(2025, 3, d) for d in range(1, 13)]
    assert len(recap.days) == 31  # the calendar still has the whole month


def test_a_recap_of_this_month_marks_no_day_after_today(run, tmp_path) -> None:
    empty, today = tmp_path / "empty", dt.date.today()
    month = f"{today:%Y-%m}"
    data = json.loads(run("recap", "--month", month, "--json", archive=empty).stdout)
    assert data["days_without_release"][-1] == today.isoformat()
    assert len(data["days_without_release"]) == today.day
    shown = run("recap", "--month", month, archive=empty).stdout
    marked = {int(day) for day in re.findall(r"(\d+) ✗", shown)}
    assert marked == set(range(1, today.day + 1))
