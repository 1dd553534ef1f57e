"""Durable webhooks: an event is recorded and applied in one transaction, or kept as received for Stripe's retry and
the sweep, which apply it exactly once; a dispute or refund of a payment Hearth does not know yet is looked up at
Stripe (the local stand-in) instead of being dropped. Faults are injected into the handling of real events."""

from datetime import timedelta
from decimal import Decimal

import pytest
import time_machine
from django.conf import settings
from django.utils import timezone

from billing.models import EntryKind, LedgerEntry, OnlinePayment, StripeEvent
from billing.services import online_payments
from billing.services.online_checkout import checkout_metadata
from billing.services.stripe_events import HANDLERS, MAX_ATTEMPTS, stripe_events_sweep
from billing.tasks import sweep_stripe_events

from .conftest import CHARGE, PI, event_for, fixture
from .stand_in_payments import stripe_holds, stripe_object

Status = OnlinePayment.Status


class Killed(BaseException):
    """The worker process dying midway: nothing in the process gets to handle it."""


def payment_entries(op):
    return LedgerEntry.objects.filter(resident_id=op.resident_id, kind=EntryKind.PAYMENT)


def status_of(op) -> str:
    op.refresh_from_db()
    return op.status


def later(minutes: int = 2):
    return time_machine.travel(timezone.now() + timedelta(minutes=minutes), tick=False)


@pytest.fixture
def broken_receipts(monkeypatch):
    """Makes crediting a payment raise ``error`` (a class) until ``fix()`` is called."""
    real = online_payments.next_receipt_number

    class Breaker:
        def __call__(self, error):
            def broken(organization):
                raise error("the database went away")

            monkeypatch.setattr(online_payments, "next_receipt_number", broken)

        def fix(self):
            monkeypatch.setattr(online_payments, "next_receipt_number", real)

    return Breaker()


def left_received(event: dict, *, minutes_ago: int = 5, attempts: int = 1, error: str = "") -> StripeEvent:
    """The row a delivery left behind when its worker died after recording the event."""
    return StripeEvent.objects.create(
        id=event["id"],
        type=event["type"],
        payload=event,
        attempts=attempts,
        error=error,
        received_at=timezone.now() - timedelta(minutes=minutes_ago),
    )


# Killed midway


def test_a_delivery_killed_midway_leaves_nothing_and_stripes_redelivery_credits_once(deliver, attempt, broken_receipts):
    event = event_for("checkout.session.completed.json", attempt)
    broken_receipts(Killed)
    with pytest.raises(Killed):
        deliver(event)
    assert not StripeEvent.objects.exists()  # recorded and applied together: both rolled back
    assert status_of(attempt) == Status.CREATED
    broken_receipts.fix()
    response = deliver(event)
    assert (response.status_code, response.json()["duplicate"]) == (200, False)
    assert payment_entries(attempt).count() == 1
    assert StripeEvent.objects.get().attempts == 1


def test_an_event_whose_handling_raised_is_kept_as_received_and_answered_500(deliver, attempt, broken_receipts):
    broken_receipts(RuntimeError)
    response = deliver(event_for("checkout.session.completed.json", attempt))
    assert response.status_code == 500
    row = StripeEvent.objects.get()
    assert (row.status, row.attempts) == ("received", 1)
    assert "RuntimeError: the database went away" in row.error
    assert not payment_entries(attempt).exists()


def test_the_sweep_completes_an_event_whose_handling_raised_exactly_once(deliver, attempt, broken_receipts):
    event = event_for("checkout.session.completed.json", attempt)
    broken_receipts(RuntimeError)
    deliver(event)
    broken_receipts.fix()
    with later():
        assert stripe_events_sweep() == 1
        assert stripe_events_sweep() == 0
    row = StripeEvent.objects.get()
    assert (row.status, row.attempts, row.error) == ("handled", 2, "")
    assert status_of(attempt) == Status.SUCCEEDED
    assert payment_entries(attempt).count() == 1


def test_stripes_redelivery_after_the_sweep_completed_the_event_changes_nothing(deliver, attempt, broken_receipts):
    event = event_for("checkout.session.completed.json", attempt)
    broken_receipts(RuntimeError)
    deliver(event)
    broken_receipts.fix()
    with later():
        stripe_events_sweep()
    response = deliver(event)
    assert (response.status_code, response.json()["duplicate"]) == (200, True)
    assert payment_entries(attempt).count() == 1
    assert StripeEvent.objects.get().attempts == 2


def test_the_sweep_completes_an_event_a_dead_worker_left_received(attempt):
    left_received(event_for("checkout.session.completed.json", attempt))
    assert stripe_events_sweep() == 1
    assert StripeEvent.objects.get().status == "handled"
    assert payment_entries(attempt).count() == 1


def test_a_redelivery_of_an_event_left_received_applies_it_instead_of_answering_duplicate(deliver, attempt):
    event = event_for("checkout.session.completed.json", attempt)
    left_received(event, minutes_ago=0)  # within the ten minutes that used to be answered "duplicate"
    response = deliver(event)
    assert (response.status_code, response.json()["duplicate"]) == (200, False)
    assert StripeEvent.objects.get().status == "handled"
    assert payment_entries(attempt).count() == 1


def test_a_redelivery_of_a_handled_event_changes_nothing_and_counts_no_try(deliver, attempt):
    event = event_for("checkout.session.completed.json", attempt)
    deliver(event)
    assert deliver(event).json()["duplicate"] is True
    assert StripeEvent.objects.get().attempts == 1
    assert payment_entries(attempt).count() == 1


def test_a_redelivery_of_an_event_stored_as_failed_tries_it_again(deliver, attempt):
    event = event_for("checkout.session.completed.json", attempt, currency="eur")
    deliver(event)
    row = StripeEvent.objects.get()
    assert (row.status, row.attempts) == ("failed", 1)
    deliver(event)  # Stripe's dashboard "resend", say after support fixed the payment
    row.refresh_from_db()
    assert (row.status, row.attempts) == ("failed", 2)


def test_the_sweep_leaves_an_event_received_less_than_a_minute_ago_to_its_delivery(attempt):
    left_received(event_for("checkout.session.completed.json", attempt), minutes_ago=0)
    assert stripe_events_sweep() == 0
    assert StripeEvent.objects.get().status == "received"


def test_the_sweep_leaves_handled_ignored_and_failed_events_alone(deliver, attempt):
    deliver(event_for("checkout.session.completed.json", attempt))
    deliver(fixture("captured/zulip.charge.succeeded.json"))  # ignored: Hearth does not act on it
    deliver(event_for("checkout.session.completed.json", attempt, event_id="evt_eur", currency="eur"))  # failed
    with later(10):
        assert stripe_events_sweep() == 0
    assert sorted(StripeEvent.objects.values_list("status", "attempts")) == [
        ("failed", 1),
        ("handled", 1),
        ("ignored", 1),
    ]


def test_an_event_that_raises_on_every_try_is_given_up_as_failed_after_the_last_try(attempt, broken_receipts):
    left_received(event_for("checkout.session.completed.json", attempt), attempts=1)
    broken_receipts(RuntimeError)
    for sweep in range(MAX_ATTEMPTS + 2):
        with later(2 * sweep):
            stripe_events_sweep()
    row = StripeEvent.objects.get()
    assert (row.status, row.attempts) == ("failed", MAX_ATTEMPTS)
    assert row.error.startswith(f"Given up after {MAX_ATTEMPTS} tries.")
    assert "the database went away" in row.error
    assert not payment_entries(attempt).exists()


def test_a_sweep_leaves_alone_for_a_minute_an_event_another_sweep_is_trying(attempt, broken_receipts):
    left_received(event_for("checkout.session.completed.json", attempt), attempts=1)
    broken_receipts(Killed)
    with pytest.raises(Killed):
        stripe_events_sweep()  # the worker dies, its try counted
    broken_receipts.fix()
    assert stripe_events_sweep() == 0
    with later(2):
        assert stripe_events_sweep() == 1
    assert StripeEvent.objects.get().attempts == 3
    assert payment_entries(attempt).count() == 1


def test_a_try_that_kills_the_sweeping_worker_is_still_counted(attempt, broken_receipts):
    left_received(event_for("checkout.session.completed.json", attempt), attempts=1)
    broken_receipts(Killed)
    with pytest.raises(Killed):
        stripe_events_sweep()
    row = StripeEvent.objects.get()
    assert (row.status, row.attempts) == ("received", 2)  # so a poison event is given up in the end


def test_one_event_that_raises_does_not_stop_the_sweep_from_applying_the_others(attempt, other_online, monkeypatch):
    def broken(session, row):
        raise RuntimeError("a bug in one handler")

    monkeypatch.setitem(HANDLERS, "checkout.session.expired", broken)
    expired = event_for("checkout.session.completed.json", attempt) | {"type": "checkout.session.expired"}
    left_received(expired, minutes_ago=6)
    left_received(event_for("checkout.session.completed.json", other_online), minutes_ago=4)
    assert stripe_events_sweep() == 1
    assert status_of(other_online) == Status.SUCCEEDED
    row = StripeEvent.objects.get(type="checkout.session.expired")
    assert (row.status, row.attempts) == ("received", 2)
    assert "a bug in one handler" in row.error


def test_the_sweep_runs_every_two_minutes_as_a_celery_beat_task(attempt):
    entry = settings.CELERY_BEAT_SCHEDULE["billing-sweep-stripe-events"]
    assert entry["task"] == "billing.tasks.sweep_stripe_events"
    assert entry["schedule"].minute == set(range(0, 60, 2))
    left_received(event_for("checkout.session.completed.json", attempt))
    assert sweep_stripe_events.delay().get() == 1
    assert payment_entries(attempt).count() == 1


@pytest.fixture
def other_online(attempt):
    """A second checkout of the same resident, for 100.00."""
    op = OnlinePayment.objects.create(
        organization_id=attempt.organization_id,
        resident_id=attempt.resident_id,
        stay_id=attempt.stay_id,
        house_id=attempt.house_id,
        amount=Decimal("100.00"),
        currency="usd",
        checkout_session_id=f"cs_test_other_{attempt.pk}",
    )
    return op


# A payment Hearth does not know yet, looked up at Stripe


def held_payment(stand_in, op, *, account: str = "") -> None:
    """Stripe's charge and PaymentIntent of ``op`` (metadata as the checkout set it), on ``account``."""
    cents = int(op.amount * 100)
    stripe_holds(stand_in, stripe_object("charge", payment_intent=PI, amount=cents, paid=True), account=account)
    intent = stripe_object(
        "payment_intent",
        metadata=checkout_metadata(op),
        amount=cents,
        amount_received=cents,
        status="succeeded",
        latest_charge=CHARGE,
    )
    stripe_holds(stand_in, intent, account=account)


def test_a_dispute_of_a_payment_hearth_does_not_know_yet_is_looked_up_at_stripe_and_applied(
    deliver, attempt, stripe_stand_in
):
    held_payment(stripe_stand_in, attempt)
    response = deliver(event_for("charge.dispute.created.json", attempt))
    assert response.status_code == 200
    assert stripe_stand_in.paths() == [f"/v1/charges/{CHARGE}", f"/v1/payment_intents/{PI}"]
    assert all(request["method"] == "GET" for request in stripe_stand_in.requests)
    assert status_of(attempt) == Status.DISPUTED
    assert attempt.payment_intent_id == PI
    assert payment_entries(attempt).count() == 1  # a dispute proves the payment was made: credited first
    row = StripeEvent.objects.get()
    assert (row.status, row.online_payment) == ("handled", attempt)


def test_a_dispute_of_a_payment_hearth_knows_asks_stripe_nothing(deliver, attempt, stripe_stand_in):
    deliver(event_for("checkout.session.completed.json", attempt))
    deliver(event_for("charge.dispute.created.json", attempt))
    assert stripe_stand_in.requests == []
    assert status_of(attempt) == Status.DISPUTED


def test_a_dispute_stripe_knows_nothing_of_ours_about_is_ignored(deliver, attempt, stripe_stand_in):
    deliver(event_for("charge.dispute.created.json", attempt))
    row = StripeEvent.objects.get()
    assert row.status == "ignored"
    assert "named none either" in row.error
    assert status_of(attempt) == Status.CREATED


def test_a_redelivered_dispute_is_not_looked_up_again(deliver, attempt, stripe_stand_in):
    held_payment(stripe_stand_in, attempt)
    event = event_for("charge.dispute.created.json", attempt)
    deliver(event)
    deliver(event)
    assert len(stripe_stand_in.requests) == 2
    assert payment_entries(attempt).count() == 1


def test_a_refund_of_an_unknown_payment_on_a_connected_account_is_looked_up_on_that_account(
    deliver, attempt, stripe_stand_in, settings
):
    from billing.models import StripeAccount

    settings.STRIPE_CONNECT = True
    StripeAccount.objects.create(organization_id=attempt.organization_id, account_id="acct_1Home", charges_enabled=True)
    held_payment(stripe_stand_in, attempt, account="acct_1Home")
    event = event_for("charge.refunded.json", attempt) | {"account": "acct_1Home"}
    deliver(event)
    assert stripe_stand_in.paths() == [f"/v1/payment_intents/{PI}"]  # the event's object is the charge itself
    assert stripe_stand_in.requests[0]["headers"]["Stripe-Account"] == "acct_1Home"
    assert status_of(attempt) == Status.REFUNDED
    assert LedgerEntry.objects.filter(resident_id=attempt.resident_id, kind=EntryKind.REFUND).count() == 1


def test_a_payment_stripe_holds_only_on_another_account_is_not_found(deliver, attempt, stripe_stand_in):
    held_payment(stripe_stand_in, attempt, account="acct_1Elsewhere")
    deliver(event_for("charge.dispute.created.json", attempt))
    assert StripeEvent.objects.get().status == "ignored"
    assert status_of(attempt) == Status.CREATED


def test_when_stripe_cannot_be_asked_the_event_is_kept_and_the_sweep_applies_it_later(
    deliver, attempt, stripe_stand_in
):
    stripe_stand_in.errors[f"/v1/charges/{CHARGE}"] = (
        400,
        {"error": {"type": "invalid_request_error", "message": "Try again later."}},
    )
    response = deliver(event_for("charge.dispute.created.json", attempt))
    assert response.status_code == 500
    row = StripeEvent.objects.get()
    assert (row.status, row.attempts) == ("received", 1)
    assert "StripeLookupFailed" in row.error
    del stripe_stand_in.errors[f"/v1/charges/{CHARGE}"]
    held_payment(stripe_stand_in, attempt)
    with later():
        assert stripe_events_sweep() == 1
    assert status_of(attempt) == Status.DISPUTED
    assert payment_entries(attempt).count() == 1
