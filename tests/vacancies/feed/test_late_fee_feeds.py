"""Both feeds disclose the late fee of a house's rent terms: the vacancy feed as ``late_fee`` (null when there is
none), the HSDS feed as a "Late fee" cost option whose ``amount_description`` says when it is charged."""

from decimal import Decimal

import pytest

from billing.models import HouseBillingPolicy, LateFeeKind

from .hsds_schema import SERVICE, errors

pytestmark = pytest.mark.django_db

VACANCIES = "/api/public/v1/vacancies/"
HSDS = "/api/public/v1/hsds/services/"


def flat_late_fee(house, amount="50.00", grace_days=3):
    HouseBillingPolicy.objects.filter(house=house).update(
        late_fee_kind=LateFeeKind.FLAT, late_fee_amount=Decimal(amount), late_fee_grace_days=grace_days
    )


def percent_late_fee(house, percent="7.50", grace_days=5):
    HouseBillingPolicy.objects.filter(house=house).update(
        late_fee_kind=LateFeeKind.PERCENT, late_fee_percent=Decimal(percent), late_fee_grace_days=grace_days
    )


def vacancy_item(visitor, name="Maple House"):
    return {item["house"]["name"]: item for item in visitor.get(VACANCIES).json()["results"]}[name]


def service(visitor, name="Maple House"):
    return {found["name"]: found for found in visitor.get(HSDS).json()["contents"]}[name]


def test_the_vacancy_feed_gives_a_flat_late_fee_with_its_grace_days(visitor, maple, house):
    flat_late_fee(house)

    assert vacancy_item(visitor)["late_fee"] == {
        "amount": "50.00",
        "percent_of_overdue_rent": None,
        "grace_days": 3,
        "description": "Late fee: $50.00 if rent is unpaid more than 3 days after its due date",
    }


def test_the_vacancy_feed_gives_a_percent_late_fee(visitor, maple, house):
    percent_late_fee(house)

    assert vacancy_item(visitor)["late_fee"] == {
        "amount": None,
        "percent_of_overdue_rent": "7.50",
        "grace_days": 5,
        "description": "Late fee: 7.5% of the overdue rent if rent is unpaid more than 5 days after its due date",
    }


def test_the_vacancy_feed_gives_no_late_fee_when_the_house_charges_none(visitor, maple):
    assert vacancy_item(visitor)["late_fee"] is None


def test_the_hsds_feed_lists_a_flat_late_fee_as_a_cost_option(visitor, maple, house):
    flat_late_fee(house)

    found = service(visitor)

    [late] = [option for option in found["cost_options"] if option["option"] == "Late fee"]
    assert (late["amount"], late["currency"]) == (50, "USD")
    assert late["amount_description"] == "Late fee: $50.00 if rent is unpaid more than 3 days after its due date"
    assert errors(SERVICE, found) == []


def test_the_hsds_feed_describes_a_percent_late_fee_without_an_amount(visitor, maple, house):
    percent_late_fee(house)

    found = service(visitor)

    [late] = [option for option in found["cost_options"] if option["option"] == "Late fee"]
    assert "amount" not in late
    assert late["amount_description"].startswith("Late fee: 7.5% of the overdue rent")
    assert errors(SERVICE, found) == []


def test_the_hsds_feed_has_no_late_fee_option_when_the_house_charges_none(visitor, maple):
    assert "Late fee" not in [option["option"] for option in service(visitor)["cost_options"]]
