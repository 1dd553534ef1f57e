"""A move between houses is a transfer out of one and into the other, never an admission (issue 12, item 4).

Ann is admitted to house A (Maple) on Aug 10 and moved to house B (Willow) from Sep 12: an August admission of A,
a September transfer out of A and into B. She is discharged from B on Oct 5 after 56 days in all (Aug 10 to Oct 5).
"""

from datetime import date
from decimal import Decimal

import pytest

from houses.models import House
from reports.metrics import monthly_metrics
from reports.metrics.occupancy import by_house, public, total
from reports.metrics.period import Month
from residents.core.services.stays import stay_admit, stay_discharge, stay_transfer
from tests.clock import local_moment, module_clock

_clock = module_clock(local_moment(2026, 11, 20))

AUGUST, SEPTEMBER, OCTOBER = Month(2026, 8), Month(2026, 9), Month(2026, 10)


@pytest.fixture
def ann(operator, house, other_house, resident_factory):
    stay = stay_admit(
        actor=operator, resident=resident_factory(legal_first_name="Ann"),
        bed=house.beds.order_by("pk").first(), on=date(2026, 8, 10),
    )  # fmt: skip
    stay_transfer(actor=operator, stay=stay, bed=other_house.beds.order_by("pk").first(), on=date(2026, 9, 12))
    return stay


@pytest.fixture
def figures(house, other_house):
    def of(month):
        per_house = by_house(houses=House.objects.filter(pk__in=[house.pk, other_house.pk]), month=month)
        houses = {pk: public(values) for pk, values in per_house.items()}
        return houses[house.pk], houses[other_house.pk], public(total(per_house, month=month))

    return of


def test_the_admission_counts_in_august_at_the_house_admitted_into(ann, figures):
    a, b, _ = figures(AUGUST)
    assert (a["admissions"], b["admissions"]) == (1, 0)


def test_the_move_counts_in_september_as_out_of_a_and_into_b(ann, figures):
    a, b, _ = figures(SEPTEMBER)
    assert (a["transfers_out"], a["transfers_in"]) == (1, 0)
    assert (b["transfers_in"], b["transfers_out"]) == (1, 0)


def test_the_move_is_no_admission_of_the_new_house(ann, figures):
    a, b, _ = figures(SEPTEMBER)
    assert (a["admissions"], b["admissions"]) == (0, 0)


def test_the_organization_counts_a_move_between_its_houses_as_one_in_and_one_out_and_no_admission(ann, figures):
    _, _, organization = figures(SEPTEMBER)
    assert organization["admissions"] == 0
    assert organization["transfers_in"] == organization["transfers_out"] == 1


def test_each_house_counts_the_nights_slept_in_its_beds(ann, figures):
    a, b, _ = figures(SEPTEMBER)
    assert a["occupied_bed_nights"] == 11  # Sep 1..11
    assert b["occupied_bed_nights"] == 19  # Sep 12..30
    assert (a["census_at_month_end"], b["census_at_month_end"]) == (0, 1)


def test_a_discharge_after_a_transfer_counts_at_the_house_of_the_last_night(ann, operator, figures):
    stay_discharge(actor=operator, stay=ann, on=date(2026, 10, 5), reason="completed")
    a, b, _ = figures(OCTOBER)
    assert a["discharges_by_reason"] == {}
    assert b["discharges_by_reason"] == {"completed": 1}


def test_the_length_of_a_discharged_stay_is_the_whole_stay_across_houses(ann, operator, figures):
    stay_discharge(actor=operator, stay=ann, on=date(2026, 10, 5), reason="completed")
    _, b, organization = figures(OCTOBER)
    assert b["average_length_of_stay"] == Decimal("56.0")
    assert organization["average_length_of_stay"] == Decimal("56.0")


def test_a_move_to_another_bed_of_the_same_house_is_no_transfer(operator, house, resident_factory, figures):
    first, second = house.beds.order_by("pk")[:2]
    stay = stay_admit(actor=operator, resident=resident_factory(), bed=first, on=date(2026, 8, 3))
    stay_transfer(actor=operator, stay=stay, bed=second, on=date(2026, 9, 3))
    a, _, _ = figures(SEPTEMBER)
    assert (a["transfers_in"], a["transfers_out"], a["admissions"]) == (0, 0, 0)


def test_a_report_of_one_house_counts_its_transfer_out_to_a_house_outside_the_report(ann, organization, house):
    report = monthly_metrics(organization=organization, month=SEPTEMBER, house=house)
    assert report["totals"]["occupancy"]["transfers_out"] == 1
    assert report["totals"]["occupancy"]["transfers_in"] == 0
