"""Real concurrency on PostgreSQL: sweeps and Stripe's redeliveries that reach an unapplied event at the same moment
apply it once (the row's lock, taken with SKIP LOCKED by the sweep, and its status re-checked under it)."""

import json
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from billing.models import EntryKind, LedgerEntry, OnlinePayment, Payment, StripeEvent
from billing.services.stripe_events import stripe_events_sweep
from tests.concurrency import at_once

from .conftest import WEBHOOK, event_for, sign


def delivery(event: dict):
    body = json.dumps(event)

    def deliver():
        response = Client().generic(
            "POST", WEBHOOK, body, content_type="application/json", HTTP_STRIPE_SIGNATURE=sign(body)
        )
        return response.status_code, response.json()["duplicate"]

    return deliver


def left_received(event: dict) -> StripeEvent:
    """The row a delivery left when its worker died after recording it, five minutes ago."""
    return StripeEvent.objects.create(
        id=event["id"],
        type=event["type"],
        payload=event,
        attempts=1,
        received_at=timezone.now() - timedelta(minutes=5),
    )


def credited_once(op: OnlinePayment) -> None:
    assert LedgerEntry.objects.filter(kind=EntryKind.PAYMENT, resident_id=op.resident_id).count() == 1
    assert Payment.objects.filter(resident_id=op.resident_id).get().receipt_number == 1
    assert OnlinePayment.objects.get(pk=op.pk).status == "succeeded"


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_sweep_and_a_redelivery_at_once_apply_an_unapplied_event_once(attempt, stripe_settings):
    event = event_for("checkout.session.completed.json", attempt)
    left_received(event)
    results = at_once([stripe_events_sweep, delivery(event)])
    assert sorted(results, key=str).count((200, False)) + results.count(1) == 1  # exactly one of them applied it
    assert StripeEvent.objects.get().status == "handled"
    credited_once(attempt)


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_several_sweeps_and_redeliveries_at_once_apply_an_unapplied_event_once(attempt, stripe_settings):
    event = event_for("checkout.session.completed.json", attempt)
    left_received(event)
    results = at_once([stripe_events_sweep] * 4 + [delivery(event)] * 4)
    applied = sum(1 for result in results if result in (1, (200, False)))
    assert applied == 1
    assert all(result in (0, 1, (200, False), (200, True)) for result in results)
    assert StripeEvent.objects.get().status == "handled"
    credited_once(attempt)


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_sweeps_at_once_share_out_many_unapplied_events_each_applied_once(attempt, stripe_settings):
    names = ["checkout.session.completed.json", "payment_intent.succeeded.json"]
    for n in range(6):
        left_received(event_for(names[n % 2], attempt, event_id=f"evt_left_{n}"))
    assert sum(at_once([stripe_events_sweep] * 3)) == 6
    assert StripeEvent.objects.filter(status="handled").count() == 6
    assert StripeEvent.objects.filter(attempts=2).count() == 6  # each tried once more, by one sweep
    credited_once(attempt)
