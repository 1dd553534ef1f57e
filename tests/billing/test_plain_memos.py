"""Residents read each entry of their own ledger (the portal's pay page) and statement in plain words: what it is,
from the memo the service wrote, and for a reversal what it reverses and why. Today is June 15, 2026 in the house
(the billing fixtures), and the clock is frozen there too."""

from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import lxml.html
import pytest
import time_machine

from billing.memos import entry_words
from billing.models import EntryKind, LateFeeKind, LedgerEntry
from billing.services.late_fees import late_fees_assess
from billing.services.ledger import charge_post, credit_post, entry_reverse
from billing.services.payments import payment_record
from billing.services.rent import rent_post_due, rent_schedule_set

from .conftest import make_policy


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(datetime(2026, 6, 15, 12, 0, tzinfo=ZoneInfo("America/Chicago")), tick=False):
        yield


@pytest.fixture
def june(house, operator, member_resident):
    """June's rent posted by the rent job, its 5% late fee posted by the late-fee job (then reversed: charged by
    mistake), a cash payment, a program fee without a memo and another charge with one."""
    make_policy(house, late_fee_kind=LateFeeKind.PERCENT, late_fee_percent=Decimal("5.00"), late_fee_grace_days=5)
    actor = operator
    rent_schedule_set(
        actor=actor,
        stay=member_resident.stays.get(),
        amount=Decimal("900.00"),
        period="monthly",
        due_day=1,
        starts_on=date(2026, 6, 1),
    )
    rent_post_due(on=date(2026, 6, 1))
    (fee,) = late_fees_assess(on=date(2026, 6, 7))
    entry_reverse(actor=actor, entry=fee, memo="charged by mistake", effective_on=date(2026, 6, 8))
    payment_record(actor=actor, resident=member_resident, method="cash", amount="500.00", received_on=date(2026, 6, 9))
    charge_post(
        actor=actor,
        resident=member_resident,
        kind="program_fee",
        amount="150.00",
        memo="",
        effective_on=date(2026, 6, 10),
    )
    charge_post(
        actor=actor,
        resident=member_resident,
        kind="other",
        amount="20.00",
        memo="Key not returned",
        effective_on=date(2026, 6, 11),
    )
    return member_resident


def ledger_rows(page, member) -> list[str]:
    response = page(member).get("/portal/pay/")
    assert response.status_code == 200
    document = lxml.html.fromstring(response.content.decode())
    table = document.cssselect("section[aria-labelledby='ledger-heading'] table")[0]
    return [" ".join(row.cssselect("th")[0].text_content().split()) for row in table.cssselect("tbody tr")]


def entry(resident, kind) -> LedgerEntry:
    return LedgerEntry.objects.filter(resident=resident, kind=kind).get()


def test_a_reversal_on_the_residents_ledger_says_what_it_reverses_and_why(page, resident_member, june):
    assert "Reverses the late fee of Jun 7: charged by mistake" in ledger_rows(page, resident_member)


def test_the_residents_ledger_says_what_each_entry_is(page, resident_member, june):
    rows = ledger_rows(page, resident_member)
    assert rows == [
        "Charge: Key not returned",
        "Program fee",
        f"Cash payment · receipt {entry(june, EntryKind.PAYMENT).payment.receipt_number}",
        "Reverses the late fee of Jun 7: charged by mistake",
        "Late fee: rent due Jun 1, 2026 unpaid after 5 grace days (5% of $900.00 overdue)",
        "Rent Jun 1 to Jun 30, 2026",
    ]


def test_the_statement_says_what_each_entry_is_in_plain_words(page, resident_member, june):
    response = page(resident_member).get("/billing/statement/?start=2026-06-01&end=2026-06-30")
    assert response.status_code == 200
    document = lxml.html.fromstring(response.content.decode())
    details = [" ".join(cell.text_content().split()) for cell in document.cssselect("td[data-label='Details']")]
    assert "Reverses the late fee of Jun 7: charged by mistake" in details
    assert "Program fee" in details
    assert "Charge: Key not returned" in details


def test_a_reversal_without_a_reason_says_what_it_reverses(operator, member_resident):
    fee = charge_post(
        actor=operator, resident=member_resident, kind="late_fee", amount="25.00", effective_on=date(2026, 3, 6)
    )
    reversal = entry_reverse(actor=operator, entry=fee)
    assert entry_words(reversal) == "Reverses the late fee of Mar 6"


def test_a_reversal_of_an_entry_from_another_year_names_its_year(operator, member_resident):
    payment = payment_record(
        actor=operator, resident=member_resident, method="check", amount="100", reference="2231",
        received_on=date(2025, 12, 30),
    )  # fmt: skip
    reversal = entry_reverse(
        actor=operator, entry=payment.entry, memo="check returned unpaid", effective_on=date(2026, 1, 2)
    )
    assert entry_words(reversal) == "Reverses the payment of Dec 30, 2025: check returned unpaid"


def test_a_credit_whose_memo_does_not_name_it_says_it_is_a_credit(operator, member_resident):
    credit = credit_post(
        actor=operator, resident=member_resident, amount="40.00", memo="Goodwill", effective_on=date(2026, 6, 2)
    )
    assert entry_words(credit) == "Credit: Goodwill"
