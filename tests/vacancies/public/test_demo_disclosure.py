"""The demo's published houses disclose their late fees (from the billing demo's rent terms) on their pages and in
the feed, and their drawn photos are served as clean re-encoded images."""

import io

import pytest
from django.test import Client
from PIL import Image

from vacancies.models import HouseListing

pytestmark = pytest.mark.usefixtures("demo_db")


@pytest.mark.parametrize("slug", ["maple-house", "willow-house"])
def test_each_demo_house_page_shows_its_late_fee(slug):
    page = " ".join(Client().get(f"/v/second-wind/{slug}/").content.decode().split())

    assert "<strong>Late fee</strong>:" in page
    assert "No other fees" not in page


def test_the_demo_feed_gives_each_house_its_late_fee():
    items = Client().get("/api/public/v1/vacancies/?organization=second-wind").json()["results"]

    assert all(item["late_fee"]["description"].startswith("Late fee: ") for item in items)


def test_the_demo_photos_are_served_as_images_without_metadata():
    for listing in HouseListing.objects.published().filter(organization__slug="second-wind"):
        for photo in listing.photos.all():
            response = Client().get(f"/v/second-wind/{listing.slug}/photos/{photo.pk}/")
            image = Image.open(io.BytesIO(b"".join(response.streaming_content)))
            assert (image.format, image.size) == ("PNG", (photo.width, photo.height))
            assert len(image.getexif()) == 0
