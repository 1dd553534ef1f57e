"""Weekly random draws: reproducible, rounded up, only current residents, one per house and week."""

import random
from datetime import timedelta

import pytest
from django.conf import settings

from accounts.exceptions import DomainError
from houses.models import House
from residents.core.services import stays as stay_services
from residents.models import Draw, DrugTestPolicy, TestRequest
from residents.testing import tasks
from residents.testing.services import drug_test_draws as draw_services
from tests.factories import HouseFactory, admit

from .drug_tests_factories import days_ago, draw, this_monday


@pytest.fixture
def full_house(organization, house, operator):
    """``house`` with eight residents (it has four beds; more are added), all admitted 60 days ago."""
    return [admit(house, on=days_ago(organization, 60), actor=operator).resident for _n in range(8)]


@pytest.fixture
def last_monday(organization):
    return this_monday(organization) - timedelta(days=7)


def test_replaying_a_draw_gives_the_same_residents(operator, house, full_house, last_monday):
    made = draw(operator, house, week_start=last_monday)
    replayed = draw_services.draw_replay(made)
    assert [resident.pk for resident in replayed] == made.selected
    assert {resident.display_name for resident in replayed} == {
        request.resident.display_name for request in made.requests.select_related("resident")
    }


def test_the_stored_draw_is_the_seeded_sample_of_the_sorted_population(operator, house, full_house, last_monday):
    made = draw(operator, house, week_start=last_monday)
    made.refresh_from_db()  # what was stored, not what is in memory
    assert made.population == sorted(resident.pk for resident in full_house)
    assert made.selected == random.Random(made.seed).sample(made.population, made.count)


def test_two_draws_of_the_same_population_use_different_seeds(operator, house, other_house, full_house, last_monday):
    first = draw(operator, house, week_start=last_monday)
    second = draw(operator, house, week_start=last_monday - timedelta(days=7))
    assert first.seed != second.seed


@pytest.mark.parametrize(
    ("population", "percentage", "expected"),
    [(8, 25, 2), (9, 25, 3), (5, 25, 2), (4, 25, 1), (1, 25, 1), (0, 25, 0), (3, 34, 2), (10, 100, 10), (7, 1, 1)],
)
def test_the_draw_count_is_the_percentage_rounded_up(population, percentage, expected):
    assert draw_services.draw_count(population, percentage) == expected


def test_a_draw_of_nine_residents_at_25_percent_draws_three(operator, organization, house, full_house, last_monday):
    admit(house, on=days_ago(organization, 30), actor=operator)
    made = draw(operator, house, week_start=last_monday)
    assert (len(made.population), made.percentage, made.count, len(made.selected)) == (9, 25, 3, 3)


def test_the_house_policy_percentage_is_used_when_none_is_given(operator, house, full_house, last_monday):
    DrugTestPolicy.objects.create(organization=house.organization, house=house, percentage=50)
    assert draw(operator, house, week_start=last_monday).count == 4


def test_a_given_percentage_overrides_the_policy(operator, house, full_house, last_monday):
    made = draw(operator, house, week_start=last_monday, percentage=75)
    assert (made.percentage, made.count) == (75, 6)


def test_only_residents_sleeping_in_the_house_that_night_are_drawn(
    operator, organization, house, other_house, last_monday
):
    stayer = admit(house, on=last_monday - timedelta(days=30), actor=operator).resident
    left = admit(house, on=last_monday - timedelta(days=30), actor=operator).resident
    moved_out = admit(house, on=last_monday - timedelta(days=30), actor=operator).resident
    stay_services.stay_discharge(actor=operator, stay=left.stays.get(), on=last_monday, reason="completed")
    stay_services.stay_transfer(
        actor=operator,
        stay=moved_out.stays.get(),
        bed=other_house.beds.first(),
        on=last_monday - timedelta(days=1),
    )
    admit(house, on=last_monday + timedelta(days=1), actor=operator)  # arrives after the draw's night
    admit(other_house, on=last_monday - timedelta(days=30), actor=operator)
    made = draw(operator, house, week_start=last_monday, percentage=100)
    assert made.population == [stayer.pk]
    assert made.selected == [stayer.pk]


def test_a_past_week_draws_from_the_residents_of_its_monday(operator, house, full_house, last_monday):
    assert draw(operator, house, week_start=last_monday).population_on == last_monday


def test_the_current_week_draws_from_todays_residents(operator, organization, house, full_house):
    assert draw(operator, house, week_start=this_monday(organization)).population_on == organization.today()


def test_a_second_draw_for_the_same_week_returns_the_first(operator, manager, house, full_house, last_monday):
    first, created = draw_services.drug_test_draw(actor=operator, house=house, week_start=last_monday)
    again, created_again = draw_services.drug_test_draw(
        actor=manager, house=house, week_start=last_monday, percentage=100
    )
    assert (created, created_again) == (True, False)
    assert again.pk == first.pk
    assert again.count == first.count
    assert Draw.objects.count() == 1
    assert TestRequest.objects.count() == first.count


def test_drawn_residents_get_random_requests_due_after_the_policy_days(operator, house, full_house, last_monday):
    DrugTestPolicy.objects.create(organization=house.organization, house=house, due_days=3)
    made = draw(operator, house, week_start=last_monday)
    requests = list(made.requests.all())
    assert sorted(request.resident_id for request in requests) == sorted(made.selected)
    for request in requests:
        assert (request.reason, request.status, request.house_id) == ("random", "open", house.pk)
        assert request.requested_on == last_monday
        assert request.due_on == last_monday + timedelta(days=3)
        assert request.stay.resident_id == request.resident_id


def test_a_draw_week_starts_on_a_monday(operator, house, full_house, last_monday):
    with pytest.raises(DomainError) as error:
        draw(operator, house, week_start=last_monday + timedelta(days=1))
    assert error.value.field == "week_start"
    assert not Draw.objects.exists()


def test_a_future_week_cannot_be_drawn(operator, organization, house, full_house):
    with pytest.raises(DomainError) as error:
        draw(operator, house, week_start=this_monday(organization) + timedelta(days=7))
    assert error.value.field == "week_start"


def test_a_closed_house_is_not_drawn(operator, house, full_house, last_monday):
    House.objects.filter(pk=house.pk).update(status=House.Status.CLOSED)
    with pytest.raises(DomainError) as error:
        draw(operator, house, week_start=last_monday)
    assert error.value.field == "house"


@pytest.mark.parametrize("percentage", [0, 101, -5, 12.5, True])
def test_a_percentage_outside_1_to_100_is_refused(operator, house, full_house, last_monday, percentage):
    with pytest.raises(DomainError) as error:
        draw(operator, house, week_start=last_monday, percentage=percentage)
    assert error.value.field == "percentage"
    assert not Draw.objects.exists()


def test_an_empty_house_is_drawn_with_nobody(operator, house, last_monday):
    made = draw(operator, house, week_start=last_monday)
    assert (made.population, made.count, made.selected) == ([], 0, [])
    assert draw_services.draw_replay(made) == []


def test_the_weekly_job_draws_each_active_house_once(operator, organization, house, other_house, full_house):
    closed = HouseFactory(organization=organization, name="Closed House", status=House.Status.CLOSED)
    paused = HouseFactory(organization=organization, name="Paused House")
    DrugTestPolicy.objects.create(organization=organization, house=paused, random_draws_enabled=False)
    assert tasks.draw_drug_tests_for_all_houses.delay().get() == 2
    assert tasks.draw_drug_tests_for_all_houses.delay().get() == 0
    drawn = Draw.objects.values_list("house_id", "week_start", "drawn_by")
    assert set(drawn) == {
        (house.pk, this_monday(organization), None),
        (other_house.pk, this_monday(organization), None),
    }
    assert not Draw.objects.filter(house__in=[closed, paused]).exists()


def test_the_beat_schedule_runs_the_draw_job():
    entry = settings.CELERY_BEAT_SCHEDULE["drug-test-draws"]
    assert entry["task"] == tasks.draw_drug_tests_for_all_houses.name
