"""The weekly chore job at scale: houses rotated together in a fixed number of queries, exactly as house by house,
next to nothing on a repeat run, and each chore given out once when two workers run it at once."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from houses.models import House
from residents.chores import services, tasks
from residents.chores.models import weekdays_to_mask
from residents.models import ChoreAssignment, ChoreRotationMember
from tests.concurrency import at_once
from tests.factories import HouseFactory, admit

from .chores_factories import ChoreFactory, this_monday

WEEK = timedelta(weeks=1)


def houses_with_chores(organization, *, houses: int, residents: int, first: int = 0) -> list[int]:
    """``houses`` houses of ``residents`` residents each (moved in two months ago), each with a daily and a
    twice-weekly chore, numbered from ``first``; returns their ids."""
    ids = []
    for number in range(first, first + houses):
        house = HouseFactory(organization=organization, name=f"House {number}", beds=residents)
        for _resident in range(residents):
            admit(house, on=this_monday(house) - 8 * WEEK)
        ChoreFactory(house=house, name="Kitchen")
        ChoreFactory(house=house, name="Yard", frequency="weekly", weekdays=weekdays_to_mask(["mon", "thu"]))
        ids.append(house.pk)
    return ids


def rotation_of(house_ids):
    assignments = ChoreAssignment.objects.filter(house_id__in=house_ids)
    members = ChoreRotationMember.objects.filter(house_id__in=house_ids)
    return (
        sorted(assignments.values_list("chore_id", "due_date", "resident_id", "stay_id", "status")),
        sorted(members.values_list("house_id", "stay_id", "joined_on", "starting_count")),
    )


def test_the_weekly_job_costs_no_more_queries_for_30_residents_than_for_2(
    organization, other_organization, django_assert_max_num_queries
):
    small = houses_with_chores(organization, houses=1, residents=2)
    large = houses_with_chores(other_organization, houses=5, residents=6)
    with CaptureQueriesContext(connection) as queries:
        assert tasks.chore_rotation_generate_for_houses(small) == 9
    with django_assert_max_num_queries(len(queries)):
        assert tasks.chore_rotation_generate_for_houses(large) == 45


def test_a_repeat_run_of_the_weekly_job_creates_nothing_in_a_fixed_number_of_queries(
    organization, django_assert_max_num_queries
):
    ids = houses_with_chores(organization, houses=5, residents=6)
    tasks.chore_rotation_generate_for_houses(ids)
    before = rotation_of(ids)
    # The organization, the houses, the books (lock, closed day), the house locks, chores, assignments, the week's
    # bed assignments, rotation places; and the transaction's savepoint and its release.
    with django_assert_max_num_queries(11):
        assert tasks.chore_rotation_generate_for_houses(ids) == 0
    assert rotation_of(ids) == before


def test_the_weekly_job_hands_out_what_generating_each_house_alone_would(organization):
    ids = houses_with_chores(organization, houses=3, residents=3)
    tasks.chore_rotation_generate_for_houses(ids)
    together = rotation_of(ids)
    ChoreAssignment.objects.filter(house_id__in=ids).delete()
    ChoreRotationMember.objects.filter(house_id__in=ids).delete()
    for house_id in ids:
        services.chore_rotation_generate_next_week(house_id=house_id)
    assert rotation_of(ids) == together


def test_the_beat_job_queues_every_active_house_in_batches(organization):
    ids = houses_with_chores(organization, houses=3, residents=1)
    House.objects.filter(pk=ids[0]).update(status=House.Status.CLOSED)
    assert tasks.chore_rotation_generate_next_week.delay().get() == 2
    assert set(ChoreAssignment.objects.values_list("house_id", flat=True)) == set(ids[1:])


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_weekly_jobs_running_at_once_give_out_each_chore_once(organization):
    ids = houses_with_chores(organization, houses=3, residents=3)
    results = at_once([lambda: tasks.chore_rotation_generate_for_houses(ids)] * 2)
    assert sorted(results) == [0, 27]
    assert ChoreAssignment.objects.filter(house_id__in=ids).count() == 27


def test_a_repeat_of_the_beat_job_queues_no_house(organization, other_organization):
    ids = houses_with_chores(organization, houses=2, residents=2) + houses_with_chores(
        other_organization, houses=2, residents=2
    )
    assert tasks.chore_rotation_generate_next_week.delay().get() == 4
    before = rotation_of(ids)
    assert tasks.chore_rotation_generate_next_week.delay().get() == 0
    assert rotation_of(ids) == before


def test_a_repeat_of_the_beat_job_reads_as_few_queries_for_many_houses_as_for_one(
    organization, django_assert_max_num_queries, monkeypatch
):
    monkeypatch.setattr(tasks, "HOUSES_PER_TASK", 2)  # many tasks' worth of houses, as 3,000 houses make
    houses_with_chores(organization, houses=1, residents=2)
    tasks.chore_rotation_generate_next_week.delay().get()
    with CaptureQueriesContext(connection) as queries:
        tasks.chore_rotation_generate_next_week.delay().get()
    houses_with_chores(organization, houses=8, residents=3, first=1)
    tasks.chore_rotation_generate_next_week.delay().get()
    with django_assert_max_num_queries(len(queries)):
        assert tasks.chore_rotation_generate_next_week.delay().get() == 0
