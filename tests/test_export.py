"""``humaskit export``: the real command against a real archive; PDF through real LibreOffice."""

from __future__ import annotations

import shutil
import subprocess
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import docx
import pytest
from docx.shared import Mm
from PIL import Image

from conftest import archive_snapshot

# The PDF tests skip only without LibreOffice; poppler-utils (pdftotext) then must be there too,
# as .ci/run installs both.
needs_pdf_tools = pytest.mark.skipif(
    not (shutil.which("soffice") or shutil.which("libreoffice")),
    reason="LibreOffice is not installed (apt-get install libreoffice-writer-nogui)",
)


@pytest.fixture
def saved(cli, workdir: Path, seed_record: Path) -> str:  # type: ignore[no-untyped-def]
    Image.new("RGB", (200, 220), (20, 60, 140)).save(workdir / "logo.png")
    (workdir / "humaskit.toml").write_text(
        'unit = "Rumah Tahanan Negara Kelas IIB Pelaihari"\n'
        'letterhead = ["Kementerian Imigrasi dan Pemasyarakatan", '
        '"Rumah Tahanan Negara Kelas IIB Pelaihari"]\n'
        'logo = "logo.png"\n',
        encoding="utf-8",
    )
    result = cli("new", seed_record, "--json")
    assert result.exit_code == 0, result.stderr
    return result.json()[0]["id"]


def pdf_text(path: Path, *pages: str) -> str:
    return subprocess.run(
        ["pdftotext", "-layout", *pages, str(path), "-"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout


def pdf_pages(path: Path) -> int:
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True)
    line = next(x for x in info.stdout.splitlines() if x.startswith("Pages:"))
    return int(line.split()[1])


def test_export_markdown_and_docx(cli, saved: str, workdir: Path, archive_dir: Path) -> None:
    result = cli(
        "export", saved, "--md", "keluar/rilis.md", "--docx", "keluar/rilis.docx", "--json"
    )
    assert result.exit_code == 0, result.stderr
    assert result.json() == {
        "id": saved,
        "md": str(workdir / "keluar" / "rilis.md"),
        "docx": str(workdir / "keluar" / "rilis.docx"),
    }
    stored = archive_dir / "releases" / "2025" / saved
    assert (workdir / "keluar" / "rilis.md").read_text() == (stored / "release.md").read_text()
    exported = docx.Document(str(workdir / "keluar" / "rilis.docx"))
    archived = docx.Document(str(stored / "release.docx"))
    assert [p.text for p in exported.paragraphs] == [p.text for p in archived.paragraphs]


def test_export_into_a_folder_and_on_f4(cli, saved: str, workdir: Path) -> None:
    (workdir / "kirim").mkdir()
    result = cli("export", saved, "--docx", "kirim", "--paper", "F4")
    assert result.exit_code == 0, result.stderr
    target = workdir / "kirim" / f"{saved}.docx"
    assert str(target) in result.stdout
    section = docx.Document(str(target)).sections[0]
    assert abs(section.page_height - Mm(330)) < Mm(0.2)


def test_export_into_a_new_folder(cli, saved: str, workdir: Path) -> None:
    result = cli("export", saved, "--md", "baru/rilis", "--docx", "siaran.docx")
    assert result.exit_code == 0, result.stderr
    assert (workdir / "baru" / "rilis" / f"{saved}.md").is_file()
    assert (workdir / "siaran.docx").is_file()


@pytest.mark.parametrize(
    ("args", "code", "words"),
    [
        ((), 2, "--md"),
        (("--docx", "x.docx", "--paper", "Letter"), 2, "--paper"),
        (("--md", "x.md"), 1, None),  # unknown id
    ],
)
def test_export_mistakes(cli, saved: str, workdir: Path, args, code: int, words) -> None:  # type: ignore[no-untyped-def]
    release_id = saved if code == 2 else "2025-02-06-tidak-ada"
    before = {p.name for p in workdir.iterdir()}
    result = cli("export", release_id, *args)
    assert result.exit_code == code
    assert result.stderr.startswith("humaskit: ") and "Traceback" not in result.stderr
    if words:
        assert words in result.stderr
    assert {p.name for p in workdir.iterdir()} == before


def test_pdf_without_libreoffice_names_the_install_command(
    cli, saved: str, workdir: Path, archive_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    empty = workdir / "no-programs"
    empty.mkdir()
    monkeypatch.setenv("PATH", str(empty))
    before = archive_snapshot(archive_dir)
    result = cli("export", saved, "--pdf", "rilis.pdf", "--docx", "rilis.docx")
    assert result.exit_code == 1
    assert "apt-get install libreoffice-writer-nogui" in result.stderr
    assert not (workdir / "rilis.pdf").exists() and not (workdir / "rilis.docx").exists()
    assert archive_snapshot(archive_dir) == before


@needs_pdf_tools
def test_pdf_export_converts_for_real(cli, saved: str, workdir: Path) -> None:
    result = cli("export", saved, "--pdf", "rilis.pdf")
    assert result.exit_code == 0, result.stderr
    pdf = workdir / "rilis.pdf"
    assert pdf.read_bytes().startswith(b"%PDF")
    pages = pdf_pages(pdf)
    assert pages >= 1
    text = pdf_text(pdf)
    flat = " ".join(text.split())
    assert "SIARAN PERS" in flat
    assert "Rutan Pelaihari Ikuti Penguatan Kehumasan Ditjenpas" in flat
    assert "ujar Gun Gun Gunawan." in flat and "“Penggunaan media sosial" in flat
    assert f"Halaman 1 dari {pages}" in flat
    assert f"Halaman {pages} dari {pages}" in flat
    first = " ".join(pdf_text(pdf, "-f", "1", "-l", "1").split())
    assert "KEMENTERIAN IMIGRASI DAN PEMASYARAKATAN" in first
    if pages > 1:
        rest = pdf_text(pdf, "-f", "2", "-l", str(pages))
        assert "KEMENTERIAN" not in rest  # the letterhead is on the first page only


@needs_pdf_tools
def test_two_conversions_at_once(saved: str, archive_dir: Path) -> None:
    from humaskit.export import docx_to_pdf, find_soffice

    source = (archive_dir / "releases" / "2025" / saved / "release.docx").read_bytes()
    soffice = find_soffice()
    with ThreadPoolExecutor(max_workers=2) as pool:
        results = list(pool.map(lambda n: docx_to_pdf(source, soffice, name=f"r{n}"), range(2)))
    assert all(pdf.startswith(b"%PDF") for pdf in results)


def test_export_of_a_release_whose_photo_was_lost(cli, workdir: Path, seed_record: Path) -> None:
    Image.new("RGB", (640, 480), (90, 140, 90)).save(workdir / "apel.jpg")
    record = seed_record.read_text(encoding="utf-8")
    record += "photos:\n  - {path: apel.jpg, caption: Apel pagi.}\n"
    seed_record.write_text(record, encoding="utf-8")
    created = cli("new", seed_record, "--json")
    assert created.exit_code == 0, created.stderr
    folder = Path(created.json()[0]["docx"]).parent
    [photo] = (folder / "photos").iterdir()
    photo.unlink()
    result = cli("export", created.json()[0]["id"], "--docx", "rilis.docx")
    assert result.exit_code == 1
    assert photo.name in result.stderr and "doctor" in result.stderr
    assert not (workdir / "rilis.docx").exists()
