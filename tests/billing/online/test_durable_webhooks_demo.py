"""The demo shows a durable webhook: a card payment whose first delivery was cut off, completed by the sweep."""

import pytest

from accounts.models import Organization
from billing.models import EntryKind, LedgerEntry, StripeEvent


@pytest.fixture(autouse=True)
def today():
    """The demo is dated from the real today, so these tests do not fix it."""


def test_the_demo_has_a_payment_the_sweep_completed_on_its_second_try_with_one_credit(demo_db):
    organization = Organization.objects.get(slug="second-wind")
    event = StripeEvent.objects.select_related("online_payment").get(pk=f"evt_demo_{organization.slug}_swept")
    assert (event.status, event.attempts, event.error) == ("handled", 2, "")
    assert event.processed_at > event.received_at
    payment = event.online_payment
    assert (payment.status, payment.organization_id) == ("succeeded", organization.pk)
    credits = LedgerEntry.objects.filter(
        resident_id=payment.resident_id,
        kind=EntryKind.PAYMENT,
        idempotency_key=f"stripe:payment:{payment.payment_intent_id}",
    )
    assert credits.count() == 1
    assert not StripeEvent.objects.filter(status="received").exists()
