"""Autopay charges: on each due date, the rent due that day is charged to the resident's saved payment method.

The daily job ``autopay_charges_run`` (each organization on its own clock and date) does two things:

1. For each resident with autopay on and a rent charge effective today (posted by the rent job), one
   ``OnlinePayment`` with ``source=autopay`` and ``due_on`` today, for what is still open of that rent (payments pay
   the oldest charges first), never more than the open balance (less payments on their way) nor
   ``ONLINE_PAYMENT_MAX``. The database allows one autopay charge per resident and due date, so running the job again
   (or twice at once) charges nothing twice.
2. Each charge is tried by an off-session PaymentIntent (``POST /v1/payment_intents`` with ``confirm`` and
   ``off_session``), a new one for each try, whose idempotency key names the charge and the try. A try is claimed
   first (a locked row, committed) and Stripe is called after, outside any transaction.

The ledger is credited by Stripe's webhook (``payment_intent.succeeded``), exactly once, as for a checkout; a bank
debit shows as pending until it settles. A failed try (declined now, or a bank debit returned days later) is tried
again ``RETRY_AFTER_DAYS`` after the failure, up to ``MAX_ATTEMPTS`` tries, unless the failure cannot be fixed by
trying again (a lost card, a closed account), needs the resident (their bank asks them to confirm the payment), the
resident turned autopay off, or the rent was paid another way. The resident is e-mailed about each failure, once
(a ``ResidentNotice`` per charge and try), told when the next try is or that they should pay in the portal.
"""

import logging
from datetime import date, datetime, time, timedelta
from decimal import Decimal

import stripe
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy

from accounts.exceptions import DomainError
from accounts.models import Organization
from residents.models import Resident

from ..models import Autopay, EntryKind, LedgerEntry, OnlinePayment, StripeCustomer
from ..selectors.allocation import LINE_FIELDS, ZERO, Line, allocate
from ..selectors.online import amount_limits, open_balance_of
from . import online_payments as transitions
from .autopay import MAX_ATTEMPTS, RETRY_AFTER_DAYS
from .autopay_notices import autopay_failure_notice
from .ledger import billing_stay
from .online_checkout import checkout_metadata
from .stripe_setup import account_options, application_fee_minor, online_payment_configured, stripe_client, to_minor

logger = logging.getLogger("billing.autopay")

Status = OnlinePayment.Status
AUTOPAY = OnlinePayment.Source.AUTOPAY
# Failures that trying the same payment method again cannot fix (Stripe's hard declines and bank returns).
NOT_RETRIED = frozenset(
    {
        "account_closed",
        "authentication_required",
        "debit_not_authorized",
        "expired_card",
        "fraudulent",
        "incorrect_number",
        "invalid_account",
        "invalid_number",
        "lost_card",
        "no_account",
        "pickup_card",
        "resource_missing",
        "restricted_card",
        "revocation_of_all_authorizations",
        "revocation_of_authorization",
        "stolen_card",
    }
)


class SavedOnAnotherAccount(Exception):
    """The resident's saved payment method lives on another Stripe account than the one charging now."""


# A try claimed this long ago with no answer recorded was cut off (the job died mid-call): the next run sends it again.
STUCK_AFTER = timedelta(hours=1)
# Failures only the resident can clear: their bank wants them to confirm the payment themselves.
NEEDS_RESIDENT = frozenset({"authentication_required"})
REASONS = {
    "insufficient_funds": gettext_lazy("there was not enough money in the account"),
    "expired_card": gettext_lazy("the card has expired"),
    "authentication_required": gettext_lazy("your bank wants you to confirm this payment yourself"),
    "lost_card": gettext_lazy("the card was reported lost"),
    "stolen_card": gettext_lazy("the card was reported stolen"),
    "account_closed": gettext_lazy("the bank account is closed"),
    "no_account": gettext_lazy("the bank could not find the account"),
    "debit_not_authorized": gettext_lazy("the bank says the debit was not authorized"),
    "resource_missing": gettext_lazy("the saved payment method is no longer available"),
}


def open_rent_of(resident_id: int, *, due_on: date, today: date) -> Decimal:
    """What is still open, today, of the resident's rent charges effective ``due_on`` (payments and credits pay the
    oldest charges first, as the aging report counts them)."""
    rows = LedgerEntry.objects.filter(resident_id=resident_id, effective_on__lte=today).order_by()
    position = allocate((Line(*row) for row in rows.values_list(*LINE_FIELDS)), on=today).get(resident_id)
    if position is None:
        return ZERO
    return sum((c.open for c in position.open_charges if c.kind == EntryKind.RENT and c.effective_on == due_on), ZERO)


def autopay_amount(resident: Resident, *, due_on: date, today: date) -> Decimal:
    """What an autopay charge for the rent due ``due_on`` takes today: the open part of that rent, within the open
    balance and ``ONLINE_PAYMENT_MAX``; zero when that is below ``ONLINE_PAYMENT_MIN`` (nothing is charged)."""
    minimum, maximum = amount_limits()
    amount = min(open_rent_of(resident.pk, due_on=due_on, today=today), open_balance_of(resident), maximum)
    return amount if amount >= minimum else ZERO


def _open_charge(resident: Resident, *, due_on: date, amount: Decimal, account_id: str) -> OnlinePayment | None:
    stay = billing_stay(resident)
    try:
        with transaction.atomic():
            return OnlinePayment.objects.create(
                organization_id=resident.organization_id,
                resident=resident,
                stay=stay,
                house_id=stay.house_id,
                amount=amount,
                currency=resident.organization.currency.lower(),
                source=AUTOPAY,
                due_on=due_on,
                account_id=account_id,
            )
    except IntegrityError:  # this due date's charge exists (an earlier run, or one running now)
        return None


def _stop(op: OnlinePayment, message: str) -> None:
    op.status = Status.FAILED
    op.next_attempt_at = None
    op.failure_message = message[:300]
    op.updated_at = timezone.now()
    op.save()


@transaction.atomic
def _claim(online_payment_id: int, *, now: datetime) -> tuple[OnlinePayment, str] | None:
    """Takes the next try of a charge, committed before Stripe is called: the first try of a new charge, a retry
    that is due, or a try cut off before its answer was recorded. Returns the charge and the payment method to
    charge, or None when there is nothing to try (already taken, autopay off, the rent paid another way)."""
    op = OnlinePayment.objects.select_for_update().get(pk=online_payment_id)
    first = op.status == Status.CREATED and op.attempts == 0
    retry = (
        op.status == Status.FAILED
        and op.next_attempt_at is not None
        and op.next_attempt_at <= now
        and op.attempts < MAX_ATTEMPTS
    )
    stuck = (
        op.status == Status.CREATED
        and op.attempts >= 1
        and not op.payment_intent_id
        and op.updated_at < now - STUCK_AFTER
    )
    if op.source != AUTOPAY or not (first or retry or stuck):
        return None
    autopay = Autopay.objects.filter(resident_id=op.resident_id).first()
    if autopay is None or autopay.status != Autopay.Status.ON or not autopay.payment_method_id:
        _stop(op, "Not charged: autopay was turned off." if first else "Not tried again: autopay was turned off.")
        return None
    if retry:
        today = op.organization.today()
        amount = min(autopay_amount(op.resident, due_on=op.due_on, today=today), op.amount)
        if amount <= 0:
            _stop(op, "Not tried again: the rent was paid another way.")
            return None
        # Each try is its own PaymentIntent, and becomes its own payment when money moves.
        op.amount = amount
        op.payment_intent_id = None
        op.payment = None
        op.charge_id = ""
        op.payment_method_type = ""
        op.status = Status.CREATED
    if not stuck:  # a stuck try is sent again as it was: same number, same idempotency key
        op.attempts += 1
    op.next_attempt_at = None
    op.updated_at = now
    op.save()
    return op, autopay.payment_method_id


def _unclaim(op: OnlinePayment, *, reason: str) -> None:
    """Stripe could not be reached, so the try's outcome is unknown: it is put back to be taken again on the next
    run, with the same number and so the same idempotency key (Stripe answers a repeated key with the first answer)."""
    back = OnlinePayment.objects.filter(pk=op.pk, attempts=op.attempts, status=Status.CREATED, payment_intent_id=None)
    if op.attempts == 1:
        back.update(attempts=0, updated_at=timezone.now())
    else:
        back.update(
            attempts=op.attempts - 1,
            status=Status.FAILED,
            next_attempt_at=timezone.now(),
            failure_message=f"Stripe could not be reached ({reason}); tried again on the next run."[:300],
            updated_at=timezone.now(),
        )


def _intent_params(op: OnlinePayment, *, payment_method: str, customer_id: str) -> dict:
    params = {
        "amount": to_minor(op.amount, op.currency),
        "currency": op.currency,
        "customer": customer_id,
        "payment_method": payment_method,
        "allowed_payment_method_types": ["card", "us_bank_account"] if op.currency == "usd" else ["card"],
        "off_session": True,
        "confirm": True,
        "description": f"Rent due {op.due_on:%b %-d, %Y} — {op.house.name} (autopay)",
        "metadata": {**checkout_metadata(op), "autopay_attempt": str(op.attempts), "due_on": op.due_on.isoformat()},
    }
    fee = application_fee_minor(op.amount, op.currency)
    if fee:
        params["application_fee_amount"] = fee
    return params


def _try(online_payment_id: int, *, now: datetime) -> OnlinePayment | None:
    """One try of a charge: claimed, then sent to Stripe, then the answer recorded. Returns the charge if tried."""
    claimed = _claim(online_payment_id, now=now)
    if claimed is None:
        return None
    op, method = claimed
    organization = op.organization
    attempt = op.attempts
    try:
        client = stripe_client()
        options = account_options(organization)
        customer = StripeCustomer.objects.get(resident_id=op.resident_id)
        if customer.account_id != options.get("stripe_account", ""):
            raise SavedOnAnotherAccount()
        intent = client.v1.payment_intents.create(
            params=_intent_params(op, payment_method=method, customer_id=customer.customer_id),
            options={"idempotency_key": f"hearth-autopay-{op.pk}-{attempt}-{op.created_at:%Y%m%d%H%M%S%f}", **options},
        )
    except stripe.CardError as error:  # declined: Stripe answers 402 with the payment intent and its error
        body = (error.json_body or {}).get("error") or {}
        intent = body.get("payment_intent") or {}
        autopay_charge_failed(
            online_payment_id=op.pk,
            attempt=attempt,
            payment_intent_id=intent.get("id"),
            code=body.get("decline_code") or body.get("code") or "",
            message=body.get("message") or "",
        )
        return op
    except (stripe.APIConnectionError, stripe.RateLimitError, stripe.APIError) as error:
        logger.warning("Autopay charge %s try %s: Stripe could not be reached: %s", op.pk, attempt, error)
        _unclaim(op, reason=type(error).__name__)
        return op
    except (SavedOnAnotherAccount, StripeCustomer.DoesNotExist):
        # The organization moved to (or off) its own Stripe account, and the saved method stayed on the other one:
        # autopay stops until the resident saves a method again; the failure notice tells them.
        Autopay.objects.filter(resident_id=op.resident_id, status=Autopay.Status.ON).update(
            status=Autopay.Status.OFF, turned_off_at=timezone.now(), updated_at=timezone.now()
        )
        autopay_charge_failed(
            online_payment_id=op.pk, attempt=attempt, payment_intent_id=None, code="resource_missing", message=""
        )
        return op
    except stripe.StripeError as error:  # refused: counts as a failed try
        code = getattr(error, "code", None) or "refused"
        message = getattr(error, "user_message", None) or str(error)
        autopay_charge_failed(
            online_payment_id=op.pk, attempt=attempt, payment_intent_id=None, code=code, message=message
        )
        return op
    except Exception:
        # One charge's fault must not stop the day's run for every other resident (or organization).
        logger.exception("Autopay charge %s try %s failed unexpectedly", op.pk, attempt)
        _unclaim(op, reason="error")
        return None
    _answer(op, intent, attempt=attempt)
    return op


def _answer(op: OnlinePayment, intent, *, attempt: int) -> None:
    intent = intent.to_dict()
    status = intent.get("status")
    if status == "processing":  # of the methods offered, only a bank debit takes days
        transitions.online_payment_pending(
            online_payment_id=op.pk, on=op.organization.today(), payment_intent_id=intent["id"]
        )
    elif status in ("requires_payment_method", "requires_action", "canceled"):
        error = intent.get("last_payment_error") or {}
        code = (
            error.get("decline_code")
            or error.get("code")
            or ("authentication_required" if status == "requires_action" else status)
        )
        autopay_charge_failed(
            online_payment_id=op.pk,
            attempt=attempt,
            payment_intent_id=intent["id"],
            code=code,
            message=error.get("message") or "",
        )
    else:  # succeeded (the webhook credits the ledger) or still being confirmed: keep the id for its events
        OnlinePayment.objects.filter(pk=op.pk, payment_intent_id=None).update(
            payment_intent_id=intent["id"], updated_at=timezone.now()
        )


def _retry_at(op: OnlinePayment, attempt: int) -> datetime:
    """The start of the day, in the organization's time, ``RETRY_AFTER_DAYS`` after today: that day's run tries."""
    organization = op.organization
    day = organization.today() + timedelta(days=RETRY_AFTER_DAYS[attempt - 1])
    return timezone.make_aware(datetime.combine(day, time.min), organization.tzinfo)


@transaction.atomic
def autopay_charge_failed(
    *, online_payment_id: int, attempt: int, payment_intent_id: str | None, code: str, message: str
) -> bool:
    """A try of an autopay charge failed (Stripe's answer, or its ``payment_intent.payment_failed`` event): the
    charge is marked failed, a retry is scheduled when one may help, and the resident is e-mailed once for this try.
    A report about an earlier try, or one already recorded, changes nothing. Returns whether anything changed."""
    op = OnlinePayment.objects.select_for_update().get(pk=online_payment_id)
    if (
        op.source != AUTOPAY
        or attempt < 1
        or attempt != op.attempts
        or op.status not in (Status.CREATED, Status.PENDING)
    ):
        return False
    # Lazy where it is ours: the resident's e-mail reads it in their language; the records keep English.
    reason = REASONS.get(code) or (message.strip().rstrip(".") if message else gettext_lazy("the payment was declined"))
    transitions.online_payment_fail(
        online_payment_id=op.pk, message=str(reason), checkout_closed=True, payment_intent_id=payment_intent_id
    )
    op.refresh_from_db()
    autopay = Autopay.objects.filter(resident_id=op.resident_id).first()
    retry = (
        code not in NOT_RETRIED
        and op.attempts < MAX_ATTEMPTS
        and autopay is not None
        and autopay.status == Autopay.Status.ON
    )
    op.next_attempt_at = _retry_at(op, attempt) if retry else None
    op.failure_message = f"Try {attempt} of {MAX_ATTEMPTS} failed: {reason}."[:300]
    op.updated_at = timezone.now()
    op.save()
    autopay_failure_notice(op, attempt=attempt, reason=reason, needs_resident=code in NEEDS_RESIDENT, autopay=autopay)
    return True


def autopay_failure_event(*, online_payment_id: int, intent: dict) -> bool:
    """``payment_intent.payment_failed`` for an autopay charge (called by the webhook's handler): the try it names
    (its ``autopay_attempt`` metadata; the latest try when it has none) failed."""
    metadata = intent.get("metadata") or {}
    named = str(metadata.get("autopay_attempt", ""))
    op = OnlinePayment.objects.get(pk=online_payment_id)
    attempt = int(named) if named.isdigit() and len(named) < 4 else op.attempts
    error = intent.get("last_payment_error") or {}
    return autopay_charge_failed(
        online_payment_id=online_payment_id,
        attempt=attempt,
        payment_intent_id=intent.get("id"),
        code=str(error.get("decline_code") or error.get("code") or ""),
        message=str(error.get("message") or ""),
    )


def autopay_charges_run(*, on: date, organization: Organization) -> list[OnlinePayment]:
    """The daily autopay job for ``organization`` on its date ``on``: charges the rent due today of each resident
    with autopay on, and tries again the failed charges whose retry is due. Idempotent. Returns the charges tried.
    Calls Stripe: run it outside any database transaction."""
    if not online_payment_configured():
        return []
    try:
        account_id = account_options(organization).get("stripe_account", "")
    except DomainError:  # its own Stripe account cannot take charges yet: nothing is started
        return []
    now = timezone.now()
    residents = Autopay.objects.on().filter(organization=organization).exclude(payment_method_id="")
    due = (
        LedgerEntry.objects.live()
        .filter(organization=organization, kind=EntryKind.RENT, effective_on=on)
        .filter(resident_id__in=residents.values("resident_id"))
        .values_list("resident_id", flat=True)
        .distinct()
    )
    charged = set(
        OnlinePayment.objects.filter(source=AUTOPAY, due_on=on, resident_id__in=list(due)).values_list(
            "resident_id", flat=True
        )
    )
    for resident in Resident.objects.filter(pk__in=set(due) - charged).select_related("organization").order_by("pk"):
        amount = autopay_amount(resident, due_on=on, today=on)
        if amount > 0:
            _open_charge(resident, due_on=on, amount=amount, account_id=account_id)
    waiting = OnlinePayment.objects.filter(organization=organization, source=AUTOPAY).filter(
        Q(status=Status.CREATED, attempts=0)
        | Q(status=Status.FAILED, next_attempt_at__lte=now)
        | Q(status=Status.CREATED, attempts__gte=1, payment_intent_id=None, updated_at__lt=now - STUCK_AFTER)
    )
    tried = []
    for pk in waiting.order_by("pk").values_list("pk", flat=True):
        op = _try(pk, now=now)
        if op is not None:
            tried.append(op)
    return tried
