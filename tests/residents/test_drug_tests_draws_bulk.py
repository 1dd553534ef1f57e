"""The weekly draw job at scale: houses drawn together in a fixed number of queries, each draw what
``drug_test_draw`` would make, next to nothing on a repeat run, and one draw per house when two workers run it."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from residents.models import Draw, DrugTestPolicy, TestRequest
from residents.testing import tasks
from residents.testing.services import drug_test_draws as draw_services
from tests.concurrency import at_once
from tests.factories import HouseFactory, admit

from .drug_tests_factories import days_ago, this_monday


def houses_with_residents(organization, *, houses: int, residents: int) -> list:
    made = []
    for number in range(houses):
        house = HouseFactory(organization=organization, name=f"House {number}", beds=residents)
        for _resident in range(residents):
            admit(house, on=days_ago(organization, 60))
        made.append(house)
    return made


def test_the_draw_job_costs_no_more_queries_for_30_residents_than_for_2(
    organization, other_organization, django_assert_max_num_queries
):
    houses_with_residents(organization, houses=1, residents=2)
    with CaptureQueriesContext(connection) as queries:
        assert tasks.draw_drug_tests_for_all_houses() == 1
    houses_with_residents(other_organization, houses=5, residents=6)
    with django_assert_max_num_queries(len(queries)):
        assert tasks.draw_drug_tests_for_all_houses() == 5


def test_a_repeat_run_of_the_draw_job_draws_nothing_in_two_queries(organization, django_assert_max_num_queries):
    houses_with_residents(organization, houses=3, residents=4)
    tasks.draw_drug_tests_for_all_houses()
    with django_assert_max_num_queries(2):
        assert tasks.draw_drug_tests_for_all_houses() == 0
    assert Draw.objects.count() == 3


def test_a_draw_of_the_job_is_the_seeded_sample_of_tonights_residents_with_a_request_each(organization):
    (house,) = houses_with_residents(organization, houses=1, residents=8)
    DrugTestPolicy.objects.create(organization=organization, house=house, percentage=25, due_days=2)
    tasks.draw_drug_tests_for_all_houses()
    draw = Draw.objects.get(house=house)
    assert draw.week_start == this_monday(organization)
    assert draw.population_on == organization.today()
    assert draw.population == sorted(house.stays.values_list("resident_id", flat=True))
    assert draw.count == 2
    assert [resident.pk for resident in draw_services.draw_replay(draw)] == draw.selected
    requests = TestRequest.objects.filter(draw=draw)
    assert sorted(requests.values_list("resident_id", flat=True)) == sorted(draw.selected)
    assert {(r.requested_on, (r.due_on - r.requested_on).days, r.reason) for r in requests} == {
        (organization.today(), 2, "random")
    }


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_draw_jobs_running_at_once_draw_each_house_once(organization):
    houses_with_residents(organization, houses=3, residents=4)
    results = at_once([tasks.draw_drug_tests_for_all_houses] * 2)
    assert sum(results) == 3
    assert Draw.objects.count() == 3
    assert TestRequest.objects.count() == sum(Draw.objects.values_list("count", flat=True))
