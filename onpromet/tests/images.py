"""Images as a phone or a camera makes them, for the tests of the photo pipeline
(onpromet.photos) and of every form that takes a photo."""

import io

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image


def image_upload(
    name="photo.jpg", size=(1200, 900), image_format="JPEG", exif=None, color=(200, 80, 40)
) -> SimpleUploadedFile:
    buffer = io.BytesIO()
    image = Image.new("RGB", size, color)
    kwargs = {"exif": exif} if exif is not None else {}
    image.save(buffer, format=image_format, **kwargs)
    content_type = {"JPEG": "image/jpeg", "PNG": "image/png", "WEBP": "image/webp"}[image_format]
    return SimpleUploadedFile(name, buffer.getvalue(), content_type=content_type)


def gps_exif(orientation: int | None = None) -> Image.Exif:
    """EXIF with a GPS position (Biscarosse) and a camera, as a phone writes them."""
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"  # Make
    exif[0x0110] = "Phone 12"  # Model
    if orientation:
        exif[0x0112] = orientation  # Orientation
    exif[0x8825] = {  # GPSInfo IFD
        1: "N",
        2: (44.0, 23.0, 38.0),
        3: "W",
        4: (1.0, 9.0, 47.0),
    }
    return exif
