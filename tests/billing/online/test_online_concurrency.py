"""Real concurrency on PostgreSQL: deliveries of one payment's events at the same moment credit the ledger once."""

import json
import threading
from unittest import mock

import pytest
from django.db import connection
from django.test import Client

from billing import webhooks
from billing.models import EntryKind, LedgerEntry, OnlinePayment, Payment, StripeEvent

from .conftest import WEBHOOK, event_for, sign


def fire_at_once(events: list[dict]) -> list[int]:
    """POSTs each event from its own thread (its own database connection), all released together. The webhook's
    database budget is widened: these tests are about what the deliveries write together, and a busy test machine
    must not turn a delivery into a 503 for Stripe to retry (tests/faults covers the budget itself)."""
    barrier = threading.Barrier(len(events))
    statuses, errors = [], []

    def deliver(event):
        body = json.dumps(event)
        try:
            client = Client()
            barrier.wait()
            response = client.generic(
                "POST", WEBHOOK, body, content_type="application/json", HTTP_STRIPE_SIGNATURE=sign(body)
            )
            statuses.append(response.status_code)
        except Exception as error:
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=deliver, args=(event,)) for event in events]
    with mock.patch.object(webhooks, "DATABASE_BUDGET", 30), mock.patch.object(webhooks, "STATEMENT_BUDGET_MS", 10_000):
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    assert errors == []
    return statuses


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_the_same_event_from_several_threads_at_once_leaves_one_ledger_entry(attempt, stripe_settings):
    event = event_for("checkout.session.completed.json", attempt)
    assert fire_at_once([event] * 8) == [200] * 8
    assert StripeEvent.objects.count() == 1
    assert LedgerEntry.objects.filter(kind=EntryKind.PAYMENT, resident_id=attempt.resident_id).count() == 1
    assert Payment.objects.filter(resident_id=attempt.resident_id).count() == 1
    assert OnlinePayment.objects.get().status == "succeeded"


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_different_success_events_at_once_leave_one_ledger_entry(attempt, stripe_settings):
    names = [
        "checkout.session.completed.json",
        "payment_intent.succeeded.json",
        "checkout.session.async_payment_succeeded.json",
    ]
    events = [event_for(name, attempt, event_id=f"evt_race_{n}_{i}") for n in range(3) for i, name in enumerate(names)]
    assert fire_at_once(events) == [200] * 9
    assert StripeEvent.objects.filter(status="handled").count() == 9
    assert LedgerEntry.objects.filter(kind=EntryKind.PAYMENT, resident_id=attempt.resident_id).count() == 1
    assert Payment.objects.filter(resident_id=attempt.resident_id).get().receipt_number == 1


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_refund_events_at_once_post_each_refunded_amount_once(attempt, stripe_settings, client):
    body = json.dumps(event_for("checkout.session.completed.json", attempt))
    client.generic("POST", WEBHOOK, body, content_type="application/json", HTTP_STRIPE_SIGNATURE=sign(body))
    events = [
        event_for("charge.refunded.json", attempt, event_id=f"evt_refund_{n}", amount_refunded=cents, refunded=False)
        for n, cents in enumerate([20000, 20000, 50000, 50000, 20000, 50000])
    ]
    assert fire_at_once(events) == [200] * 6
    refunds = LedgerEntry.objects.filter(kind=EntryKind.REFUND, resident_id=attempt.resident_id)
    assert sum(refunds.values_list("amount", flat=True)) == attempt.amount
    assert OnlinePayment.objects.get().amount_refunded == attempt.amount
