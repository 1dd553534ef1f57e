"""A house that takes a deposit or charges a refundable fee cannot be published without a refund policy: the public
must know when and how that money comes back. Without either, a listing publishes without one."""

from decimal import Decimal

import pytest

from accounts.exceptions import Conflict
from tests.vacancies.feed.world import make_policy
from vacancies.models import HouseListing
from vacancies.services import listings as services

pytestmark = pytest.mark.django_db

REFUNDS = "The deposit is refunded within 14 days of move-out, less unpaid rent."


def test_a_house_with_a_deposit_cannot_be_published_without_a_refund_policy(operator, house):
    make_policy(house, deposit_amount=Decimal("300.00"))

    with pytest.raises(Conflict, match="Write the refund policy") as refused:
        services.listing_save(actor=operator, house=house, published=True)

    assert refused.value.field == "refund_policy"
    assert not HouseListing.objects.exists()


def test_a_house_with_a_deposit_publishes_with_a_refund_policy(operator, house):
    make_policy(house, deposit_amount=Decimal("300.00"))

    listing = services.listing_save(actor=operator, house=house, published=True, refund_policy=REFUNDS)

    assert listing.published


def test_a_house_with_no_deposit_and_no_refundable_fee_publishes_without_one(operator, house):
    make_policy(house, deposit_amount=Decimal("0.00"))

    assert services.listing_save(actor=operator, house=house, published=True).published


def test_a_refundable_fee_needs_a_refund_policy_to_publish(operator, house):
    make_policy(house, deposit_amount=Decimal("0.00"))
    listing = services.listing_save(actor=operator, house=house)
    services.listing_fee_add(
        actor=operator, listing=listing, name="Key deposit", amount=Decimal("20.00"), refundable=True
    )

    with pytest.raises(Conflict, match="Write the refund policy"):
        services.listing_save(actor=operator, house=house, published=True)


def test_a_refundable_fee_cannot_be_added_to_a_published_listing_without_a_refund_policy(operator, house):
    make_policy(house, deposit_amount=Decimal("0.00"))
    listing = services.listing_save(actor=operator, house=house, published=True)

    with pytest.raises(Conflict, match="refund policy first") as refused:
        services.listing_fee_add(
            actor=operator, listing=listing, name="Key deposit", amount=Decimal("20.00"), refundable=True
        )

    assert refused.value.field == "refundable"
    assert not listing.fees.exists()


def test_clearing_the_refund_policy_of_a_published_house_with_a_deposit_is_refused(operator, house):
    make_policy(house, deposit_amount=Decimal("300.00"))
    services.listing_save(actor=operator, house=house, published=True, refund_policy=REFUNDS)

    with pytest.raises(Conflict, match="Write the refund policy"):
        services.listing_save(actor=operator, house=house, refund_policy="")

    assert HouseListing.objects.get().refund_policy == REFUNDS


def test_the_editor_shows_the_refusal_beside_the_refund_policy(page, operator, house):
    make_policy(house, deposit_amount=Decimal("300.00"))

    answer = page(operator).submit(
        f"/dashboard/houses/{house.pk}/listing/", {"listing-published": "on"}, form="#listing"
    )

    assert answer.status_code == 400
    body = answer.content.decode()
    assert "Write the refund policy: the house takes a deposit or a refundable fee" in body
    assert 'id="id_listing-refund_policy_error"' in body
    assert not HouseListing.objects.exists()
