"""A small month built by hand, every figure worked out by hand below.

March 2026 has 31 nights. Golden House (opened 2025) has beds A, B, C, D.
- Bed D is out of service from Mar 10 to Mar 20: nights 10..19, 10 nights.
- Ruth: bed A since Feb 15, still there: 31 nights in March.
- Sam: bed B Mar 5 to Mar 25, completed the program: nights 5..24 = 20; length of stay 20 days.
- Tina: bed C since Jan 1, left Mar 11 after a relapse: nights 1..10 = 10; length of stay 31 + 28 + 10 = 69 days.
- Uma: bed C from Mar 15: nights 15..31 = 17.
- Vic: bed B from Mar 28, moved to bed D on Mar 30: nights 28, 29 in B and 30, 31 in D = 4.
"""

from datetime import date
from decimal import Decimal

import pytest

from houses.models import Bed
from reports.metrics.occupancy import by_house as occupancy
from reports.metrics.occupancy import public, total
from reports.metrics.period import Month
from residents.services.stays import stay_admit, stay_discharge, stay_transfer
from tests.factories import HouseFactory, RoomFactory

MARCH = Month(2026, 3)


@pytest.fixture
def golden(organization, operator, resident_factory):
    house = HouseFactory(organization=organization, name="Golden House", opened_on=date(2025, 6, 1))
    room = RoomFactory(house=house, name="Main")
    beds = {}
    for label in "ABCD":
        beds[label] = Bed(room=room, label=label)
        beds[label].save()
    d = beds["D"]
    d.status, d.out_of_service_reason = Bed.Status.OUT_OF_SERVICE, "Broken window"
    d.out_of_service_from, d.out_of_service_until = date(2026, 3, 10), date(2026, 3, 20)
    d.save()

    actor = operator.user

    def admit(name, bed, on):
        return stay_admit(actor=actor, resident=resident_factory(legal_first_name=name), bed=beds[bed], on=on)

    admit("Ruth", "A", date(2026, 2, 15))
    sam = admit("Sam", "B", date(2026, 3, 5))
    stay_discharge(actor=actor, stay=sam, on=date(2026, 3, 25), reason="completed")
    tina = admit("Tina", "C", date(2026, 1, 1))
    stay_discharge(actor=actor, stay=tina, on=date(2026, 3, 11), reason="relapse")
    admit("Uma", "C", date(2026, 3, 15))
    vic = admit("Vic", "B", date(2026, 3, 28))
    stay_transfer(actor=actor, stay=vic, bed=beds["D"], on=date(2026, 3, 30))
    return house


@pytest.fixture
def figures(golden):
    return public(occupancy(houses=type(golden).objects.filter(pk=golden.pk), month=MARCH)[golden.pk])


def test_available_bed_nights_leave_out_the_outage(figures):
    assert figures["available_bed_nights"] == 4 * 31 - 10


def test_occupied_bed_nights_add_up_every_resident(figures):
    assert figures["occupied_bed_nights"] == 31 + 20 + 10 + 17 + 4


def test_occupancy_percent_and_average_daily_census(figures):
    assert figures["occupancy_pct"] == Decimal("71.9")  # 82 / 114
    assert figures["average_daily_census"] == Decimal("2.65")  # 82 / 31


def test_admissions_discharges_and_length_of_stay(figures):
    assert figures["admissions"] == 3  # Sam, Uma, Vic
    assert figures["discharges_by_reason"] == {"completed": 1, "relapse": 1}
    assert figures["average_length_of_stay"] == Decimal("44.5")  # (20 + 69) / 2


def test_census_and_beds_in_service_at_month_end(figures):
    assert figures["census_at_month_end"] == 3  # Ruth, Uma, Vic
    assert figures["in_service_beds"] == 4


def test_organization_totals_are_the_sums_of_the_houses(golden, organization):
    other = HouseFactory(organization=organization, name="Empty House", beds=2, opened_on=date(2025, 1, 1))
    per_house = occupancy(houses=type(golden).objects.filter(pk__in=[golden.pk, other.pk]), month=MARCH)
    totals = public(total(per_house, month=MARCH))
    assert totals["available_bed_nights"] == 114 + 62
    assert totals["occupied_bed_nights"] == 82
    assert totals["occupancy_pct"] == Decimal("46.6")  # 82 / 176


def test_a_house_opened_mid_month_offers_nights_from_its_opening(organization):
    house = HouseFactory(organization=organization, beds=2, opened_on=date(2026, 3, 22))
    figures = occupancy(houses=type(house).objects.filter(pk=house.pk), month=MARCH)[house.pk]
    assert figures["available_bed_nights"] == 2 * 10
