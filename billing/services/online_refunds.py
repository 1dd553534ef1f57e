"""Refunds of online payments, asked of Stripe: by staff, or automatically for the excess of a payment that took a
resident past what they owed (two checkouts both paid: a race Stripe allows).

The request is recorded (an ``OnlineRefund`` row, committed) before Stripe is called, and the call carries an
idempotency key naming that row, so a retried call never refunds twice. The ledger is not written here: Stripe's
``charge.refunded`` event posts the refund entry, exactly once (``online_payments.online_payment_refund``).

Lock order, as in checkout: the resident's row, then their online payment's. Holding the resident's lock while
deciding serializes every refund decision of one resident, so two payments settling at the same moment cannot both
be refunded for the same excess.
"""

import logging
from datetime import timedelta
from decimal import ROUND_DOWN, Decimal

import stripe
from celery import shared_task
from django.db import IntegrityError, transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext, gettext_noop
from django.utils.translation import gettext as _

from accounts.exceptions import Conflict, DomainError, NotAllowed, NotFound
from accounts.models import Membership
from accounts.money import money_words
from accounts.queue import enqueue_on_commit
from residents.models import Resident

from ..models import OnlinePayment, OnlineRefund, PaymentAlert
from ..selectors.balances import ZERO, balance_of
from .ledger import clean_amount
from .online_checkout import PaymentServiceUnavailable
from .stripe_setup import ZERO_DECIMAL_CURRENCIES, OnlinePaymentNotSetUp, stripe_client, to_minor

logger = logging.getLogger("billing.stripe")

Status = OnlinePayment.Status
RefundStatus = OnlineRefund.Status
# Settled and never disputed: the payment's money is with the organization and no bank is deciding about it.
REFUNDABLE = frozenset({Status.SUCCEEDED, Status.PARTIALLY_REFUNDED})
IN_FLIGHT = (RefundStatus.REQUESTED, RefundStatus.PENDING)
ASKED = (RefundStatus.REQUESTED, RefundStatus.PENDING, RefundStatus.SUCCEEDED)
# How Stripe's Refund.status maps onto ours: https://docs.stripe.com/api/refunds/object#refund_object-status
STRIPE_STATUS = {
    "succeeded": RefundStatus.SUCCEEDED,
    "pending": RefundStatus.PENDING,
    "requires_action": RefundStatus.PENDING,
    "failed": RefundStatus.FAILED,
    "canceled": RefundStatus.CANCELED,
}
# Errors after which Stripe may or may not have made the refund: no answer, or a fault on Stripe's side.
UNANSWERED = (stripe.APIConnectionError, stripe.APIError, stripe.RateLimitError)
UNCONFIRMED = gettext_noop(
    "The payment service did not confirm the refund. Hearth asks again in a few minutes; the refund is made once."
)
# A requested refund Stripe has not confirmed is asked again after this long (the idempotency key holds for a day).
RETRY_AFTER = timedelta(minutes=2)
UNAVAILABLE = gettext_noop(
    "The payment service could not make the refund, so nothing was refunded. Try again in a few minutes, or refund "
    "from the Stripe dashboard."
)


def _sum(refunds) -> Decimal:
    return refunds.aggregate(total=Sum("amount"))["total"] or ZERO


def refundable_of(op: OnlinePayment) -> Decimal:
    """What may still be refunded of ``op``: its amount less what Stripe refunded as far as Hearth knows (posted to
    the ledger, or answered succeeded) and less the refunds still on their way."""
    refunds = OnlineRefund.objects.filter(online_payment_id=op.pk)
    done = max(op.amount_refunded, _sum(refunds.filter(status=RefundStatus.SUCCEEDED)))
    return max(op.amount - done - _sum(refunds.filter(status__in=IN_FLIGHT)), ZERO)


def _lock(online_payment_id: int) -> OnlinePayment:
    resident_id = OnlinePayment.objects.filter(pk=online_payment_id).values_list("resident_id", flat=True).first()
    if resident_id is None:
        raise NotFound(_("There is no such online payment."), field="online_payment")
    Resident.objects.select_for_update().filter(pk=resident_id).values_list("pk", flat=True).first()
    return OnlinePayment.objects.select_for_update().get(pk=online_payment_id)


def _refusal(op: OnlinePayment) -> str:
    if op.dispute_id or op.status in (Status.DISPUTED, Status.DISPUTE_LOST, Status.DISPUTE_WON):
        return _("This payment was disputed with the bank, so it cannot be refunded here.")
    if op.status == Status.REFUNDED:
        return _("This payment has been refunded in full already.")
    return _("Only a payment that was received can be refunded.")


@transaction.atomic
def _record(
    *, online_payment_id: int, amount: Decimal, reason: str, actor: Membership | None, note: str
) -> OnlineRefund:
    op = _lock(online_payment_id)
    # Operators only, as both edges: a refund sends the organization's money back out of its Stripe account.
    if actor is not None and not (actor.is_operator and actor.organization_id == op.organization_id):
        raise NotAllowed(_("Only an operator of the organization can refund an online payment."))
    if op.status not in REFUNDABLE or op.dispute_id:
        raise Conflict(_refusal(op))
    currency = op.currency
    if currency in ZERO_DECIMAL_CURRENCIES and amount != amount.to_integral_value():
        raise DomainError(
            _("%(currency)s has no cents: enter a whole amount.") % {"currency": currency.upper()}, field="amount"
        )
    left = refundable_of(op)
    if amount > left:
        words = money_words(left, currency.upper())
        raise DomainError(
            _("At most %(amount)s of this payment can still be refunded.") % {"amount": words}, field="amount"
        )
    try:
        with transaction.atomic():
            return OnlineRefund.objects.create(
                organization_id=op.organization_id,
                resident_id=op.resident_id,
                online_payment=op,
                amount=amount,
                reason=reason,
                note=note[:300],
                requested_by=actor.user if actor is not None else None,
            )
    except IntegrityError:
        raise Conflict(_("The excess of this payment has been refunded already.")) from None


def _send(refund: OnlineRefund) -> OnlineRefund:
    """Asks Stripe for the recorded refund and stores its answer; a Stripe error marks the refund failed."""
    op = refund.online_payment
    params = {
        "payment_intent": op.payment_intent_id,
        "amount": to_minor(refund.amount, op.currency),
        "metadata": {
            "organization_id": str(refund.organization_id),
            "online_payment_id": str(op.pk),
            "online_refund_id": str(refund.pk),
        },
    }
    options: dict = {"idempotency_key": f"hearth-refund-{refund.pk}"}
    if op.account_id:
        options["stripe_account"] = op.account_id  # refunded on the account that was paid (Connect)
        if refund.reason == OnlineRefund.Reason.OVERPAID:
            # The platform keeps no fee on money the resident never owed (Stripe returns it in proportion).
            params["refund_application_fee"] = True
    now = timezone.now()
    try:
        answer = stripe_client().v1.refunds.create(params=params, options=options)
    except UNANSWERED as error:
        # Stripe may have refunded: the refund stays requested and is asked again under the same idempotency key
        # (``online_refunds_retry``), so it is made once whatever happened.
        logger.warning("Refund %s of online payment %s not confirmed by Stripe: %s", refund.pk, op.pk, error)
        raise PaymentServiceUnavailable(gettext(UNCONFIRMED)) from error
    except stripe.StripeError as error:
        reason = (error.user_message or str(error) or type(error).__name__)[:250]
        failed = OnlineRefund.objects.filter(pk=refund.pk, status=RefundStatus.REQUESTED).update(
            status=RefundStatus.FAILED, failure_reason=f"Stripe refused the refund: {reason}"[:300], updated_at=now
        )
        if failed and refund.reason == OnlineRefund.Reason.OVERPAID:
            _alert_refused(refund, reason)
        raise PaymentServiceUnavailable(gettext(UNAVAILABLE)) from error
    status = STRIPE_STATUS.get(answer.status, RefundStatus.PENDING)
    failure = str(getattr(answer, "failure_reason", None) or "")[:300]
    OnlineRefund.objects.filter(pk=refund.pk, refund_id__isnull=True).update(refund_id=answer.id, updated_at=now)
    # A refund event may have told us more already (charge.refund.updated): only a refund still "requested" moves.
    OnlineRefund.objects.filter(pk=refund.pk, status=RefundStatus.REQUESTED).update(
        status=status, failure_reason=failure, updated_at=now
    )
    refund.refresh_from_db()
    return refund


def online_refund_request(
    *, online_payment_id: int, amount, reason: str, actor: Membership | None = None, note: str = ""
) -> OnlineRefund:
    """Refunds ``amount`` of a settled online payment through Stripe and returns the ``OnlineRefund``: ``pending``
    or ``succeeded`` as Stripe answered. The ledger follows from Stripe's ``charge.refunded`` event. ``actor``: the
    member asking (an operator of the payment's organization, else ``NotAllowed``), recorded as who requested it;
    None for a refund the system makes itself.

    Refuses (a ``DomainError`` naming ``amount``, or a 409 ``Conflict``; nothing written) an amount that is not
    above zero with two decimal places, more than is still refundable (the amount less what was refunded and less
    refunds still on their way), a payment not received or disputed, and a second refund of an overpayment. The
    request is committed before Stripe is called: call it outside any database transaction. A Stripe error marks the
    refund failed (with Stripe's reason) and raises ``PaymentServiceUnavailable`` (502)."""
    amount = clean_amount(amount)
    if reason not in OnlineRefund.Reason.values:
        raise DomainError(
            _("A refund's reason is one of: %(reasons)s.") % {"reasons": ", ".join(OnlineRefund.Reason.values)},
            field="reason",
        )
    stripe_client()  # without a key, refuse before anything is written
    refund = _record(online_payment_id=online_payment_id, amount=amount, reason=reason, actor=actor, note=note)
    return _send(refund)


@transaction.atomic
def _record_overpayment(*, online_payment_id: int) -> OnlineRefund | None:
    op = _lock(online_payment_id)
    if op.status not in REFUNDABLE or op.dispute_id:
        return None
    if OnlineRefund.objects.filter(online_payment_id=op.pk, reason=OnlineRefund.Reason.OVERPAID).exists():
        return None
    # Refunds asked for but not on the ledger yet (their charge.refunded event is still to come) will raise the
    # balance: they are counted now, or a second payment's check would refund the same excess again.
    unposted = ZERO
    for payment in OnlinePayment.objects.filter(resident_id=op.resident_id, refunds__status__in=ASKED).distinct():
        asked = _sum(OnlineRefund.objects.filter(online_payment_id=payment.pk, status__in=ASKED))
        unposted += max(asked - payment.amount_refunded, ZERO)
    credit = -(balance_of(op.resident_id) + unposted)
    excess = min(credit, refundable_of(op))
    if excess <= 0:
        return None
    if op.currency in ZERO_DECIMAL_CURRENCIES:
        excess = excess.to_integral_value(rounding=ROUND_DOWN)
    note = f"Paid {money_words(excess, op.currency.upper())} more than owed: refunded automatically."
    return OnlineRefund.objects.create(
        organization_id=op.organization_id,
        resident_id=op.resident_id,
        online_payment=op,
        amount=excess,
        reason=OnlineRefund.Reason.OVERPAID,
        note=note,
    )


def _alert_refused(refund: OnlineRefund, reason: str) -> None:
    """Staff see an automatic refund Stripe refused (a refund they start themselves shows its error on the spot)."""
    from .payment_alerts import payment_alert_raise

    with transaction.atomic():
        payment_alert_raise(
            online_payment=refund.online_payment,
            kind=PaymentAlert.Kind.REFUND_FAILED,
            reference=f"hearth-refund-{refund.pk}",
            amount=refund.amount,
            detail=f"The automatic refund of an overpayment was refused by Stripe: {reason}. Refund the resident "
            "another way.",
        )


def online_refunds_retry() -> int:
    """Asks Stripe again for each refund it has not confirmed (no answer, or a fault on its side), under the same
    idempotency key. Returns how many were confirmed."""
    stale = OnlineRefund.objects.filter(
        status=RefundStatus.REQUESTED, refund_id__isnull=True, updated_at__lt=timezone.now() - RETRY_AFTER
    ).select_related("online_payment")
    confirmed = 0
    for refund in stale.order_by("pk")[:100]:
        OnlineRefund.objects.filter(pk=refund.pk).update(updated_at=timezone.now())
        try:
            _send(refund)
        except (PaymentServiceUnavailable, DomainError):
            continue
        confirmed += 1
    return confirmed


def online_overpayment_refund(*, online_payment_id: int) -> OnlineRefund | None:
    """After an online payment settled: if the resident is now in credit (they paid more than they owed, as when two
    checkouts were both paid), refunds the excess through Stripe, at most this payment's amount, once per payment.
    Returns the refund, or None when there is nothing to refund. Raises ``PaymentServiceUnavailable`` when Stripe
    fails (the refund is kept, marked failed: staff see it and may refund by hand)."""
    stripe_client()  # without a key, nothing is recorded: a refund row would wait for a Stripe that never comes
    refund = _record_overpayment(online_payment_id=online_payment_id)
    if refund is None:
        return None
    return _send(refund)


# Beside the service it runs, so no service imports ``billing.tasks``; the name is the one the worker has always had.
@shared_task(name="billing.tasks.refund_online_overpayment")
def refund_online_overpayment(online_payment_id: int) -> int | None:
    """Refunds through Stripe what a settled online payment paid beyond what the resident owed (two checkouts both
    paid), once per payment. Returns the refund's id, or None when there was nothing to refund or Stripe failed (the
    refund is then kept as failed, for staff to see)."""
    try:
        refund = online_overpayment_refund(online_payment_id=online_payment_id)
    except (PaymentServiceUnavailable, OnlinePaymentNotSetUp):
        return None
    return refund.pk if refund is not None else None


def overpayment_refund_schedule(*, online_payment_id: int) -> None:
    """Checks for an overpayment once the payment's settlement is committed (never inside it: Stripe is called).
    ``robust``: a failure is logged and cannot undo the webhook that settled the payment."""
    enqueue_on_commit(refund_online_overpayment, online_payment_id, robust=True)
