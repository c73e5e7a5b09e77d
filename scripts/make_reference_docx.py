"""Build ``templates/reference.docx``, the Word template humaskit writes releases into.

Run from the repository root after changing the look (styles, margins, footer)::

    .venv/bin/python scripts/make_reference_docx.py

The output is reproducible (fixed properties and zip timestamps): running it again without
changes gives the same bytes, so a diff of the committed file means the look changed. The
style definitions live in ``humaskit.document.docx.STYLE_SPECS``, which is also the fallback
for a unit's own template that lacks a style.
"""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

import docx
import docx.document
from docx.opc.constants import RELATIONSHIP_TYPE as RT

from humaskit.document.docx import (
    FONT,
    add_page_footer,
    ensure_styles,
    save_normalized,
    set_document_defaults,
    set_margins,
    set_paper,
)

TARGET = Path(__file__).resolve().parent.parent / "templates" / "reference.docx"


def build() -> bytes:
    out = docx.Document()  # python-docx's own default template, then redrawn
    body = out.element.body
    for child in list(body):
        if not child.tag.endswith("}sectPr"):
            body.remove(child)
    drop_residue(out)
    ensure_styles(out, redefine=True)
    set_document_defaults(out, font=FONT)
    section = out.sections[0]
    set_paper(section, "A4")
    set_margins(section)
    # The first page's header is left empty: humaskit fills it with the unit's letterhead.
    # Later pages get a plain (empty) header; every page gets "Halaman X dari Y".
    section.different_first_page_header_footer = True
    section.header.is_linked_to_previous = False
    section.first_page_header.is_linked_to_previous = False
    add_page_footer(section.footer)
    add_page_footer(section.first_page_footer)
    props = out.core_properties
    props.title = "humaskit reference template"
    props.author = props.last_modified_by = "humaskit"
    props.subject = props.keywords = props.comments = props.category = ""
    props.language = "id-ID"
    props.created = props.modified = dt.datetime(2025, 1, 1)
    props.revision = 1
    return save_normalized(out)


# Table styles a release or a report can use; python-docx's default template brings 100,
# 90 % of its styles part, which every saved release would serialise and compress again.
KEPT_TABLE_STYLES = ("Normal Table", "Table Grid")
STYLES_WITH_EFFECTS = "http://schemas.microsoft.com/office/2007/relationships/stylesWithEffects"


def drop_residue(out: docx.document.Document) -> None:
    """Remove what the template carries but no release uses: table styles other than the
    default and "Table Grid" (Word still offers all of its built-in table styles), Word
    2010's copy of the styles (``stylesWithEffects.xml``, ignored by Word 2013 and later),
    and the default document's thumbnail picture. Together ~760 KB of the template's
    ~830 KB, which python-docx wrote and compressed again for every release."""
    from docx.enum.style import WD_STYLE_TYPE

    for style in list(out.styles):
        if style.type == WD_STYLE_TYPE.TABLE and style.name not in KEPT_TABLE_STYLES:
            style.delete()
    for rel in list(out.part.rels.values()):
        if rel.reltype == STYLES_WITH_EFFECTS:
            out.part.drop_rel(rel.rId)
    package_rels = out.part.package.rels
    for rel in list(package_rels.values()):
        if rel.reltype == RT.THUMBNAIL:
            package_rels.pop(rel.rId)


def main() -> int:
    data = build()
    TARGET.write_bytes(data)
    print(f"wrote {TARGET} ({len(data)} bytes)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
