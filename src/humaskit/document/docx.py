"""Release → DOCX for official submission: python-docx writes the composed document into a
reference template (``templates/reference.docx``, made by ``scripts/make_reference_docx.py``,
or the unit's own Word file named by ``docx_template`` in ``humaskit.toml``).

The template carries the look (styles, margins, footer). This module adds what depends on
the unit and the release: paper size, the letterhead (kop surat) on the first page, the body
from :class:`humaskit.compose.Document` — the same paragraphs, in the same order, as the
Markdown — photos, the narahubung block and the document properties.

Styles used: Normal, Title, Subtitle, Quote, Caption, Signature, Header, Footer and
"Humas Info". A template that lacks one of them gets it added with humaskit's defaults
(:data:`STYLE_SPECS`), so a unit's plain Word file still works; a name that exists as a
character or table style is refused with a message naming it.
"""

from __future__ import annotations

import copy
import datetime as dt
import hashlib
import io
import json
import zipfile
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from humaskit.archive.profile import Profile
from humaskit.document.compose import Document
from humaskit.document.photos import embeddable
from humaskit.errors import HumasError, InputError
from humaskit.i18n import t

if TYPE_CHECKING:
    from docx.document import Document as DocxDocument
    from docx.section import Section
    from docx.styles.style import ParagraphStyle

REFERENCE_NAME = "reference.docx"
FONT = "Arial"
LANGUAGE = "id-ID"
LABEL = "SIARAN PERS"
CONTACT_LABEL = "Narahubung:"
PAGE_WORD, OF_WORD = "Halaman", "dari"
# Paper sizes in millimetres (width, height); F4 is the folio still common in Indonesia.
PAPER_MM = {"A4": (210, 297), "F4": (215, 330)}
# Margins in centimetres (left, top, right, bottom), Indonesian official-document practice.
MARGINS_CM = (3.0, 2.0, 2.0, 2.5)
LOGO_BOX_CM = (2.2, 2.4)  # the logo fits this box (width, height), aspect kept
PHOTO_MAX_HEIGHT_SHARE = 0.45  # of the text height, so a portrait photo leaves room for text
LOGO_FORMATS = ("JPEG", "PNG")
# A fixed zip timestamp, so the same release renders to the same bytes.
ZIP_TIME = (2025, 1, 1, 0, 0, 0)


@dataclass(frozen=True)
class StyleSpec:
    """How humaskit's reference template draws a paragraph style (also the fallback when a
    unit's template lacks the style)."""

    size: float | None = None
    bold: bool | None = None
    italic: bool | None = None
    align: str | None = None  # left, center, right, justify
    line: float | None = None
    before: float | None = None
    after: float | None = None
    keep_next: bool | None = None
    caps: bool | None = None


STYLE_SPECS: dict[str, StyleSpec] = {
    "Normal": StyleSpec(size=12, align="justify", line=1.15, before=0, after=8),
    "Title": StyleSpec(size=14, bold=True, align="center", before=6, after=14, keep_next=True),
    "Subtitle": StyleSpec(size=14, bold=True, align="center", after=2, keep_next=True),
    "Humas Info": StyleSpec(size=11, align="center", line=1.0, after=2, keep_next=True),
    "Quote": StyleSpec(),
    "Caption": StyleSpec(size=10, italic=True, align="center", line=1.0, before=2, after=12),
    "Signature": StyleSpec(align="left", bold=True, before=4),
    "Header": StyleSpec(size=10, align="center", line=1.0, after=0),
    "Footer": StyleSpec(size=9, align="center", line=1.0, after=0),
}


# --------------------------------------------------------------------------- entry point


def render_docx(
    document: Document,
    profile: Profile | None,
    photo_files: Mapping[str, Path],
    *,
    paper: str | None = None,
) -> bytes:
    """The Word file of ``document``; ``photo_files`` maps each ``photo.path`` to its file.

    ``paper`` (A4 or F4) overrides the profile's. Raises :class:`InputError` for a template
    or logo humaskit cannot use, before anything is written.
    """
    out, style_ids = _letterhead_with_styles(profile, document.release.unit, paper=paper)
    section = out.sections[-1]
    _write_content(out, section, document, photo_files, style_ids)
    _set_properties(out, document)
    _embed_record(out, document)
    return save_normalized(out)


def letterhead_document(
    profile: Profile | None, unit: str, *, paper: str | None = None
) -> DocxDocument:
    """An empty document on the unit's template: paper, styles, the kop surat on the first
    page (``unit`` when the profile has no letterhead lines) and the page footer. Releases
    and reports on the unit's paper (``humaskit.recap.docx``) start from it.

    Opening the template, checking its styles and drawing the kop surat cost more than the
    release itself, so the prepared document is kept (per process) and each call gets a
    fresh deep copy of it. The key holds everything the result depends on —
    the template's and the logo's path, size and modification time, the paper and the
    letterhead lines — so a changed template or logo is prepared again. The logo is still
    checked on every call, so a logo removed since is refused as before.
    """
    return _letterhead_with_styles(profile, unit, paper=paper)[0]


def _letterhead_with_styles(
    profile: Profile | None, unit: str, *, paper: str | None = None
) -> tuple[DocxDocument, dict[str, str | None]]:
    """``letterhead_document`` and the style id of each style humaskit writes (``None`` for
    the default paragraph style, which a paragraph carries by having no style)."""
    import docx

    logo = _logo_path(profile)
    template = template_path(profile)
    paper_name = paper or (profile.paper if profile else "A4")
    lines = unit_letterhead_lines(unit, profile)
    key = (
        _file_key(template),
        _file_key(logo) if logo is not None else None,
        paper_name,
        tuple(lines[0]),
        tuple(lines[1]),
    )
    prepared = _PREPARED.get(key)
    if prepared is None:
        out = _prepare_letterhead(template, paper_name, lines, logo)
        raw = io.BytesIO()
        out.save(raw)
        if len(_PREPARED) >= PREPARED_KEEP:
            _PREPARED.clear()
        # Kept as the saved file opened again, so each copy is what opening the prepared
        # file would give (and deep-copying it costs two thirds of opening it).
        prepared = _PREPARED[key] = (docx.Document(raw), _style_ids(out))
    kept, style_ids = prepared
    return copy.deepcopy(kept), style_ids


def _style_ids(out: DocxDocument) -> dict[str, str | None]:
    from docx.enum.style import WD_STYLE_TYPE

    default = out.styles.default(WD_STYLE_TYPE.PARAGRAPH)
    ids: dict[str, str | None] = {}
    for name in STYLE_SPECS:
        style = out.styles[name]
        ids[name] = None if style == default else style.style_id
    return ids


# Prepared letterhead documents of this process (see ``letterhead_document``); a process
# renders for one unit or a few, so a handful is plenty.
PREPARED_KEEP = 8
_PREPARED: dict[tuple, tuple[DocxDocument, dict[str, str | None]]] = {}


def _file_key(path: Path) -> tuple[str, int, int, int]:
    info = path.stat()
    return (str(path.resolve()), info.st_size, info.st_mtime_ns, info.st_ino)


def _prepare_letterhead(
    template: Path, paper: str, lines: tuple[list[str], list[str]], logo: Path | None
) -> DocxDocument:
    out = open_template(template)
    _clear_body(out)
    ensure_styles(out)
    set_document_defaults(out)
    section = out.sections[-1]
    set_paper(section, paper)
    section.different_first_page_header_footer = True
    if not _has_content(section.first_page_header):
        _letterhead(section, lines, logo)
    for footer in (section.first_page_footer, section.footer):
        if not _has_page_field(footer):
            add_page_footer(footer)
    return out


# --------------------------------------------------------------------------- template


def template_path(profile: Profile | None) -> Path:
    """The unit's ``docx_template``, else ``reference.docx`` from the template folders."""
    if profile is not None and profile.docx_template:
        path = profile.resolve(profile.docx_template)
        assert path is not None
        if not path.is_file():
            raise InputError(t("docx.template_missing", path=path))
        return path
    from humaskit.document.templates import find_template

    return find_template(REFERENCE_NAME, profile)


def open_template(path: Path) -> DocxDocument:
    import docx
    from docx.opc.exceptions import PackageNotFoundError

    if path.suffix.lower() in (".dotx", ".dotm", ".dot"):
        raise InputError(t("docx.template_dotx", path=path))
    try:
        return docx.Document(str(path))
    except (PackageNotFoundError, zipfile.BadZipFile, ValueError, KeyError) as err:
        raise InputError(t("docx.template_bad", path=path, error=err)) from None


def _clear_body(out: DocxDocument) -> None:
    """Remove a template's sample text; the final section (page setup) stays."""
    body = out.element.body
    for child in list(body):
        if not child.tag.endswith("}sectPr"):
            body.remove(child)


def ensure_styles(out: DocxDocument, *, redefine: bool = False) -> None:
    """Add every style humaskit uses that the template lacks (``redefine``: the reference
    template script draws all of them anew)."""
    from docx.enum.style import WD_STYLE_TYPE

    styles = out.styles
    for name, spec in STYLE_SPECS.items():
        existing = _find_style(out, name)
        if existing is not None and existing.type != WD_STYLE_TYPE.PARAGRAPH:
            raise InputError(t("docx.style_type", style=name))
        if existing is not None and not redefine:
            continue
        style = existing or styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
        if redefine:
            _reset_style(style)
        if name != "Normal":
            style.base_style = styles["Normal"]
        if name in ("Signature", "Header", "Footer", "Humas Info", "Caption"):
            style.next_paragraph_style = styles["Normal"]
        style.quick_style = True
        apply_spec(style, spec)
        if name == "Normal":
            _set_fonts(style.element.get_or_add_rPr(), FONT)


def _find_style(out: DocxDocument, name: str) -> Any:
    for style in out.styles:
        if style.name == name:
            return style
    return None


def _reset_style(style: ParagraphStyle) -> None:
    element = style.element
    for tag in ("w:pPr", "w:rPr"):
        found = element.find(_qn(tag))
        if found is not None:
            element.remove(found)


def apply_spec(style: ParagraphStyle, spec: StyleSpec) -> None:
    from docx.shared import Pt

    font, fmt = style.font, style.paragraph_format
    if spec.size is not None:
        font.size = Pt(spec.size)
    if spec.bold is not None:
        font.bold = spec.bold
    if spec.italic is not None:
        font.italic = spec.italic
    if spec.caps is not None:
        font.all_caps = spec.caps
    if spec.align is not None:
        fmt.alignment = _alignment(spec.align)
    if spec.line is not None:
        fmt.line_spacing = spec.line
    if spec.before is not None:
        fmt.space_before = Pt(spec.before)
    if spec.after is not None:
        fmt.space_after = Pt(spec.after)
    if spec.keep_next is not None:
        fmt.keep_with_next = spec.keep_next


def _alignment(name: str) -> Any:
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    return {
        "left": WD_ALIGN_PARAGRAPH.LEFT,
        "center": WD_ALIGN_PARAGRAPH.CENTER,
        "right": WD_ALIGN_PARAGRAPH.RIGHT,
        "justify": WD_ALIGN_PARAGRAPH.JUSTIFY,
    }[name]


def set_document_defaults(out: DocxDocument, *, font: str | None = None) -> None:
    """Indonesian as the document language (so Word checks Indonesian spelling); with
    ``font``, also the default font (theme fonts removed)."""
    styles_element = out.styles.element
    doc_defaults = styles_element.find(_qn("w:docDefaults"))
    if doc_defaults is None:
        doc_defaults = _make("w:docDefaults")
        styles_element.insert(0, doc_defaults)
    rpr_default = _child(doc_defaults, "w:rPrDefault", first=True)
    rpr = _child(rpr_default, "w:rPr")
    if font:
        _set_fonts(rpr, font)
    lang = rpr.find(_qn("w:lang"))
    if lang is None:
        lang = _make("w:lang")
        rpr.append(lang)
    lang.set(_qn("w:val"), LANGUAGE)
    lang.set(_qn("w:eastAsia"), LANGUAGE)
    # Word's auto-detected language would override the default and flag every word.
    settings = out.settings.element
    if settings.find(_qn("w:themeFontLang")) is not None:
        settings.find(_qn("w:themeFontLang")).set(_qn("w:val"), LANGUAGE)


def _set_fonts(rpr: Any, font: str) -> None:
    fonts = rpr.find(_qn("w:rFonts"))
    if fonts is None:
        fonts = _make("w:rFonts")
        rpr.insert(0, fonts)
    for attribute in list(fonts.attrib):
        if attribute.endswith("Theme") or attribute.endswith("theme"):
            del fonts.attrib[attribute]
    for attribute in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(_qn(attribute), font)


def set_paper(section: Section, paper: str) -> None:
    from docx.enum.section import WD_ORIENT
    from docx.shared import Mm

    if paper.upper() not in PAPER_MM:
        raise InputError(t("docx.paper", paper=paper, choices=", ".join(PAPER_MM)))
    width, height = PAPER_MM[paper.upper()]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Mm(width), Mm(height)


def set_margins(section: Section) -> None:
    from docx.shared import Cm

    left, top, right, bottom = MARGINS_CM
    section.left_margin, section.top_margin = Cm(left), Cm(top)
    section.right_margin, section.bottom_margin = Cm(right), Cm(bottom)
    section.header_distance, section.footer_distance = Cm(1.0), Cm(1.2)


# --------------------------------------------------------------------------- header/footer


def _has_content(part: Any) -> bool:  # a section's header or footer
    if part.is_linked_to_previous:
        return False
    element = part.part.element  # the header's own XML, through its public part
    has_text = any((node.text or "").strip() for node in element.iter(_qn("w:t")))
    has_picture = next(element.iter(_qn("w:drawing")), None) is not None
    return has_text or has_picture


def _has_page_field(footer: Any) -> bool:
    if footer.is_linked_to_previous:
        return False
    element = footer.part.element
    instructions = [node.text or "" for node in element.iter(_qn("w:instrText"))]
    instructions += [node.get(_qn("w:instr"), "") for node in element.iter(_qn("w:fldSimple"))]
    return any("PAGE" in i.split() for i in instructions)


def add_page_footer(footer: Any) -> None:  # a section's footer
    """ "Halaman X dari Y" with real PAGE and NUMPAGES fields (Word and LibreOffice fill them)."""
    paragraph = footer.paragraphs[0] if _is_empty(footer) else footer.add_paragraph()
    paragraph.style = "Footer"
    paragraph.add_run(f"{PAGE_WORD} ")
    _add_field(paragraph, "PAGE")
    paragraph.add_run(f" {OF_WORD} ")
    _add_field(paragraph, "NUMPAGES")


def _is_empty(part: Any) -> bool:  # a section's header or footer
    return len(part.paragraphs) == 1 and not part.tables and not _has_content(part)


def _add_field(paragraph: Any, instruction: str) -> None:
    """A complex field: begin, instruction, separate, the shown value "1", end."""
    for kind, text in (("begin", None), ("instr", instruction), ("separate", None), ("text", "1")):
        run = paragraph.add_run()
        if kind == "instr":
            node = _make("w:instrText")
            node.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
            node.text = f" {text} \\* MERGEFORMAT "
            run.element.append(node)
        elif kind == "text":
            run.text = text
        else:
            node = _make("w:fldChar")
            node.set(_qn("w:fldCharType"), kind)
            run.element.append(node)
    end = _make("w:fldChar")
    end.set(_qn("w:fldCharType"), "end")
    paragraph.add_run().element.append(end)


def _logo_path(profile: Profile | None) -> Path | None:
    """The profile's logo, checked: a readable PNG or JPEG."""
    if profile is None or not profile.logo:
        return None
    path = profile.resolve(profile.logo)
    assert path is not None
    return check_logo(path)


def check_logo(path: Path) -> Path:
    """A logo ``init`` accepts and ``new`` can place: a whole PNG or JPEG image."""
    if not path.exists():
        raise InputError(t("docx.logo_missing", path=path))
    from humaskit.document.photos import IMAGE_FORMATS, check_image

    extension = check_image(path, "logo")
    kind = next(k for k, e in IMAGE_FORMATS.items() if e == extension)
    if kind not in LOGO_FORMATS:
        raise InputError(t("docx.logo_format", path=path, kind=kind))
    return path


def letterhead_lines(document: Document, profile: Profile | None) -> tuple[list[str], list[str]]:
    """The kop surat: the hierarchy lines in capitals, then the address and contact lines."""
    return unit_letterhead_lines(document.release.unit, profile)


def unit_letterhead_lines(unit: str, profile: Profile | None) -> tuple[list[str], list[str]]:
    """``letterhead_lines`` for ``unit``: the profile's lines, else the unit's name."""
    names = list(profile.letterhead) if profile and profile.letterhead else [unit]
    names = [name.upper() for name in names]
    details: list[str] = []
    if profile is not None:
        if profile.address:
            details.append(profile.address)
        reach = [
            f"{label} {value}"
            for label, value in (
                ("Telepon", profile.phone),
                ("Pos-el", profile.email),
                ("Laman", profile.website),
            )
            if value
        ]
        if reach:
            details.append(", ".join(reach))
    return names, details


def _letterhead(section: Section, lines: tuple[list[str], list[str]], logo: Path | None) -> None:
    from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT, WD_TABLE_ALIGNMENT
    from docx.shared import Cm, Emu

    header = section.first_page_header
    header.is_linked_to_previous = False
    names, details = lines
    container: Any = header
    text_width = usable_width(section)
    for paragraph in list(header.paragraphs):
        _remove(paragraph)
    if logo is not None:
        # Logo | lines, in a borderless table. LibreOffice lays tables out by the grid
        # widths and Word by the cell widths, so both are set.
        side = Cm(LOGO_BOX_CM[0] + 0.6)  # the cell also has ~0.2 cm padding each side
        widths = [side, Emu(text_width - side)]
        table = header.add_table(rows=1, cols=2, width=Emu(text_width))
        table.alignment = WD_TABLE_ALIGNMENT.CENTER
        table.autofit = False
        _no_borders(table)
        for column, width in zip(table.columns, widths, strict=True):
            column.width = width
        for cell, width in zip(table.rows[0].cells, widths, strict=True):
            cell.width = width
            cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
        picture = table.cell(0, 0).paragraphs[0]
        _header_format(picture, "center")
        image, pixels = embeddable(logo, "logo")
        picture.add_run().add_picture(image, **_fit_pixels(pixels, *LOGO_BOX_CM))
        container = table.cell(0, 1)
        for paragraph in list(container.paragraphs):
            _remove(paragraph)
    for number, name in enumerate(names):
        last = number == len(names) - 1
        paragraph = container.add_paragraph(style="Header")
        _header_format(paragraph, "center")
        run = paragraph.add_run(name)
        run.bold = True
        run.font.size = _pt(_letterhead_size(name, last=last and len(names) > 1))
    for detail in details:
        paragraph = container.add_paragraph(style="Header")
        _header_format(paragraph, "center")
        paragraph.add_run(detail).font.size = _pt(9)
    rule = header.add_paragraph(style="Header")
    _header_format(rule, "center")
    _bottom_rule(rule)


def _letterhead_size(line: str, *, last: bool) -> float:
    """The unit's own line stands out; a long ministry name shrinks rather than wraps."""
    if last:
        return 13 if len(line) <= 36 else 12
    return 11 if len(line) <= 52 else 10


def _header_format(paragraph: Any, align: str) -> None:
    fmt = paragraph.paragraph_format
    fmt.alignment = _alignment(align)
    fmt.space_before = fmt.space_after = _pt(0)
    fmt.line_spacing = 1.0


def _bottom_rule(paragraph: Any) -> None:
    """The double rule (thick over thin) under a kop surat."""
    ppr = paragraph.paragraph_format.element.get_or_add_pPr()
    borders = _make("w:pBdr")
    bottom = _make("w:bottom")
    for key, value in (("w:val", "thickThinSmallGap"), ("w:sz", "18"), ("w:space", "1")):
        bottom.set(_qn(key), value)
    bottom.set(_qn("w:color"), "000000")
    borders.append(bottom)
    # pBdr must come before spacing/jc in pPr (schema order); insert it after pStyle.
    style = ppr.find(_qn("w:pStyle"))
    ppr.insert(1 if style is not None else 0, borders)
    paragraph.paragraph_format.space_after = _pt(12)


def _remove(paragraph: Any) -> None:
    element = paragraph.paragraph_format.element  # the <w:p> (python-docx's public proxy)
    element.getparent().remove(element)


def _no_borders(table: Any) -> None:
    # python-docx offers no public accessor for a table's element: it is reached from its
    # first cell's paragraph (<w:p> in <w:tc> in <w:tr> in <w:tbl>).
    cell_paragraph = table.cell(0, 0).paragraphs[0].paragraph_format.element
    tbl_pr = cell_paragraph.getparent().getparent().getparent().tblPr
    borders = _make("w:tblBorders")
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        node = _make(f"w:{edge}")
        node.set(_qn("w:val"), "nil")
        borders.append(node)
    tbl_pr.append(borders)


# --------------------------------------------------------------------------- content


def _write_content(
    out: DocxDocument,
    section: Section,
    document: Document,
    photo_files: Mapping[str, Path],
    style_ids: Mapping[str, str | None],
) -> None:
    # Two costs grow in python-docx: each style given to a paragraph, by name or as a
    # style object, scans the whole styles part (2-3 ms with the reference template), and
    # each paragraph appended to the body searches the body for its final section mark (so
    # appending N paragraphs is quadratic). So paragraphs get the style ids looked up once
    # per template (``style_ids``), and the running text is inserted before the signature
    # paragraph, which costs the same at any length.

    def styled(paragraph: Any, name: str) -> Any:
        if style_ids[name] is not None:  # the default style: no pStyle, as python-docx does
            paragraph.paragraph_format.element.style = style_ids[name]
        return paragraph

    styled(out.add_paragraph(LABEL), "Subtitle")
    info = [f"Nomor: {document.number}"] if document.number else []
    info.append(document.date_long)
    for line in info:
        styled(out.add_paragraph(line), "Humas Info")
    if document.release_line:
        styled(out.add_paragraph(), "Humas Info").add_run(document.release_line).bold = True
    styled(out.add_paragraph(document.headline), "Title")
    signature = styled(out.add_paragraph(document.signature), "Signature")
    for paragraph in document.paragraphs:
        if paragraph.kind == "quote":
            styled(signature.insert_paragraph_before(paragraph.text), "Quote")
        elif paragraph.prefix and paragraph.text.startswith(paragraph.prefix):
            written = styled(signature.insert_paragraph_before(), "Normal")
            written.add_run(paragraph.prefix).bold = True
            written.add_run(paragraph.text[len(paragraph.prefix) :])
        else:
            styled(signature.insert_paragraph_before(paragraph.text), "Normal")
    text_width = usable_width(section)
    text_height = usable_height(section)
    for number, photo in enumerate(document.photos):
        source = photo_files.get(photo.path)
        if source is None or not source.is_file():  # the archive lost a photo
            raise HumasError(t("docx.photo_missing", path=photo.path))
        holder = styled(out.add_paragraph(), "Caption")
        holder.paragraph_format.keep_with_next = True
        holder.paragraph_format.space_after = _pt(0)
        holder.paragraph_format.space_before = _pt(12)
        image, pixels = embeddable(source, f"photos[{number}].path")
        size = _fit_pixels(
            pixels, text_width / 360000, text_height * PHOTO_MAX_HEIGHT_SHARE / 360000
        )
        holder.add_run().add_picture(image, **size)
        styled(out.add_paragraph(photo.caption), "Caption")
    if document.contact_lines:
        label = styled(out.add_paragraph(), "Normal")
        label.paragraph_format.space_before = _pt(12)
        label.paragraph_format.keep_with_next = True
        label.add_run(CONTACT_LABEL).bold = True
        for number, line in enumerate(document.contact_lines):
            written = styled(out.add_paragraph(line), "Normal")
            written.paragraph_format.space_after = _pt(0)
            written.paragraph_format.alignment = _alignment("left")
            if number < len(document.contact_lines) - 1:
                written.paragraph_format.keep_with_next = True


def _fit_pixels(pixels: tuple[int, int], max_width_cm: float, max_height_cm: float) -> dict:
    from docx.shared import Cm

    width_px, height_px = pixels
    scale = min(max_width_cm / width_px, max_height_cm / height_px)
    return {"width": Cm(width_px * scale), "height": Cm(height_px * scale)}


def _set_properties(out: DocxDocument, document: Document) -> None:
    release = document.release
    created = dt.datetime.combine(release.date, dt.time(0, 0))
    props = out.core_properties
    # Word's core properties hold at most 255 characters; the full text is in the body.
    props.title = _property(document.headline)
    props.author = _property(release.unit)
    props.subject = _property(f"Siaran Pers {release.signature}")
    props.keywords = _property(", ".join(release.tags))
    props.category = "Siaran Pers"
    props.language = LANGUAGE
    props.created = props.modified = created
    props.last_modified_by = "humaskit"
    props.revision = 1
    props.comments = ""


CORE_PROPERTY_LIMIT = 255


def _property(text: str) -> str:
    if len(text) <= CORE_PROPERTY_LIMIT:
        return text
    return text[: CORE_PROPERTY_LIMIT - 1].rstrip(" ,") + "…"


# Every Word file humaskit writes carries its record, so importing it gives back the same
# record (``importer``). The stamp also holds a digest of the text: once someone edits the
# document in Word, the text no longer matches and import recovers the structure instead.
RECORD_PART = "/customXml/humaskit-record.json"
RECORD_RELTYPE = "https://humaskit.invalid/relationships/record"


def text_digest(lines: list[str]) -> str:
    words = " ".join(" ".join(lines).split())
    return hashlib.sha256(words.encode("utf-8")).hexdigest()


def _embed_record(out: DocxDocument, document: Document) -> None:
    from docx.opc.packuri import PackURI
    from docx.opc.part import Part

    payload = {
        "text_sha256": text_digest([p.text for p in out.paragraphs]),
        "record": document.release.to_record(json_safe=True),
    }
    blob = json.dumps(payload, ensure_ascii=False).encode("utf-8")
    part = Part(PackURI(RECORD_PART), "application/json", blob, out.part.package)
    out.part.relate_to(part, RECORD_RELTYPE)


def save_normalized(out: DocxDocument) -> bytes:
    """The saved file, its zip entries stamped with a fixed time (same input, same bytes)."""
    raw = io.BytesIO()
    out.save(raw)
    return _stamped(bytearray(raw.getbuffer())) or _rezipped(raw)


FILE_MODE = 0o644
_LOCAL_HEADER, _CENTRAL_HEADER, _END = b"PK\x03\x04", b"PK\x01\x02", b"PK\x05\x06"


def _stamped(data: bytearray) -> bytes | None:
    """``data`` (a zip python-docx just wrote) with every entry's time set to ``ZIP_TIME``
    and its mode to 0644, in the headers themselves: the bytes :func:`_rezipped` would give,
    without inflating and deflating everything again (a third of the time of saving). Only
    the fields that change are touched; a zip of any other shape (a data descriptor, an
    entry not deflated, a comment) gives ``None`` and is re-zipped instead."""
    import struct

    year, month, day, hour, minute, second = ZIP_TIME
    stamp = struct.pack(
        "<HH", hour << 11 | minute << 5 | second // 2, (year - 1980) << 9 | month << 5 | day
    )
    end = len(data) - 22  # the end record, when the zip has no comment
    if end < 0 or data[end : end + 4] != _END:
        return None
    with zipfile.ZipFile(io.BytesIO(data)) as written:
        entries = written.infolist()
    count, _, position = struct.unpack_from("<HII", data, end + 10)
    if count != len(entries):
        return None
    for entry in entries:
        local = entry.header_offset
        if (
            entry.compress_type != zipfile.ZIP_DEFLATED
            or entry.flag_bits & 0x08
            or data[local : local + 4] != _LOCAL_HEADER
        ):
            return None
        data[local + 10 : local + 14] = stamp
    for _ in entries:
        if data[position : position + 4] != _CENTRAL_HEADER:
            return None
        data[position + 12 : position + 16] = stamp
        struct.pack_into("<I", data, position + 38, FILE_MODE << 16)
        name, extra, comment = struct.unpack_from("<HHH", data, position + 28)
        position += 46 + name + extra + comment
    return bytes(data)


def _rezipped(raw: io.BytesIO) -> bytes:
    raw.seek(0)
    normalized = io.BytesIO()
    with (
        zipfile.ZipFile(raw) as source,
        zipfile.ZipFile(normalized, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for item in source.infolist():
            info = zipfile.ZipInfo(item.filename, date_time=ZIP_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = FILE_MODE << 16
            target.writestr(info, source.read(item.filename))
    return normalized.getvalue()


# --------------------------------------------------------------------------- xml helpers


def _qn(tag: str) -> str:
    from docx.oxml.ns import qn

    return qn(tag)


def _make(tag: str) -> Any:
    from docx.oxml import OxmlElement

    return OxmlElement(tag)


def _child(parent: Any, tag: str, *, first: bool = False) -> Any:
    found = parent.find(_qn(tag))
    if found is None:
        found = _make(tag)
        if first:
            parent.insert(0, found)
        else:
            parent.append(found)
    return found


def _pt(value: float) -> Any:
    from docx.shared import Pt

    return Pt(value)


def usable_width(section: Any) -> int:
    """The width between a section's margins, in EMU (python-docx gives each size as
    ``Length | None``; a missing one counts as nothing)."""
    return _emu(section.page_width) - _emu(section.left_margin) - _emu(section.right_margin)


def usable_height(section: Any) -> int:
    """The height between a section's margins, in EMU."""
    return _emu(section.page_height) - _emu(section.top_margin) - _emu(section.bottom_margin)


def _emu(length: Any) -> int:
    return int(length or 0)
