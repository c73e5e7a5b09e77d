"""The Word file as a reader sees it: reopened with python-docx after the real ``humaskit new``."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import docx
import pytest
import yaml
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Cm, Mm, Pt
from PIL import Image, ImageDraw

from conftest import SEED_RECORD, archive_snapshot

REPO = Path(__file__).resolve().parent.parent
LETTERHEAD = [
    "Kementerian Imigrasi dan Pemasyarakatan Republik Indonesia",
    "Kantor Wilayah Kalimantan Selatan",
    "Rumah Tahanan Negara Kelas IIB Pelaihari",
]
TOLERANCE = Mm(0.2)


def write_logo(path: Path, kind: str = "PNG") -> Path:
    image = Image.new("RGB", (300, 330), "white")
    ImageDraw.Draw(image).ellipse((10, 10, 290, 320), fill=(20, 60, 140))
    image.save(path, kind)
    return path


def write_profile(folder: Path, **extra: str) -> Path:
    lines = [
        'unit = "Rumah Tahanan Negara Kelas IIB Pelaihari"',
        'signature = "Rutan Pelaihari"',
        'location = "Pelaihari"',
        'timezone = "WITA"',
        "letterhead = [" + ", ".join(f'"{line}"' for line in LETTERHEAD) + "]",
        'address = "Jalan A. Yani Km. 3, Pelaihari 70815"',
        'phone = "(0512) 21234"',
        'email = "rutanpelaihari@example.go.id"',
        'website = "rutanpelaihari.example.go.id"',
    ]
    lines += [f'{key} = "{value}"' for key, value in extra.items()]
    path = folder / "humaskit.toml"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def write_record(folder: Path, name: str = "rilis.yaml", **changes: object) -> Path:
    """The seed with a photo, a contact, a number and "Untuk Disiarkan Segera"."""
    data = yaml.safe_load(SEED_RECORD.read_text(encoding="utf-8"))
    photo = Image.new("RGB", (1600, 900), (90, 140, 90))
    photo.save(folder / "apel.jpg", "JPEG")
    data["photos"] = [{"path": "apel.jpg", "caption": "Karutan Pelaihari mengikuti penguatan."}]
    data["contact"] = {"name": "Humas Rutan Pelaihari", "phone": "0812-3456-7890"}
    data["number"] = "SP-012/HUMAS/II/2025"
    data["embargo"] = "segera"
    data.update(changes)
    path = folder / name
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def new_release(cli, record: Path) -> tuple[Path, Path]:  # type: ignore[no-untyped-def]
    result = cli("new", record, "--json")
    assert result.exit_code == 0, result.stderr
    [saved] = result.json()
    return Path(saved["docx"]), Path(saved["markdown"])


def markdown_paragraphs(markdown: Path) -> tuple[str, list[str]]:
    """The headline and the running paragraphs of the rendered Markdown (up to the signature)."""
    text = markdown.read_text(encoding="utf-8").split("\n---\n", 1)[1]
    blocks = [block.strip() for block in text.split("\n\n") if block.strip()]
    headline = blocks[0].removeprefix("# ")
    signature = next(i for i, block in enumerate(blocks) if block.startswith("- "))
    return headline, blocks[1 : signature + 1]


def instructions(part) -> list[str]:  # type: ignore[no-untyped-def]
    return [node.text.strip() for node in part._element.iter(qn("w:instrText"))]


@pytest.fixture
def unit(workdir: Path) -> Path:
    write_logo(workdir / "logo.png")
    return write_profile(workdir, logo="logo.png")


def test_docx_reads_like_the_markdown(cli, unit: Path, workdir: Path) -> None:
    docx_path, markdown = new_release(cli, write_record(workdir))
    out = docx.Document(str(docx_path))
    headline, paragraphs = markdown_paragraphs(markdown)

    texts = [p.text for p in out.paragraphs]
    assert texts[:4] == [
        "SIARAN PERS",
        "Nomor: SP-012/HUMAS/II/2025",
        "Kamis, 6 Februari 2025",
        "Untuk Disiarkan Segera",
    ]
    title_at = next(i for i, p in enumerate(out.paragraphs) if p.style.name == "Title")
    assert out.paragraphs[title_at].text == headline
    written = texts[title_at + 1 : title_at + 1 + len(paragraphs)]
    assert written == paragraphs  # same paragraphs, same order, signature last
    assert out.paragraphs[title_at + len(paragraphs)].style.name == "Signature"
    assert written[-1] == "- Rutan Pelaihari"

    lead = out.paragraphs[title_at + 1]
    assert lead.runs[0].text == "Wartanesia - " and lead.runs[0].bold
    quotes = [p for p in out.paragraphs if p.style.name == "Quote"]
    assert [q.text[-len(" ujar Gun Gun Gunawan.") :] for q in quotes[:1]] == [
        " ujar Gun Gun Gunawan."
    ]
    assert quotes[0].text.startswith("“Penggunaan media sosial")
    assert "nyata,” ujar" in quotes[0].text
    assert quotes[1].text.endswith("Rutan Pelaihari,” jelas Fani.")

    # The photo fits the text width, keeps its aspect, and its caption follows it.
    section = out.sections[0]
    text_width = section.page_width - section.left_margin - section.right_margin
    [shape] = out.inline_shapes
    assert 0 < shape.width <= text_width
    assert abs(shape.width / shape.height - 1600 / 900) < 0.01
    picture_at = next(i for i, p in enumerate(out.paragraphs) if p._p.xpath(".//w:drawing"))
    assert out.paragraphs[picture_at + 1].text == "Karutan Pelaihari mengikuti penguatan."
    assert out.paragraphs[picture_at + 1].style.name == "Caption"
    assert texts[-3:] == ["Narahubung:", "Humas Rutan Pelaihari", "0812-3456-7890"]


def test_page_type_and_language(cli, unit: Path, workdir: Path) -> None:
    docx_path, _ = new_release(cli, write_record(workdir))
    out = docx.Document(str(docx_path))
    section = out.sections[0]
    assert abs(section.page_width - Mm(210)) < TOLERANCE
    assert abs(section.page_height - Mm(297)) < TOLERANCE
    margins = (section.left_margin, section.top_margin, section.right_margin)
    assert all(abs(a - b) < TOLERANCE for a, b in zip(margins, (Cm(3), Cm(2), Cm(2)), strict=True))
    assert abs(section.bottom_margin - Cm(2.5)) < TOLERANCE

    normal = out.styles["Normal"]
    assert normal.font.name == "Arial"
    assert normal.font.size == Pt(12)
    assert normal.paragraph_format.alignment == WD_ALIGN_PARAGRAPH.JUSTIFY
    assert 1.15 <= normal.paragraph_format.line_spacing <= 1.5
    body = [p for p in out.paragraphs if p.style.name in ("Normal", "Quote") and len(p.text) > 200]
    assert body and all(p.paragraph_format.alignment is None for p in body)  # from the style

    lang = out.styles.element.find(qn("w:docDefaults")).find(f".//{qn('w:lang')}")
    assert lang.get(qn("w:val")) == "id-ID"
    fonts = out.styles.element.find(qn("w:docDefaults")).find(f".//{qn('w:rFonts')}")
    assert fonts.get(qn("w:ascii")) == "Arial"

    props = out.core_properties
    assert props.title == "Rutan Pelaihari Ikuti Penguatan Kehumasan Ditjenpas"
    assert props.author == "Rumah Tahanan Negara Kelas IIB Pelaihari"
    assert props.keywords == "kehumasan, media sosial, etika ASN"
    assert "Rutan Pelaihari" in props.subject
    assert props.created.date().isoformat() == "2025-02-06"


def test_letterhead_on_first_page_only_and_page_numbers(cli, unit: Path, workdir: Path) -> None:
    docx_path, _ = new_release(cli, write_record(workdir))
    section = docx.Document(str(docx_path)).sections[0]
    assert section.different_first_page_header_footer

    first = section.first_page_header
    [kop] = first.tables
    lines = [p.text for p in kop.cell(0, 1).paragraphs]
    assert lines[:3] == [line.upper() for line in LETTERHEAD]
    assert "Jalan A. Yani Km. 3, Pelaihari 70815" in lines
    assert any("Telepon (0512) 21234" in line and "Pos-el" in line for line in lines)
    assert kop.cell(0, 0)._tc.xpath(".//w:drawing")  # the logo
    # LibreOffice lays the table out by its grid: the logo's column must hold the picture and
    # the cell's default padding (0.19 cm a side), or the logo is cut off on the right.
    [extent] = kop.cell(0, 0)._tc.xpath(".//wp:extent")
    assert kop.columns[0].width >= int(extent.get("cx")) + Cm(0.38)
    rule = first.paragraphs[-1]._p.xpath("./w:pPr/w:pBdr/w:bottom")
    assert rule, "a rule under the letterhead"

    later = section.header
    assert not any(p.text.strip() for p in later.paragraphs)
    assert not later.tables and not later._element.xpath(".//w:drawing")

    for footer in (section.first_page_footer, section.footer):
        assert instructions(footer) == ["PAGE \\* MERGEFORMAT", "NUMPAGES \\* MERGEFORMAT"]
        assert footer.paragraphs[0].text == "Halaman 1 dari 1"  # field values before layout


def test_letterhead_without_logo_or_profile_names_the_unit(cli, workdir: Path) -> None:
    docx_path, _ = new_release(cli, write_record(workdir))
    header = docx.Document(str(docx_path)).sections[0].first_page_header
    assert not header.tables
    assert header.paragraphs[0].text == "RUMAH TAHANAN NEGARA KELAS IIB PELAIHARI"


def test_f4_paper_from_profile(cli, workdir: Path) -> None:
    write_profile(workdir, paper="F4")
    docx_path, _ = new_release(cli, write_record(workdir))
    section = docx.Document(str(docx_path)).sections[0]
    assert abs(section.page_width - Mm(215)) < TOLERANCE
    assert abs(section.page_height - Mm(330)) < TOLERANCE


def test_unit_template_lacking_styles_gets_them(cli, workdir: Path) -> None:
    """A plain Word file (no Quote, Caption, Title, ...) works: the styles are added."""
    template = docx.Document()
    for name in ("Quote", "Caption", "Title", "Subtitle"):
        element = template.styles[name].element
        element.getparent().remove(element)
    template.add_paragraph("Contoh isi yang harus hilang")
    template.sections[0].different_first_page_header_footer = True
    template.sections[0].first_page_header.paragraphs[0].text = "KOP SURAT UNIT SENDIRI"
    template.save(str(workdir / "unit.docx"))
    write_profile(workdir, docx_template="unit.docx")

    docx_path, _ = new_release(cli, write_record(workdir))
    out = docx.Document(str(docx_path))
    assert "Contoh isi yang harus hilang" not in [p.text for p in out.paragraphs]
    assert out.styles["Quote"].type == WD_STYLE_TYPE.PARAGRAPH
    assert [p.text for p in out.paragraphs if p.style.name == "Quote"][1].endswith("jelas Fani.")
    # The unit's own letterhead in its template is kept, not replaced.
    first = out.sections[0].first_page_header
    assert [p.text for p in first.paragraphs] == ["KOP SURAT UNIT SENDIRI"]
    assert instructions(out.sections[0].footer)[0].startswith("PAGE")


def test_template_with_a_character_style_of_that_name_is_refused(
    cli, workdir: Path, archive_dir: Path
) -> None:
    template = docx.Document()
    element = template.styles["Quote"].element
    element.getparent().remove(element)
    template.styles.add_style("Quote", WD_STYLE_TYPE.CHARACTER)
    template.save(str(workdir / "unit.docx"))
    write_profile(workdir, docx_template="unit.docx")
    result = cli("new", write_record(workdir))
    assert result.exit_code == 2
    assert '"Quote"' in result.stderr and "Traceback" not in result.stderr
    assert archive_snapshot(archive_dir) == {}


@pytest.mark.parametrize(
    ("name", "content", "expected"),
    [
        ("unit.dotx", None, ".dotx"),
        ("unit.docx", b"bukan docx", "unit.docx"),
        ("hilang.docx", "missing", "hilang.docx"),
    ],
)
def test_unusable_template_is_a_clear_error(
    cli, workdir: Path, archive_dir: Path, name: str, content, expected: str
) -> None:  # type: ignore[no-untyped-def]
    if content is None:
        docx.Document().save(str(workdir / name))
    elif content != "missing":
        (workdir / name).write_bytes(content)
    write_profile(workdir, docx_template=name)
    result = cli("new", write_record(workdir))
    assert result.exit_code == 2, result.stderr
    assert expected in result.stderr
    assert "Traceback" not in result.stderr
    assert archive_snapshot(archive_dir) == {}


@pytest.mark.parametrize(("logo", "kind"), [("logo.gif", "GIF"), ("tidak-ada.png", None)])
def test_bad_logo_is_refused_before_writing(
    cli, workdir: Path, archive_dir: Path, logo: str, kind: str | None
) -> None:
    if kind:
        write_logo(workdir / logo, kind)
    write_profile(workdir, logo=logo)
    result = cli("new", write_record(workdir))
    assert result.exit_code == 2
    assert result.stderr.startswith("humaskit: logo:") and logo in result.stderr
    assert archive_snapshot(archive_dir) == {}


def test_long_body_and_fifty_quotes(cli, workdir: Path) -> None:
    words = ("pembinaan warga binaan pemasyarakatan berjalan sesuai rencana kerja " * 625).split()
    body = [" ".join(words[i : i + 100]) for i in range(0, 5000, 100)]
    speakers = [{"name": f"Narasumber {n}", "title": f"Kepala Seksi {n}"} for n in range(50)]
    quotes = [
        {"speaker": s["name"], "text": f"Kutipan nomor {i} & <tanda>"}
        for i, s in enumerate(speakers)
    ]
    record = write_record(workdir, body=body, speakers=speakers, quotes=quotes, photos=[])
    docx_path, markdown = new_release(cli, record)
    out = docx.Document(str(docx_path))
    _, paragraphs = markdown_paragraphs(markdown)
    texts = [p.text for p in out.paragraphs]
    title_at = next(i for i, p in enumerate(out.paragraphs) if p.style.name == "Title")
    assert texts[title_at + 1 : title_at + 1 + len(paragraphs)] == paragraphs
    assert sum(p.style.name == "Quote" for p in out.paragraphs) == 50
    assert "“Kutipan nomor 49 & <tanda>,” ujar Kepala Seksi 49, Narasumber 49." in texts


def test_control_characters_are_refused(cli, workdir: Path, archive_dir: Path) -> None:
    result = cli("new", write_record(workdir, title="Judul\x07 berbunyi"))
    assert result.exit_code == 2 and "title" in result.stderr
    assert archive_snapshot(archive_dir) == {}


def test_same_release_renders_to_same_bytes(cli, unit: Path, workdir: Path) -> None:
    from humaskit.archive.profile import load_profile
    from humaskit.document.compose import compose
    from humaskit.document.docx import render_docx
    from humaskit.record.model import load_release_file

    release = load_release_file(SEED_RECORD)
    profile = load_profile(unit)
    first = render_docx(compose(release), profile, {})
    assert render_docx(compose(release), profile, {}) == first


def test_reference_template_is_reproducible() -> None:
    spec = importlib.util.spec_from_file_location(
        "make_reference_docx", REPO / "scripts" / "make_reference_docx.py"
    )
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    assert module.build() == (REPO / "templates" / "reference.docx").read_bytes()


def test_a_sideways_phone_photo_stands_upright_in_the_word_file(cli, workdir, seed_record):
    """A portrait shot stored sideways with EXIF orientation 6 is turned, as a reader expects."""
    import docx
    import yaml
    from PIL import Image

    sideways = Image.new("RGB", (400, 200), (90, 120, 60))
    exif = Image.Exif()
    exif[0x0112] = 6  # "rotate 90° clockwise to view"
    sideways.save(workdir / "potret.jpg", exif=exif.tobytes())
    record = yaml.safe_load(seed_record.read_text("utf-8"))
    record["photos"] = [{"path": "potret.jpg", "caption": "Petugas berfoto bersama"}]
    seed_record.write_text(yaml.safe_dump(record, allow_unicode=True), "utf-8")
    saved = cli("new", seed_record, "--json").json()[0]
    shape = list(docx.Document(saved["docx"]).inline_shapes)[-1]
    assert shape.height > shape.width


# --------------------------------------------------------------------------- kept per process
# The prepared letterhead document, the style ids and the compiled Markdown template are kept
# for the process (docs/performance.md); the CLI runner here is one process, as an import is.


def test_a_template_changed_between_saves_is_used_for_the_next_one(cli, workdir: Path) -> None:
    def write_template(kop: str) -> None:
        template = docx.Document()
        template.sections[0].different_first_page_header_footer = True
        template.sections[0].first_page_header.paragraphs[0].text = kop
        template.save(str(workdir / "unit.docx"))

    write_profile(workdir, docx_template="unit.docx")
    write_template("KOP LAMA")
    first, _ = new_release(cli, write_record(workdir))
    write_template("KOP BARU DENGAN TEKS LEBIH PANJANG")
    second, _ = new_release(cli, write_record(workdir, "kedua.yaml", title="Rilis Kedua"))
    kops = [
        [p.text for p in docx.Document(str(path)).sections[0].first_page_header.paragraphs]
        for path in (first, second)
    ]
    assert kops == [["KOP LAMA"], ["KOP BARU DENGAN TEKS LEBIH PANJANG"]]


def test_a_second_release_in_one_process_shares_nothing_with_the_first(
    cli, unit: Path, workdir: Path
) -> None:
    first, _ = new_release(cli, write_record(workdir))
    second, _ = new_release(cli, write_record(workdir, "kedua.yaml", title="Rilis Kedua"))
    texts = [[p.text for p in docx.Document(str(path)).paragraphs] for path in (first, second)]
    assert "Rilis Kedua" not in texts[0] and "Rilis Kedua" in texts[1]
    assert len(texts[0]) == len(texts[1])  # nothing of the first carried into the second
    pictures = [len(docx.Document(str(path)).inline_shapes) for path in (first, second)]
    assert pictures == [1, 1]


def test_the_stamped_zip_is_byte_for_byte_a_full_rezip() -> None:
    import io

    from humaskit.document.docx import _rezipped, _stamped, letterhead_document

    out = letterhead_document(None, "Rumah Tahanan Negara Kelas IIB Pelaihari")
    out.add_paragraph("Isi")
    raw = io.BytesIO()
    out.save(raw)
    stamped = _stamped(bytearray(raw.getbuffer()))
    assert stamped is not None and stamped == _rezipped(raw)
    import zipfile

    with zipfile.ZipFile(io.BytesIO(stamped)) as written:
        assert written.testzip() is None
        assert {info.date_time for info in written.infolist()} == {(2025, 1, 1, 0, 0, 0)}
        assert {info.external_attr >> 16 for info in written.infolist()} == {0o644}


def test_a_markdown_template_edited_or_linked_between_saves_is_read_again(
    cli, workdir: Path
) -> None:
    assert cli("init", "--unit", "Rutan Pelaihari", "--signature", "Rutan Pelaihari").exit_code == 0
    templates = workdir / "templates"
    templates.mkdir()
    template = templates / "release.md.j2"
    template.write_text("# {{ doc.headline }}\nVERSI SATU\n", "utf-8")
    _, first = new_release(cli, write_record(workdir))
    template.write_text("# {{ doc.headline }}\nVERSI DUA YANG LAIN\n", "utf-8")
    _, second = new_release(cli, write_record(workdir, "kedua.yaml", title="Rilis Kedua"))
    assert "VERSI SATU" in first.read_text("utf-8")
    assert "VERSI DUA YANG LAIN" in second.read_text("utf-8")
    template.unlink()
    template.symlink_to("/etc/passwd")
    result = cli("new", write_record(workdir, "ketiga.yaml", title="Rilis Ketiga"))
    assert result.exit_code == 2 and "release.md.j2" in result.stderr
