"""The current month is reported "to date, through last night", and says so; months to come are refused
everywhere (issue 12, requirement 5). The clock is December 5, 2026, 10:00 in Chicago."""

from datetime import date, datetime, time

import lxml.html
import pytest
import time_machine
from django.utils import timezone

from reports.metrics import Month, fingerprint, monthly_metrics
from reports.models import Report
from residents.core.services.stays import stay_admit
from residents.models import ChoreAssignment, HouseMeeting
from tests.clock import local_moment, module_clock

_clock = module_clock(local_moment(2026, 12, 5))


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def sleeping(house, operator, resident_factory):
    """One resident in Maple House since Nov 20: on December 5 she has slept four December nights (Dec 1-4)."""
    stay_admit(actor=operator, resident=resident_factory(), bed=house.beds.first(), on=date(2026, 11, 20))
    return house


def test_on_december_5_decembers_occupied_nights_are_those_of_december_1_to_4(api, operator, sleeping):
    body = api(operator).get("/api/v1/reports/monthly/?month=2026-12").json()
    occupancy = body["totals"]["occupancy"]
    assert occupancy["occupied_bed_nights"] == 4
    assert occupancy["available_bed_nights"] == 4 * 4  # four beds, four nights
    assert occupancy["average_daily_census"] == "1.00"


def test_the_current_month_says_it_runs_through_last_night(api, operator, sleeping):
    body = api(operator).get("/api/v1/reports/monthly/?month=2026-12").json()
    assert (body["through"], body["partial"]) == ("2026-12-04", True)


def test_a_whole_month_runs_through_its_last_day(api, operator, sleeping):
    body = api(operator).get("/api/v1/reports/monthly/?month=2026-11").json()
    assert (body["through"], body["partial"]) == ("2026-11-30", False)
    assert body["totals"]["occupancy"]["occupied_bed_nights"] == 11  # Nov 20-30


def test_compliance_of_a_month_to_date_leaves_out_today(organization, house, sleeping, manager):
    from residents.models import Chore, Stay

    stay = Stay.objects.get(house=house)
    chore = Chore.objects.create(organization=organization, house=house, name="Kitchen", frequency="daily")
    for day in (4, 5):
        ChoreAssignment.objects.create(
            organization=organization, house=house, chore=chore, resident=stay.resident, stay=stay,
            due_date=date(2026, 12, day), status="done", marked_by=manager.user,
            marked_at=timezone.make_aware(datetime(2026, 12, day, 9), organization.tzinfo),
        )  # fmt: skip
        HouseMeeting.objects.create(
            organization=organization, house=house, facilitator_name="House manager",
            held_at=datetime.combine(date(2026, 12, day), time(8), tzinfo=organization.tzinfo),
        )  # fmt: skip
    figures = monthly_metrics(organization=organization, month=Month(2026, 12))["totals"]["compliance"]
    assert figures["chores_assigned"] == 1
    assert figures["house_meetings_held"] == 1
    assert figures["weeks_in_month"] == 0  # December 2026's first Monday is the 7th


@pytest.mark.parametrize("month", ["2027-01", "2030-06"])
def test_the_monthly_figures_refuse_a_month_to_come(api, operator, month):
    response = api(operator).get(f"/api/v1/reports/monthly/?month={month}")
    assert response.status_code == 400
    assert "no nights behind it" in response.json()["month"][0]


def test_on_the_first_the_new_month_is_refused_and_the_last_one_is_whole(api, operator, sleeping):
    client = api(operator)
    with time_machine.travel(local_moment(2027, 1, 1, 9), tick=False):
        assert client.get("/api/v1/reports/monthly/?month=2027-01").status_code == 400
        body = client.get("/api/v1/reports/monthly/?month=2026-12").json()
    assert (body["through"], body["partial"]) == ("2026-12-31", False)


def test_asking_for_a_report_of_a_month_to_come_is_refused_and_queues_nothing(api, operator):
    response = api(operator).post("/api/v1/reports/", {"month": "2027-01"}, format="json")
    assert response.status_code == 400
    assert "month" in response.json()
    assert not Report.objects.exists()


def test_a_report_of_the_current_month_is_made_from_the_figures_to_date(
    api, operator, sleeping, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = api(operator).post("/api/v1/reports/", {"month": "2026-12"}, format="json")
    assert response.status_code == 202
    report = Report.objects.get(pk=response.json()["id"])
    assert report.status == Report.Status.DONE
    to_date = monthly_metrics(organization=sleeping.organization, month=Month(2026, 12))
    assert report.fingerprint == fingerprint(to_date)


def _months_offered(client) -> dict[str, str]:
    document = lxml.html.fromstring(client.get("/dashboard/reports/").content)
    return {
        option.get("value"): option.text_content().strip() for option in document.cssselect("select#id_month option")
    }


def test_the_reports_page_offers_the_current_month_to_date_but_no_month_to_come(page, operator):
    offered = _months_offered(page(operator))
    assert offered["2026-12"] == "December 2026 (to date)"
    assert "2027-01" not in offered
    assert len(offered) == 13


def test_on_the_first_the_reports_page_does_not_offer_the_new_month(page, operator):
    with time_machine.travel(local_moment(2027, 1, 1, 9), tick=False):
        offered = _months_offered(page(operator))
    assert "2027-01" not in offered
    assert offered["2026-12"] == "December 2026"


def test_the_reports_page_refuses_a_month_to_come(page, operator):
    response = page(operator).submit("/dashboard/reports/", {"month": "2027-01", "scope": ""}, button="Generate")
    assert response.status_code == 400
    assert "Select a valid choice" in response.content.decode()
    assert not Report.objects.exists()


def test_the_safety_section_of_a_month_to_date_leaves_out_today(organization, house, operator):
    from compliance.models import Drill

    for day in (4, 5):
        Drill.objects.create(
            organization=organization, house=house, residents_present=3, evacuation_minutes="2.5",
            held_at=datetime.combine(date(2026, 12, day), time(8), tzinfo=organization.tzinfo),
        )  # fmt: skip
    metrics = monthly_metrics(organization=organization, month=Month(2026, 12))
    assert metrics["totals"]["safety"]["drills"] == 1
