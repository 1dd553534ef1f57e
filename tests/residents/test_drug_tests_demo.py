"""The demo's drug testing, incidents and notes look like a house that has been running for a while."""

from datetime import timedelta

import pytest

from accounts import calendar
from accounts.models import Organization
from residents.models import Draw, DrugTest, Incident, ResidentNote, Stay, TestRequest
from residents.testing.services import drug_test_draws as draw_services


@pytest.fixture
def first(demo_db):
    return Organization.objects.get(slug="second-wind")


def test_each_house_has_eight_past_weeks_and_this_week_drawn(first):
    this_monday = calendar.week_start(first.today())
    for house in first.houses.all():
        weeks = sorted(Draw.objects.filter(house=house).values_list("week_start", flat=True))
        assert len(weeks) == 9
        assert weeks[-1] == this_monday


def test_every_demo_draw_replays_to_its_residents(first):
    for draw in Draw.objects.filter(organization=first):
        assert [resident.pk for resident in draw_services.draw_replay(draw)] == draw.selected


def test_past_requests_are_answered_except_two_overdue(first):
    requests = TestRequest.objects.filter(organization=first)
    assert requests.overdue(first.today()).count() == 2
    past = requests.filter(draw__week_start__lt=calendar.week_start(first.today()))
    assert past.filter(status="fulfilled").count() == past.count() - 2


def _this_year(first):
    """The drug-testing demo's own year: the retention demo adds residents who left years ago."""
    return {"stay__move_in__gte": first.today() - timedelta(days=365)}


def test_results_are_mostly_negative_with_the_usual_exceptions(first):
    random_tests = DrugTest.objects.filter(organization=first, reason="random", **_this_year(first))
    counts = {result: random_tests.filter(result=result).count() for result in DrugTest.Result.values}
    assert counts["positive"] == 2
    assert (counts["dilute"], counts["refused"], counts["pending_lab"], counts["invalid"]) == (1, 1, 1, 0)
    assert counts["negative"] > 20
    assert all(test.positive_substances for test in random_tests.filter(result="positive"))


def test_every_stay_began_with_an_intake_test(first):
    stays = Stay.objects.filter(organization=first)
    assert DrugTest.objects.filter(stay__in=stays, reason="intake").count() == stays.count()


def test_incidents_vary_and_one_carries_a_fine(first):
    incidents = Incident.objects.filter(organization=first, occurred_at__date__gte=first.today() - timedelta(days=365))
    assert 5 <= incidents.count() <= 8
    assert incidents.filter(action="fine", fine_amount__gt=0).count() == 1
    assert set(incidents.values_list("severity", flat=True)) == {"low", "medium", "high"}
    assert ResidentNote.objects.filter(organization=first).count() >= 3
