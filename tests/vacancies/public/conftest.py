"""The public pages' world: an organization with published houses, seen by someone who is not signed in."""

from datetime import date
from decimal import Decimal

import pytest

from billing.models import HouseBillingPolicy
from billing.models.terms import RentPeriod
from tests.clock import local_moment, module_clock
from tests.factories import HouseFactory
from tests.forms import FormClient
from vacancies.models import HouseListing

# A Monday in the test organizations' time zone: "today" for every figure on the pages.
TODAY = date(2026, 12, 7)
_clock = module_clock(local_moment(2026, 12, 7))


def publish(house, *, slug: str | None = None, published: bool = True, **fields) -> HouseListing:
    """The house's listing, published unless told otherwise."""
    fields.setdefault("neighbourhood", "East Side, near the bus line")
    return HouseListing.objects.create(
        organization=house.organization,
        house=house,
        slug=slug or house.name.lower().replace(" ", "-"),
        published=published,
        **fields,
    )


def rent_policy(house, *, rent="175.00", period=RentPeriod.WEEKLY, deposit="200.00") -> HouseBillingPolicy:
    due = {"rent_due_day": 1} if period == RentPeriod.MONTHLY else {"rent_due_weekday": 0}
    return HouseBillingPolicy.objects.create(
        organization=house.organization,
        house=house,
        rent_amount=Decimal(rent),
        rent_period=period,
        deposit_amount=Decimal(deposit),
        **due,
    )


@pytest.fixture
def visitor():
    """Someone on the public pages, not signed in."""
    return FormClient()


@pytest.fixture
def listing(organization, house):
    """``house`` (Maple House, four beds) published as /v/second-wind/maple-house/, with weekly rent."""
    rent_policy(house)
    return publish(house, slug="maple-house")


@pytest.fixture
def published_house_factory(organization):
    def make(name: str, **fields):
        house = HouseFactory(organization=organization, name=name, beds=3)
        rent_policy(house)
        return publish(house, **fields)

    return make
