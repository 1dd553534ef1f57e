"""Stripe webhook events: verified, stored once, then applied to the online payment they concern.

Each event is inserted under its Stripe id (the primary key) before anything else is done. A second delivery, or
two at the same moment, hits the unique key and does nothing; checking first and inserting after would let two
concurrent deliveries through. An event whose handling failed (or stopped midway) is taken up again, with a
conditional update that only one delivery can win, when Stripe retries it.

Events handled: ``checkout.session.completed`` / ``async_payment_succeeded`` / ``async_payment_failed`` /
``expired``, ``payment_intent.succeeded`` / ``processing`` / ``payment_failed``, ``charge.refunded``,
``charge.dispute.created`` / ``closed``. Any other type is stored as ignored.
"""

import json
import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

import stripe
from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from accounts.exceptions import DomainError

from ..models import OnlinePayment, StripeEvent
from . import online_payments as transitions
from .stripe_setup import OnlinePaymentNotSetUp, from_minor, to_minor

logger = logging.getLogger("billing.stripe")

# A delivery still marked "received" after this long was cut off midway (the process died); Stripe's retry redoes it.
STALE_AFTER = timedelta(minutes=10)


class StripeEventProblem(Exception):
    """The event cannot be applied, and retrying it will not help. It is stored as failed with this message."""


@dataclass
class Outcome:
    status: str
    note: str = ""
    online_payment: OnlinePayment | None = None


def stripe_event_verify(*, payload: bytes, signature: str | None) -> dict:
    """The event in ``payload`` if Stripe signed it with our webhook secret; a 400 ``DomainError`` otherwise."""
    secret = settings.STRIPE_WEBHOOK_SECRET
    if not secret:
        raise OnlinePaymentNotSetUp()
    if not signature:
        raise DomainError("The Stripe-Signature header is missing.")
    try:
        stripe.Webhook.construct_event(payload, signature, secret)
    except stripe.SignatureVerificationError:
        raise DomainError("The Stripe signature does not match this body.") from None
    except ValueError:
        raise DomainError("The body is not a Stripe event.") from None
    event = json.loads(payload)
    if not (
        isinstance(event, dict)
        and isinstance(event.get("id"), str)
        and 0 < len(event["id"]) <= 255
        and isinstance(event.get("type"), str)
        and isinstance((event.get("data") or {}).get("object"), dict)
    ):
        raise DomainError("The body is not a Stripe event.")
    return event


def _aware(timestamp) -> datetime | None:
    return datetime.fromtimestamp(timestamp, tz=UTC) if isinstance(timestamp, int) else None


def _store(event: dict) -> tuple[StripeEvent, bool]:
    """Inserts the event first. Returns the row and whether this delivery is the one to handle it."""
    try:
        with transaction.atomic():
            row = StripeEvent.objects.create(
                id=event["id"],
                type=event["type"][:100],
                livemode=bool(event.get("livemode")),
                api_version=str(event.get("api_version") or "")[:40],
                created=_aware(event.get("created")),
                payload=event,
            )
            return row, True
    except IntegrityError:
        pass
    now = timezone.now()
    retry = Q(status=StripeEvent.Status.FAILED) | Q(
        status=StripeEvent.Status.RECEIVED, received_at__lt=now - STALE_AFTER
    )
    claimed = StripeEvent.objects.filter(retry, pk=event["id"]).update(
        status=StripeEvent.Status.RECEIVED, received_at=now, error=""
    )
    return StripeEvent.objects.get(pk=event["id"]), claimed == 1


def _finish(row: StripeEvent, outcome: Outcome) -> None:
    row.status = outcome.status
    row.error = outcome.note
    row.processed_at = timezone.now()
    if outcome.online_payment is not None:
        row.online_payment = outcome.online_payment
        row.organization_id = outcome.online_payment.organization_id
    row.save(update_fields=["status", "error", "processed_at", "online_payment", "organization"])


def stripe_event_receive(*, event: dict) -> tuple[StripeEvent, bool]:
    """Stores a verified event once and applies it. Returns the row and whether this delivery handled it (False:
    a duplicate, which changes nothing). An unexpected error is stored on the row and raised, so the webhook answers
    500 and Stripe retries; a problem retrying cannot fix is stored as failed and not raised."""
    row, mine = _store(event)
    if not mine:
        return row, False
    handler = HANDLERS.get(row.type)
    if handler is None:
        _finish(row, Outcome(StripeEvent.Status.IGNORED, "Hearth does not act on this event type."))
        return row, True
    try:
        with transaction.atomic():
            _finish(row, handler(row.payload["data"]["object"], row))
    except (StripeEventProblem, transitions.OnlinePaymentMismatch) as problem:
        _finish(row, Outcome(StripeEvent.Status.FAILED, str(problem)))
    except Exception as error:
        logger.exception("Stripe event %s (%s) failed", row.id, row.type)
        _finish(row, Outcome(StripeEvent.Status.FAILED, f"{type(error).__name__}: {error}"[:2000]))
        raise
    return row, True


# Finding the local payment: first the metadata the checkout put on the session and its payment intent (checked
# against the organization it names), then the ids Stripe reported earlier.


def _by_metadata(obj: dict) -> OnlinePayment | None:
    metadata = obj.get("metadata") or {}
    pk, organization = str(metadata.get("online_payment_id", "")), str(metadata.get("organization_id", ""))
    if not (pk.isdigit() and organization.isdigit()) or len(pk) > 18 or len(organization) > 18:
        return None
    return OnlinePayment.objects.filter(pk=int(pk), organization_id=int(organization)).first()


def _by_id(**lookup) -> OnlinePayment | None:
    value = next(iter(lookup.values()))
    if not isinstance(value, str) or not value:
        return None
    return OnlinePayment.objects.filter(**lookup).first()


def _payment_intent_of(obj: dict) -> str | None:
    value = obj.get("payment_intent")
    if isinstance(value, dict):  # expanded
        value = value.get("id")
    return value if isinstance(value, str) and value else None


def _find_for_session(session: dict) -> OnlinePayment | None:
    return (
        _by_metadata(session)
        or _by_id(checkout_session_id=session.get("id"))
        or _by_id(payment_intent_id=_payment_intent_of(session))
    )


def _find_for_intent(intent: dict) -> OnlinePayment | None:
    return _by_metadata(intent) or _by_id(payment_intent_id=intent.get("id"))


def _find_for_charge(charge: dict, *, charge_id: str | None) -> OnlinePayment | None:
    return _by_metadata(charge) or _by_id(payment_intent_id=_payment_intent_of(charge)) or _by_id(charge_id=charge_id)


def _no_match() -> Outcome:
    return Outcome(StripeEvent.Status.IGNORED, "No online payment of Hearth matches this event.")


def _check_currency(obj: dict, op: OnlinePayment) -> None:
    currency = str(obj.get("currency") or "").lower()
    if currency and currency != op.currency:
        raise StripeEventProblem(f"The event is in {currency}, online payment {op.pk} in {op.currency}.")


def _check_amount(minor, op: OnlinePayment) -> None:
    if minor is not None and minor != to_minor(op.amount, op.currency):
        raise StripeEventProblem(
            f"Stripe reports {minor} (minor units), online payment {op.pk} is for {op.amount} {op.currency}."
        )


def _on(row: StripeEvent, op: OnlinePayment) -> date:
    """The organization's date of the moment the event happened, kept between the checkout's start and today."""
    organization = op.organization
    today = organization.today()
    started = min(timezone.localdate(op.created_at, timezone=organization.tzinfo), today)
    happened = timezone.localdate(row.created, timezone=organization.tzinfo) if row.created else today
    return min(max(happened, started), today)


def _done(op: OnlinePayment, changed: bool) -> Outcome:
    op.refresh_from_db(fields=["status"])
    note = "" if changed else f"Nothing to change: the payment is already {op.get_status_display().lower()}."
    return Outcome(StripeEvent.Status.HANDLED, note, op)


def _checkout_session(session: dict, row: StripeEvent) -> Outcome:
    op = _find_for_session(session)
    if op is None:
        return _no_match()
    _check_currency(session, op)
    intent = _payment_intent_of(session)
    kind = row.type.removeprefix("checkout.session.")
    if kind == "expired":
        return _done(op, transitions.online_payment_expire(online_payment_id=op.pk))
    if kind == "async_payment_failed":
        changed = transitions.online_payment_fail(
            online_payment_id=op.pk,
            message="The bank debit did not go through.",
            checkout_closed=True,
            payment_intent_id=intent,
            method_type=transitions.BANK_DEBIT,
        )
        return _done(op, changed)
    paid = session.get("payment_status") in ("paid", "no_payment_required")
    if kind == "completed" and not paid:
        # Completed but unpaid: a delayed method (a US bank debit) was submitted and settles in a few days.
        changed = transitions.online_payment_pending(online_payment_id=op.pk, on=_on(row, op), payment_intent_id=intent)
        return _done(op, changed)
    if not paid:
        raise StripeEventProblem(f"{row.type} with payment status {session.get('payment_status')!r}.")
    if intent is None:
        raise StripeEventProblem("A paid checkout session without a payment intent.")
    _check_amount(session.get("amount_total"), op)
    changed = transitions.online_payment_succeed(
        online_payment_id=op.pk,
        on=_on(row, op),
        payment_intent_id=intent,
        # Of the methods offered, only a card is paid the moment the checkout completes.
        method_type=transitions.BANK_DEBIT if kind == "async_payment_succeeded" else "card",
        method_is_certain=kind == "async_payment_succeeded",
    )
    return _done(op, changed)


def _payment_intent(intent: dict, row: StripeEvent) -> Outcome:
    op = _find_for_intent(intent)
    if op is None:
        return _no_match()
    _check_currency(intent, op)
    kind = row.type.removeprefix("payment_intent.")
    types = intent.get("payment_method_types") or []
    method = types[0] if len(types) == 1 and isinstance(types[0], str) else None
    if kind == "processing":
        changed = transitions.online_payment_pending(
            online_payment_id=op.pk, on=_on(row, op), payment_intent_id=intent["id"]
        )
        return _done(op, changed)
    if kind == "payment_failed":
        error = intent.get("last_payment_error") or {}
        message = error.get("message") or error.get("decline_code") or error.get("code") or "The payment failed."
        changed = transitions.online_payment_fail(
            online_payment_id=op.pk, message=str(message), checkout_closed=False, payment_intent_id=intent["id"]
        )
        return _done(op, changed)
    _check_amount(intent.get("amount_received"), op)
    latest_charge = intent.get("latest_charge")
    changed = transitions.online_payment_succeed(
        online_payment_id=op.pk,
        on=_on(row, op),
        payment_intent_id=intent["id"],
        method_type=method,
        charge_id=latest_charge if isinstance(latest_charge, str) else None,
    )
    return _done(op, changed)


def _charge_refunded(charge: dict, row: StripeEvent) -> Outcome:
    op = _find_for_charge(charge, charge_id=charge.get("id"))
    if op is None:
        return _no_match()
    _check_currency(charge, op)
    _check_amount(charge.get("amount"), op)
    refunded = charge.get("amount_refunded")
    if not isinstance(refunded, int) or refunded < 0:
        raise StripeEventProblem("A refunded charge without amount_refunded.")
    changed = transitions.online_payment_refund(
        online_payment_id=op.pk,
        on=_on(row, op),
        refunded_total=from_minor(refunded, op.currency),
        payment_intent_id=_payment_intent_of(charge) or op.payment_intent_id,
        charge_id=charge.get("id"),
    )
    return _done(op, changed)


def _dispute(dispute: dict, row: StripeEvent) -> Outcome:
    charge = dispute.get("charge")
    op = _find_for_charge(dispute, charge_id=charge.get("id") if isinstance(charge, dict) else charge)
    if op is None:
        return _no_match()
    _check_currency(dispute, op)
    intent = _payment_intent_of(dispute) or op.payment_intent_id
    if row.type == "charge.dispute.created":
        changed = transitions.online_payment_dispute_open(
            online_payment_id=op.pk, on=_on(row, op), dispute_id=str(dispute.get("id")), payment_intent_id=intent
        )
        return _done(op, changed)
    status = dispute.get("status")
    if status not in ("won", "lost", "warning_closed"):
        return Outcome(StripeEvent.Status.IGNORED, f"A dispute closed with status {status!r}: nothing to do.", op)
    amount = dispute.get("amount")
    if not isinstance(amount, int):
        raise StripeEventProblem("A closed dispute without an amount.")
    changed = transitions.online_payment_dispute_close(
        online_payment_id=op.pk,
        on=_on(row, op),
        dispute_id=str(dispute.get("id")),
        lost=status == "lost",
        amount=from_minor(amount, op.currency),
        payment_intent_id=intent,
    )
    return _done(op, changed)


HANDLERS: dict[str, Callable[[dict, StripeEvent], Outcome]] = {
    "checkout.session.completed": _checkout_session,
    "checkout.session.async_payment_succeeded": _checkout_session,
    "checkout.session.async_payment_failed": _checkout_session,
    "checkout.session.expired": _checkout_session,
    "payment_intent.succeeded": _payment_intent,
    "payment_intent.processing": _payment_intent,
    "payment_intent.payment_failed": _payment_intent,
    "charge.refunded": _charge_refunded,
    "charge.dispute.created": _dispute,
    "charge.dispute.closed": _dispute,
}
