"""Uploaded article images: checked to be real images, bounded, and scaled down with Pillow."""

from __future__ import annotations

from io import BytesIO

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import InMemoryUploadedFile
from django.utils.translation import gettext as _
from PIL import Image, UnidentifiedImageError

MAX_BYTES = 5 * 1024 * 1024
MAX_PIXELS = 40_000_000  # far above any photo an editor needs, below a decompression bomb
MAX_WIDTH = 1600


def validate_image(upload) -> None:
    """Refuse anything that is not a PNG, JPEG or WebP image of sensible size."""
    if upload.size > MAX_BYTES:
        raise ValidationError(_("Das Bild ist größer als 5 MB."), code="too_large")
    try:
        upload.seek(0)
        with Image.open(upload) as image:
            if image.width * image.height > MAX_PIXELS:
                raise ValidationError(
                    _("Das Bild hat zu viele Bildpunkte."), code="too_many_pixels"
                )
            image.verify()
            if image.format not in {"PNG", "JPEG", "WEBP"}:
                raise ValidationError(_("Nur PNG, JPEG oder WebP."), code="format")
    except (UnidentifiedImageError, Image.DecompressionBombError, OSError, SyntaxError):
        raise ValidationError(_("Die Datei ist kein Bild."), code="not_an_image") from None
    finally:
        upload.seek(0)


def scaled_down(upload):
    """The upload, scaled to MAX_WIDTH if it is wider (aspect kept), else unchanged."""
    upload.seek(0)
    with Image.open(upload) as image:
        if image.width <= MAX_WIDTH:
            upload.seek(0)
            return upload
        fmt = image.format
        height = round(image.height * MAX_WIDTH / image.width)
        resized = image.resize((MAX_WIDTH, height), Image.Resampling.LANCZOS)
        buffer = BytesIO()
        resized.save(buffer, format=fmt)
    buffer.seek(0)
    return InMemoryUploadedFile(
        buffer, "image", upload.name, f"image/{fmt.lower()}", buffer.getbuffer().nbytes, None
    )
