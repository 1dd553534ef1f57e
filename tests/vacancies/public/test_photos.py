"""A published house's photos, served from the media storage (any backend) with their alt text on the page."""

import pytest
from django.core.files.base import ContentFile

from vacancies.models import ListingPhoto

pytestmark = pytest.mark.django_db

# The smallest valid GIF: one transparent pixel.
PIXEL = (
    b"GIF89a\x01\x00\x01\x00\x80\x00\x00\x00\x00\x00\xff\xff\xff!\xf9\x04\x01\x00\x00\x00\x00,"
    b"\x00\x00\x00\x00\x01\x00\x01\x00\x00\x02\x02D\x01\x00;"
)


@pytest.fixture(autouse=True, params=["filesystem", "memory"])
def _media(request, settings, tmp_path):
    """Both a folder and a storage with no files on disk (as S3 has none): the view only reads through the API."""
    settings.MEDIA_ROOT = tmp_path
    if request.param == "memory":
        settings.STORAGES = {
            **settings.STORAGES,
            "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
        }


def photo_of(listing, alt="The shared kitchen, with a long table") -> ListingPhoto:
    photo = ListingPhoto(listing=listing, alt_text=alt, width=1, height=1)
    photo.image.save("kitchen.gif", ContentFile(PIXEL), save=False)
    photo.save()
    return photo


def test_the_house_page_shows_each_photo_with_its_alt_text(visitor, listing):
    photo = photo_of(listing)

    page = visitor.get("/v/second-wind/maple-house/").content.decode()

    assert f'src="/v/second-wind/maple-house/photos/{photo.pk}/" alt="The shared kitchen, with a long table"' in page


def test_a_photo_is_served_from_storage_with_a_public_cache_lifetime(visitor, listing):
    photo = photo_of(listing)

    response = visitor.get(f"/v/second-wind/maple-house/photos/{photo.pk}/")

    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PIXEL
    assert response["Content-Type"] == "image/gif"
    assert "public" in response["Cache-Control"]
    assert "max-age=3600" in response["Cache-Control"]


def test_a_photo_of_an_unpublished_listing_is_404(visitor, listing):
    photo = photo_of(listing)
    listing.published = False
    listing.save()

    assert visitor.get(f"/v/second-wind/maple-house/photos/{photo.pk}/").status_code == 404


def test_a_photo_asked_for_under_another_house_is_404(visitor, listing, published_house_factory):
    photo = photo_of(listing)
    published_house_factory("Birch House", slug="birch-house")

    assert visitor.get(f"/v/second-wind/birch-house/photos/{photo.pk}/").status_code == 404
    assert visitor.get(f"/v/elsewhere/maple-house/photos/{photo.pk}/").status_code == 404


def test_a_photo_whose_file_is_gone_is_404_not_an_error(visitor, listing):
    photo = photo_of(listing)
    photo.image.storage.delete(photo.image.name)

    assert visitor.get(f"/v/second-wind/maple-house/photos/{photo.pk}/").status_code == 404
