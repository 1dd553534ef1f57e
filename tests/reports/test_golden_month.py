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
from residents.core.services.stays import stay_discharge, stay_transfer
from tests.clock import local_moment, module_clock
from tests.factories import HouseFactory, RoomFactory, admit, take_out_of_service

from .conftest import module_world

MARCH = Month(2026, 3)


# The month is March 2026, done and reported on: the clock is in mid-April, whatever day the suite runs.
_clock = module_clock(local_moment(2026, 4, 15))


@pytest.fixture
def golden(organization, operator, resident_factory):
    house = HouseFactory(organization=organization, name="Golden House", opened_on=date(2025, 6, 1))
    room = RoomFactory(house=house, name="Main")
    beds = {}
    for label in "ABCD":
        beds[label] = Bed(room=room, label=label, in_service_from=house.opened_on)
        beds[label].save()
    take_out_of_service(beds["D"], date(2026, 3, 10), date(2026, 3, 20), reason="Broken window")

    admit(bed=beds["A"], on=date(2026, 2, 15), actor=operator, legal_first_name="Ruth")
    sam = admit(bed=beds["B"], on=date(2026, 3, 5), actor=operator, legal_first_name="Sam")
    stay_discharge(actor=operator, stay=sam, on=date(2026, 3, 25), reason="completed")
    tina = admit(bed=beds["C"], on=date(2026, 1, 1), actor=operator, legal_first_name="Tina")
    stay_discharge(actor=operator, stay=tina, on=date(2026, 3, 11), reason="relapse")
    admit(bed=beds["C"], on=date(2026, 3, 15), actor=operator, legal_first_name="Uma")
    vic = admit(bed=beds["B"], on=date(2026, 3, 28), actor=operator, legal_first_name="Vic")
    stay_transfer(actor=operator, stay=vic, bed=beds["D"], on=date(2026, 3, 30))
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
    assert figures.available_bed_nights == 2 * 10


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
    from residents.testing.services import drug_tests as test_services

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
        actor=operator, resident=ruth, collected_at=at(6), method="urine_cup", reason="scheduled", panel=panel,
        result="negative",
    )  # fmt: skip
    test_services.drug_test_record(
        actor=operator, resident=uma, collected_at=at(20), method="urine_cup", reason="scheduled", panel=panel,
        result="negative",
    )  # fmt: skip
    test_services.drug_test_record(
        actor=operator, resident=sam, collected_at=at(12), method="urine_cup", reason="for_cause", panel=panel,
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

    charge_post(actor=operator, resident=ruth, kind="program_fee", amount="600.00", effective_on=date(2026, 3, 1))
    charge_post(actor=operator, resident=ruth, kind="late_fee", amount="25.00", effective_on=date(2026, 3, 8))
    payment_record(actor=operator, resident=ruth, method="cash", amount="400.00", received_on=date(2026, 3, 10))
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


def _charge(actor, resident, kind, amount, on, memo=""):
    """A charge posted by hand, as staff post it (hand-posted rent says which period it is for)."""
    from billing.services.ledger import charge_post

    memo = memo or ("Rent" if kind == "rent" else "")
    return charge_post(actor=actor, resident=resident, kind=kind, amount=amount, memo=memo, effective_on=on)


def _pay(actor, resident, method, amount, on, reference=""):
    """A payment staff received (a check or money order with its number)."""
    from billing.services.payments import payment_record

    return payment_record(
        actor=actor, resident=resident, method=method, amount=amount, received_on=on, reference=reference
    )


def _reverse(actor, entry, on):
    """Reverses an entry (a charge cancelled, a check returned unpaid) on day ``on``."""
    from billing.services.ledger import entry_reverse

    return entry_reverse(actor=actor, entry=entry, effective_on=on)


@pytest.fixture
def golden_money(golden, operator):
    from billing.services.ledger import credit_post, refund_post
    from residents.models import Resident

    actor = operator
    people = {r.legal_first_name: r for r in Resident.objects.filter(organization=golden.organization)}
    ruth, tina, sam, uma = (people[name] for name in ("Ruth", "Tina", "Sam", "Uma"))

    def charge(resident, kind, amount, day, month=3):
        return _charge(actor, resident, kind, amount, date(2026, month, day))

    def pay(resident, method, amount, day, month=3, reference=""):
        return _pay(actor, resident, method, amount, date(2026, month, day), reference=reference)

    def reverse(entry, day):
        return _reverse(actor, entry, date(2026, 3, day))

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


# A second golden month, across two houses, built through the services the way staff build it.
FEBRUARY = Month(2026, 2)


def two_houses(organization, operator):
    """February 2026 has 28 nights (Feb 1..28; March 1 is the first night not counted).

    Cedar House opened Sep 1, 2025 with beds 1, 2, 3 (serving from its opening); bed 4 is added from Feb 10.
    Birch House opened Oct 1, 2025 with beds A and B; bed B is out of service from Feb 15 until Feb 25 (nights
    15..24), and the house closes from Feb 20 (its last night is Feb 19), after its last resident left.

    - Dee: Cedar bed 2 from Dec 1, 2025, completed the program Feb 8: nights 1..7 = 7; stay 31 + 31 + 7 = 69 days.
    - Ben: admitted to Birch bed A on Jan 5; moved to Cedar's new bed 4 on Feb 12; left Cedar after a rule
      violation on Feb 26: Birch nights 1..11 = 11, Cedar nights 12..25 = 14; stay Jan 5 to Feb 26 = 27 + 25 = 52.
    - Ana: Cedar bed 1 from Jan 10, still there: 28 nights.
    - Cal: Birch bed B Feb 3, left voluntarily Feb 14: nights 3..13 = 11; stay 11 days.
    - Eve: Cedar bed 2 from Feb 20 (Birch's closing night, in the other house): nights 20..28 = 9.

    Cedar: offered 3 * 28 + 19 (bed 4, nights 10..28) = 103, no outage: available 103. Occupied 28 + 7 + 14 + 9 = 58;
    58 / 103 = 56.3 %; census 58 / 28 = 2.07. Admissions 1 (Eve: Ben came in from Birch, a transfer); transfers in 1,
    out 0. Discharges: completed 1 (Dee), rule violation 1 (Ben, admitted at Birch, leaves from Cedar); length of
    stay (69 + 52) / 2 = 60.5. Census on Feb 28: Ana, Eve = 2. Beds in service on Feb 28: 4.

    Birch: offered 2 * 19 (nights 1..19) = 38; the outage takes only nights it would serve, 15..19 = 5: available
    33. Occupied 11 + 11 = 22; 22 / 33 = 66.7 %; census 22 / 28 = 0.79. Admissions 1 (Cal); transfers in 0, out 1.
    Discharges: voluntary 1 (Cal); length of stay 11.0. Census on Feb 28: 0. Beds in service on Feb 28: 0.

    Organization: available 103 + 33 = 136, occupied 58 + 22 = 80; 80 / 136 = 58.8 %; census 80 / 28 = 2.86.
    Admissions 2 (Cal, Eve); Ben's move is one transfer in and one out. Discharges completed 1, rule violation 1,
    voluntary 1; length of stay (69 + 52 + 11) / 3 = 44.0. Census 2; beds in service 4 (Cedar's).

    People balance per house: census on Jan 31 + admissions + transfers in - transfers out - discharges = census on
    Feb 28. Cedar: 2 (Dee, Ana) + 1 + 1 - 0 - 2 = 2. Birch: 1 (Ben) + 1 + 0 - 1 - 1 = 0.

    January (31 nights), before and after everything above: Cedar offers 3 * 31 = 93 (bed 4 was not there yet) and
    Birch 2 * 31 = 62 (it was open): the new bed and the closing change nothing in it. Occupied: Cedar 31 (Dee) +
    22 (Ana, nights 10..31) = 53, Birch 27 (Ben, nights 5..31).
    March: Birch offers nothing (0 beds, 0 bed-nights); Cedar offers 4 * 31 = 124, Ana and Eve sleep 31 each = 62.

    Money, posted through billing's services in the order staff would post it. An entry counts at the house of the
    resident's stay when it is posted (Ben's: Birch until his move on Feb 12, Cedar after it; Cal's: Birch, where his
    last stay was), a reversal at the house of the entry it cancels. Rent is posted by hand at 20.00 a night.

    January. Cedar: Dee rent 620.00 (Jan 1), paid in cash Jan 3; Ana rent 440.00 (22 nights) and a program fee 100.00
    posted by mistake, both Jan 10, and 440.00 by money order Jan 12. Charged 1,160.00 (rent 1,060.00, program fee
    100.00), collected 1,060.00 (cash 620.00, money order 440.00), closing 100.00; owed on Jan 31: the fee, 21 days
    old: 100.00 in 1-30; rate 1,060 / 1,160 = 91.4 %. Birch: Ben rent 540.00 (Jan 5, 27 nights), paid by check
    no. 311 on Jan 20: charged = collected = 540.00, closing 0.00, owed 0.00 (the check pays the rent), rate 100.0 %.
    Organization: charged 1,700.00, collected 1,600.00, closing 100.00, owed 100.00, rate 94.1 %.

    February, entry by entry:
    - Feb 1   Birch  Ben, rent Feb 1 to 11, 220.00 (posted before his move)          charged (rent)
    - Feb 1   Cedar  Ana, rent 560.00; Dee, rent Feb 1 to 7, 140.00                  charged (rent)
    - Feb 2   Cedar  Ana's January program fee reversed, -100.00                     adjustment (program fee)
    - Feb 3   Birch  Cal, rent Feb 3 to 13, 220.00                                   charged (rent)
    - Feb 4   Birch  Cal, fine 30.00 by mistake, reversed on Feb 5                   charged and adjustment (fine)
    - Feb 5   Cedar  Ana pays 560.00 by check no. 812                                collected (check)
    - Feb 6   Cedar  Dee pays 140.00 in cash                                         collected (cash)
    - Feb 10  Birch  Cal pays 250.00 by money order: 30.00 in credit                 collected (money order)
    - Feb 12  Cedar  Ben, rent Feb 12 to 25, 280.00 (after his move)                 charged (rent)
    - Feb 16  Birch  Ben's check no. 311 returned, +540.00 (where it was credited)   returned payment
    - Feb 20  Cedar  Eve, rent Feb 20 to 28, 180.00; Ben pays 500.00 in cash         charged (rent); collected (cash)
    - Feb 21  Birch  Cal's 30.00 credit refunded (the house closed the day before)   refund
    - Feb 22  Cedar  Eve, credit 20.00                                               adjustment (credit)
    - Feb 24  Cedar  Eve pays 100.00 in cash                                         collected (cash)
    - Feb 25  Cedar  Ben, fine 50.00 (the rule violation)                            charged (fine)

    Cedar: opening 100.00 (January's close); charged 560 + 140 + 280 + 180 + 50 = 1,210.00 (rent 1,160.00, fine
    50.00); adjustments 100 + 20 = 120.00 (program fee 100.00, credit 20.00); collected 560 + 140 + 500 + 100 =
    1,300.00 (check 560.00, cash 740.00); returned 0.00; refunds 0.00; net 1,300.00.
    closing = 100.00 + 1,210.00 - 120.00 - 1,300.00 + 0 + 0 = -110.00: Dee 0, Ana 0, Eve 180 - 20 - 100 = 60.00,
    Ben 280 + 50 - 500 = -170.00 (his cash at Cedar also pays what he owes at Birch). Rate 1,300 / 1,210 = 107.4 %.

    Birch: opening 0.00; charged 220 + 220 + 30 = 470.00 (rent 440.00, fine 30.00); adjustments 30.00 (fine);
    collected 250.00 (money order); returned payments 540.00; refunds 30.00; net 250 - 540 - 30 = -320.00.
    closing = 0.00 + 470.00 - 30.00 - 250.00 + 540.00 + 30.00 = 760.00: Ben 540 - 540 + 220 + 540 = 760.00, Cal
    220 + 30 - 30 - 250 + 30 = 0. Rate 250 / 470 = 53.2 %.

    Organization: opening 100.00; charged 1,680.00 (rent 1,600.00, fine 80.00); adjustments 150.00 (credit 20.00,
    fine 30.00, program fee 100.00); collected 1,550.00 (cash 740.00, check 560.00, money order 250.00); returned
    540.00; refunds 30.00; net 1,550 - 540 - 30 = 980.00; closing = 100 + 1,680 - 150 - 1,550 + 540 + 30 = 650.00
    (= -110.00 + 760.00). Rate 1,550 / 1,680 = 92.3 %.

    Owed on Feb 28: a resident's payments pay their oldest charges first, wherever posted, each open charge counts at
    the house it was posted at, and the returned check pays nothing. Ben owes 540 + 220 + 280 + 50 - 500 = 590.00:
    his cash pays 500.00 of January's Birch rent, leaving 40.00 (54 days old: 31-60), February's Birch rent 220.00
    (27 days: 1-30), Cedar's rent 280.00 (16 days) and fine 50.00 (3 days): 1-30. Eve owes 60.00 of her rent (8
    days: 1-30). Cedar is owed 280 + 50 + 60 = 390.00, all 1-30, though its closing balance is -110.00; Birch
    220.00 (1-30) + 40.00 (31-60) = 260.00, though its closing balance is 760.00. The organization is owed 650.00
    (610.00 in 1-30, 40.00 in 31-60): its closing balance, as nobody is in credit.
    """
    from billing.services.ledger import credit_post, refund_post
    from houses.services import bed_create, bed_take_out_of_service, house_create, house_update, room_create
    from reports.metrics import monthly_metrics

    actor = operator
    cedar = house_create(actor=operator, name="Cedar House", gender="men", opened_on=date(2025, 9, 1))
    birch = house_create(actor=operator, name="Birch House", gender="men", opened_on=date(2025, 10, 1))
    cedar_room = room_create(actor=operator, house=cedar, name="Upstairs")
    birch_room = room_create(actor=operator, house=birch, name="Front")
    beds = {label: bed_create(actor=operator, room=cedar_room, label=label) for label in "123"}
    beds |= {label: bed_create(actor=operator, room=birch_room, label=label) for label in "AB"}

    def charge(stay, kind, amount, on, memo=""):
        return _charge(actor, stay.resident, kind, amount, on, memo=memo)

    def pay(stay, method, amount, on, reference=""):
        return _pay(actor, stay.resident, method, amount, on, reference=reference)

    def jan(day):
        return date(2026, 1, day)

    def feb(day):
        return date(2026, 2, day)

    dee = admit(bed=beds["2"], on=date(2025, 12, 1), actor=operator, legal_first_name="Dee")
    ben = admit(bed=beds["A"], on=jan(5), actor=operator, legal_first_name="Ben")
    ana = admit(bed=beds["1"], on=jan(10), actor=operator, legal_first_name="Ana")
    charge(dee, "rent", "620.00", jan(1), memo="Rent, January")
    pay(dee, "cash", "620.00", jan(3))
    charge(ben, "rent", "540.00", jan(5), memo="Rent, Jan 5 to 31")
    check = pay(ben, "check", "540.00", jan(20), reference="311")
    charge(ana, "rent", "440.00", jan(10), memo="Rent, Jan 10 to 31")
    fee = charge(ana, "program_fee", "100.00", jan(10))
    pay(ana, "money_order", "440.00", jan(12), reference="MO-112")
    january_before = monthly_metrics(organization=organization, month=Month(2026, 1))

    beds["4"] = bed_create(actor=operator, room=cedar_room, label="4", in_service_from=feb(10))
    charge(ben, "rent", "220.00", feb(1), memo="Rent, Feb 1 to 11")  # at Birch: his move comes later
    charge(ana, "rent", "560.00", feb(1), memo="Rent, February")
    charge(dee, "rent", "140.00", feb(1), memo="Rent, Feb 1 to 7")
    _reverse(actor, fee, feb(2))
    cal = admit(bed=beds["B"], on=feb(3), actor=operator, legal_first_name="Cal")
    charge(cal, "rent", "220.00", feb(3), memo="Rent, Feb 3 to 13")
    _reverse(actor, charge(cal, "fine", "30.00", feb(4)), feb(5))
    pay(ana, "check", "560.00", feb(5), reference="812")
    pay(dee, "cash", "140.00", feb(6))
    stay_discharge(actor=operator, stay=dee, on=feb(8), reason="completed")
    pay(cal, "money_order", "250.00", feb(10), reference="MO-131")
    stay_transfer(actor=operator, stay=ben, bed=beds["4"], on=feb(12))
    charge(ben, "rent", "280.00", feb(12), memo="Rent, Feb 12 to 25")
    stay_discharge(actor=operator, stay=cal, on=feb(14), reason="voluntary")
    bed_take_out_of_service(
        actor=operator, bed=beds["B"], reason="Mould behind the wardrobe", start=feb(15), until=feb(25)
    )
    _reverse(actor, check.entry, feb(16))
    house_update(actor=operator, house=birch, closed_on=feb(20))
    eve = admit(bed=beds["2"], on=feb(20), actor=operator, legal_first_name="Eve")
    charge(eve, "rent", "180.00", feb(20), memo="Rent, Feb 20 to 28")
    pay(ben, "cash", "500.00", feb(20))
    refund_post(actor=actor, resident=cal.resident, amount="30.00", effective_on=feb(21))
    credit_post(actor=actor, resident=eve.resident, amount="20.00", memo="Room being repainted", effective_on=feb(22))
    pay(eve, "cash", "100.00", feb(24))
    charge(ben, "fine", "50.00", feb(25), memo="Drinking in the house")
    stay_discharge(actor=operator, stay=ben, on=feb(26), reason="rule_violation")
    return {"cedar": cedar, "birch": birch, "january_before": january_before}


# The two houses built once for the module (tests/reports/conftest.py): each test asking for ``two_houses`` gets its
# own copy of that world, and its writes roll back; the roles are the world's then, made afresh for the other tests.
globals().update(
    module_world(
        ["organization", "operator"], {"two_houses": two_houses}, asked_by=["two_houses"], at=local_moment(2026, 4, 15)
    )
)


def _occupancy(organization, month):
    """The month's occupancy section: the organization's totals and each house's, by house name."""
    from reports.metrics import monthly_metrics

    metrics = monthly_metrics(organization=organization, month=month)
    return metrics["totals"]["occupancy"], {row["name"]: row["occupancy"] for row in metrics["houses"]}


def test_a_house_that_takes_a_transfer_and_a_new_bed_is_worked_out_by_hand(two_houses, organization):
    _, houses = _occupancy(organization, FEBRUARY)
    assert houses["Cedar House"] == {
        "in_service_beds": 4, "available_bed_nights": 103, "occupied_bed_nights": 58, "occupancy_pct": Decimal("56.3"),
        "average_daily_census": Decimal("2.07"), "admissions": 1, "transfers_in": 1, "transfers_out": 0,
        "discharges_by_reason": {"completed": 1, "rule_violation": 1}, "discharges": 2,
        "average_length_of_stay": Decimal("60.5"), "census_at_month_end": 2, "waitlist": 0,
    }  # fmt: skip


def test_a_house_closed_mid_month_is_worked_out_by_hand(two_houses, organization):
    _, houses = _occupancy(organization, FEBRUARY)
    assert houses["Birch House"] == {
        "in_service_beds": 0, "available_bed_nights": 33, "occupied_bed_nights": 22, "occupancy_pct": Decimal("66.7"),
        "average_daily_census": Decimal("0.79"), "admissions": 1, "transfers_in": 0, "transfers_out": 1,
        "discharges_by_reason": {"voluntary": 1}, "discharges": 1, "average_length_of_stay": Decimal("11.0"),
        "census_at_month_end": 0, "waitlist": 0,
    }  # fmt: skip


def test_the_organization_counts_a_move_between_its_houses_as_no_admission(two_houses, organization):
    totals, _ = _occupancy(organization, FEBRUARY)
    assert totals == {
        "in_service_beds": 4, "available_bed_nights": 136, "occupied_bed_nights": 80, "occupancy_pct": Decimal("58.8"),
        "average_daily_census": Decimal("2.86"), "admissions": 2, "transfers_in": 1, "transfers_out": 1,
        "discharges_by_reason": {"completed": 1, "rule_violation": 1, "voluntary": 1}, "discharges": 3,
        "average_length_of_stay": Decimal("44.0"), "census_at_month_end": 2, "waitlist": 0,
    }  # fmt: skip


def test_each_house_census_follows_from_its_comings_and_goings(two_houses, organization):
    _, january = _occupancy(organization, Month(2026, 1))
    _, february = _occupancy(organization, FEBRUARY)
    for name, census_before in (("Cedar House", 2), ("Birch House", 1)):
        figures = february[name]
        assert january[name]["census_at_month_end"] == census_before
        assert (
            census_before + figures["admissions"] + figures["transfers_in"] - figures["transfers_out"]
            - figures["discharges"]
        ) == figures["census_at_month_end"]  # fmt: skip


def test_the_night_by_night_counts_add_up_to_the_months_figures(two_houses):
    from reports.metrics.occupancy import daily

    cedar, birch = two_houses["cedar"], two_houses["birch"]
    nights = daily(houses=type(cedar).objects.filter(pk__in=[cedar.pk, birch.pk]), month=FEBRUARY)
    assert nights[cedar.pk]["in_service"] == [3] * 9 + [4] * 19  # bed 4 from Feb 10
    assert nights[birch.pk]["in_service"] == [2] * 14 + [1] * 5 + [0] * 9  # B out from Feb 15, closed from Feb 20
    assert (sum(nights[cedar.pk]["census"]), sum(nights[birch.pk]["census"])) == (58, 22)


def test_the_closed_house_offers_nothing_the_next_month(two_houses, organization):
    _, march = _occupancy(organization, Month(2026, 3))
    birch = march["Birch House"]
    assert (birch["in_service_beds"], birch["available_bed_nights"], birch["occupied_bed_nights"]) == (0, 0, 0)
    assert (birch["occupancy_pct"], birch["census_at_month_end"]) == (Decimal("0.0"), 0)
    cedar = march["Cedar House"]
    assert (cedar["in_service_beds"], cedar["available_bed_nights"], cedar["occupied_bed_nights"]) == (4, 124, 62)


def test_adding_a_bed_closing_a_house_and_returning_a_check_leave_the_month_before_unchanged(two_houses, organization):
    from reports.metrics import monthly_metrics

    january = monthly_metrics(organization=organization, month=Month(2026, 1))
    assert january == two_houses["january_before"]
    houses = {row["name"]: row["occupancy"] for row in january["houses"]}
    for name, beds, available, occupied in (("Cedar House", 3, 93, 53), ("Birch House", 2, 62, 27)):
        figures = houses[name]
        assert (figures["in_service_beds"], figures["available_bed_nights"], figures["occupied_bed_nights"]) == (
            beds, available, occupied,
        )  # fmt: skip


def _money(organization, month, house=None):
    """The month's money section: the organization's (or the one house's) totals and each house's, by house name."""
    from reports.metrics import monthly_metrics

    metrics = monthly_metrics(organization=organization, month=month, house=house)
    return metrics["totals"]["money"], {row["name"]: row["money"] for row in metrics["houses"]}


def _owed(current="0.00", days_1_30="0.00", days_31_60="0.00"):
    return {
        "current": Decimal(current), "1_30": Decimal(days_1_30), "31_60": Decimal(days_31_60),
        "61_90": Decimal("0.00"), "over_90": Decimal("0.00"),
    }  # fmt: skip


def test_money_at_a_house_that_took_a_transfer_is_worked_out_by_hand(two_houses, organization):
    _, houses = _money(organization, FEBRUARY)
    assert houses["Cedar House"] == {
        "opening_balance": Decimal("100.00"),
        "charged_by_kind": {"fine": Decimal("50.00"), "rent": Decimal("1160.00")}, "charged": Decimal("1210.00"),
        "adjustments_by_kind": {"credit": Decimal("20.00"), "program_fee": Decimal("100.00")},
        "adjustments": Decimal("120.00"),
        "collected_by_method": {"cash": Decimal("740.00"), "check": Decimal("560.00")}, "collected": Decimal("1300.00"),
        "returned_payments": Decimal("0.00"), "refunds": Decimal("0.00"), "net": Decimal("1300.00"),
        "closing_balance": Decimal("-110.00"),
        "owed_at_month_end": _owed(days_1_30="390.00"), "owed_total": Decimal("390.00"),
        "collection_rate_pct": Decimal("107.4"),
    }  # fmt: skip


def test_money_at_a_house_closed_mid_month_keeps_the_check_returned_after_its_resident_moved(two_houses, organization):
    _, houses = _money(organization, FEBRUARY)
    assert houses["Birch House"] == {
        "opening_balance": Decimal("0.00"),
        "charged_by_kind": {"fine": Decimal("30.00"), "rent": Decimal("440.00")}, "charged": Decimal("470.00"),
        "adjustments_by_kind": {"fine": Decimal("30.00")}, "adjustments": Decimal("30.00"),
        "collected_by_method": {"money_order": Decimal("250.00")}, "collected": Decimal("250.00"),
        "returned_payments": Decimal("540.00"), "refunds": Decimal("30.00"), "net": Decimal("-320.00"),
        "closing_balance": Decimal("760.00"),
        "owed_at_month_end": _owed(days_1_30="220.00", days_31_60="40.00"), "owed_total": Decimal("260.00"),
        "collection_rate_pct": Decimal("53.2"),
    }  # fmt: skip


def test_the_organizations_money_is_worked_out_by_hand(two_houses, organization):
    totals, _ = _money(organization, FEBRUARY)
    assert totals == {
        "opening_balance": Decimal("100.00"),
        "charged_by_kind": {"fine": Decimal("80.00"), "rent": Decimal("1600.00")}, "charged": Decimal("1680.00"),
        "adjustments_by_kind": {
            "credit": Decimal("20.00"), "fine": Decimal("30.00"), "program_fee": Decimal("100.00"),
        },
        "adjustments": Decimal("150.00"),
        "collected_by_method": {
            "cash": Decimal("740.00"), "check": Decimal("560.00"), "money_order": Decimal("250.00"),
        },
        "collected": Decimal("1550.00"),
        "returned_payments": Decimal("540.00"), "refunds": Decimal("30.00"), "net": Decimal("980.00"),
        "closing_balance": Decimal("650.00"),
        "owed_at_month_end": _owed(days_1_30="610.00", days_31_60="40.00"), "owed_total": Decimal("650.00"),
        "collection_rate_pct": Decimal("92.3"),
    }  # fmt: skip


def test_january_counts_the_check_as_collected_and_paying_until_it_is_returned(two_houses, organization):
    totals, houses = _money(organization, Month(2026, 1))
    birch, cedar = houses["Birch House"], houses["Cedar House"]
    assert (birch["charged"], birch["collected_by_method"], birch["returned_payments"]) == (
        Decimal("540.00"), {"check": Decimal("540.00")}, Decimal("0.00"),
    )  # fmt: skip
    assert (birch["closing_balance"], birch["owed_total"], birch["collection_rate_pct"]) == (
        Decimal("0.00"), Decimal("0.00"), Decimal("100.0"),
    )  # fmt: skip
    assert cedar["charged_by_kind"] == {"program_fee": Decimal("100.00"), "rent": Decimal("1060.00")}
    assert cedar["collected_by_method"] == {"cash": Decimal("620.00"), "money_order": Decimal("440.00")}
    assert (cedar["closing_balance"], cedar["owed_at_month_end"], cedar["collection_rate_pct"]) == (
        Decimal("100.00"), _owed(days_1_30="100.00"), Decimal("91.4"),
    )  # fmt: skip
    assert (totals["charged"], totals["collected"], totals["closing_balance"], totals["collection_rate_pct"]) == (
        Decimal("1700.00"), Decimal("1600.00"), Decimal("100.00"), Decimal("94.1"),
    )  # fmt: skip


def test_every_house_and_the_organization_reconcile_and_open_at_the_previous_close(two_houses, organization):
    closed_at = {}
    for month in (Month(2026, 1), FEBRUARY, Month(2026, 3)):
        totals, houses = _money(organization, month)
        for scope, figures in (("organization", totals), *houses.items()):
            assert figures["opening_balance"] == closed_at.get(scope, Decimal("0.00")), (scope, str(month))
            assert figures["closing_balance"] == (
                figures["opening_balance"] + figures["charged"] - figures["adjustments"] - figures["collected"]
                + figures["returned_payments"] + figures["refunds"]
            ), (scope, str(month))  # fmt: skip
            assert all(amount >= 0 for amount in figures["charged_by_kind"].values()), (scope, str(month))
            closed_at[scope] = figures["closing_balance"]
    assert closed_at == {
        "organization": Decimal("650.00"), "Cedar House": Decimal("-110.00"), "Birch House": Decimal("760.00"),
    }  # fmt: skip


def test_a_one_house_report_shows_the_money_of_that_house_in_the_organizations_report(two_houses, organization):
    _, houses = _money(organization, FEBRUARY)
    for house in (two_houses["cedar"], two_houses["birch"]):
        totals, rows = _money(organization, FEBRUARY, house=house)
        assert totals == rows[house.name] == houses[house.name]
