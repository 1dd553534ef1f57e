"""The house page's "What it costs" shows the late fee of the house's rent terms (a flat amount or a percent of the
overdue rent, after the grace days) among the other fees, and says "No other fees" only when there is none."""

from decimal import Decimal

import pytest

from billing.models import HouseBillingPolicy, LateFeeKind
from vacancies.models import ListingFee

from .test_pages import text_of

pytestmark = pytest.mark.django_db


def late_fee(house, **terms):
    HouseBillingPolicy.objects.filter(house=house).update(**terms)


def test_a_flat_late_fee_shows_with_its_grace_days(visitor, listing, house):
    late_fee(house, late_fee_kind=LateFeeKind.FLAT, late_fee_amount=Decimal("50.00"), late_fee_grace_days=3)

    page = text_of(visitor.get("/v/second-wind/maple-house/"))

    assert "<h3>Other fees</h3>" in page
    assert "Late fee</strong>: $50.00 if rent is unpaid more than 3 days after its due date" in page
    assert "No other fees" not in page


def test_a_percent_late_fee_shows_as_a_share_of_the_overdue_rent(visitor, listing, house):
    late_fee(house, late_fee_kind=LateFeeKind.PERCENT, late_fee_percent=Decimal("5.00"), late_fee_grace_days=1)

    page = text_of(visitor.get("/v/second-wind/maple-house/"))

    assert "Late fee</strong>: 5% of the overdue rent if rent is unpaid more than 1 day after its due date" in page


def test_a_late_fee_with_no_grace_days_is_charged_after_the_due_date(visitor, listing, house):
    late_fee(house, late_fee_kind=LateFeeKind.FLAT, late_fee_amount=Decimal("20.00"), late_fee_grace_days=0)

    page = text_of(visitor.get("/v/second-wind/maple-house/"))

    assert "Late fee</strong>: $20.00 if rent is unpaid after its due date" in page


def test_the_late_fee_shows_beside_the_listings_own_fees(visitor, listing, house):
    late_fee(house, late_fee_kind=LateFeeKind.FLAT, late_fee_amount=Decimal("50.00"), late_fee_grace_days=3)
    ListingFee.objects.create(listing=listing, name="Application fee", amount=Decimal("25.00"))

    page = text_of(visitor.get("/v/second-wind/maple-house/"))

    assert "Late fee</strong>: $50.00" in page
    assert "Application fee</strong>: $25.00, one time, not refundable" in page


def test_no_other_fees_is_said_only_without_a_late_fee_or_any_fee(visitor, listing, house):
    page = text_of(visitor.get("/v/second-wind/maple-house/"))

    assert "<p>No other fees.</p>" in page
    assert "Late fee" not in page
