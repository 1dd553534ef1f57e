"""Nothing done today changes a past month: adding a bed, retiring one or closing a house today leaves every figure of
March (and of April to date, through last night) as it was (issue 12, requirement 1)."""

from datetime import date

import pytest
import time_machine

from houses import services
from houses.models import House
from reports.metrics import Month, monthly_metrics
from residents.core.services.stays import stay_admit, stay_discharge
from tests.clock import local_moment, module_clock
from tests.factories import HouseFactory, take_out_of_service

_clock = module_clock(local_moment(2026, 4, 15))

TODAY = date(2026, 4, 15)
MONTHS = [Month(2026, 2), Month(2026, 3), Month(2026, 4)]


@pytest.fixture
def history(organization, operator, house, resident_factory):
    """Maple House full of March life (admissions, a discharge, an outage); Birch House emptied in March."""
    beds = list(house.beds.order_by("pk"))
    admit = lambda bed, on: stay_admit(actor=operator, resident=resident_factory(), bed=bed, on=on)  # noqa: E731
    admit(beds[0], date(2026, 2, 10))
    leaving = admit(beds[1], date(2026, 3, 3))
    stay_discharge(actor=operator, stay=leaving, on=date(2026, 3, 21), reason="completed")
    take_out_of_service(beds[2], date(2026, 3, 8), date(2026, 3, 15))
    birch = HouseFactory(organization=organization, name="Birch House", beds=2, opened_on=date(2025, 9, 1))
    moved_out = admit(birch.beds.first(), date(2026, 1, 5))
    stay_discharge(actor=operator, stay=moved_out, on=date(2026, 3, 12), reason="voluntary")
    return {"house": house, "beds": beds, "birch": birch}


def _every_figure(organization):
    return [monthly_metrics(organization=organization, month=month) for month in MONTHS]


def test_adding_a_bed_today_changes_no_past_month(organization, operator, history):
    before = _every_figure(organization)
    services.bed_create(actor=operator, room=history["beds"][0].room, label="New")
    assert _every_figure(organization) == before


def test_a_bed_added_today_to_an_empty_house_entered_long_ago_changes_no_past_month(organization, operator, history):
    with time_machine.travel(local_moment(2025, 9, 1), tick=False):
        cedar = HouseFactory(organization=organization, name="Cedar House", opened_on=date(2025, 9, 1))
        room = services.room_create(actor=operator, house=cedar, name="Front")
    before = _every_figure(organization)
    bed = services.bed_create(actor=operator, room=room, label="New")
    assert bed.in_service_from == TODAY
    assert _every_figure(organization) == before


def test_a_house_opened_today_adds_no_row_to_a_past_month(organization, operator, history):
    before = _every_figure(organization)
    oak = services.house_create(actor=operator, name="Oak House", gender=House.Gender.MEN)
    services.bed_create(actor=operator, room=services.room_create(actor=operator, house=oak, name="Front"), label="1")
    # April is reported through last night, before Oak opened.
    assert _every_figure(organization) == before


def test_retiring_a_bed_today_changes_no_past_month(organization, operator, history):
    before = _every_figure(organization)
    services.bed_retire(actor=operator, bed=history["beds"][3], on=TODAY)
    assert _every_figure(organization) == before


def test_closing_a_house_today_changes_no_past_month(organization, operator, history):
    before = _every_figure(organization)
    services.house_update(actor=operator, house=history["birch"], status=House.Status.CLOSED)
    assert _every_figure(organization) == before


def test_all_three_today_change_no_past_month_but_do_change_tonight(api, organization, operator, history):
    before = _every_figure(organization)
    capacity_before = api(operator).get(f"/api/v1/houses/{history['house'].pk}/").json()["capacity"]
    services.bed_create(actor=operator, room=history["beds"][0].room, label="New")
    services.bed_create(actor=operator, room=history["beds"][0].room, label="Newer")
    services.bed_retire(actor=operator, bed=history["beds"][3], on=TODAY)
    services.house_update(actor=operator, house=history["birch"], status=House.Status.CLOSED)
    assert _every_figure(organization) == before
    assert api(operator).get(f"/api/v1/houses/{history['house'].pk}/").json()["capacity"] == capacity_before + 1


def test_a_house_closed_in_march_offers_no_bed_night_after_it(organization, operator, history):
    services.house_update(actor=operator, house=history["birch"], closed_on=date(2026, 3, 12))
    march = monthly_metrics(organization=organization, month=Month(2026, 3))
    [birch] = [row for row in march["houses"] if row["name"] == "Birch House"]
    assert (birch["occupancy"]["available_bed_nights"], birch["occupancy"]["in_service_beds"]) == (22, 0)


def test_a_bed_added_mid_march_counts_from_its_first_night(organization, operator, history):
    march_before = monthly_metrics(organization=organization, month=Month(2026, 3))
    services.bed_create(actor=operator, room=history["beds"][0].room, label="New", in_service_from=date(2026, 3, 22))
    march = monthly_metrics(organization=organization, month=Month(2026, 3))
    [before] = [row for row in march_before["houses"] if row["name"] == "Maple House"]
    [after] = [row for row in march["houses"] if row["name"] == "Maple House"]
    assert after["occupancy"]["available_bed_nights"] - before["occupancy"]["available_bed_nights"] == 10
    assert after["occupancy"]["in_service_beds"] == before["occupancy"]["in_service_beds"] + 1
