"""Bed openings tests run on a fixed clock: Monday, December 7, 2026, 10:00 in Chicago (the organizations' zone).
The organization announces openings 7 days ahead (its default)."""

from datetime import date, timedelta

import pytest
import time_machine

from residents.core.services import stays as stay_services
from residents.models import Application, Stay
from tests.clock import local_moment
from tests.factories import admit, operator_of

TODAY = date(2026, 12, 7)
NOW = local_moment(2026, 12, 7, 10)


@pytest.fixture(autouse=True)
def clock(db):
    """The frozen clock; ``clock.move_to(...)`` moves it (an offer's 48 hours passing)."""
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


@pytest.fixture
def commit(django_capture_on_commit_callbacks):
    """Runs what was queued for after the commit (offers chosen, e-mails sent), as a real commit would."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


def days(n: int) -> date:
    return TODAY + timedelta(days=n)


def resident_in(house, *, bed=None) -> Stay:
    """A resident living in ``house`` since the summer (in ``bed``, or its first free bed)."""
    return admit(house, on=date(2026, 6, 1), bed=bed)


def waiting(house, first_name: str, applied_on: date, *, email: str | None = None, **fields) -> Application:
    """An applicant on ``house``'s waitlist, applied on ``applied_on``, who agreed to be contacted."""
    return Application.objects.create(
        organization=house.organization,
        first_name=first_name,
        last_name="Waiting",
        email=f"{first_name.lower()}@example.com" if email is None else email,
        preferred_house=house,
        applied_on=applied_on,
        **{"status": Application.Status.WAITLISTED, "consent_to_contact": True, **fields},
    )


def plan(stay: Stay, on: date | None) -> Stay:
    return stay_services.stay_plan_move_out(actor=operator_of(stay.organization), stay=stay, on=on)


def discharge(stay: Stay, on: date) -> Stay:
    return stay_services.stay_discharge(
        actor=operator_of(stay.organization), stay=stay, on=on, reason=Stay.DischargeReason.COMPLETED
    )


def transfer(stay: Stay, bed, on: date):
    return stay_services.stay_transfer(actor=operator_of(stay.organization), stay=stay, bed=bed, on=on)
