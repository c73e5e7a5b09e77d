"""Release → DOCX for official submission (python-docx on a reference template)."""

from __future__ import annotations

import io
from collections.abc import Mapping
from pathlib import Path

from humaskit.compose import Document
from humaskit.profile import Profile


def render_docx(
    document: Document, profile: Profile | None, photo_files: Mapping[str, Path]
) -> bytes:
    """A plain Word file with the same paragraphs as the Markdown (the full layout comes with
    the DOCX work, issue 5)."""
    import docx

    out = docx.Document()
    out.add_heading(document.headline, level=1)
    for paragraph in document.paragraphs:
        out.add_paragraph(paragraph.text)
    out.add_paragraph(document.signature)
    buffer = io.BytesIO()
    out.save(buffer)
    return buffer.getvalue()
