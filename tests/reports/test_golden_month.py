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
from tests.clock import local_moment, module_clock
from tests.factories import HouseFactory, RoomFactory

MARCH = Month(2026, 3)


# The month is March 2026, done and reported on: the clock is in mid-April, whatever day the suite runs.
_clock = module_clock(local_moment(2026, 4, 15))


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


# Compliance and money in the same month, worked by hand:
# - Three test requests due in March: Ruth's (Mar 6) and Uma's (Mar 20) are fulfilled by tests on those days,
#   Ruth's second (Mar 27) is still open at the month's end. Requested 3, done 2: 66.7 %; open at month end 1.
# - Tests collected in March: the two above (negative) and a for-cause test of Sam on Mar 12, positive for
#   marijuana. Collected 3; positive rate 1 / 3 = 33.3 %.
# - Chores due in March: 4 assignments; 2 done, 1 missed, 1 excused.
# - Two house meetings (Mar 2 and Mar 9); March 2026 has 5 Mondays.
# - Money: Ruth is charged a 600.00 program fee on Mar 1 and a 25.00 late fee on Mar 8, pays 400.00 cash on Mar 10.
#   Charged 625.00, collected 400.00, rate 64.0 %; on Mar 31 she owes 225.00: the fee's last 200.00 is 30 days
#   old and the late fee 23 days: both in the 1-30 bucket.


@pytest.fixture
def busy_month(golden, operator, manager):
    from django.utils import timezone

    from billing.services.ledger import charge_post
    from billing.services.payments import payment_record
    from residents.models import Chore, ChoreAssignment, HouseMeeting, Stay
    from residents.services import drug_tests as test_services

    organization = golden.organization
    stays = {s.resident.legal_first_name: s for s in Stay.objects.filter(house=golden).select_related("resident")}
    ruth, uma, sam = stays["Ruth"].resident, stays["Uma"].resident, stays["Sam"].resident

    def at(day, hour=10):
        return timezone.make_aware(timezone.datetime(2026, 3, day, hour), organization.tzinfo)

    from residents.models import TestRequest

    def request(resident, stay, day):
        return TestRequest.objects.create(
            organization=organization, resident=resident, stay=stay, house=golden, reason="scheduled",
            requested_on=date(2026, 3, 1), due_on=date(2026, 3, day),
        )  # fmt: skip

    request(ruth, stays["Ruth"], 6)
    request(uma, stays["Uma"], 20)
    request(ruth, stays["Ruth"], 27)
    panel = ["thc", "opiates", "cocaine"]
    test_services.drug_test_record(
        actor=operator.user, resident=ruth, collected_at=at(6), method="urine_cup", reason="scheduled", panel=panel,
        result="negative",
    )  # fmt: skip
    test_services.drug_test_record(
        actor=operator.user, resident=uma, collected_at=at(20), method="urine_cup", reason="scheduled", panel=panel,
        result="negative",
    )  # fmt: skip
    test_services.drug_test_record(
        actor=operator.user, resident=sam, collected_at=at(12), method="urine_cup", reason="for_cause", panel=panel,
        result="positive", positive_substances=["thc"],
    )  # fmt: skip

    chore = Chore.objects.create(organization=organization, house=golden, name="Kitchen", frequency="daily")
    for day, status in [(3, "done"), (4, "done"), (5, "missed"), (6, "excused")]:
        ChoreAssignment.objects.create(
            organization=organization, house=golden, chore=chore, resident=ruth, stay=stays["Ruth"],
            due_date=date(2026, 3, day), status=status, marked_by=manager.user, marked_at=at(day, 21),
            note="Doctor's appointment" if status == "excused" else "",
        )  # fmt: skip
    for day in (2, 9):
        HouseMeeting.objects.create(
            organization=organization, house=golden, held_at=at(day, 19), facilitator_name="House manager"
        )

    charge_post(actor=operator.user, resident=ruth, kind="program_fee", amount="600.00", effective_on=date(2026, 3, 1))
    charge_post(actor=operator.user, resident=ruth, kind="late_fee", amount="25.00", effective_on=date(2026, 3, 8))
    payment_record(actor=operator.user, resident=ruth, method="cash", amount="400.00", received_on=date(2026, 3, 10))
    return golden


def _section(house, name):
    from reports.metrics import monthly_metrics

    return monthly_metrics(organization=house.organization, month=MARCH, house=house)["houses"][0][name]


def test_test_compliance_and_results_are_worked_out_by_hand(busy_month):
    figures = _section(busy_month, "compliance")
    assert (figures["tests_requested"], figures["tests_done"], figures["test_compliance_pct"]) == (
        3,
        2,
        Decimal("66.7"),
    )
    assert figures["overdue_requests"] == 1
    assert figures["tests_by_result"] == {"negative": 2, "positive": 1}
    assert figures["positive_rate_pct"] == Decimal("33.3")
    assert figures["positive_substances"] == {"thc": 1}


def test_chores_and_house_meetings_are_worked_out_by_hand(busy_month):
    figures = _section(busy_month, "compliance")
    assert figures["chores"] == {"done": 2, "excused": 1, "missed": 1}
    assert figures["chores_assigned"] == 4
    assert (figures["house_meetings_held"], figures["weeks_in_month"]) == (2, 5)


def test_money_is_worked_out_by_hand(busy_month):
    figures = _section(busy_month, "money")
    assert figures["charged_by_kind"] == {"late_fee": Decimal("25.00"), "program_fee": Decimal("600.00")}
    assert (figures["charged"], figures["collected"], figures["collection_rate_pct"]) == (
        Decimal("625.00"), Decimal("400.00"), Decimal("64.0"),
    )  # fmt: skip
    assert figures["collected_by_method"] == {"cash": Decimal("400.00")}
    assert figures["owed_at_month_end"]["1_30"] == Decimal("225.00")
    assert figures["owed_total"] == Decimal("225.00")


def test_the_api_and_the_pdf_read_the_same_figures(busy_month, api, operator):
    body = api(operator).get(f"/api/v1/reports/monthly/?month=2026-03&house={busy_month.pk}").json()
    assert body["houses"][0]["money"]["owed_total"] == "225.00"
    assert body["houses"][0]["occupancy"]["occupied_bed_nights"] == 82


def test_the_bed_nights_shortcut_agrees_with_the_full_figures(golden):
    from reports.metrics.occupancy import bed_nights

    assert bed_nights(houses=type(golden).objects.filter(pk=golden.pk), month=MARCH) == {
        golden.pk: {"available": 114, "occupied": 82}
    }
