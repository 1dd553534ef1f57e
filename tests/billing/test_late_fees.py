"""Late fees: after the grace days, at most one per rent period, only on rent still open."""

from datetime import date
from decimal import Decimal

import pytest

from billing.models import EntryKind, LateFeeKind, LedgerEntry
from billing.services.late_fees import late_fees_assess
from billing.services.ledger import entry_reverse
from billing.services.payments import payment_record
from billing.services.rent import rent_post_due
from tests.factories import admit

from .conftest import make_policy


@pytest.fixture
def stay(house):
    """$900 due on the 1st, 5 grace days, a flat $25 late fee; admitted Jan 1 so February's rent is a full 900."""
    make_policy(house, late_fee_kind=LateFeeKind.FLAT, late_fee_amount=Decimal("25.00"), late_fee_grace_days=5)
    stay = admit(house, date(2026, 1, 1))
    rent_post_due(on=date(2026, 2, 1))
    return stay


def fees_of(stay):
    return list(LedgerEntry.objects.filter(stay=stay, kind=EntryKind.LATE_FEE).values_list("effective_on", "amount"))


def february_rent(stay):
    return LedgerEntry.objects.get(stay=stay, kind=EntryKind.RENT, effective_on=date(2026, 2, 1))


def test_rent_is_not_late_during_the_grace_days(stay):
    late_fees_assess(on=date(2026, 2, 6))  # Feb 1 + 5 grace days
    assert fees_of(stay) == []


def test_unpaid_rent_is_charged_a_late_fee_the_day_after_the_grace_days(stay):
    late_fees_assess(on=date(2026, 2, 7))
    assert fees_of(stay) == [(date(2026, 2, 7), Decimal("25.00"))]
    fee = LedgerEntry.objects.get(stay=stay, kind=EntryKind.LATE_FEE)
    assert fee.for_charge == february_rent(stay)
    assert fee.memo == "Late fee: rent due Feb 1, 2026 unpaid after 5 grace days (flat fee)"


def test_at_most_one_late_fee_per_rent_period(stay):
    for day in (7, 8, 9, 10):
        late_fees_assess(on=date(2026, 2, day))
    late_fees_assess(on=date(2026, 2, 7))
    assert len(fees_of(stay)) == 1


def test_rent_paid_in_time_is_not_late(stay, operator):
    payment_record(actor=operator, resident=stay.resident, method="cash", amount="1800", received_on=date(2026, 2, 6))
    late_fees_assess(on=date(2026, 2, 7))
    assert fees_of(stay) == []


def test_payments_pay_the_oldest_rent_first_so_newer_rent_can_be_late(stay, operator):
    # January's 900 is paid by this 900; February's stays open.
    payment_record(actor=operator, resident=stay.resident, method="cash", amount="900", received_on=date(2026, 2, 3))
    late_fees_assess(on=date(2026, 2, 7))
    assert fees_of(stay) == [(date(2026, 2, 7), Decimal("25.00"))]


def test_a_percent_fee_is_taken_of_the_rent_still_open(house, operator):
    make_policy(house, late_fee_kind=LateFeeKind.PERCENT, late_fee_percent=Decimal("10"), late_fee_grace_days=3)
    stay = admit(house, date(2026, 2, 1))
    rent_post_due(on=date(2026, 2, 1))
    payment_record(actor=operator, resident=stay.resident, method="cash", amount="400", received_on=date(2026, 2, 2))
    late_fees_assess(on=date(2026, 2, 5))
    # 900 - 400 = 500 overdue; 10% of it is 50.00.
    assert fees_of(stay) == [(date(2026, 2, 5), Decimal("50.00"))]


def test_a_reversed_rent_charge_is_never_late(stay, operator):
    entry_reverse(actor=operator, entry=february_rent(stay))
    late_fees_assess(on=date(2026, 2, 7))
    assert [fee for fee in fees_of(stay) if fee[0] == date(2026, 2, 7)] == []


def test_a_house_without_a_late_fee_charges_none(policy, house):
    stay = admit(house, date(2026, 1, 1))
    rent_post_due(on=date(2026, 2, 1))
    late_fees_assess(on=date(2026, 2, 20))
    assert fees_of(stay) == []


def test_a_missed_run_catches_up_within_the_look_back(stay):
    late_fees_assess(on=date(2026, 2, 12))  # five days late
    assert len(fees_of(stay)) == 1


def test_old_rent_is_not_charged_late_fees_retroactively(stay):
    late_fees_assess(on=date(2026, 3, 1))  # Feb rent became late on Feb 7, more than a week ago
    assert fees_of(stay) == []


def test_reversing_a_late_fee_waives_it_for_good(stay, operator):
    late_fees_assess(on=date(2026, 2, 7))
    entry_reverse(actor=operator, entry=LedgerEntry.objects.get(stay=stay, kind=EntryKind.LATE_FEE))
    late_fees_assess(on=date(2026, 2, 8))
    assert LedgerEntry.objects.filter(stay=stay, kind=EntryKind.LATE_FEE).count() == 1
