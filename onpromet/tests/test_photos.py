"""Photos are checked and re-encoded before they are stored: nothing hidden survives."""

import io
import tracemalloc

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from onpromet.photos import MAX_SIDE, process_photo
from onpromet.tests.images import gps_exif, image_upload


def test_it_removes_the_gps_position_and_every_other_metadata():
    upload = image_upload(exif=gps_exif())
    assert Image.open(io.BytesIO(upload.read())).getexif().get_ifd(0x8825)  # The input has GPS.

    photo = process_photo(upload)

    for stored in (photo.image, photo.thumbnail):
        image = Image.open(io.BytesIO(stored.read()))
        assert dict(image.getexif()) == {}
        assert "exif" not in image.info and "xmp" not in image.info
        assert b"PhoneMaker" not in stored.read()


def test_it_turns_the_photo_upright_from_its_exif_orientation():
    # Orientation 6: the camera was turned; the stored photo must be upright (portrait).
    photo = process_photo(image_upload(size=(1200, 900), exif=gps_exif(orientation=6)))
    assert (photo.width, photo.height) == (900, 1200)


def test_it_resizes_to_2048_pixels_and_makes_a_thumbnail():
    photo = process_photo(image_upload(size=(4000, 3000)))
    assert (photo.width, photo.height) == (MAX_SIDE, 1536)
    thumbnail = Image.open(io.BytesIO(photo.thumbnail.read()))
    assert max(thumbnail.size) == 480


def test_it_saves_under_a_random_name():
    first = process_photo(image_upload(name="ma-maison-rue-des-lilas.jpg"))
    second = process_photo(image_upload(name="ma-maison-rue-des-lilas.jpg"))
    assert "lilas" not in first.image.name
    assert first.image.name != second.image.name


@pytest.mark.parametrize("image_format", ["PNG", "WEBP"])
def test_it_accepts_png_and_webp(image_format):
    photo = process_photo(image_upload(name="x", image_format=image_format, size=(300, 200)))
    assert (photo.width, photo.height) == (300, 200)


def test_it_refuses_a_file_that_is_not_an_image():
    upload = SimpleUploadedFile("photo.jpg", b"%PDF-1.4 not an image", content_type="image/jpeg")
    with pytest.raises(ValidationError, match="JPEG, PNG ou WebP"):
        process_photo(upload)


def test_it_refuses_an_image_of_another_format():
    buffer = io.BytesIO()
    Image.new("RGB", (50, 50)).save(buffer, format="GIF")
    with pytest.raises(ValidationError, match="JPEG, PNG ou WebP"):
        process_photo(SimpleUploadedFile("anim.gif", buffer.getvalue(), content_type="image/gif"))


def test_it_refuses_a_file_over_10_mb_without_reading_it():
    upload = SimpleUploadedFile(
        "big.jpg", b"\xff" * (10 * 1024 * 1024 + 1), content_type="image/jpeg"
    )
    with pytest.raises(ValidationError, match="10 Mo"):
        process_photo(upload)


def test_it_refuses_a_decompression_bomb_quickly_and_without_memory():
    # A 20 000 × 20 000 PNG of one colour weighs a few hundred KB, and would take 1.2 GB decoded.
    buffer = io.BytesIO()
    Image.new("1", (20_000, 20_000)).save(buffer, format="PNG", optimize=True)
    assert len(buffer.getvalue()) < 1_000_000
    upload = SimpleUploadedFile("bomb.png", buffer.getvalue(), content_type="image/png")

    tracemalloc.start()
    with pytest.raises(ValidationError, match="40 mégapixels"):
        process_photo(upload)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert peak < 20 * 1024 * 1024  # Refused from the header, before any pixel is decoded.


def test_it_refuses_an_image_just_over_40_megapixels():
    buffer = io.BytesIO()
    Image.new("1", (8000, 5001)).save(buffer, format="PNG")
    upload = SimpleUploadedFile("big.png", buffer.getvalue(), content_type="image/png")
    with pytest.raises(ValidationError, match="40 mégapixels"):
        process_photo(upload)


def test_it_refuses_a_truncated_image():
    data = image_upload().read()
    upload = SimpleUploadedFile("cut.jpg", data[: len(data) // 2], content_type="image/jpeg")
    with pytest.raises(ValidationError):
        process_photo(upload)
