"""The listing services' rules, beyond what the editor's forms show."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from accounts.exceptions import Conflict, Invalid, NotAllowed
from houses.models import House
from tests.vacancies.feed.world import image_file, make_policy, publish
from vacancies.models import HouseListing, ListingFee, ListingPhoto
from vacancies.services import listings as services


def test_a_manager_cannot_change_a_listing_even_of_their_own_house(manager, house):
    with pytest.raises(NotAllowed):
        services.listing_save(actor=manager, house=house, summary="Mine")
    assert not HouseListing.objects.exists()


def test_an_operator_of_another_organization_cannot_change_a_listing(outsider, house):
    with pytest.raises(NotAllowed):
        services.listing_save(actor=outsider, house=house, summary="Theirs")


def test_a_closed_house_cannot_be_published(operator, house):
    make_policy(house)
    House.objects.filter(pk=house.pk).update(status=House.Status.CLOSED, closed_on=date(2026, 1, 1))
    house.refresh_from_db()
    with pytest.raises(Conflict, match="closed house"):
        services.listing_save(actor=operator, house=house, published=True)


def test_a_word_the_public_pages_use_cannot_be_a_slug(operator, house):
    with pytest.raises(Invalid, match="public pages use"):
        services.listing_save(actor=operator, house=house, slug="apply")


def test_the_suggested_slug_skips_one_already_taken(operator, house, other_house):
    publish(other_house, slug="maple-house")
    assert services.listing_suggest_slug(house=house) == "maple-house-2"


def test_the_same_fee_name_twice_on_a_listing_is_refused(operator, house):
    listing = publish(house, fees=[("Key deposit", "20")])
    with pytest.raises(Invalid, match="already has a fee"):
        services.listing_fee_add(actor=operator, listing=listing, name="key deposit", amount=Decimal("5"))
    assert ListingFee.objects.count() == 1


def test_a_fee_change_moves_the_listings_updated_time(operator, house):
    listing = publish(house, fees=[("Key deposit", "20")])
    before = HouseListing.objects.get().updated_at
    services.listing_fee_update(actor=operator, fee=listing.fees.get(), amount=Decimal("25"))
    assert HouseListing.objects.get().updated_at > before


def test_a_photo_over_five_megabytes_is_refused(operator, house, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    listing = publish(house)
    big = SimpleUploadedFile("big.png", b"\0" * (services.MAX_PHOTO_BYTES + 1), content_type="image/png")
    with pytest.raises(Invalid, match="at most 5 MB"):
        services.listing_photo_add(actor=operator, listing=listing, image=big, alt_text="Big")
    assert not ListingPhoto.objects.exists()


def test_an_image_of_another_kind_than_jpeg_png_or_webp_is_refused(operator, house, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    listing = publish(house)
    with pytest.raises(Invalid, match="JPEG, PNG or WebP"):
        services.listing_photo_add(
            actor=operator, listing=listing, image=image_file("a.gif", kind="GIF"), alt_text="A gif"
        )


def test_a_jpeg_keeps_a_stored_name_of_ours(operator, house, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    listing = publish(house)
    photo = services.listing_photo_add(
        actor=operator, listing=listing, image=image_file("../../etc/passwd.png", kind="JPEG"), alt_text="Front"
    )
    assert photo.image.name.startswith("listings/")
    assert photo.image.name.endswith(".jpg")
    assert "passwd" not in photo.image.name
