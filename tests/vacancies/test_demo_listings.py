"""The demo publishes two houses of Second Wind, with their fees and drawn photos, and the feeds show them."""

import pytest
from django.test import Client

from tests.vacancies.feed.hsds_schema import PAGE, errors
from vacancies.models import HouseListing

pytestmark = pytest.mark.usefixtures("demo_db")


def test_the_demo_publishes_exactly_two_houses():
    published = HouseListing.objects.published().filter(organization__slug="second-wind")
    assert sorted(published.values_list("house__name", flat=True)) == ["Maple House", "Willow House"]
    assert not HouseListing.objects.published().exclude(organization__slug="second-wind").exists()


def test_each_published_house_has_its_fees_and_described_photos():
    for listing in HouseListing.objects.published():
        assert {"Application fee", "Drug testing", "Key deposit"} <= set(listing.fees.values_list("name", flat=True))
        photos = list(listing.photos.all())
        assert 2 <= len(photos) <= 3
        assert all(photo.alt_text and photo.width and photo.height for photo in photos)
        assert all(photo.image.storage.exists(photo.image.name) for photo in photos)
        assert all([listing.summary, listing.refund_policy, listing.included, listing.neighbourhood])


def test_the_feeds_show_the_demo_houses_with_their_rent_and_validate():
    client = Client()
    items = client.get("/api/public/v1/vacancies/?organization=second-wind").json()["results"]
    assert [item["house"]["name"] for item in items] == ["Maple House", "Willow House"]
    assert all(item["rent"]["amount"] for item in items)
    assert errors(PAGE, client.get("/api/public/v1/hsds/services/").json()) == []


def test_the_demo_snippet_answers():
    assert Client().get("/v/second-wind/maple-house/embed/").status_code == 200
