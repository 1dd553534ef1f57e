"""Deposits: charged at admission, settled once at move-out with deductions and a refund."""

from datetime import date
from decimal import Decimal

import pytest

from accounts.exceptions import Conflict, DomainError
from billing.models import DepositSettlement, EntryKind, LedgerEntry
from billing.selectors.balances import balance_of
from billing.services.deposits import deposit_settle
from billing.services.ledger import entry_reverse
from billing.services.payments import payment_record
from billing.services.rent import rent_post_due
from tests.factories import admit

from .conftest import discharge, make_policy


@pytest.fixture
def deposit_house(house):
    """$900 a month due on the 1st, and a $500 deposit."""
    make_policy(house, deposit_amount=Decimal("500.00"))
    return house


@pytest.fixture
def stay(deposit_house):
    return admit(deposit_house, date(2026, 3, 1))


def pay(resident, amount, on, actor):
    return payment_record(actor=actor, resident=resident, method="cash", amount=amount, received_on=on)


def test_admission_charges_the_house_deposit_due_at_move_in(stay):
    deposit = LedgerEntry.objects.get(stay=stay, kind=EntryKind.DEPOSIT)
    assert (deposit.amount, deposit.effective_on) == (Decimal("500.00"), date(2026, 3, 1))
    assert deposit.idempotency_key == f"deposit:{stay.pk}"


def test_a_house_without_a_deposit_charges_none(policy, house):
    stay = admit(house, date(2026, 3, 1))
    assert not LedgerEntry.objects.filter(stay=stay, kind=EntryKind.DEPOSIT).exists()


def test_a_paid_up_resident_gets_the_deposit_back_less_deductions(stay, operator):
    rent_post_due(on=date(2026, 3, 1))
    pay(stay.resident, "1400", date(2026, 3, 2), operator)  # rent + deposit
    discharge(stay, date(2026, 4, 1))
    settlement = deposit_settle(
        actor=operator,
        stay=stay,
        on=date(2026, 4, 2),
        deductions=[{"reason": "Carpet cleaning", "amount": "80.00"}, {"reason": "Lost key", "amount": "20"}],
    )
    assert settlement.deposit_held == Decimal("500.00")
    assert settlement.deductions_total == Decimal("100.00")
    assert settlement.refund_amount == Decimal("400.00")
    assert [d.reason for d in settlement.deductions.all()] == ["Carpet cleaning", "Lost key"]
    assert balance_of(stay.resident_id) == Decimal("0.00")


def test_settling_writes_a_release_each_deduction_and_the_refund_to_the_ledger(stay, operator):
    rent_post_due(on=date(2026, 3, 1))
    pay(stay.resident, "1400", date(2026, 3, 2), operator)
    discharge(stay, date(2026, 4, 1))
    deposit_settle(actor=operator, stay=stay, on=date(2026, 4, 2), deductions=[{"reason": "Lost key", "amount": "20"}])
    entries = LedgerEntry.objects.filter(stay=stay, effective_on=date(2026, 4, 2)).order_by("pk")
    assert [(e.kind, e.amount, e.memo) for e in entries] == [
        (EntryKind.CREDIT, Decimal("-500.00"), "Security deposit applied at move-out"),
        (EntryKind.OTHER, Decimal("20.00"), "Deposit deduction: Lost key"),
        (EntryKind.REFUND, Decimal("480.00"), "Security deposit refunded"),
    ]


def test_the_deposit_pays_rent_still_owed_before_anything_is_refunded(stay, operator):
    rent_post_due(on=date(2026, 3, 1))
    pay(stay.resident, "800", date(2026, 3, 2), operator)  # owes 900 + 500 - 800 = 600
    discharge(stay, date(2026, 4, 1))
    settlement = deposit_settle(actor=operator, stay=stay, on=date(2026, 4, 2))
    # The 500 deposit covers 500 of the 600 owed; nothing comes back and 100 is still owed.
    assert settlement.refund_amount == Decimal("0.00")
    assert settlement.refund_entry is None
    assert balance_of(stay.resident_id) == Decimal("100.00")


def test_an_unpaid_deposit_is_simply_cancelled_by_the_release(stay, operator):
    rent_post_due(on=date(2026, 3, 1))
    pay(stay.resident, "900", date(2026, 3, 2), operator)  # rent paid, deposit not
    discharge(stay, date(2026, 4, 1))
    settlement = deposit_settle(actor=operator, stay=stay, on=date(2026, 4, 2))
    assert settlement.refund_amount == Decimal("0.00")
    assert balance_of(stay.resident_id) == Decimal("0.00")


def test_a_deposit_is_settled_after_move_out_only(stay, operator):
    with pytest.raises(DomainError) as error:
        deposit_settle(actor=operator, stay=stay, on=date(2026, 4, 2))
    assert error.value.field == "stay"
    assert not DepositSettlement.objects.exists()


def test_a_deposit_is_settled_once(stay, operator):
    discharge(stay, date(2026, 4, 1))
    deposit_settle(actor=operator, stay=stay, on=date(2026, 4, 2))
    with pytest.raises(Conflict):
        deposit_settle(actor=operator, stay=stay, on=date(2026, 4, 3))
    assert DepositSettlement.objects.count() == 1


def test_deductions_cannot_exceed_the_deposit(stay, operator):
    discharge(stay, date(2026, 4, 1))
    before = LedgerEntry.objects.count()
    with pytest.raises(DomainError) as error:
        deposit_settle(
            actor=operator,
            stay=stay,
            on=date(2026, 4, 2),
            deductions=[{"reason": "Broken window", "amount": "450"}, {"reason": "Paint", "amount": "60"}],
        )
    assert error.value.field == "deductions"
    assert LedgerEntry.objects.count() == before


@pytest.mark.parametrize(
    "deduction",
    [{"reason": "", "amount": "10"}, {"reason": "Paint", "amount": "-10"}, {"reason": "Paint", "amount": "1.001"}],
)
def test_each_deduction_needs_a_reason_and_a_positive_amount(stay, operator, deduction):
    discharge(stay, date(2026, 4, 1))
    with pytest.raises(DomainError) as error:
        deposit_settle(actor=operator, stay=stay, on=date(2026, 4, 2), deductions=[deduction])
    assert error.value.field == "deductions"
    assert not DepositSettlement.objects.exists()


def test_a_reversed_deposit_leaves_nothing_to_settle(stay, operator):
    entry_reverse(actor=operator, entry=LedgerEntry.objects.get(stay=stay, kind=EntryKind.DEPOSIT))
    discharge(stay, date(2026, 4, 1))
    with pytest.raises(DomainError) as error:
        deposit_settle(actor=operator, stay=stay, on=date(2026, 4, 2))
    assert "No deposit" in error.value.message
