"""Stripe webhook events: verified, checked, stored once and applied to what they concern, durably.

Each event is inserted under its Stripe id (the primary key) and applied in the same transaction: a delivery that
dies midway (the process killed, the database gone) leaves nothing behind, and Stripe's retry does it all again. A
second delivery, or two at once, meets the unique key and waits on the row's lock: an event already handled or
ignored is answered as a duplicate and changes nothing; one not applied yet is applied by that delivery.

An event whose handling raised is kept (``received``, with the error, the try counted in ``attempts``) and answered
500. Stripe's retry or the sweep (``stripe_events_sweep``, every two minutes) takes it up again, whichever comes
first: each takes the row's lock and re-checks its status, so it is applied exactly once. After ``MAX_ATTEMPTS``
tries the sweep stores it as failed for support. A problem retrying cannot fix (another amount or currency) is stored
as failed at once; a redelivery of a failed event (Stripe's dashboard "resend") tries it again.

Before anything is applied: the event's ``livemode`` must be the secret key's mode; an event from a connected
account (``account``) must come from an organization's account and may change only that organization's payments;
an event without one is the platform's and may not change a payment charged on a connected account. Otherwise it is
stored as ignored with the reason. A dispute or refund of a payment Hearth does not know yet is looked up at Stripe
(its charge and PaymentIntent, ``stripe_lookup``) before the transaction opens, and ignored only if Stripe knows
nothing of ours either.

Events handled: see ``HANDLERS`` at the end. Any other type is stored as ignored.
"""

import json
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

import stripe
from celery import shared_task
from django.conf import settings
from django.db import IntegrityError, InterfaceError, OperationalError, transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.exceptions import DomainError

from ..models import OnlinePayment, StripeAccount, StripeEvent
from . import online_payments as transitions
from . import payment_alerts
from .stripe_connect import account_deauthorized_event, account_updated_event
from .stripe_lookup import CHARGE_OBJECTS, charge_id_of, id_of, stripe_payment_fetch
from .stripe_setup import OnlinePaymentNotSetUp, connect_enabled, from_minor, to_minor

logger = logging.getLogger("billing.stripe")

Status = StripeEvent.Status
DONE = frozenset({Status.HANDLED, Status.IGNORED})
# An event left received this long has no delivery working on it (a delivery takes well under a second).
SWEEP_AFTER = timedelta(minutes=1)
SWEEP_BATCH = 200
# Tries before the sweep gives up and leaves the event, failed, to support (about 20 minutes at one sweep every 2).
MAX_ATTEMPTS = 10


class StripeEventProblem(Exception):
    """The event cannot be applied, and retrying it will not help. It is stored as failed with this message."""


class StripeEventIgnored(Exception):
    """The event is not for Hearth, or not for the organization it concerns. Stored as ignored with this message;
    whatever the handler had changed is rolled back."""


@dataclass
class Outcome:
    status: str
    note: str = ""
    online_payment: OnlinePayment | None = None


def key_is_live() -> bool:
    """Whether Hearth runs with a live-mode key; any other key (or none) is test mode."""
    return settings.STRIPE_SECRET_KEY.startswith(("sk_live_", "rk_live_"))


def _webhook_secrets() -> list[str]:
    # A Connect endpoint (events from connected accounts) has its own signing secret at Stripe.
    return [s for s in (settings.STRIPE_WEBHOOK_SECRET, settings.STRIPE_CONNECT_WEBHOOK_SECRET) if s]


def stripe_event_verify(*, payload: bytes, signature: str | None) -> dict:
    """The event in ``payload`` if Stripe signed it with one of our webhook secrets; a 400 ``DomainError``
    otherwise."""
    if not settings.STRIPE_WEBHOOK_SECRET:
        raise OnlinePaymentNotSetUp()
    if not signature:
        raise DomainError(_("The Stripe-Signature header is missing."))
    for secret in _webhook_secrets():
        try:
            stripe.Webhook.construct_event(payload, signature, secret)
            break
        except stripe.SignatureVerificationError:
            continue
        except ValueError:
            raise DomainError(_("The body is not a Stripe event.")) from None
    else:
        raise DomainError(_("The Stripe signature does not match this body."))
    event = json.loads(payload)
    if not (
        isinstance(event, dict)
        and isinstance(event.get("id"), str)
        and 0 < len(event["id"]) <= 255
        and isinstance(event.get("type"), str)
        and isinstance((event.get("data") or {}).get("object"), dict)
        and isinstance(event.get("livemode", False), bool)
        and (event.get("account") is None or (isinstance(event["account"], str) and len(event["account"]) <= 255))
    ):
        raise DomainError(_("The body is not a Stripe event."))
    return event


def _aware(timestamp) -> datetime | None:
    return datetime.fromtimestamp(timestamp, tz=UTC) if isinstance(timestamp, int) else None


def _new_row(event: dict, **fields) -> StripeEvent:
    return StripeEvent.objects.create(
        id=event["id"],
        type=event["type"][:100],
        livemode=bool(event.get("livemode")),
        account=str(event.get("account") or "")[:255],
        api_version=str(event.get("api_version") or "")[:40],
        created=_aware(event.get("created")),
        payload=event,
        **fields,
    )


def _claim(event: dict, *, wait: bool) -> tuple[StripeEvent | None, bool]:
    """Inside the transaction: the event's row, locked, and whether it is this caller's to apply. A delivery
    (``wait``) inserts it, or waits for whoever holds it; the sweep passes over a row someone holds."""
    if wait:
        try:
            with transaction.atomic():
                return _new_row(event, attempts=1), True
        except IntegrityError:
            pass
    row = StripeEvent.objects.select_for_update(skip_locked=not wait).filter(pk=event["id"]).first()
    if row is None or row.status in DONE or (not wait and row.status != Status.RECEIVED):
        return row, False
    if wait:
        row.attempts += 1  # the sweep counted its try before taking the lock
    return row, True


def _record_try(event: dict, error: Exception, *, counted: bool) -> None:
    """After a try that raised (and was rolled back): the event is kept as received with the error, the try counted
    (unless the sweep ``counted`` it already), for Stripe's retry or the sweep to take up again."""
    note = f"{type(error).__name__}: {error}"[:2000]
    try:
        with transaction.atomic():
            _new_row(event, attempts=1, error=note)
            return
    except IntegrityError:
        pass
    StripeEvent.objects.filter(pk=event["id"]).exclude(status__in=DONE).update(
        status=Status.RECEIVED, error=note, attempts=F("attempts") + (0 if counted else 1)
    )


def _event_check(*, livemode: bool, account: str) -> tuple[str, int | None]:
    """Why an event must be ignored ("" if it need not), and the organization owning its connected account."""
    live = key_is_live()
    if livemode != live:
        mode, key = ("live", "test") if livemode else ("test", "live")
        return f"A {mode}-mode event, and Hearth runs with a {key}-mode key: it is not for this deployment.", None
    if not account:
        return "", None
    owner = StripeAccount.objects.filter(account_id=account).values_list("organization_id", flat=True).first()
    if owner is None:
        return f"The event comes from connected account {account}, which no organization of Hearth owns.", None
    return "", owner


def stripe_event_owner_check(
    row: StripeEvent, *, organization_id: int, account_id: str = "", since: datetime | None = None
) -> None:
    """Raises ``StripeEventIgnored`` unless the event ``row`` may change what belongs to ``organization_id`` and was
    charged on ``account_id`` (blank: the platform's account, or not recorded). ``since``: when that thing was
    created (a payment made on the platform before its organization connected its own account is the platform's).
    Every handler calls it on what it found, before changing anything."""
    if row.account:
        if organization_id != row.organization_id:
            raise StripeEventIgnored(
                f"The event comes from connected account {row.account}, which belongs to another organization than "
                "the payment it names."
            )
        if account_id and account_id != row.account:
            raise StripeEventIgnored(
                f"The event comes from connected account {row.account}; the payment was charged on {account_id}."
            )
        return
    if account_id:
        raise StripeEventIgnored(
            f"The event comes from the platform's account; the payment was charged on connected account {account_id}."
        )
    if connect_enabled():
        accounts = StripeAccount.objects.filter(organization_id=organization_id)
        if since is not None:
            accounts = accounts.filter(created_at__lte=since)
        if accounts.exists():
            raise StripeEventIgnored(
                "The event comes from the platform's account; the organization it names is paid into its own "
                "connected account."
            )


def _payment_owner_check(row: StripeEvent, op: OnlinePayment) -> None:
    stripe_event_owner_check(row, organization_id=op.organization_id, account_id=op.account_id, since=op.created_at)


def _outcome(row: StripeEvent) -> Outcome:
    note, owner = _event_check(livemode=row.livemode, account=row.account)
    if note:
        return Outcome(Status.IGNORED, note)
    row.organization_id = owner or row.organization_id
    handler = HANDLERS.get(row.type)
    if handler is None:
        return Outcome(Status.IGNORED, "Hearth does not act on this event type.")
    try:
        with transaction.atomic():  # a refused event leaves nothing half done
            outcome = handler(row.payload["data"]["object"], row)
            if outcome.online_payment is not None:
                # Whatever a handler found, it may not change another organization's payment.
                _payment_owner_check(row, outcome.online_payment)
            return outcome
    except StripeEventIgnored as reason:
        return Outcome(Status.IGNORED, str(reason))
    except (StripeEventProblem, transitions.OnlinePaymentMismatch) as problem:
        return Outcome(Status.FAILED, str(problem))


def _finish(row: StripeEvent, outcome: Outcome) -> None:
    row.status = outcome.status
    row.error = outcome.note
    row.processed_at = timezone.now()
    if outcome.online_payment is not None:
        row.online_payment = outcome.online_payment
        row.organization_id = outcome.online_payment.organization_id
    row.save(update_fields=["status", "error", "processed_at", "online_payment", "organization", "attempts"])


def _look_up(event: dict) -> dict[str, dict] | None:
    """Outside any transaction: what Stripe holds about the payment behind a charge, dispute or refund event that
    no local payment matches (None when Stripe need not be asked)."""
    obj = event["data"]["object"]
    if event["type"] == "checkout.session.completed" and obj.get("mode") == "setup":
        from .autopay import autopay_setup_look_up  # the payment method a resident saved for autopay

        return autopay_setup_look_up(session=obj, account=str(event.get("account") or ""))
    if event["type"] not in HANDLERS or obj.get("object") not in CHARGE_OBJECTS:
        return None
    account = str(event.get("account") or "")
    note, _owner = _event_check(livemode=bool(event.get("livemode")), account=account)
    if note or _find_for_charge(obj, charge_id=charge_id_of(obj)) is not None:
        return None
    return stripe_payment_fetch(obj=obj, account=account)


def _apply(event: dict, *, wait: bool) -> tuple[StripeEvent | None, bool]:
    """Looks up what the event needs from Stripe, then claims the event's row and applies it in one transaction.
    On an unexpected error the try is recorded on the row, then the error raised."""
    try:
        found = _look_up(event)
        with transaction.atomic():
            row, mine = _claim(event, wait=wait)
            if not mine:
                return row, False
            row.fetched = found  # read by the handlers' lookups; not stored
            _finish(row, _outcome(row))
            return row, True
    except Exception as error:
        logger.exception("Stripe event %s (%s) failed", event["id"], event["type"])
        _record_try(event, error, counted=not wait)
        raise


def stripe_event_receive(*, event: dict) -> tuple[StripeEvent, bool]:
    """Records a verified event and applies it, once. Returns the row and whether this delivery applied it (False:
    a duplicate of an event already handled or ignored, which changes nothing). An unexpected error (Stripe
    unreachable for a lookup included) is recorded on the row, which stays ``received`` for a retry, and raised, so
    the webhook answers 500. A problem retrying cannot fix is stored as failed and not raised."""
    known = StripeEvent.objects.filter(pk=event["id"]).first()
    if known is not None and known.status in DONE:
        return known, False
    row, mine = _apply(event, wait=True)
    return row, mine


# A payment Stripe was answered 200 for exists only in this task until the database records it, so the task never
# gives up: tries back off from 5 seconds to one every RECEIVE_RETRY_MAX seconds, each logged at ERROR once the
# database has been unreachable for RECEIVE_ALARM_AFTER (somebody must look).
RECEIVE_RETRY_MAX = 600
RECEIVE_ALARM_AFTER = 3600


@shared_task(bind=True, name="billing.tasks.receive_stripe_event", max_retries=None)
def receive_stripe_event(self, event: dict, first_failed_at: float | None = None) -> str:
    """A verified event the webhook could not record in time (the database was slow; Stripe was answered 200):
    recorded and applied here, once, like a delivery. While the database stays unreachable the task is tried again,
    for as long as it takes; an error in applying it is kept on the row for the sweep, as for a delivery."""
    try:
        row, _handled = stripe_event_receive(event=event)
    except (OperationalError, InterfaceError) as error:
        now = time.time()
        first_failed_at = first_failed_at or now
        retries = self.request.retries
        countdown = min(RECEIVE_RETRY_MAX, 5 * 2 ** min(retries, 16))
        if now - first_failed_at >= RECEIVE_ALARM_AFTER:
            logger.error(
                "Stripe event %s (%s) still not recorded after %d minutes (try %d): the database is unreachable "
                "(%s); trying again in %d seconds",
                event.get("id"), event.get("type"), (now - first_failed_at) // 60, retries + 1,
                type(error).__name__, countdown,
            )  # fmt: skip
        raise self.retry(
            args=(event,), kwargs={"first_failed_at": first_failed_at}, countdown=countdown, exc=error
        ) from error
    except Exception:  # recorded on the row by _apply; the sweep applies it later
        return Status.RECEIVED
    return row.status


def stripe_events_sweep(*, older_than: timedelta = SWEEP_AFTER, limit: int = SWEEP_BATCH) -> int:
    """Applies each event left ``received`` for longer than ``older_than`` (a delivery that raised, or died after
    recording it), exactly once even beside another sweep or a redelivery; after ``MAX_ATTEMPTS`` tries it is stored
    as failed for support. Returns how many events it applied.

    A try is counted, and its start noted in ``processed_at``, before the event is applied, in a transaction of its
    own: an event that kills the worker each time is still given up in the end, and another sweep leaves an event
    alone for ``older_than`` after a try began."""
    cutoff = timezone.now() - older_than
    due = Q(status=Status.RECEIVED, received_at__lt=cutoff) & (
        Q(processed_at__isnull=True) | Q(processed_at__lt=cutoff)
    )
    waiting = StripeEvent.objects.filter(due).order_by("received_at").values_list("pk", flat=True)[:limit]
    applied = 0
    for event_id in list(waiting):
        with transaction.atomic():
            row = StripeEvent.objects.select_for_update(skip_locked=True).filter(due, pk=event_id).first()
            if row is None:  # applied, or being tried, by someone else meanwhile
                continue
            row.processed_at = timezone.now()
            if row.attempts >= MAX_ATTEMPTS:
                row.status = Status.FAILED
                row.error = f"Given up after {row.attempts} tries. The last: {row.error}"[:2000]
                row.save(update_fields=["status", "processed_at", "error"])
                continue
            row.attempts += 1
            row.save(update_fields=["attempts", "processed_at"])
        try:
            _row, mine = _apply(row.payload, wait=False)
        except Exception:  # noqa: S112 - recorded on the row and logged by _apply; the next sweep tries again
            continue
        applied += mine
    return applied


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


def _find_for_charge(charge: dict, *, charge_id: str | None, row: StripeEvent | None = None) -> OnlinePayment | None:
    """The payment behind a charge, dispute or refund; with ``row``, also by what Stripe told about its charge and
    PaymentIntent when asked (``row.fetched``)."""
    found = _by_metadata(charge) or _by_id(payment_intent_id=_payment_intent_of(charge)) or _by_id(charge_id=charge_id)
    fetched = getattr(row, "fetched", None) or {}
    if found is None and fetched:
        intent, fetched_charge = fetched.get("payment_intent") or {}, fetched.get("charge") or {}
        found = (
            _by_metadata(intent)
            or _by_metadata(fetched_charge)
            or _by_id(payment_intent_id=id_of(intent.get("id")) or _payment_intent_of(fetched_charge))
        )
    return found


def _fetched_intent(row: StripeEvent) -> str | None:
    fetched = getattr(row, "fetched", None) or {}
    return id_of((fetched.get("payment_intent") or {}).get("id"))


def _no_match(row: StripeEvent | None = None) -> Outcome:
    asked = (
        " Stripe, asked about its charge and payment intent, named none either."
        if getattr(row, "fetched", None) is not None
        else ""
    )
    return Outcome(StripeEvent.Status.IGNORED, f"No online payment of Hearth matches this event.{asked}")


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
    if session.get("mode") == "setup":  # a resident saving a payment method for autopay
        from .autopay import autopay_setup_event

        return autopay_setup_event(session=session, row=row)
    op = _find_for_session(session)
    if op is None:
        return _no_match()
    _payment_owner_check(row, op)
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
    _payment_owner_check(row, op)
    _check_currency(intent, op)
    kind = row.type.removeprefix("payment_intent.")
    types = intent.get("payment_method_types") or []
    method = types[0] if len(types) == 1 and isinstance(types[0], str) else None
    if kind == "processing":
        changed = transitions.online_payment_pending(
            online_payment_id=op.pk, on=_on(row, op), payment_intent_id=intent["id"]
        )
        return _done(op, changed)
    if kind == "payment_failed" and op.source == OnlinePayment.Source.AUTOPAY:  # retried on a schedule
        from .autopay_charges import autopay_failure_event

        return _done(op, autopay_failure_event(online_payment_id=op.pk, intent=intent))
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
    op = _find_for_charge(charge, charge_id=charge.get("id"), row=row)
    if op is None:
        return _no_match(row)
    _payment_owner_check(row, op)
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
    op = _find_for_charge(dispute, charge_id=charge.get("id") if isinstance(charge, dict) else charge, row=row)
    if op is None:
        return _no_match(row)
    _payment_owner_check(row, op)
    _check_currency(dispute, op)
    intent = _payment_intent_of(dispute) or op.payment_intent_id or _fetched_intent(row)
    if row.type == "charge.dispute.created":
        changed = transitions.online_payment_dispute_open(
            online_payment_id=op.pk, on=_on(row, op), dispute_id=str(dispute.get("id")), payment_intent_id=intent
        )
        payment_alerts.dispute_alert_open(online_payment_id=op.pk, dispute=dispute)
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
    payment_alerts.dispute_alert_close(dispute=dispute)
    return _done(op, changed)


def _setup_intent(setup_intent: dict, row: StripeEvent) -> Outcome:
    from .autopay import autopay_setup_intent_event  # a bank account for autopay verified after its setup

    return autopay_setup_intent_event(setup_intent=setup_intent, row=row)


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
    "account.updated": account_updated_event,
    "account.application.deauthorized": account_deauthorized_event,
    "charge.refund.updated": payment_alerts.refund_event_handle,
    "setup_intent.succeeded": _setup_intent,
}
