"""The demo has a resident who moved between two houses last month, and last month's report shows the move as a
transfer out of one house and into the other, never as an admission."""

import pytest
from django.db.models import F

from accounts.models import Organization
from reports.metrics import monthly_metrics
from reports.metrics.period import Month
from residents.models import Stay


@pytest.fixture
def moved(demo_db):
    return Stay.objects.select_related("admitted_to", "house").exclude(admitted_to=F("house")).get()


@pytest.fixture
def last_month(demo_db):
    organization = Organization.objects.get(slug="second-wind")
    month = Month.of(organization.today().replace(day=1)).previous()
    return monthly_metrics(organization=organization, month=month)


def test_the_demo_has_one_resident_who_moved_between_two_houses(moved):
    assert moved.admitted_to.name == "Maple House"
    assert moved.house.name == "Harbor House"


def test_last_months_report_shows_the_move_as_a_transfer_out_and_in(moved, last_month):
    houses = {row["name"]: row["occupancy"] for row in last_month["houses"]}
    assert houses["Maple House"]["transfers_out"] == 1
    assert houses["Harbor House"]["transfers_in"] == 1
    assert last_month["totals"]["occupancy"]["transfers_in"] == last_month["totals"]["occupancy"]["transfers_out"] == 1
