"""Two people acting on one resident at the same moment are served one after the other (PostgreSQL row locks)."""

import threading
from datetime import date, timedelta

import pytest
from django.db import connection
from django.utils import timezone

from accounts.exceptions import DomainError
from residents.models import OvernightPass, PhaseChange, SignOut
from residents.program.services import phases as phase_services
from residents.program.services import signouts as services
from tests.factories import admit

from .phases_factories import approved_pass, make_phases

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def race(*calls):
    """Runs the calls in threads released together; returns what each returned or raised."""
    barrier = threading.Barrier(len(calls))
    outcomes = [None] * len(calls)

    def run(index, call):
        try:
            barrier.wait()
            outcomes[index] = call()
        except Exception as error:  # the outcome under test
            outcomes[index] = error
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i, call)) for i, call in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return outcomes


@pytest.fixture
def phases(organization):
    return make_phases(organization)


@pytest.fixture
def stay(phases, house, operator):
    return admit(house, actor=operator, on=date(2026, 1, 5))


def test_two_simultaneous_sign_outs_leave_one_open_and_one_conflict(stay, manager, operator):
    def sign_out(actor):
        return lambda: services.signout_create(
            actor=actor, stay=stay, destination="Work", expected_return_at=timezone.now() + timedelta(hours=2)
        )

    outcomes = race(sign_out(manager), sign_out(operator))
    assert sorted(type(o).__name__ for o in outcomes) == ["Conflict", "SignOut"]
    assert SignOut.objects.filter(stay=stay, signed_in_at__isnull=True).count() == 1


def test_two_simultaneous_promotions_promote_once(stay, manager, operator):
    outcomes = race(
        lambda: phase_services.phase_promote(actor=manager, stay=stay, on=date(2026, 3, 1)),
        lambda: phase_services.phase_promote(actor=operator, stay=stay, on=date(2026, 3, 1)),
    )
    assert sum(isinstance(o, PhaseChange) for o in outcomes) == 1
    assert sum(isinstance(o, DomainError) for o in outcomes) == 1
    assert stay.phase_changes.filter(kind="promotion").count() == 1


def test_two_simultaneous_approvals_cannot_both_take_the_last_pass(stay, phases, manager, operator):
    PhaseChange.objects.create(
        organization=stay.organization, stay=stay, phase=phases[1], kind="promotion", effective_on=date(2026, 2, 4)
    )
    approved_pass(stay, actor=manager, leave_on=date(2026, 3, 2), return_on=date(2026, 3, 3))

    def ask(day):
        return services.pass_request(
            actor=manager, stay=stay, leave_on=date(2026, 3, day), return_on=date(2026, 3, day + 1),
            destination="Home", contact_phone="555",
        )  # fmt: skip

    first, second = ask(10), ask(20)
    outcomes = race(
        lambda: services.pass_approve(actor=manager, pass_=first),
        lambda: services.pass_approve(actor=operator, pass_=second),
    )
    assert sum(isinstance(o, OvernightPass) for o in outcomes) == 1
    assert sum(isinstance(o, DomainError) for o in outcomes) == 1
    assert OvernightPass.objects.filter(stay=stay, status="approved").count() == 2
