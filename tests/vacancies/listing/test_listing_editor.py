"""The listing editor, used through the forms it renders: create and publish a listing, fees, photos."""

from decimal import Decimal

import pytest

from tests.vacancies.feed.world import image_file, make_policy, publish
from vacancies.models import HouseListing, ListingFee, ListingPhoto


def url(house, rest=""):
    return f"/dashboard/houses/{house.pk}/listing/{rest}"


@pytest.fixture
def client(page, operator):
    return page(operator)


def test_a_new_listing_suggests_a_slug_from_the_house_name(client, house):
    shown = client.get(url(house)).content.decode()
    assert 'value="maple-house"' in shown


def test_an_operator_creates_and_publishes_a_listing_through_the_form(client, house):
    make_policy(house)
    answer = client.submit(
        url(house),
        {
            "listing-published": "on",
            "listing-summary": "Twelve beds near the bus.",
            "listing-min_age": "21",
            "listing-refund_policy": "The deposit comes back within 14 days of move-out.",
        },
        form="#listing",
    )
    assert answer.status_code == 302
    listing = HouseListing.objects.get(house=house)
    assert (listing.published, listing.slug, listing.min_age) == (True, "maple-house", 21)
    assert listing.summary == "Twelve beds near the bus."


def test_publishing_a_house_without_its_rent_set_is_refused_with_a_clear_message(client, house):
    answer = client.submit(url(house), {"listing-published": "on"}, form="#listing")
    assert answer.status_code == 400
    assert "Set the house&#x27;s rent first" in answer.content.decode()
    assert not HouseListing.objects.exists()


def test_a_slug_another_house_of_the_organization_uses_is_refused_beside_the_field(client, house, other_house):
    publish(other_house, slug="maple-house")
    answer = client.submit(url(house), {"listing-slug": "maple-house"}, form="#listing")
    assert answer.status_code == 400
    assert "Another house of the organization already has this address." in answer.content.decode()
    assert not HouseListing.objects.filter(house=house).exists()


def test_an_age_range_out_of_order_is_refused(client, house):
    answer = client.submit(url(house), {"listing-min_age": "30", "listing-max_age": "25"}, form="#listing")
    assert answer.status_code == 400
    assert not HouseListing.objects.exists()


def test_the_editor_shows_the_public_address_and_the_embed_snippet(client, house):
    publish(house)
    shown = client.get(url(house)).content.decode()
    assert "http://testserver/v/second-wind/maple-house/" in shown or "/v/second-wind/maple-house/" in shown
    assert "&lt;iframe src=&quot;" in shown
    assert "/v/second-wind/maple-house/embed/" in shown
    assert "title=&quot;Open beds at Maple House&quot;" in shown


def test_the_house_pages_link_to_the_editor(client, house):
    assert url(house) in client.get(f"/dashboard/houses/{house.pk}/rooms/").content.decode()
    assert url(house) in client.get("/dashboard/houses/").content.decode()


def test_a_fee_is_added_through_the_form(client, house):
    publish(house)
    answer = client.submit(
        url(house),
        {"fee-name": "Key deposit", "fee-amount": "20", "fee-frequency": "once", "fee-refundable": "on"},
        form="#fee-add",
    )
    assert answer.status_code == 302
    fee = ListingFee.objects.get()
    assert (fee.name, fee.amount, fee.refundable) == ("Key deposit", Decimal("20.00"), True)


def test_a_negative_fee_is_refused_and_nothing_is_added(client, house):
    publish(house)
    answer = client.submit(url(house), {"fee-name": "Key", "fee-amount": "-5"}, form="#fee-add")
    assert answer.status_code == 400
    assert not ListingFee.objects.exists()


def test_a_fee_is_changed_on_its_own_page(client, house):
    listing = publish(house, fees=[("Application fee", "25")])
    fee = listing.fees.get()
    answer = client.submit(url(house, f"fees/{fee.pk}/"), {"fee-amount": "30.00", "fee-note": "Paid once"})
    assert answer.status_code == 302
    fee.refresh_from_db()
    assert (fee.amount, fee.note) == (Decimal("30.00"), "Paid once")


def test_a_fee_is_removed_with_its_button(client, house):
    publish(house, fees=[("Application fee", "25")])
    answer = client.submit(url(house), form="form[action$='/remove/']", button="Remove Application fee")
    assert answer.status_code == 302
    assert not ListingFee.objects.exists()


def test_a_photo_is_uploaded_with_its_description_and_its_size_recorded(client, house):
    publish(house)
    answer = client.submit(
        url(house), {"photo-image": image_file(size=(64, 48)), "photo-alt_text": "A shared bedroom"}, form="#photo-add"
    )
    assert answer.status_code == 302
    photo = ListingPhoto.objects.get()
    assert (photo.alt_text, photo.width, photo.height, photo.position) == ("A shared bedroom", 64, 48, 0)
    assert photo.image.storage.exists(photo.image.name)


def test_a_photo_without_a_description_is_refused(client, house):
    publish(house)
    answer = client.submit(url(house), {"photo-image": image_file()}, form="#photo-add")
    assert answer.status_code == 400
    assert not ListingPhoto.objects.exists()


def test_a_file_that_is_not_an_image_is_refused_whatever_its_name(client, house):
    from django.core.files.uploadedfile import SimpleUploadedFile

    publish(house)
    fake = SimpleUploadedFile("room.png", b"%PDF-1.4 not a photo", content_type="image/png")
    answer = client.submit(url(house), {"photo-image": fake, "photo-alt_text": "A room"}, form="#photo-add")
    assert answer.status_code == 400
    assert "not a photo Hearth can read" in answer.content.decode()
    assert not ListingPhoto.objects.exists()


def test_a_photo_is_moved_up_with_its_button(client, house):
    publish(house)
    for text in ("Front", "Kitchen"):
        client.submit(url(house), {"photo-image": image_file(), "photo-alt_text": text}, form="#photo-add")
    client.submit(url(house), form="form[action$='/move/']", button="Move up photo 2")
    assert list(ListingPhoto.objects.order_by("position").values_list("alt_text", flat=True)) == ["Kitchen", "Front"]


def test_a_removed_photo_loses_its_file(client, house, django_capture_on_commit_callbacks):
    publish(house)
    client.submit(url(house), {"photo-image": image_file(), "photo-alt_text": "Front"}, form="#photo-add")
    photo = ListingPhoto.objects.get()
    storage, name = photo.image.storage, photo.image.name
    with django_capture_on_commit_callbacks(execute=True):
        client.submit(url(house), form="form[action$='/remove/']", button="Remove photo 1")
    assert not ListingPhoto.objects.exists()
    assert not storage.exists(name)
