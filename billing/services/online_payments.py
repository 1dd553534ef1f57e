"""What happens to an online payment as Stripe reports on it. Called by the webhook handlers, with ids.

Each transition locks the online payment's row, re-checks its state and returns early when there is nothing left to
do, so events may come in any order, any number of times, and at the same moment. The ledger is credited exactly
once per payment: the entry's idempotency key is derived from the PaymentIntent id and is unique in the database.
Each function returns whether it changed anything.

Dates: ``on`` is the organization's date of the moment the event happened at Stripe (the day the money moved),
kept between the day the checkout started and today. An event of a month since closed posts on the first open day
(``billing.services.closing``).
"""

from datetime import date
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from accounts.money import money_words
from accounts.queue import enqueue_on_commit

from ..memos import english
from ..models import EntryKind, LedgerEntry, OnlinePayment, Payment
from .late_fees import assess_held_late_fees
from .ledger import post_entry
from .online_refunds import overpayment_refund_schedule
from .payment_alerts import bank_debit_alert_raise
from .payments import next_receipt_number
from .rent_notices import send_receipt

Status = OnlinePayment.Status
BANK_DEBIT = "us_bank_account"


class OnlinePaymentMismatch(Exception):
    """What Stripe reports cannot belong to this payment (another amount or currency); nothing was changed."""


def _lock(online_payment_id: int) -> OnlinePayment:
    # Only this row is locked (no outer joins: PostgreSQL refuses FOR UPDATE on their nullable side).
    return OnlinePayment.objects.select_for_update().get(pk=online_payment_id)


def _remember(
    op: OnlinePayment,
    *,
    payment_intent_id: str | None = None,
    charge_id: str | None = None,
    method_type: str | None = None,
    method_is_certain: bool = False,
) -> None:
    if payment_intent_id and not op.payment_intent_id:
        op.payment_intent_id = payment_intent_id
    elif payment_intent_id and op.payment_intent_id != payment_intent_id:
        raise OnlinePaymentMismatch(
            f"Payment intent {payment_intent_id} does not match {op.payment_intent_id} of online payment {op.pk}."
        )
    if charge_id and not op.charge_id:
        op.charge_id = charge_id
    if method_type and (method_is_certain or not op.payment_method_type):
        op.payment_method_type = method_type


def _save(op: OnlinePayment) -> None:
    op.updated_at = timezone.now()
    op.save()


def _after_commit(task, online_payment_id: int) -> None:
    """Queues a follow-up (a receipt, late fees a failed debit held off) once the transition is committed; its
    trouble is logged, never undoing or failing the event."""
    enqueue_on_commit(task, online_payment_id, robust=True)


def _method_of(op: OnlinePayment) -> str:
    return Payment.Method.BANK_DEBIT if op.is_bank_debit else Payment.Method.CARD


def _settle(op: OnlinePayment, *, on: date) -> bool:
    """Credits the ledger with the payment (once) and completes its ``Payment`` with a receipt number."""
    if op.status in OnlinePayment.SETTLED:
        return False
    if not op.payment_intent_id:
        raise OnlinePaymentMismatch(f"Online payment {op.pk} was reported paid without a payment intent.")
    method = _method_of(op)
    label = english(Payment.Method(method).label).split(" (")[0].lower()  # stored in English (billing/memos.py)
    key = f"stripe:payment:{op.payment_intent_id}"
    entry = post_entry(
        stay=op.stay,
        kind=EntryKind.PAYMENT,
        amount=-op.amount,
        effective_on=on,
        memo=f"Online payment by {label}",
        idempotency_key=key,
        carry=True,
    )
    if entry is None:  # posted before this row learnt of it; the key is the last word
        entry = LedgerEntry.objects.get(idempotency_key=key)
    payment = op.payment or Payment(
        organization_id=op.organization_id,
        resident_id=op.resident_id,
        stay_id=op.stay_id,
        house_id=op.house_id,
        amount=op.amount,
    )
    payment.method = method
    payment.status = Payment.Status.COMPLETED
    payment.received_on = on  # the real day; the ledger credit is on the first open day if that month is closed
    payment.reference = op.payment_intent_id
    payment.entry = entry
    payment.memo = f"Paid online by {label}"
    payment.receipt_number = next_receipt_number(op.organization)
    payment.save()
    op.payment = payment
    op.status = Status.SUCCEEDED
    op.failure_message = ""
    # Paid more than owed (two checkouts both paid): the excess is refunded through Stripe, after commit.
    overpayment_refund_schedule(online_payment_id=op.pk)
    _after_commit(send_receipt, op.pk)
    return True


@transaction.atomic
def online_payment_pending(*, online_payment_id: int, on: date, payment_intent_id: str | None = None) -> bool:
    """A bank debit was submitted and has not settled: the payment shows as pending (not yet a credit)."""
    op = _lock(online_payment_id)
    _remember(op, payment_intent_id=payment_intent_id, method_type=BANK_DEBIT, method_is_certain=True)
    # Expired too: a checkout replaced by a newer one may have been paid at that very moment (money wins).
    changed = op.status in (Status.CREATED, Status.EXPIRED)
    if changed:
        op.status = Status.PENDING
        op.payment = Payment.objects.create(
            organization_id=op.organization_id,
            resident_id=op.resident_id,
            stay_id=op.stay_id,
            house_id=op.house_id,
            method=Payment.Method.BANK_DEBIT,
            status=Payment.Status.PENDING,
            amount=op.amount,
            received_on=on,
            reference=op.payment_intent_id or "",
            memo="Bank debit on its way: credited when it settles",
        )
    _save(op)
    return changed


@transaction.atomic
def online_payment_succeed(
    *,
    online_payment_id: int,
    on: date,
    payment_intent_id: str,
    method_type: str | None = None,
    method_is_certain: bool = False,
    charge_id: str | None = None,
) -> bool:
    """The money arrived: the ledger is credited once. Money received wins over an earlier failure (Checkout lets
    the resident try another card after a decline)."""
    op = _lock(online_payment_id)
    _remember(
        op,
        payment_intent_id=payment_intent_id,
        charge_id=charge_id,
        method_type=method_type,
        method_is_certain=method_is_certain,
    )
    changed = _settle(op, on=on)
    _save(op)
    return changed


@transaction.atomic
def online_payment_fail(
    *,
    online_payment_id: int,
    message: str,
    checkout_closed: bool,
    payment_intent_id: str | None = None,
    method_type: str | None = None,
) -> bool:
    """A payment waiting for its money failed: a bank debit that bounced (pending), or a checkout that Stripe closed
    unpaid (``checkout_closed``). A card declined while the resident is still on the checkout page is only noted:
    they may try another card. A failure reported after the money arrived is stale and changes nothing."""
    op = _lock(online_payment_id)
    _remember(op, payment_intent_id=payment_intent_id, method_type=method_type, method_is_certain=True)
    changed = op.status == Status.PENDING or (op.status == Status.CREATED and checkout_closed)
    if changed:
        op.status = Status.FAILED
        if op.payment is not None:
            op.payment.status = Payment.Status.FAILED
            op.payment.save(update_fields=["status"])
    if op.status in (Status.CREATED, Status.FAILED):
        op.failure_message = message[:300]
    _save(op)
    if changed and op.is_bank_debit:  # staff must see it: the rent it was paying is owed again
        bank_debit_alert_raise(online_payment=op)
    if changed:  # the late fees it held off while pending are due after all
        _after_commit(assess_held_late_fees, op.pk)
    return changed


@transaction.atomic
def online_payment_expire(*, online_payment_id: int) -> bool:
    """Stripe closed a checkout that was never paid: the attempt is over, nothing was charged."""
    op = _lock(online_payment_id)
    changed = op.status == Status.CREATED
    if changed:
        op.status = Status.EXPIRED
        _save(op)
    return changed


@transaction.atomic
def online_payment_refund(
    *,
    online_payment_id: int,
    on: date,
    refunded_total: Decimal,
    payment_intent_id: str | None,
    charge_id: str | None = None,
) -> bool:
    """Stripe refunded (part of) the payment. ``refunded_total`` is everything refunded so far; a refund entry is
    posted for the newly refunded part only, keyed by the new total, so a repeated or older event posts nothing.
    A refund proves the charge was paid, so a payment not yet credited is credited first."""
    op = _lock(online_payment_id)
    _remember(op, payment_intent_id=payment_intent_id, charge_id=charge_id)
    if refunded_total > op.amount:
        raise OnlinePaymentMismatch(f"Refunded {refunded_total} is more than online payment {op.pk} of {op.amount}.")
    changed = _settle(op, on=on)
    newly = refunded_total - op.amount_refunded
    if newly > 0:
        post_entry(
            stay=op.stay,
            kind=EntryKind.REFUND,
            amount=newly,
            effective_on=on,
            memo=f"Refund of an online payment of {money_words(op.amount, op.organization.currency)}",
            idempotency_key=f"stripe:refund:{op.payment_intent_id}:{refunded_total}",
            carry=True,
        )
        op.amount_refunded = refunded_total
        if op.status in (Status.SUCCEEDED, Status.PARTIALLY_REFUNDED):
            op.status = Status.REFUNDED if refunded_total == op.amount else Status.PARTIALLY_REFUNDED
        changed = True
    _save(op)
    return changed


@transaction.atomic
def online_payment_dispute_open(
    *, online_payment_id: int, on: date, dispute_id: str, payment_intent_id: str | None
) -> bool:
    """The payer disputed the payment with their bank. Nothing moves in the ledger until the dispute is closed."""
    op = _lock(online_payment_id)
    _remember(op, payment_intent_id=payment_intent_id)
    changed = _settle(op, on=on)
    if op.status in (Status.SUCCEEDED, Status.PARTIALLY_REFUNDED, Status.REFUNDED):
        op.status = Status.DISPUTED
        op.dispute_id = dispute_id
        changed = True
    _save(op)
    return changed


@transaction.atomic
def online_payment_dispute_close(
    *, online_payment_id: int, on: date, dispute_id: str, lost: bool, amount: Decimal, payment_intent_id: str | None
) -> bool:
    """A dispute ended. Lost: the bank gave the money back to the payer, so an entry takes it back from the
    resident's ledger (once per dispute). Won (or an inquiry closed): the payment stands and nothing is posted."""
    op = _lock(online_payment_id)
    _remember(op, payment_intent_id=payment_intent_id)
    if not Decimal("0") < amount <= op.amount:
        raise OnlinePaymentMismatch(f"A dispute of {amount} cannot belong to online payment {op.pk} of {op.amount}.")
    changed = _settle(op, on=on)
    if op.status in (Status.DISPUTE_LOST, Status.DISPUTE_WON):
        _save(op)
        return changed
    op.dispute_id = dispute_id
    if lost:
        post_entry(
            stay=op.stay,
            kind=EntryKind.REFUND,
            amount=amount,
            effective_on=on,
            memo=f"Dispute lost: the bank returned {money_words(amount, op.organization.currency)} of an online "
            "payment to the payer",
            idempotency_key=f"stripe:dispute:{dispute_id}:lost",
            carry=True,
        )
    op.status = Status.DISPUTE_LOST if lost else Status.DISPUTE_WON
    _save(op)
    return True
