"""Stripe's webhook: verified, stored once, and applied so the ledger gets exactly one credit per payment, whatever
the order or number of deliveries. Payloads are Stripe's own (see fixtures/stripe/SOURCE.md beside this file)."""

import json
from decimal import Decimal

import stripe

from billing.models import EntryKind, LedgerEntry, OnlinePayment, Payment, StripeEvent
from billing.selectors.balances import balance_of, pending_of

from .conftest import CHARGE, PI, WEBHOOK, WEBHOOK_SECRET, event_for, fixture, sign

Status = OnlinePayment.Status


def payment_entries(op):
    return LedgerEntry.objects.filter(resident_id=op.resident_id, kind=EntryKind.PAYMENT)


def refund_entries(op):
    return LedgerEntry.objects.filter(resident_id=op.resident_id, kind=EntryKind.REFUND)


def status_of(op) -> str:
    op.refresh_from_db()
    return op.status


# Signatures


def test_a_bad_signature_is_refused_and_nothing_is_written(deliver, attempt):
    event = event_for("checkout.session.completed.json", attempt)
    response = deliver(event, signature=sign(json.dumps(event), secret="whsec_someone_else"))
    assert response.status_code == 400
    assert "signature" in response.json()["detail"]
    assert StripeEvent.objects.count() == 0
    assert status_of(attempt) == Status.CREATED
    assert not payment_entries(attempt).exists()


def test_a_missing_signature_is_refused_and_nothing_is_written(deliver, attempt):
    response = deliver(event_for("checkout.session.completed.json", attempt), signature=None)
    assert response.status_code == 400
    assert "Stripe-Signature" in response.json()["detail"]
    assert StripeEvent.objects.count() == 0
    assert not payment_entries(attempt).exists()


def test_a_body_changed_after_signing_is_refused(deliver, attempt):
    event = event_for("checkout.session.completed.json", attempt)
    signature = sign(json.dumps(event))
    event["data"]["object"]["amount_total"] = 1
    assert deliver(event, signature=signature).status_code == 400
    assert StripeEvent.objects.count() == 0


def test_an_old_signature_is_refused_as_a_replay(deliver, attempt):
    event = event_for("checkout.session.completed.json", attempt)
    old = sign(json.dumps(event), timestamp=1_600_000_000)
    assert deliver(event, signature=old).status_code == 400
    assert StripeEvent.objects.count() == 0


def test_our_signatures_are_the_ones_stripes_library_makes(attempt):
    body = json.dumps(event_for("checkout.session.completed.json", attempt))
    header = stripe.WebhookSignature.generate_signature_header(body, WEBHOOK_SECRET, timestamp=1_700_000_000)
    assert header == sign(body, timestamp=1_700_000_000)


def test_a_signed_body_that_is_not_an_event_is_refused(db, deliver, stripe_settings):
    assert deliver(None, body='{"hello": "world"}').status_code == 400
    assert StripeEvent.objects.count() == 0


def test_the_webhook_answers_only_post(client, stripe_settings):
    assert client.get(WEBHOOK).status_code == 405


def test_without_a_webhook_secret_the_webhook_says_online_payment_is_not_set_up(deliver, attempt, settings):
    settings.STRIPE_WEBHOOK_SECRET = ""
    response = deliver(event_for("checkout.session.completed.json", attempt))
    assert response.status_code == 503
    assert StripeEvent.objects.count() == 0


def test_the_webhook_needs_no_session_and_no_csrf_token(stripe_settings, attempt):
    from django.test import Client

    event = event_for("checkout.session.completed.json", attempt)
    body = json.dumps(event)
    strict = Client(enforce_csrf_checks=True)
    response = strict.generic("POST", WEBHOOK, body, content_type="application/json", HTTP_STRIPE_SIGNATURE=sign(body))
    assert response.status_code == 200


# Storing each event once


def test_an_event_is_stored_with_its_type_payload_and_status(deliver, attempt):
    event = event_for("checkout.session.completed.json", attempt)
    assert deliver(event).status_code == 200
    row = StripeEvent.objects.get()
    assert (row.id, row.type, row.status) == (event["id"], "checkout.session.completed", "handled")
    assert row.payload == event
    assert row.processed_at is not None
    assert row.online_payment == attempt
    assert row.organization_id == attempt.organization_id


def test_a_duplicate_delivery_answers_200_and_does_nothing(deliver, attempt):
    event = event_for("checkout.session.completed.json", attempt)
    first, second = deliver(event), deliver(event)
    assert (first.status_code, second.status_code) == (200, 200)
    assert (first.json()["duplicate"], second.json()["duplicate"]) == (False, True)
    assert StripeEvent.objects.count() == 1
    assert payment_entries(attempt).count() == 1
    assert Payment.objects.filter(resident_id=attempt.resident_id).count() == 1


def test_an_unknown_event_type_is_stored_as_ignored(db, deliver):
    event = fixture("captured/zulip.charge.succeeded.json")
    response = deliver(event)
    assert response.status_code == 200
    row = StripeEvent.objects.get()
    assert (row.type, row.status) == ("charge.succeeded", "ignored")
    assert "does not act" in row.error


def test_an_event_for_a_payment_hearth_does_not_know_is_stored_as_ignored(deliver, attempt):
    event = event_for("checkout.session.completed.json")  # Stripe's sample: no metadata, unknown session
    assert deliver(event).status_code == 200
    row = StripeEvent.objects.get()
    assert row.status == "ignored"
    assert "No online payment" in row.error
    assert not payment_entries(attempt).exists()


def test_metadata_naming_another_organization_matches_nothing(deliver, attempt, other_organization):
    event = event_for("checkout.session.completed.json", attempt, id="cs_test_elsewhere")
    event["data"]["object"]["metadata"]["organization_id"] = str(other_organization.pk)
    deliver(event)
    assert StripeEvent.objects.get().status == "ignored"
    assert status_of(attempt) == Status.CREATED


# Card: paid at once


def test_a_paid_checkout_credits_the_ledger_once_with_a_receipt(deliver, attempt, owing):
    deliver(event_for("checkout.session.completed.json", attempt))
    assert status_of(attempt) == Status.SUCCEEDED
    entry = payment_entries(attempt).get()
    assert (entry.amount, entry.idempotency_key) == (Decimal("-500.00"), f"stripe:payment:{PI}")
    payment = attempt.payment
    assert (payment.method, payment.status, payment.amount) == ("card", "completed", Decimal("500.00"))
    assert (payment.entry, payment.reference, payment.receipt_number) == (entry, PI, 1)
    assert attempt.payment_intent_id == PI
    assert balance_of(owing.pk) == Decimal("400.00")
    assert pending_of(owing.pk) == Decimal("0.00")


def test_payment_intent_succeeded_before_checkout_completed_still_credits_once(deliver, attempt):
    deliver(event_for("payment_intent.succeeded.json", attempt))
    assert status_of(attempt) == Status.SUCCEEDED
    deliver(event_for("checkout.session.completed.json", attempt))
    assert payment_entries(attempt).count() == 1
    assert attempt.charge_id == CHARGE
    assert StripeEvent.objects.filter(status="handled").count() == 2
    late = StripeEvent.objects.get(type="checkout.session.completed")
    assert "already paid" in late.error


def test_every_success_event_in_every_order_credits_once(deliver, attempt):
    for name in [
        "checkout.session.completed.json",
        "payment_intent.succeeded.json",
        "checkout.session.completed.json",
        "payment_intent.succeeded.json",
    ]:
        deliver(event_for(name, attempt, event_id=f"evt_{name}_{StripeEvent.objects.count()}"))
    assert payment_entries(attempt).count() == 1
    assert Payment.objects.filter(resident_id=attempt.resident_id).count() == 1


def test_a_declined_card_on_the_checkout_page_is_noted_but_the_resident_may_try_again(deliver, attempt):
    declined = event_for(
        "payment_intent.payment_failed.json",
        attempt,
        last_payment_error={
            "type": "card_error",
            "code": "card_declined",
            "decline_code": "insufficient_funds",
            "message": "Your card has insufficient funds.",
        },
    )
    deliver(declined)
    assert status_of(attempt) == Status.CREATED
    assert attempt.failure_message == "Your card has insufficient funds."
    deliver(event_for("payment_intent.succeeded.json", attempt))
    assert status_of(attempt) == Status.SUCCEEDED
    assert attempt.failure_message == ""
    assert payment_entries(attempt).count() == 1


def test_a_failure_reported_after_the_money_arrived_changes_nothing(deliver, attempt):
    deliver(event_for("checkout.session.completed.json", attempt))
    deliver(event_for("payment_intent.payment_failed.json", attempt))
    assert status_of(attempt) == Status.SUCCEEDED
    assert payment_entries(attempt).count() == 1


def test_an_amount_that_differs_from_the_checkout_is_not_credited(deliver, attempt):
    deliver(event_for("checkout.session.completed.json", attempt, amount_total=1099))
    row = StripeEvent.objects.get()
    assert row.status == "failed"
    assert "1099" in row.error
    assert status_of(attempt) == Status.CREATED
    assert not payment_entries(attempt).exists()


def test_another_currency_is_not_credited(deliver, attempt):
    response = deliver(event_for("checkout.session.completed.json", attempt, currency="eur"))
    assert response.status_code == 200  # retrying cannot fix it: stored as failed for support
    assert StripeEvent.objects.get().status == "failed"
    assert not payment_entries(attempt).exists()


def test_an_expired_checkout_is_marked_not_completed(deliver, attempt):
    deliver(
        event_for("checkout.session.completed.json", attempt, status="expired", payment_status="unpaid")
        | {"type": "checkout.session.expired"}
    )
    assert status_of(attempt) == Status.EXPIRED
    assert not Payment.objects.filter(resident_id=attempt.resident_id).exists()


# Bank debit (ACH): pending, then settled or failed


def test_a_bank_debit_shows_as_pending_and_is_not_yet_a_credit(deliver, attempt, owing):
    deliver(event_for("checkout.session.completed.unpaid_ach.json", attempt))
    assert status_of(attempt) == Status.PENDING
    assert attempt.payment_method_type == "us_bank_account"
    assert attempt.payment.status == "pending"
    assert attempt.payment.method == "bank_debit"
    assert not payment_entries(attempt).exists()
    assert balance_of(owing.pk) == Decimal("900.00")
    assert pending_of(owing.pk) == Decimal("500.00")


def test_a_pending_bank_debit_shows_in_the_balance_endpoint(deliver, attempt, api, resident_member):
    deliver(event_for("checkout.session.completed.unpaid_ach.json", attempt))
    body = api(resident_member).get("/api/v1/billing/balance/").json()
    assert body == {"balance": "900.00", "pending": "500.00", "currency": "USD"}


def test_a_settled_bank_debit_credits_the_ledger_once(deliver, attempt, owing):
    deliver(event_for("checkout.session.completed.unpaid_ach.json", attempt))
    deliver(event_for("payment_intent.processing.json", attempt))
    deliver(event_for("checkout.session.async_payment_succeeded.json", attempt))
    deliver(event_for("payment_intent.succeeded.json", attempt, payment_method_types=["us_bank_account"]))
    assert status_of(attempt) == Status.SUCCEEDED
    assert payment_entries(attempt).count() == 1
    assert Payment.objects.filter(resident_id=owing.pk).count() == 1
    payment = Payment.objects.get(resident_id=owing.pk)
    assert (payment.method, payment.status, payment.receipt_number) == ("bank_debit", "completed", 1)
    assert balance_of(owing.pk) == Decimal("400.00")
    assert pending_of(owing.pk) == Decimal("0.00")


def test_a_late_processing_event_does_not_make_a_settled_debit_pending_again(deliver, attempt):
    deliver(event_for("checkout.session.async_payment_succeeded.json", attempt))
    deliver(event_for("payment_intent.processing.json", attempt))
    deliver(event_for("checkout.session.completed.unpaid_ach.json", attempt))
    assert status_of(attempt) == Status.SUCCEEDED
    assert attempt.payment.status == "completed"
    assert payment_entries(attempt).count() == 1


def test_a_failed_bank_debit_gives_no_credit(deliver, attempt, owing):
    deliver(event_for("checkout.session.completed.unpaid_ach.json", attempt))
    deliver(event_for("checkout.session.async_payment_failed.json", attempt))
    assert status_of(attempt) == Status.FAILED
    assert attempt.payment.status == "failed"
    assert not payment_entries(attempt).exists()
    assert balance_of(owing.pk) == Decimal("900.00")
    assert pending_of(owing.pk) == Decimal("0.00")


def test_a_bank_debit_that_bounces_after_processing_fails(deliver, attempt):
    deliver(event_for("payment_intent.processing.json", attempt))
    deliver(
        event_for(
            "payment_intent.payment_failed.json",
            attempt,
            payment_method_types=["us_bank_account"],
            last_payment_error={"type": "card_error", "code": "payment_method_not_available"},
        )
    )
    assert status_of(attempt) == Status.FAILED
    assert attempt.failure_message == "payment_method_not_available"
    assert not payment_entries(attempt).exists()


def test_an_async_failure_before_the_checkout_completed_event_stays_failed(deliver, attempt):
    deliver(event_for("checkout.session.async_payment_failed.json", attempt))
    deliver(event_for("checkout.session.completed.unpaid_ach.json", attempt))
    assert status_of(attempt) == Status.FAILED
    assert pending_of(attempt.resident_id) == Decimal("0.00")


# Refunds


def paid(deliver, op):
    deliver(event_for("checkout.session.completed.json", op))
    op.refresh_from_db()
    return op


def refund_event(op, cents: int, *, event_id: str):
    return event_for("charge.refunded.json", op, event_id=event_id, amount_refunded=cents, refunded=cents == 50000)


def test_a_partial_then_a_full_refund_post_two_refunds_that_sum_to_the_payment(deliver, attempt, owing):
    paid(deliver, attempt)
    deliver(refund_event(attempt, 20000, event_id="evt_refund_part"))
    assert status_of(attempt) == Status.PARTIALLY_REFUNDED
    assert attempt.amount_refunded == Decimal("200.00")
    deliver(refund_event(attempt, 50000, event_id="evt_refund_rest"))
    assert status_of(attempt) == Status.REFUNDED
    amounts = sorted(refund_entries(attempt).values_list("amount", flat=True))
    assert amounts == [Decimal("200.00"), Decimal("300.00")]
    assert sum(amounts) == attempt.amount
    assert balance_of(owing.pk) == Decimal("900.00")


def test_a_repeated_or_older_refund_event_posts_nothing_more(deliver, attempt):
    paid(deliver, attempt)
    deliver(refund_event(attempt, 50000, event_id="evt_refund_full"))
    deliver(refund_event(attempt, 20000, event_id="evt_refund_part_late"))
    deliver(refund_event(attempt, 50000, event_id="evt_refund_full_again"))
    assert list(refund_entries(attempt).values_list("amount", flat=True)) == [Decimal("500.00")]
    assert status_of(attempt) == Status.REFUNDED


def test_a_refund_of_the_fixture_charge_is_found_by_its_payment_intent(deliver, attempt):
    paid(deliver, attempt)
    deliver(event_for("charge.refunded.json", attempt))  # Stripe's full refund, no metadata on the charge
    assert status_of(attempt) == Status.REFUNDED
    assert refund_entries(attempt).get().idempotency_key == f"stripe:refund:{PI}:500.00"


def test_a_refund_larger_than_the_payment_is_not_posted(deliver, attempt):
    paid(deliver, attempt)
    deliver(refund_event(attempt, 60000, event_id="evt_refund_too_much"))
    assert StripeEvent.objects.get(pk="evt_refund_too_much").status == "failed"
    assert not refund_entries(attempt).exists()


# Disputes


def dispute_closed(op, status: str):
    event = event_for("charge.dispute.created.json", op, event_id=f"evt_dispute_{status}", status=status)
    event["type"] = "charge.dispute.closed"
    return event


def test_a_dispute_marks_the_payment_disputed_and_moves_no_money(deliver, attempt, owing):
    paid(deliver, attempt)
    deliver(event_for("charge.dispute.created.json", attempt))
    assert status_of(attempt) == Status.DISPUTED
    assert attempt.dispute_id == "dp_1Pgc71B7WZ01zgkWMevJiAUx"
    assert balance_of(owing.pk) == Decimal("400.00")


def test_a_lost_dispute_posts_an_entry_taking_the_money_back_once(deliver, attempt, owing):
    paid(deliver, attempt)
    deliver(event_for("charge.dispute.created.json", attempt))
    deliver(dispute_closed(attempt, "lost"))
    deliver(dispute_closed(attempt, "lost") | {"id": "evt_dispute_lost_again"})
    assert status_of(attempt) == Status.DISPUTE_LOST
    entry = refund_entries(attempt).get()
    assert entry.amount == Decimal("500.00")
    assert "Dispute lost" in entry.memo
    assert balance_of(owing.pk) == Decimal("900.00")


def test_a_won_dispute_leaves_the_payment_standing(deliver, attempt, owing):
    paid(deliver, attempt)
    deliver(event_for("charge.dispute.created.json", attempt))
    deliver(dispute_closed(attempt, "won"))
    assert status_of(attempt) == Status.DISPUTE_WON
    assert not refund_entries(attempt).exists()
    assert balance_of(owing.pk) == Decimal("400.00")


def test_the_real_captured_chargeback_is_found_by_its_charge(deliver, attempt):
    paid(deliver, attempt)
    attempt.charge_id = "ch_3TbG44JEe0yY0QKr0aPnlMSQ"
    attempt.save(update_fields=["charge_id"])
    event = fixture("captured/zulip.charge.dispute.created.json")
    event["data"]["object"]["payment_intent"] = None  # found by the charge id alone
    deliver(event)
    assert status_of(attempt) == Status.DISPUTED
    assert attempt.dispute_id == "du_1TbG46JEe0yY0QKr8P0G3pa3"


def test_a_refund_or_dispute_before_any_success_event_credits_the_payment_first(deliver, attempt, owing):
    attempt.payment_intent_id = PI  # learnt from the checkout session the resident returned with
    attempt.save(update_fields=["payment_intent_id"])
    deliver(dispute_closed(attempt, "lost"))
    deliver(event_for("checkout.session.completed.json", attempt))
    assert payment_entries(attempt).count() == 1
    assert refund_entries(attempt).count() == 1
    assert status_of(attempt) == Status.DISPUTE_LOST
    assert balance_of(owing.pk) == Decimal("900.00")


# Failures and retries


def test_an_unexpected_error_is_kept_for_a_retry_answered_500_and_handled_on_stripes_retry(
    deliver, attempt, monkeypatch
):
    from billing.services import online_payments

    real = online_payments.next_receipt_number

    def broken(organization):
        raise RuntimeError("database hiccup")

    monkeypatch.setattr(online_payments, "next_receipt_number", broken)
    event = event_for("checkout.session.completed.json", attempt)
    assert deliver(event).status_code == 500
    row = StripeEvent.objects.get()
    assert (row.status, row.attempts) == ("received", 1)  # kept for Stripe's retry or the sweep
    assert "database hiccup" in row.error
    assert not payment_entries(attempt).exists()  # the failed handling was rolled back whole
    monkeypatch.setattr(online_payments, "next_receipt_number", real)
    response = deliver(event)
    assert (response.status_code, response.json()["duplicate"]) == (200, False)
    row.refresh_from_db()
    assert (row.status, row.attempts, row.error) == ("handled", 2, "")
    assert payment_entries(attempt).count() == 1
