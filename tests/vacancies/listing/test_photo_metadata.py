"""An uploaded photo is stored as a fresh copy of its pixels: the public never gets the phone's EXIF (its GPS
position, make and model), ICC profile, XMP or comments, and a photo taken sideways is stored upright."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image, PngImagePlugin

from tests.factories import operator_of
from tests.forms import FormClient
from tests.vacancies.feed.world import publish
from vacancies.services.listings import listing_photo_add

pytestmark = pytest.mark.django_db

GPS_IFD = 0x8825
MAKE = 0x010F
ORIENTATION = 0x0112
ROTATED_90_CLOCKWISE = 6  # the camera was held sideways: show the image turned a quarter


def phone_exif(*, orientation: int = 1) -> Image.Exif:
    exif = Image.Exif()
    exif[MAKE] = "PhoneMaker"
    exif[ORIENTATION] = orientation
    exif[GPS_IFD] = {1: "N", 2: (40.0, 26.0, 46.0), 3: "W", 4: (79.0, 58.0, 56.0)}
    return exif


def upload(kind: str, *, size=(40, 30), orientation: int = 1, **extra) -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", size, "#3d5a80").save(buffer, format=kind, exif=phone_exif(orientation=orientation), **extra)
    suffix = {"JPEG": "jpg", "PNG": "png", "WEBP": "webp"}[kind]
    return SimpleUploadedFile(f"IMG_0042.{suffix}", buffer.getvalue(), content_type=f"image/{kind.lower()}")


def served(listing, photo) -> Image.Image:
    response = FormClient().get(f"/v/{listing.organization.slug}/{listing.slug}/photos/{photo.pk}/")
    assert response.status_code == 200
    return Image.open(io.BytesIO(b"".join(response.streaming_content)))


@pytest.fixture
def listing(house):
    return publish(house, slug="maple-house")


@pytest.mark.parametrize("kind", ["JPEG", "PNG", "WEBP"])
def test_a_served_photo_carries_no_gps_position_nor_any_exif(listing, kind):
    photo = listing_photo_add(
        actor=operator_of(listing.organization), listing=listing, image=upload(kind), alt_text="The kitchen"
    )

    image = served(listing, photo)

    assert image.format == kind
    assert not image.getexif().get_ifd(GPS_IFD)
    assert len(image.getexif()) == 0
    assert "exif" not in image.info


def test_a_served_jpeg_keeps_no_comment_nor_colour_profile(listing):
    profile = b"\x00" * 128  # any bytes: Pillow stores the profile as given
    image_file = upload("JPEG", comment=b"Taken at 12 Elm Street", icc_profile=profile)

    photo = listing_photo_add(
        actor=operator_of(listing.organization), listing=listing, image=image_file, alt_text="The porch"
    )

    image = served(listing, photo)
    assert "comment" not in image.info
    assert "icc_profile" not in image.info


def test_a_served_png_keeps_no_text_chunks(listing):
    text = PngImagePlugin.PngInfo()
    text.add_text("Location", "12 Elm Street")
    image_file = upload("PNG", pnginfo=text)

    photo = listing_photo_add(
        actor=operator_of(listing.organization), listing=listing, image=image_file, alt_text="The yard"
    )

    assert "Location" not in served(listing, photo).info


def test_a_photo_taken_sideways_is_stored_upright_with_its_turned_size(listing):
    photo = listing_photo_add(
        actor=operator_of(listing.organization),
        listing=listing,
        image=upload("JPEG", size=(40, 30), orientation=ROTATED_90_CLOCKWISE),
        alt_text="The hallway",
    )

    assert (photo.width, photo.height) == (30, 40)
    assert served(listing, photo).size == (30, 40)
