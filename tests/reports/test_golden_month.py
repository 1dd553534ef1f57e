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
from tests.factories import HouseFactory, RoomFactory, take_out_of_service

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
    take_out_of_service(beds["D"], date(2026, 3, 10), date(2026, 3, 20), reason="Broken window")

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


# Money that reconciles, worked by hand: a reversal in each direction and a returned check.
#
# February (Golden House): Ruth is charged 450.00 rent on Feb 15 and pays it by check no. 501 on Feb 20; Tina is
# fined 50.00 on Feb 25. February closes at 50.00 (Tina's fine). At Feb 28 the check still pays Ruth's rent: owed
# 50.00, 1-30 days. February collected 450.00 by check.
#
# March, entry by entry:
# - Mar 1   Ruth, rent 900.00                          charged (rent)
# - Mar 2   Tina's February fine reversed, -50.00        adjustment (fine): reversed the next month, no negative fine
# - Mar 3   Ruth's check no. 501 returned, +450.00      returned payment (counted in February's collected)
# - Mar 4   Ruth, returned-check fee 35.00              charged (fine)
# - Mar 5   Sam, program fee 150.00 by mistake          charged (program fee)
# - Mar 6   Sam's program fee reversed, -150.00          adjustment (program fee)
# - Mar 6   Sam pays 200.00 cash                        collected (cash): he is 200.00 in credit
# - Mar 12  Ruth, credit 40.00 (goodwill)               adjustment (credit)
# - Mar 15  Uma, rent 435.48                            charged (rent)
# - Mar 16  Uma pays 435.48 by money order              collected (money order)
# - Mar 20  Ruth pays 1,000.00 cash                     collected (cash)
# - Mar 26  Sam's credit refunded, 200.00               refund
#
# opening 50.00; charged 900 + 35 + 150 + 435.48 = 1,520.48 (rent 1,335.48, fine 35.00, program fee 150.00);
# adjustments 50 + 150 + 40 = 240.00; collected 200 + 1,000 + 435.48 = 1,635.48 (cash 1,200.00, money order 435.48);
# returned payments 450.00; refunds 200.00; net 1,635.48 - 450 - 200 = 985.48.
# closing = 50.00 + 1,520.48 - 240.00 - 1,635.48 + 450.00 + 200.00 = 345.00: Ruth's 450 (rent) - 450 (check) + 900
# + 450 (returned) + 35 - 40 - 1,000 = 345.00; Tina, Sam and Uma owe nothing.
# Collection rate 1,635.48 / 1,520.48 = 107.6 %.
# Owed at Mar 31: the returned check pays nothing, so Ruth's 1,040.00 (credit and cash) pays February's rent (450.00)
# and 590.00 of March's: 310.00 of March's rent (30 days) and the 35.00 fee (27 days) are open: 345.00, all 1-30.


@pytest.fixture
def golden_money(golden, operator):
    from billing.services.ledger import charge_post, credit_post, entry_reverse, refund_post
    from billing.services.payments import payment_record
    from residents.models import Resident

    actor = operator.user
    people = {r.legal_first_name: r for r in Resident.objects.filter(organization=golden.organization)}
    ruth, tina, sam, uma = (people[name] for name in ("Ruth", "Tina", "Sam", "Uma"))

    def charge(resident, kind, amount, day, month=3):
        memo = "Rent" if kind == "rent" else ""
        return charge_post(
            actor=actor, resident=resident, kind=kind, amount=amount, memo=memo, effective_on=date(2026, month, day)
        )

    def pay(resident, method, amount, day, month=3, reference=""):
        return payment_record(
            actor=actor, resident=resident, method=method, amount=amount, received_on=date(2026, month, day),
            reference=reference,
        )  # fmt: skip

    def reverse(entry, day):
        return entry_reverse(actor=actor, entry=entry, effective_on=date(2026, 3, day))

    charge(ruth, "rent", "450.00", 15, month=2)
    check = pay(ruth, "check", "450.00", 20, month=2, reference="501")
    tina_fine = charge(tina, "fine", "50.00", 25, month=2)
    charge(ruth, "rent", "900.00", 1)
    reverse(tina_fine, 2)
    reverse(check.entry, 3)
    charge(ruth, "fine", "35.00", 4)
    reverse(charge(sam, "program_fee", "150.00", 5), 6)
    pay(sam, "cash", "200.00", 6)
    credit_post(actor=actor, resident=ruth, amount="40.00", memo="Broken window", effective_on=date(2026, 3, 12))
    charge(uma, "rent", "435.48", 15)
    pay(uma, "money_order", "435.48", 16, reference="MO-77")
    pay(ruth, "cash", "1000.00", 20)
    refund_post(actor=actor, resident=sam, amount="200.00", effective_on=date(2026, 3, 26))
    return golden


def _money_of(house, month):
    from reports.metrics import monthly_metrics

    return monthly_metrics(organization=house.organization, month=month, house=house)["houses"][0]["money"]


def test_golden_february_collects_the_check_that_bounces_in_march(golden_money):
    figures = _money_of(golden_money, Month(2026, 2))
    assert figures["collected_by_method"] == {"check": Decimal("450.00")}
    assert figures["closing_balance"] == Decimal("50.00")
    assert figures["owed_at_month_end"]["1_30"] == Decimal("50.00")  # Ruth's rent counts as paid on Feb 28
    assert figures["owed_total"] == Decimal("50.00")


def test_golden_march_money_is_worked_out_by_hand(golden_money):
    figures = _money_of(golden_money, MARCH)
    assert figures["opening_balance"] == Decimal("50.00")
    assert figures["charged_by_kind"] == {
        "fine": Decimal("35.00"), "program_fee": Decimal("150.00"), "rent": Decimal("1335.48"),
    }  # fmt: skip
    assert figures["charged"] == Decimal("1520.48")
    assert figures["adjustments_by_kind"] == {
        "credit": Decimal("40.00"), "fine": Decimal("50.00"), "program_fee": Decimal("150.00"),
    }  # fmt: skip
    assert figures["adjustments"] == Decimal("240.00")
    assert figures["collected_by_method"] == {"cash": Decimal("1200.00"), "money_order": Decimal("435.48")}
    assert figures["collected"] == Decimal("1635.48")
    assert (figures["returned_payments"], figures["refunds"], figures["net"]) == (
        Decimal("450.00"), Decimal("200.00"), Decimal("985.48"),
    )  # fmt: skip
    assert figures["closing_balance"] == Decimal("345.00")
    assert figures["collection_rate_pct"] == Decimal("107.6")


def test_golden_march_arrears_owe_the_returned_check_again(golden_money):
    figures = _money_of(golden_money, MARCH)
    assert figures["owed_at_month_end"] == {
        "current": Decimal("0.00"), "1_30": Decimal("345.00"), "31_60": Decimal("0.00"), "61_90": Decimal("0.00"),
        "over_90": Decimal("0.00"),
    }  # fmt: skip
