"""A Stripe event that happened in a month closed since lands on the first open day, linked to its payment.
Today is June 15, 2026; the resident paid online on May 31, and the books were closed through May before Stripe's
delivery arrived."""

from datetime import date

import pytest
import time_machine

from billing.models import EntryKind, LedgerEntry
from billing.services.ledger import charge_post
from billing.services.online_checkout import online_payment_open
from reports.metrics import Month
from reports.services import month_close
from tests.clock import local_moment

from .conftest import event_for

MAY_31 = local_moment(2026, 5, 31, 21)


@pytest.fixture
def may_attempt(member_resident, resident_member, operator):
    """A checkout for 500.00 of a May fee, started on May 31."""
    with time_machine.travel(MAY_31, tick=False):
        charge_post(
            actor=operator,
            resident=member_resident,
            kind="program_fee",
            amount="900.00",
            memo="May",
            effective_on=date(2026, 5, 1),
        )
        op = online_payment_open(viewer=resident_member, amount="500.00")
    op.checkout_session_id = f"cs_test_hearth_{op.pk}"
    op.save(update_fields=["checkout_session_id"])
    return op


@pytest.fixture
def may_closed(organization, operator, may_attempt):
    return month_close(actor=operator, organization=organization, month=Month(2026, 5))


def completed_on_may_31(op):
    event = event_for("checkout.session.completed.json", op)
    event["created"] = int(MAY_31.timestamp())
    return event


def test_a_payment_made_in_a_closed_month_is_credited_on_the_first_open_day(deliver, may_attempt, may_closed):
    assert deliver(completed_on_may_31(may_attempt)).status_code == 200
    entry = LedgerEntry.objects.get(resident_id=may_attempt.resident_id, kind=EntryKind.PAYMENT)
    assert (entry.effective_on, entry.occurred_on) == (date(2026, 6, 1), date(2026, 5, 31))
    may_attempt.refresh_from_db()
    assert may_attempt.payment.entry == entry
    assert may_attempt.payment.received_on == date(2026, 5, 31)


def test_the_same_payment_in_an_open_month_keeps_its_day(deliver, may_attempt):
    assert deliver(completed_on_may_31(may_attempt)).status_code == 200
    entry = LedgerEntry.objects.get(resident_id=may_attempt.resident_id, kind=EntryKind.PAYMENT)
    assert (entry.effective_on, entry.occurred_on) == (date(2026, 5, 31), None)
