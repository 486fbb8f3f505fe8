"""Photos, for every app that takes one (posts, news, kept promises, logos): checked and
re-encoded with Pillow before anything is stored, and PhotoField, the form field that does it.

Photos are checked and re-encoded with Pillow before anything is stored.

Only JPEG, PNG and WebP; at most MAX_BYTES and MAX_PIXELS, checked from the header before any
pixel is decoded (decompression bombs are refused without using memory); oriented from the EXIF
tag, then re-encoded without any metadata (no GPS position survives); resized to at most
MAX_SIDE pixels, plus a thumbnail; saved under a random name.
"""

import io
import uuid
import warnings
from dataclasses import dataclass

from django import forms
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from PIL import Image, ImageOps, UnidentifiedImageError

MAX_BYTES = 10 * 1024 * 1024
MAX_PIXELS = 40_000_000
MAX_SIDE = 2048
THUMBNAIL_SIDE = 480
ACCEPTED_FORMATS = {"JPEG", "PNG", "WEBP"}


@dataclass
class ProcessedPhoto:
    image: ContentFile
    thumbnail: ContentFile
    width: int
    height: int


def _encode(image: Image.Image, name: str) -> ContentFile:
    buffer = io.BytesIO()
    # A fresh save with no `exif=`/`icc_profile=`/`pnginfo=` argument writes no metadata.
    image.save(buffer, format="WEBP", quality=82, method=4)
    return ContentFile(buffer.getvalue(), name=name)


def process_photo(upload) -> ProcessedPhoto:
    """Raises ValidationError with a French message for anything that is not a usable photo."""
    if upload.size > MAX_BYTES:
        raise ValidationError("La photo est trop lourde : 10 Mo au maximum.")
    upload.seek(0)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            # open() reads only the header: the size is known before any pixel is decoded.
            image = Image.open(upload, formats=sorted(ACCEPTED_FORMATS))
            if image.width * image.height > MAX_PIXELS:
                raise ValidationError("La photo est trop grande : 40 mégapixels au maximum.")
            image.load()
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise ValidationError("La photo est trop grande : 40 mégapixels au maximum.") from None
    except UnidentifiedImageError:
        raise ValidationError(
            "Ce fichier n'est pas une photo acceptée : envoyez une image JPEG, PNG ou WebP."
        ) from None
    except (OSError, SyntaxError, ValueError):
        raise ValidationError("Cette photo est illisible ou abîmée.") from None

    image = ImageOps.exif_transpose(image)
    if image.mode not in ("RGB", "RGBA"):
        image = image.convert("RGBA" if "transparency" in image.info else "RGB")
    image.thumbnail((MAX_SIDE, MAX_SIDE), Image.Resampling.LANCZOS)
    thumbnail = image.copy()
    thumbnail.thumbnail((THUMBNAIL_SIDE, THUMBNAIL_SIDE), Image.Resampling.LANCZOS)
    name = uuid.uuid4().hex  # Random: the uploaded name says nothing and is never reused.
    return ProcessedPhoto(
        image=_encode(image, f"{name}.webp"),
        thumbnail=_encode(thumbnail, f"{name}-vignette.webp"),
        width=image.width,
        height=image.height,
    )


class PhotoField(forms.FileField):
    """An optional photo, checked and re-encoded (process_photo): it cleans to a
    ProcessedPhoto, or None. Used by every form that takes a photo."""

    def __init__(self, **kwargs):
        kwargs.setdefault("label", "Une photo (facultative)")
        kwargs.setdefault(
            "help_text",
            "JPEG, PNG ou WebP, 10 Mo au plus. Les informations cachées de la photo "
            "(position GPS, appareil) sont effacées.",
        )
        kwargs.setdefault(
            "widget", forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png,image/webp"})
        )
        super().__init__(required=False, **kwargs)

    def clean(self, data, initial=None):
        upload = super().clean(data, initial)
        return process_photo(upload) if upload else None
