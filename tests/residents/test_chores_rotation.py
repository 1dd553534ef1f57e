"""The weekly chore rotation: one assignment per occurrence, fair shares, joiners, leavers, idempotency."""

from collections import Counter
from datetime import timedelta

import pytest
from django.conf import settings

from accounts.exceptions import DomainError
from houses.models import House
from residents.chores import services, tasks
from residents.chores.models import weekdays_to_mask
from residents.core.services import stays as stay_services
from residents.models import Chore, ChoreAssignment, ChoreRotationMember
from tests.factories import HouseFactory, admit, operator_of

from .chores_factories import ChoreFactory, discharge, free_bed, this_monday

Status = ChoreAssignment.Status
WEEK = timedelta(weeks=1)


@pytest.fixture
def home(organization):
    return HouseFactory(organization=organization, name="Cedar House", beds=6)


@pytest.fixture
def monday(home):
    return this_monday(home)


@pytest.fixture
def residents(home, monday):
    """Three residents who moved in two months ago."""
    return [admit(home, on=monday - 8 * WEEK).resident for _ in range(3)]


def generate(house, week_start):
    return services.chore_rotation_generate(actor=None, house=house, week_start=week_start)


def shares(house, **filters):
    return Counter(ChoreAssignment.objects.filter(house=house, **filters).live().values_list("resident_id", flat=True))


def snapshot(house):
    return list(ChoreAssignment.objects.filter(house=house).order_by("pk").values_list("pk", "resident_id", "status"))


def test_each_occurrence_of_a_chore_gets_one_assignment(home, monday, residents):
    daily = ChoreFactory(house=home, name="Kitchen")
    weekly = ChoreFactory(house=home, name="Yard", frequency="weekly", weekdays=weekdays_to_mask(["mon", "thu"]))
    result = generate(home, monday)
    assert result.created == 9
    assert sorted(ChoreAssignment.objects.filter(chore=daily).values_list("due_date", flat=True)) == [
        monday + timedelta(days=n) for n in range(7)
    ]
    assert sorted(ChoreAssignment.objects.filter(chore=weekly).values_list("due_date", flat=True)) == [
        monday,
        monday + timedelta(days=3),
    ]


def test_shares_stay_equal_within_one_over_several_weeks(home, monday, residents):
    ChoreFactory(house=home, name="Kitchen")
    ChoreFactory(house=home, name="Trash")
    ChoreFactory(house=home, name="Bathrooms", frequency="weekly", weekdays=weekdays_to_mask(["tue", "sat"]))
    for week in range(-2, 2):
        generate(home, monday + week * WEEK)
        counts = shares(home)
        assert set(counts) == {resident.pk for resident in residents}
        assert max(counts.values()) - min(counts.values()) <= 1
    assert sum(shares(home).values()) == 4 * 16


def test_ties_go_to_whoever_waited_longest_then_the_lowest_id(home, monday, residents):
    chore = ChoreFactory(house=home, name="Kitchen")
    generate(home, monday)
    order = list(ChoreAssignment.objects.filter(chore=chore).order_by("due_date").values_list("resident_id", flat=True))
    first, second, third = sorted(resident.pk for resident in residents)
    assert order == [first, second, third, first, second, third, first]


def test_a_new_resident_joins_at_the_lowest_count_not_at_zero(home, monday, residents):
    ChoreFactory(house=home, name="Kitchen")
    ChoreFactory(house=home, name="Trash")
    for week in (-3, -2, -1):
        generate(home, monday + week * WEEK)
    assert set(shares(home).values()) == {14}
    newcomer = admit(home, on=monday).resident
    generate(home, monday)
    this_week = shares(home, due_date__gte=monday)
    assert this_week[newcomer.pk] in (3, 4)
    assert max(this_week.values()) - min(this_week.values()) <= 1
    assert ChoreRotationMember.objects.get(resident=newcomer).starting_count == 14


def test_a_resident_moving_in_mid_week_gets_no_chore_before_their_first_night(home, monday, residents):
    ChoreFactory(house=home, name="Kitchen")
    newcomer = admit(home, on=monday + WEEK + timedelta(days=3)).resident
    generate(home, monday + WEEK)
    due = ChoreAssignment.objects.filter(resident=newcomer).values_list("due_date", flat=True)
    assert due
    assert min(due) >= monday + WEEK + timedelta(days=3)


def test_a_discharged_resident_hands_on_their_future_chores(home, monday, residents):
    ChoreFactory(house=home, name="Kitchen")
    ChoreFactory(house=home, name="Trash")
    generate(home, monday)
    generate(home, monday + WEEK)
    rows_before = ChoreAssignment.objects.count()
    leaver = residents[0]
    tomorrow = home.organization.today() + timedelta(days=1)
    discharge(leaver.stays.get(), on=tomorrow)
    assert not ChoreAssignment.objects.filter(resident=leaver, due_date__gte=tomorrow).exists()
    handed_on = ChoreAssignment.objects.filter(due_date__gte=tomorrow)
    assert ChoreAssignment.objects.count() == rows_before
    assert set(handed_on.values_list("status", flat=True)) == {Status.PENDING}
    assert set(handed_on.values_list("resident_id", flat=True)) == {residents[1].pk, residents[2].pk}


def test_a_discharged_resident_gets_nothing_in_weeks_generated_later(home, monday, residents):
    ChoreFactory(house=home, name="Kitchen")
    discharge(residents[0].stays.get(), on=monday + WEEK)
    generate(home, monday + WEEK)
    generate(home, monday + 2 * WEEK)
    assert not ChoreAssignment.objects.filter(resident=residents[0]).exists()


def test_after_a_backdated_discharge_past_chores_are_cancelled_and_later_ones_reassigned(home, monday, residents):
    ChoreFactory(house=home, name="Kitchen")
    generate(home, monday - WEEK)
    generate(home, monday)
    leaver = residents[0]
    move_out = monday - timedelta(days=4)
    discharge(leaver.stays.get(), on=move_out)
    today = home.organization.today()
    after = ChoreAssignment.objects.filter(due_date__gte=move_out)
    past_of_leaver = after.filter(resident=leaver)
    assert past_of_leaver.exists()
    assert set(past_of_leaver.values_list("status", flat=True)) <= {Status.CANCELLED}
    assert all(row.due_date < today for row in past_of_leaver)
    assert not after.filter(due_date__gte=today, resident=leaver).exists()
    assert not after.filter(due_date__gte=today).exclude(status=Status.PENDING).exists()


def test_when_nobody_is_left_the_chores_are_cancelled_and_given_out_again_later(home, monday):
    ChoreFactory(house=home, name="Kitchen")
    only = admit(home, on=monday - 4 * WEEK)
    generate(home, monday + WEEK)
    discharge(only, on=monday + WEEK)
    assert set(ChoreAssignment.objects.values_list("status", flat=True)) == {Status.CANCELLED}
    newcomer = admit(home, on=monday + WEEK).resident
    result = generate(home, monday + WEEK)
    assert (result.created, result.reassigned) == (0, 7)
    assert set(ChoreAssignment.objects.values_list("resident_id", "status")) == {(newcomer.pk, Status.PENDING)}


def test_marked_chores_of_a_leaver_stay_theirs(home, monday, residents, operator):
    chore = ChoreFactory(house=home, name="Kitchen")
    generate(home, monday - WEEK)
    leaver_row = ChoreAssignment.objects.filter(chore=chore, resident=residents[0]).first()
    services.chore_assignment_mark(actor=operator, assignment=leaver_row, status="done")
    discharge(residents[0].stays.get(), on=monday - WEEK)
    leaver_row.refresh_from_db()
    assert (leaver_row.resident_id, leaver_row.status) == (residents[0].pk, Status.DONE)


def test_a_transferred_resident_leaves_the_old_rotation_and_joins_the_new_one(home, monday, residents, organization):
    ChoreFactory(house=home, name="Kitchen")
    elsewhere = HouseFactory(organization=organization, name="Birch House", beds=2)
    ChoreFactory(house=elsewhere, name="Porch")
    generate(home, monday + WEEK)
    mover = residents[0].stays.get()
    stay_services.stay_transfer(
        actor=operator_of(organization), stay=mover, bed=free_bed(elsewhere, monday + WEEK), on=monday + WEEK
    )
    assert not ChoreAssignment.objects.filter(house=home, resident=mover.resident).exists()
    assert ChoreAssignment.objects.filter(house=home).count() == 7
    generate(elsewhere, monday + WEEK)
    assert set(shares(elsewhere)) == {mover.resident_id}


def test_a_move_to_another_bed_in_the_same_house_changes_no_chore(home, monday, residents):
    ChoreFactory(house=home, name="Kitchen")
    generate(home, monday + WEEK)
    before = snapshot(home)
    stay = residents[0].stays.get()
    stay_services.stay_transfer(
        actor=operator_of(home.organization), stay=stay, bed=free_bed(home, monday + WEEK), on=monday + WEEK
    )
    assert snapshot(home) == before


def test_generating_a_week_twice_creates_nothing_new(home, monday, residents):
    ChoreFactory(house=home, name="Kitchen")
    ChoreFactory(house=home, name="Laundry room", frequency="weekly", weekdays=weekdays_to_mask(["sun"]))
    generate(home, monday)
    before, places = snapshot(home), ChoreRotationMember.objects.count()
    again = generate(home, monday)
    assert (again.created, again.reassigned, again.cancelled) == (0, 0, 0)
    assert snapshot(home) == before
    assert ChoreRotationMember.objects.count() == places


def test_a_week_must_start_on_a_monday(home, monday, residents):
    with pytest.raises(DomainError) as error:
        generate(home, monday + timedelta(days=2))
    assert error.value.field == "week_start"


def test_weeks_more_than_four_ahead_are_refused(home, monday, residents):
    ChoreFactory(house=home, name="Kitchen")
    generate(home, monday + 4 * WEEK)
    with pytest.raises(DomainError) as error:
        generate(home, monday + 5 * WEEK)
    assert error.value.field == "week_start"


def test_a_closed_house_is_not_rotated(home, monday, residents):
    ChoreFactory(house=home, name="Kitchen")
    House.objects.filter(pk=home.pk).update(status=House.Status.CLOSED)
    with pytest.raises(DomainError) as error:
        generate(home, monday)
    assert error.value.field == "house"
    assert not ChoreAssignment.objects.exists()


def test_inactive_chores_are_not_rotated(home, monday, residents):
    ChoreFactory(house=home, name="Kitchen", is_active=False)
    assert generate(home, monday).created == 0


def test_deactivating_a_chore_cancels_its_pending_chores_after_today(home, monday, residents, operator):
    chore = ChoreFactory(house=home, name="Kitchen")
    generate(home, monday)
    generate(home, monday + WEEK)
    today = home.organization.today()
    services.chore_update(actor=operator, chore=chore, is_active=False)
    assert set(chore.assignments.filter(due_date__gt=today).values_list("status", flat=True)) == {Status.CANCELLED}
    assert set(chore.assignments.filter(due_date__lte=today).values_list("status", flat=True)) == {Status.PENDING}


def test_a_reactivated_chore_is_given_out_again_by_the_next_generation(home, monday, residents, operator):
    chore = ChoreFactory(house=home, name="Kitchen")
    generate(home, monday + WEEK)
    services.chore_update(actor=operator, chore=chore, is_active=False)
    services.chore_update(actor=operator, chore=chore, is_active=True)
    result = generate(home, monday + WEEK)
    assert result.reassigned == 7
    assert set(chore.assignments.values_list("status", flat=True)) == {Status.PENDING}


def test_taking_a_weekday_out_of_a_schedule_cancels_those_days_ahead(home, monday, residents, operator):
    chore = ChoreFactory(house=home, name="Yard", frequency="weekly", weekdays=weekdays_to_mask(["mon", "thu"]))
    generate(home, monday + WEEK)
    services.chore_update(actor=operator, chore=chore, weekdays=["mon"])
    statuses = dict(chore.assignments.values_list("due_date", "status"))
    assert statuses == {monday + WEEK: Status.PENDING, monday + WEEK + timedelta(days=3): Status.CANCELLED}


def test_a_weekly_chore_needs_a_weekday(home, operator):
    with pytest.raises(DomainError) as error:
        services.chore_create(actor=operator, house=home, name="Yard", frequency="weekly", weekdays=[])
    assert error.value.field == "weekdays"


def test_a_daily_chore_runs_every_day(home, operator):
    chore = services.chore_create(actor=operator, house=home, name="Kitchen", frequency="daily")
    assert chore.weekday_names == ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
    with pytest.raises(DomainError) as error:
        services.chore_update(actor=operator, chore=chore, weekdays=["mon"])
    assert error.value.field == "weekdays"


def test_chore_names_are_unique_in_a_house_ignoring_case(home, operator):
    services.chore_create(actor=operator, house=home, name="Kitchen", frequency="daily")
    with pytest.raises(DomainError) as error:
        services.chore_create(actor=operator, house=home, name="kitchen", frequency="daily")
    assert error.value.field == "name"
    assert Chore.objects.count() == 1


def test_the_beat_schedule_runs_the_rotation_weekly():
    entry = settings.CELERY_BEAT_SCHEDULE["chore-rotation-next-week"]
    assert entry["task"] == "residents.tasks.chore_rotation_generate_next_week"
    assert entry["schedule"].day_of_week == {5}


def test_the_weekly_job_generates_next_week_for_every_active_house(home, monday, residents, organization):
    ChoreFactory(house=home, name="Kitchen")
    closed = HouseFactory(organization=organization, name="Old House", beds=1, status=House.Status.CLOSED)
    ChoreFactory(house=closed, name="Porch")
    assert tasks.chore_rotation_generate_next_week.delay().get() == House.objects.filter(status="active").count()
    next_week = ChoreAssignment.objects.filter(house=home)
    assert sorted(next_week.values_list("due_date", flat=True)) == [monday + WEEK + timedelta(days=n) for n in range(7)]
    assert not ChoreAssignment.objects.filter(house=closed).exists()


def test_running_the_weekly_job_twice_creates_nothing_new(home, monday, residents):
    ChoreFactory(house=home, name="Kitchen")
    assert tasks.chore_rotation_generate_for_house.delay(home.pk).get() == 7
    before = snapshot(home)
    assert tasks.chore_rotation_generate_for_house.delay(home.pk).get() == 0
    assert snapshot(home) == before
