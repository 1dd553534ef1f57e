"""The demo shows a pending bank debit that holds off a late fee, and the rent e-mails residents were sent."""

from datetime import timedelta

import pytest

from accounts.models import Organization
from billing.models import (
    EntryKind,
    HouseBillingPolicy,
    LedgerEntry,
    OnlinePayment,
    ReminderOptOut,
    ResidentNotice,
)
from billing.selectors.balances import balance_of
from billing.services.late_fees import late_date, late_fees_assess

pytestmark = pytest.mark.usefixtures("demo_db")


@pytest.fixture
def first():
    return Organization.objects.get(slug="second-wind")


@pytest.fixture
def debit(first):
    return OnlinePayment.objects.get(organization=first, status=OnlinePayment.Status.PENDING)


def held_rent(debit):
    return LedgerEntry.objects.filter(stay=debit.stay, kind=EntryKind.RENT).order_by("effective_on").first()


def test_the_demo_has_a_bank_debit_still_pending_from_stripes_events(debit):
    assert debit.is_bank_debit
    assert debit.payment.status == "pending"
    assert sorted(debit.events.values_list("type", flat=True)) == [
        "checkout.session.completed",
        "payment_intent.processing",
    ]


def test_the_debit_started_within_the_grace_days_of_rent_now_past_its_late_date(first, debit):
    rent = held_rent(debit)
    grace = HouseBillingPolicy.objects.get(house_id=rent.house_id).late_fee_grace_days
    started = debit.created_at.astimezone(first.tzinfo).date()
    assert started <= late_date(rent, grace) - timedelta(days=1)  # on or before the last grace day
    assert late_date(rent, grace) <= first.today()


def test_no_late_fee_is_posted_for_the_held_rent_although_the_job_ran(first, debit):
    rent = held_rent(debit)
    assert balance_of(debit.resident_id) >= rent.amount  # still unpaid: only the pending debit holds the fee off
    assert not LedgerEntry.objects.filter(for_charge=rent, kind=EntryKind.LATE_FEE).exists()
    late_fees_assess(on=first.today(), organization=first)  # today's run again
    assert not LedgerEntry.objects.filter(for_charge=rent, kind=EntryKind.LATE_FEE).exists()


def test_the_demo_shows_receipts_and_rent_reminders_sent(first):
    kinds = set(ResidentNotice.objects.filter(organization=first).values_list("kind", flat=True))
    assert set(ResidentNotice.Kind) - {ResidentNotice.Kind.AUTOPAY_FAILED} <= kinds
    receipts = ResidentNotice.objects.filter(organization=first, kind=ResidentNotice.Kind.RECEIPT)
    assert all(notice.online_payment.status in OnlinePayment.SETTLED for notice in receipts)


def test_a_demo_resident_who_turned_reminders_off_gets_receipts_only(first):
    opt_out = ReminderOptOut.objects.get(organization=first)
    kinds = set(ResidentNotice.objects.filter(resident=opt_out.resident_id).values_list("kind", flat=True))
    assert kinds <= {ResidentNotice.Kind.RECEIPT}


def test_todays_reminder_job_sends_nothing_the_demo_already_records(first):
    from django.core import mail

    from billing.services.rent_notices import rent_notices_send

    sent = rent_notices_send(on=first.today(), organization=first)
    assert not {notice.kind for notice in sent} & {ResidentNotice.Kind.RENT_DUE, ResidentNotice.Kind.RENT_LATE}
    assert len(mail.outbox) == len(sent)
