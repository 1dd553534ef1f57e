"""Billing fixtures. Every billing test runs on a fixed "today" (June 15, 2026) so dates are worked by hand."""

from datetime import date
from decimal import Decimal

import pytest
import time_machine

from billing.models import HouseBillingPolicy, LateFeeKind, RentPeriod
from residents.core.services import stays as stay_services
from residents.models import Resident, Stay
from tests.clock import local_moment
from tests.factories import admit, operator_of

TODAY = date(2026, 6, 15)


@pytest.fixture(autouse=True)
def today():
    """The whole clock, not just ``Organization.today``: "now" (a payment's time, "not in the future") must agree
    with today. Noon in the test organizations' time zone, ticking."""
    with time_machine.travel(local_moment(TODAY.year, TODAY.month, TODAY.day, 12), tick=True):
        yield TODAY


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


def discharge(stay: Stay, on: date, actor=None) -> Stay:
    return stay_services.stay_discharge(
        actor=actor or operator_of(stay.organization), stay=stay, on=on, reason="completed"
    )


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


@pytest.fixture
def world(house, other_house, foreign_house, operator, manager, resident_member, outsider, today):
    """One of everything billing has (see ``build_world``)."""
    return build_world(
        house=house, other_house=other_house, foreign_house=foreign_house, operator=operator,
        resident_member=resident_member, outsider=outsider,
    )  # fmt: skip


def world_once_per_module(build=None) -> dict:
    """The fixtures of a module whose billing ``world`` (``build_world``, or ``build`` of the same roles) is made once,
    at noon on ``TODAY``, rather than for each test (tests/access.py): each test gets its own copy, and its writes
    roll back. A module installs them with ``globals().update(...)``."""
    from tests.access import world_once_per_module as once_per_module

    return once_per_module(
        build or build_world,
        ["house", "other_house", "foreign_house", "operator", "manager", "resident_member", "outsider"],
        start=lambda **_made: local_moment(TODAY.year, TODAY.month, TODAY.day, 12),
    )


def build_world(*, house, other_house, foreign_house, operator, resident_member, outsider, **_made):
    """One of everything billing has, in Maple House (run by ``manager``, home of ``resident_member``), in Willow
    House (same organization, not the manager's) and in Aspen House (another organization), made on ``TODAY``."""
    from billing.services.ledger import charge_post
    from billing.services.payments import payment_record
    from billing.services.rent import rent_schedule_set
    from tests.factories import HouseFactory

    actor = operator
    member = resident_member.resident
    own_stay = member.stays.get()
    house_policy = make_policy(house, deposit_amount=Decimal("300.00"))
    other_policy = make_policy(other_house)
    other_stay = admit(other_house, date(2026, 2, 1))
    foreign_stay = admit(foreign_house, date(2026, 2, 1))
    departed = admit(house, date(2026, 3, 1))  # pays a deposit (the policy asks for one), then leaves
    discharge(departed, date(2026, 5, 1))

    def fee(resident, on=date(2026, 3, 2), by=actor):
        return charge_post(
            actor=by, resident=resident, kind="program_fee", amount="150.00", memo="Intake", effective_on=on
        )

    def pay(resident, amount="500.00"):
        return payment_record(
            actor=actor, resident=resident, method="cash", amount=amount, received_on=date(2026, 3, 3)
        )

    objects = {
        "house": house,
        "other_house": other_house,
        "foreign_house": foreign_house,
        "new_house": HouseFactory(organization=house.organization, name="Birch House", beds=2),
        "member": member,
        "other_resident": other_stay.resident,
        "foreign_resident": foreign_stay.resident,
        "own_stay": own_stay,
        "other_stay": other_stay,
        "departed_stay": departed,
        "own_entry": fee(member),
        "other_entry": fee(other_stay.resident),
        "foreign_entry": fee(foreign_stay.resident, by=outsider),  # staff act only in their own organization
        "own_payment": pay(member),  # leaves the member 350.00 in credit
        "other_payment": pay(other_stay.resident, "20.00"),
        "foreign_payment": payment_record(
            actor=outsider,
            resident=foreign_stay.resident,
            method="cash",
            amount="20",
            received_on=date(2026, 3, 3),
        ),
        "own_schedule": rent_schedule_set(
            actor=actor,
            stay=own_stay,
            amount=Decimal("850.00"),
            period="monthly",
            due_day=1,
            starts_on=date(2026, 7, 1),
        ),
        "other_schedule": other_stay.rent_schedules.get(),
        "house_policy": house_policy,
        "other_policy": other_policy,
    }
    return objects
