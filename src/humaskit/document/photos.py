"""Photos named in a record: checked to be real images, copied in under safe names."""

from __future__ import annotations

import re
from pathlib import Path

from humaskit.errors import InputError
from humaskit.i18n import t

# What python-docx can place in a Word file.
IMAGE_FORMATS = {"JPEG": ".jpg", "PNG": ".png", "GIF": ".gif", "BMP": ".bmp"}
MAX_PHOTO_BYTES = 30 * 1024 * 1024
MAX_PIXELS = 60_000_000


def check_image(path: Path, field: str) -> str:
    """Make sure ``path`` is a readable image python-docx can embed; return its extension."""
    if not path.is_file():
        raise InputError(t("photo.missing", field=field, path=path))
    size = path.stat().st_size
    if size > MAX_PHOTO_BYTES:
        raise InputError(t("photo.too_big", field=field, path=path, limit=MAX_PHOTO_BYTES >> 20))
    from PIL import Image

    try:
        with Image.open(path) as image:
            kind = image.format
            width, height = image.size
            image.verify()
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise InputError(t("photo.too_many_pixels", field=field, path=path)) from None
    except (OSError, SyntaxError, ValueError):
        raise InputError(t("photo.not_image", field=field, path=path)) from None
    if kind not in IMAGE_FORMATS:
        raise InputError(
            t("photo.format", field=field, path=path, kind=kind, formats="JPEG, PNG, GIF, BMP")
        )
    if width * height > MAX_PIXELS:
        raise InputError(t("photo.too_many_pixels", field=field, path=path))
    return IMAGE_FORMATS[kind]


def stored_name(number: int, source: Path, extension: str) -> str:
    from slugify import slugify

    # A photo that is already stored ("01-apel.jpg", on edit or import) keeps its name.
    bare = re.sub(r"^\d{2}-", "", source.stem) if source.parent.name == "photos" else source.stem
    stem = slugify(bare, max_length=40, word_boundary=True) or "foto"
    return f"photos/{number:02d}-{stem}{extension}"
