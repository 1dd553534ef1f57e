"""Who reaches the listing editor: the organization's operators only. A manager (even of the house) and a resident
get 403: the public face of a house is the operator's to decide. Another organization's operator gets 404."""

import pytest

from tests.vacancies.feed.world import image_file, publish
from vacancies.models import HouseListing, ListingFee, ListingPhoto
from vacancies.services.listings import listing_photo_add

ROLES = ["operator", "manager", "resident_member", "outsider"]
OPERATORS = {"operator": 200, "manager": 403, "resident_member": 403, "outsider": 404}


@pytest.fixture
def world(house, operator, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    listing = publish(house, fees=[("Application fee", "25")])
    photo = listing_photo_add(actor=operator, listing=listing, image=image_file(), alt_text="Front")
    return {"house": house.pk, "fee": listing.fees.get().pk, "photo": photo.pk}


PAGES = [
    ("/dashboard/houses/{house}/listing/", OPERATORS),
    ("/dashboard/houses/{house}/listing/fees/{fee}/", OPERATORS),
]


@pytest.mark.parametrize(("path", "expected"), PAGES, ids=[path for path, _ in PAGES])
def test_each_role_gets_exactly_its_access_to_the_listing_pages(request, page, world, path, expected):
    url = path.format(**world)
    seen = {role: page(request.getfixturevalue(role)).get(url).status_code for role in ROLES}
    assert seen == expected


REFUSED = {"manager": 403, "resident_member": 403, "outsider": 404}
WRITES = [
    ("/dashboard/houses/{house}/listing/", {"listing-slug": "taken-over", "listing-min_age": "18"}),
    ("/dashboard/houses/{house}/listing/fees/add/", {"fee-name": "Extra", "fee-amount": "5", "fee-frequency": "once"}),
    (
        "/dashboard/houses/{house}/listing/fees/{fee}/",
        {"fee-name": "Renamed", "fee-amount": "1", "fee-frequency": "once"},
    ),
    ("/dashboard/houses/{house}/listing/fees/{fee}/remove/", {}),
    ("/dashboard/houses/{house}/listing/photos/add/", {"photo-alt_text": "Another"}),
    ("/dashboard/houses/{house}/listing/photos/{photo}/remove/", {}),
    ("/dashboard/houses/{house}/listing/photos/{photo}/move/", {"direction": "down"}),
]


def _state():
    return (
        list(HouseListing.objects.values_list("slug", "published", "updated_at")),
        list(ListingFee.objects.values_list("name", "amount")),
        list(ListingPhoto.objects.values_list("pk", "position")),
    )


@pytest.mark.parametrize(("path", "body"), WRITES, ids=[path for path, _ in WRITES])
def test_a_listing_write_out_of_reach_is_refused_and_changes_nothing(request, page, world, path, body):
    before = _state()
    seen = {role: page(request.getfixturevalue(role)).post(path.format(**world), body).status_code for role in REFUSED}
    assert seen == REFUSED
    assert _state() == before


def test_a_house_of_another_organization_has_no_listing_page_for_this_operator(page, operator, foreign_house):
    assert page(operator).get(f"/dashboard/houses/{foreign_house.pk}/listing/").status_code == 404
