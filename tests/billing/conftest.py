"""Billing fixtures. Every billing test runs on a fixed "today" (June 15, 2026) so dates are worked by hand."""

from datetime import date
from decimal import Decimal

import pytest

from accounts.models import Organization
from billing.models import HouseBillingPolicy, LateFeeKind, RentPeriod
from houses.models import Bed
from residents.models import BedAssignment, Resident, Stay
from residents.services import stays as stay_services
from tests.factories import ResidentFactory

TODAY = date(2026, 6, 15)


@pytest.fixture(autouse=True)
def today(monkeypatch):
    monkeypatch.setattr(Organization, "today", lambda self: TODAY)
    return TODAY


def make_policy(house, **overrides) -> HouseBillingPolicy:
    values = {
        "organization": house.organization,
        "house": house,
        "rent_amount": Decimal("900.00"),
        "rent_period": RentPeriod.MONTHLY,
        "rent_due_day": 1,
        "deposit_amount": Decimal("0.00"),
        "late_fee_kind": LateFeeKind.NONE,
        "late_fee_grace_days": 5,
    }
    values.update(overrides)
    return HouseBillingPolicy.objects.create(**values)


@pytest.fixture
def policy(house):
    """Maple House: $900 a month, due on the 1st, no deposit, no late fee."""
    return make_policy(house)


def admit(house, on: date, *, resident: Resident | None = None, actor=None) -> Stay:
    """Admits a (new) resident into the first free bed of ``house`` from night ``on``."""
    resident = resident or ResidentFactory(organization=house.organization)
    taken = BedAssignment.objects.filter(end__isnull=True).values("bed_id")
    bed = Bed.objects.filter(house=house).exclude(pk__in=taken).order_by("pk").first()
    return stay_services.stay_admit(actor=actor, resident=resident, bed=bed, on=on)


def discharge(stay: Stay, on: date, actor=None) -> Stay:
    return stay_services.stay_discharge(actor=actor, stay=stay, on=on, reason="completed")


@pytest.fixture
def member_resident(resident_member) -> Resident:
    """The Resident row of ``resident_member`` (lives in Maple House since Jan 5, 2026)."""
    return resident_member.resident


@pytest.fixture
def other_resident(other_house) -> Resident:
    """A resident of Willow House, which the manager does not run, since Feb 1, 2026."""
    return admit(other_house, date(2026, 2, 1)).resident


@pytest.fixture
def foreign_resident(foreign_house) -> Resident:
    return admit(foreign_house, date(2026, 2, 1)).resident
