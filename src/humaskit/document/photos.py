"""Photos named in a record: checked to be real images, copied in under safe names."""

from __future__ import annotations

import contextlib
import io
import re
import warnings
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from humaskit.errors import InputError
from humaskit.i18n import t

# What python-docx can place in a Word file.
IMAGE_FORMATS = {"JPEG": ".jpg", "PNG": ".png", "GIF": ".gif", "BMP": ".bmp"}
MAX_PHOTO_BYTES = 30 * 1024 * 1024
MAX_PIXELS = 60_000_000


def check_image(path: Path, field: str) -> str:
    """Make sure ``path`` is a regular file holding a whole image python-docx can embed
    (decoded to the last pixel, so a truncated file is caught here); return its extension."""
    import os

    from humaskit.archive.fsio import read_regular_file

    if not os.path.lexists(path):  # say where a relative path is looked for
        raise InputError(t("photo.missing", field=field, path=path))
    data = read_regular_file(path, MAX_PHOTO_BYTES, field)
    with _opened(io.BytesIO(data), path, field) as image:
        kind = image.format
        width, height = image.size
        if width * height > MAX_PIXELS:
            raise InputError(t("photo.too_many_pixels", field=field, path=path))
        image.load()
    if kind not in IMAGE_FORMATS:
        raise InputError(
            t("photo.format", field=field, path=path, kind=kind, formats="JPEG, PNG, GIF, BMP")
        )
    return IMAGE_FORMATS[kind]


@contextlib.contextmanager
def _opened(source: Path | io.BytesIO, path: Path, field: str) -> Iterator[Any]:
    """An image opened with Pillow; every way it can fail is one line naming ``field``.
    Pillow's decompression-bomb warning is a refusal here, never printed raw."""
    from PIL import Image

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(source) as image:
                yield image
    except InputError:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise InputError(t("photo.too_many_pixels", field=field, path=path)) from None
    except (OSError, SyntaxError, ValueError, EOFError, MemoryError):
        raise InputError(t("photo.not_image", field=field, path=path)) from None


def embeddable(path: Path, field: str) -> tuple[str | io.BytesIO, tuple[int, int]]:
    """The image as python-docx should embed it, and its size in pixels.

    Phone cameras store portrait shots sideways with an EXIF orientation flag Word ignores:
    such a photo is turned upright. A JPEG without a JFIF or EXIF header (CMYK files from
    design programs) is one python-docx does not recognise: it is re-encoded as RGB JPEG.
    """
    from PIL import ImageOps

    with _opened(path, path, field) as image:
        upright = image.getexif().get(0x0112, 1) == 1
        plain_jpeg = image.format == "JPEG" and not ({"jfif", "exif"} & set(image.info))
        if upright and not plain_jpeg:
            return str(path), image.size
        turned = image if upright else ImageOps.exif_transpose(image)
        kind = image.format or "JPEG"
        if kind == "JPEG" and turned.mode not in ("RGB", "L"):
            turned = turned.convert("RGB")
        buffer = io.BytesIO()
        turned.save(buffer, format=kind, quality=90)
        buffer.seek(0)
        return buffer, turned.size


def stored_name(number: int, source: Path, extension: str) -> str:
    from slugify import slugify

    # A photo that is already stored ("01-apel.jpg", on edit or import) keeps its name.
    bare = re.sub(r"^\d{2}-", "", source.stem) if source.parent.name == "photos" else source.stem
    stem = slugify(bare, max_length=40, word_boundary=True) or "foto"
    return f"photos/{number:02d}-{stem}{extension}"
