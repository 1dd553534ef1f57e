"""Concurrency on PostgreSQL: two generations of one house and week at once leave exactly one set of assignments."""

import threading
from datetime import timedelta

import pytest
from django.db import connection

from residents.chores import services
from residents.models import ChoreAssignment, ChoreRotationMember
from tests.factories import HouseFactory, OrganizationFactory, admit

from .chores_factories import ChoreFactory, discharge, this_monday


def _at_once(*calls):
    """Runs each call in its own thread and database connection, released together; returns results and errors."""
    barrier = threading.Barrier(len(calls))
    results, errors = [], []

    def run(call):
        try:
            barrier.wait(timeout=10)
            results.append(call())
        except Exception as error:  # collected for the assertion below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(call,)) for call in calls]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return results, errors


@pytest.fixture
def home(transactional_db):
    house = HouseFactory(organization=OrganizationFactory(slug="race"), name="Race House", beds=4)
    ChoreFactory(house=house, name="Kitchen")
    ChoreFactory(house=house, name="Trash")
    return house


@pytest.fixture
def stays(home):
    """Three residents who moved in a month ago."""
    return [admit(home, on=this_monday(home) - timedelta(weeks=4)) for _ in range(3)]


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_concurrent_generations_leave_exactly_one_set_of_assignments(home, stays):
    monday = this_monday(home)

    def generate():
        return services.chore_rotation_generate(actor=None, house=home, week_start=monday)

    results, errors = _at_once(generate, generate)
    assert errors == []
    assert sorted(result.created for result in results) == [0, 14]
    assert ChoreAssignment.objects.count() == 14
    assert ChoreAssignment.objects.values("chore", "due_date").distinct().count() == 14
    assert ChoreRotationMember.objects.count() == 3


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_discharge_during_a_generation_leaves_the_leaver_no_future_chores(home, stays):
    next_monday = this_monday(home) + timedelta(weeks=1)
    leaver = stays[0]

    def generate():
        return services.chore_rotation_generate(actor=None, house=home, week_start=next_monday)

    _results, errors = _at_once(generate, lambda: discharge(leaver, on=next_monday))
    assert errors == []
    assert ChoreAssignment.objects.count() == 14
    assert not ChoreAssignment.objects.filter(resident=leaver.resident).exists()


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_discharges_at_once_in_one_house_hand_their_chores_to_the_one_who_stays(home, stays):
    next_monday = this_monday(home) + timedelta(weeks=1)
    services.chore_rotation_generate(actor=None, house=home, week_start=next_monday)
    first, second, stayer = stays
    _results, errors = _at_once(lambda: discharge(first, on=next_monday), lambda: discharge(second, on=next_monday))
    assert errors == []
    assert set(ChoreAssignment.objects.values_list("resident_id", "status")) == {(stayer.resident_id, "pending")}
