"""Allocation, aging and delinquency, worked by hand. Today is June 15, 2026."""

from datetime import date
from decimal import Decimal

import pytest

from billing.selectors.aging import aging_report, delinquency, open_charges_of
from billing.selectors.allocation import Line, allocate, bucket_of
from billing.services.ledger import charge_post, credit_post, entry_reverse
from billing.services.payments import payment_record
from billing.services.rent import rent_post_due
from tests.factories import admit

from .conftest import discharge

D = Decimal


def charge(actor, resident, amount, on, kind="other"):
    return charge_post(actor=actor, resident=resident, kind=kind, amount=amount, memo="Test", effective_on=on)


def pay(actor, resident, amount, on):
    return payment_record(actor=actor, resident=resident, method="cash", amount=amount, received_on=on)


@pytest.mark.parametrize(
    ("days", "bucket"),
    [
        (-3, "current"),
        (0, "current"),
        (1, "1_30"),
        (30, "1_30"),
        (31, "31_60"),
        (60, "31_60"),
        (61, "61_90"),
        (90, "61_90"),
        (91, "over_90"),
        (400, "over_90"),
    ],
)
def test_bucket_edges(days, bucket):
    assert bucket_of(days) == bucket


@pytest.fixture
def arrears(operator, house):
    """A resident charged 100 on each of Feb 1, Apr 1, May 1, Jun 1 and Jun 15, who paid 150 on Jun 10."""
    resident = admit(house, date(2026, 1, 5)).resident
    for on in [date(2026, 2, 1), date(2026, 4, 1), date(2026, 5, 1), date(2026, 6, 1), date(2026, 6, 15)]:
        charge(operator, resident, "100", on)
    pay(operator, resident, "150", date(2026, 6, 10))
    return resident


def test_payments_pay_the_oldest_charges_first(arrears):
    position = open_charges_of(resident=arrears)
    # 150 pays Feb 1 (100) and half of Apr 1; Apr 1 has 50 left.
    assert [(c.effective_on, c.open) for c in position.open_charges] == [
        (date(2026, 4, 1), D("50.00")),
        (date(2026, 5, 1), D("100.00")),
        (date(2026, 6, 1), D("100.00")),
        (date(2026, 6, 15), D("100.00")),
    ]


def test_aging_buckets_go_by_days_past_each_charges_effective_date(operator, arrears, house):
    report = aging_report(viewer=operator, house=house)
    # Apr 1 is 75 days back, May 1 is 45, Jun 1 is 14, Jun 15 is today.
    assert report["buckets"] == {
        "current": D("100.00"),
        "1_30": D("100.00"),
        "31_60": D("100.00"),
        "61_90": D("50.00"),
        "over_90": D("0.00"),
    }
    assert report["total_owed"] == D("350.00")
    assert report["residents_owing"] == 1


def test_the_buckets_add_up_to_the_balance_owed(operator, arrears, house):
    from billing.selectors.balances import balance_of

    report = aging_report(viewer=operator, house=house)
    assert sum(report["buckets"].values()) == report["total_owed"] == balance_of(arrears.pk)


def test_a_resident_in_credit_is_not_in_the_buckets_but_counted_as_credit(operator, house):
    resident = admit(house, date(2026, 1, 5)).resident
    charge(operator, resident, "100", date(2026, 3, 1))
    pay(operator, resident, "130", date(2026, 3, 2))
    report = aging_report(viewer=operator, house=house)
    assert report["total_owed"] == D("0.00")
    assert report["credit_balances"] == D("30.00")
    assert report["residents_in_credit"] == 1


def test_a_reversed_charge_and_its_reversal_leave_aging_alone(operator, house):
    resident = admit(house, date(2026, 1, 5)).resident
    mistake = charge(operator, resident, "500", date(2026, 2, 1))
    charge(operator, resident, "100", date(2026, 6, 1))
    entry_reverse(actor=operator, entry=mistake, effective_on=date(2026, 6, 10))
    # Had the reversal been an ordinary credit, it would have paid the June charge and left 400 of February open.
    position = open_charges_of(resident=resident)
    assert [(c.effective_on, c.open) for c in position.open_charges] == [(date(2026, 6, 1), D("100.00"))]


def test_aging_as_of_an_earlier_day_ignores_later_entries(operator, arrears, house):
    report = aging_report(viewer=operator, house=house, on=date(2026, 5, 31))
    # Before the June payment: Feb 1 (119 days), Apr 1 (60), May 1 (30).
    assert report["buckets"]["over_90"] == D("100.00")
    assert report["buckets"]["31_60"] == D("100.00")
    assert report["buckets"]["1_30"] == D("100.00")
    assert report["total_owed"] == D("300.00")


def test_a_move_out_adjustment_pays_its_own_rent_charge_first(policy, house):
    stay = admit(house, date(2026, 1, 1))
    rent_post_due(on=date(2026, 3, 1))  # Jan, Feb, Mar: 900 each, all unpaid
    discharge(stay, date(2026, 3, 11))  # 10 of 31 March nights: 290.32; 609.68 credited to March
    charges = open_charges_of(resident=stay.resident, on=date(2026, 6, 15)).open_charges
    assert [(c.effective_on, c.open) for c in charges] == [
        (date(2026, 1, 1), D("900.00")),
        (date(2026, 2, 1), D("900.00")),
        (date(2026, 3, 1), D("290.32")),
    ]


def test_the_organization_report_is_the_sum_of_its_houses(operator, house, other_house):
    here, there = admit(house, date(2026, 1, 5)).resident, admit(other_house, date(2026, 1, 5)).resident
    charge(operator, here, "120", date(2026, 5, 1))
    charge(operator, there, "80", date(2026, 2, 1))
    whole = aging_report(viewer=operator)
    parts = [aging_report(viewer=operator, house=h) for h in (house, other_house)]
    assert whole["total_owed"] == sum(p["total_owed"] for p in parts) == D("200.00")
    for bucket in whole["buckets"]:
        assert whole["buckets"][bucket] == sum(p["buckets"][bucket] for p in parts)


def test_a_managers_report_covers_only_their_houses(manager, operator, house, other_house):
    here, there = admit(house, date(2026, 1, 5)).resident, admit(other_house, date(2026, 1, 5)).resident
    charge(operator, here, "120", date(2026, 5, 1))
    charge(operator, there, "80", date(2026, 2, 1))
    assert aging_report(viewer=manager)["total_owed"] == D("120.00")


def test_a_transferred_residents_charges_stay_with_the_house_where_they_were_posted(operator, house, other_house):
    from residents.core.services.stays import stay_transfer

    stay = admit(house, date(2026, 1, 5))
    charge(operator, stay.resident, "300", date(2026, 2, 1))
    stay_transfer(actor=operator, stay=stay, bed=other_house.beds.first(), on=date(2026, 3, 1))
    charge(operator, stay.resident, "200", date(2026, 4, 1))
    pay(operator, stay.resident, "100", date(2026, 4, 2))  # pays the oldest (Maple's) charge
    assert aging_report(viewer=operator, house=house)["total_owed"] == D("200.00")
    assert aging_report(viewer=operator, house=other_house)["total_owed"] == D("200.00")


@pytest.fixture
def three_owing(operator, house, resident_factory):
    """Adams owes 50 for 100 days, Baker 400 for 10 days, Cruz 200 for 40 days; Diaz is paid up."""
    rows = [("Adams", "50", date(2026, 3, 7)), ("Baker", "400", date(2026, 6, 5)), ("Cruz", "200", date(2026, 5, 6))]
    residents = {}
    for name, amount, on in rows:
        resident = admit(house, date(2026, 1, 5), resident=resident_factory(legal_last_name=name)).resident
        charge(operator, resident, amount, on)
        residents[name] = resident
    diaz = admit(house, date(2026, 1, 5), resident=resident_factory(legal_last_name="Diaz")).resident
    charge(operator, diaz, "75", date(2026, 4, 1))
    pay(operator, diaz, "75", date(2026, 4, 2))
    return residents


def _names(rows):
    return [row.resident_name.split()[-1] for row in rows]


def test_the_delinquency_list_is_largest_amount_first_by_default(operator, house, three_owing):
    assert _names(delinquency(viewer=operator, house=house)) == ["Baker", "Cruz", "Adams"]


@pytest.mark.parametrize(
    ("ordering", "expected"),
    [
        ("amount", ["Adams", "Cruz", "Baker"]),
        ("-age", ["Adams", "Cruz", "Baker"]),
        ("age", ["Baker", "Cruz", "Adams"]),
        ("name", ["Adams", "Baker", "Cruz"]),
        ("-name", ["Cruz", "Baker", "Adams"]),
    ],
)
def test_the_delinquency_list_sorts_by_amount_age_or_name(operator, house, three_owing, ordering, expected):
    assert _names(delinquency(viewer=operator, house=house, ordering=ordering)) == expected


def test_a_delinquency_row_says_what_is_owed_since_when(operator, house, three_owing):
    row = next(r for r in delinquency(viewer=operator, house=house) if r.resident_id == three_owing["Adams"].pk)
    assert (row.owed, row.oldest_due_on, row.days_overdue) == (D("50.00"), date(2026, 3, 7), 100)
    assert row.buckets["over_90"] == D("50.00")
    assert row.house_name == "Maple House"


def test_the_delinquency_list_can_skip_recent_debts(operator, house, three_owing):
    assert _names(delinquency(viewer=operator, house=house, min_days=31)) == ["Cruz", "Adams"]


def test_a_charge_due_today_is_not_yet_delinquent(operator, house):
    resident = admit(house, date(2026, 1, 5)).resident
    charge(operator, resident, "100", date(2026, 6, 15))
    assert delinquency(viewer=operator, house=house) == []


def test_a_credit_reduces_what_is_owed(operator, house):
    resident = admit(house, date(2026, 1, 5)).resident
    charge(operator, resident, "100", date(2026, 5, 1))
    credit_post(actor=operator, resident=resident, amount="40", memo="Goodwill", effective_on=date(2026, 5, 2))
    assert delinquency(viewer=operator, house=house)[0].owed == D("60.00")


def test_allocation_alone_keeps_open_plus_credit_equal_to_the_balance():
    lines = [
        Line(1, 7, 1, "rent", D("900.00"), date(2026, 1, 1)),
        Line(2, 7, 1, "payment", D("-1000.00"), date(2026, 1, 2)),
        Line(3, 7, 1, "fine", D("50.00"), date(2026, 1, 3)),
        Line(4, 7, 1, "reversal", D("-50.00"), date(2026, 1, 4), reverses_id=3),
    ]
    position = allocate(lines, on=date(2026, 2, 1))[7]
    assert position.balance == D("-100.00")
    assert position.open_charges == []
    assert position.credit == D("100.00")
