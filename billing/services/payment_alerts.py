"""Payments staff must see and act on: a dispute (with Stripe's evidence deadline), a bank debit that failed and a
refund that failed. Each is a ``PaymentAlert``, raised by the webhook handling of Stripe's event, shown on the staff
dashboard until it is resolved, and e-mailed to the organization's operators once.

Raising is idempotent: an alert is unique per kind and Stripe reference (the dispute, the payment intent, the
refund), so a redelivered or repeated event finds the alert it raised before. The e-mail is sent after the
transaction commits, by a task that first claims the alert with a conditional ``UPDATE ... WHERE notified_at IS
NULL``: whichever of two deliveries gets there first sends it, the other finds nothing to claim. An e-mail that then
fails is not retried (the dashboard always shows the alert).

A dispute closes its alert by itself (won, lost, or an inquiry closed); the other two stay until staff mark them
handled, with a note saying what was done.

A failed refund changes no ledger entry. Stripe's ``charge.refunded`` posted the refund when it was made, and the
resident is still owed that money: staff pay it another way (a check), which the entry already accounts for.
"""

import logging
from datetime import UTC, datetime
from decimal import Decimal

from celery import shared_task
from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from accounts.exceptions import Conflict, DomainError, NotAllowed, NotFound
from accounts.models import Membership, Role
from accounts.money import money_words
from accounts.queue import enqueue_on_commit

from ..models import OnlinePayment, OnlineRefund, PaymentAlert, StripeEvent
from .stripe_setup import from_minor

logger = logging.getLogger("billing.stripe")

Kind = PaymentAlert.Kind

# Stripe's dispute reasons (https://docs.stripe.com/api/disputes/object#dispute_object-reason), in plain words.
DISPUTE_REASONS = {
    "bank_cannot_process": gettext_lazy("the bank could not process the payment"),
    "check_returned": gettext_lazy("the check was returned"),
    "credit_not_processed": gettext_lazy("the payer says a promised refund or credit never came"),
    "customer_initiated": gettext_lazy("the payer asked their bank to reverse it"),
    "debit_not_authorized": gettext_lazy("the account holder says they did not authorize the debit"),
    "duplicate": gettext_lazy("the payer says they were charged twice"),
    "fraudulent": gettext_lazy("the card holder says they did not make this payment"),
    "general": gettext_lazy("no reason given by the bank"),
    "incorrect_account_details": gettext_lazy("the account details were wrong"),
    "insufficient_funds": gettext_lazy("the account had insufficient funds"),
    "noncompliant": gettext_lazy("the payment network says the payment broke its rules"),
    "product_not_received": gettext_lazy("the payer says they did not receive what they paid for"),
    "product_unacceptable": gettext_lazy("the payer says what they paid for was not as described"),
    "subscription_canceled": gettext_lazy("the payer says they had canceled"),
    "unrecognized": gettext_lazy("the payer does not recognize the payment"),
}
# Stripe's refund failure reasons (https://docs.stripe.com/api/refunds/object#refund_object-failure_reason).
REFUND_FAILURES = {
    "lost_or_stolen_card": gettext_lazy("the card was reported lost or stolen"),
    "expired_or_canceled_card": gettext_lazy("the card has expired or was canceled"),
    "charge_for_pending_refund_disputed": gettext_lazy("the payment was disputed while the refund was pending"),
    "insufficient_funds": gettext_lazy("the Stripe balance could not cover the refund"),
    "declined": gettext_lazy("the payer's bank declined the refund"),
    "merchant_request": gettext_lazy("the refund was canceled at the organization's request"),
    "unknown": gettext_lazy("Stripe did not say why"),
}


def _words(table: dict, code) -> str:
    """In the active language (the staff page's; Hearth's records keep the English of the webhook's request)."""
    code = str(code or "unknown")
    return str(table.get(code, code.replace("_", " ")))


def dispute_reason_words(reason: str) -> str:
    """Stripe's dispute reason (``fraudulent``...) as a person reads it."""
    return _words(DISPUTE_REASONS, reason)


def _aware(timestamp) -> datetime | None:
    return datetime.fromtimestamp(timestamp, tz=UTC) if isinstance(timestamp, int) and timestamp > 0 else None


def payment_alert_raise(
    *,
    online_payment: OnlinePayment,
    kind: str,
    reference: str,
    amount: Decimal,
    detail: str = "",
    evidence_due_by: datetime | None = None,
) -> tuple[PaymentAlert, bool]:
    """Raises the alert ``kind`` about ``reference`` once; returns it and whether it is new. A repeat keeps the first
    alert and only brings a dispute's evidence deadline up to date. The operators are e-mailed after commit."""
    fields = {
        "organization_id": online_payment.organization_id,
        "resident_id": online_payment.resident_id,
        "house_id": online_payment.house_id,
        "online_payment": online_payment,
        "amount": amount,
        "currency": online_payment.currency,
        "detail": detail[:300],
        "evidence_due_by": evidence_due_by,
    }
    try:
        with transaction.atomic():  # a savepoint: a concurrent twin's insert leaves the outer transaction usable
            alert = PaymentAlert.objects.create(kind=kind, reference=reference[:255], **fields)
    except IntegrityError:
        alert = PaymentAlert.objects.get(kind=kind, reference=reference[:255])
        if evidence_due_by and alert.evidence_due_by != evidence_due_by and alert.resolved_at is None:
            alert.evidence_due_by = evidence_due_by
            alert.save(update_fields=["evidence_due_by"])
        return alert, False
    # robust: a broker or mail outage after commit must not turn the webhook's answer into an error.
    enqueue_on_commit(payment_alert_notify, alert.pk, robust=True)
    return alert, True


def payment_alert_resolve(*, alert: PaymentAlert, resolution: str, actor: Membership | None = None) -> bool:
    """Closes an open alert with what became of it; returns False when it was already closed (nothing changes).
    ``actor``: the staff member who handled it (None when Stripe's answer closed it), named in the resolution."""
    resolution = " ".join(str(resolution or "").split())
    if not resolution:
        raise DomainError(_("Say what was done about it."), field="note")
    if len(resolution) > 300:
        raise DomainError(_("Keep the note to 300 characters."), field="note")
    if actor is not None:
        name = actor.user.get_short_name()
        resolution = f"{resolution[: 296 - len(name)]} ({name})"
    # A conditional update: two people marking it handled at once close it once.
    return (
        PaymentAlert.objects.filter(pk=alert.pk, resolved_at__isnull=True).update(
            resolved_at=timezone.now(), resolution=resolution[:300]
        )
        == 1
    )


def payment_alert_handle(*, viewer: Membership, alert_id: int, note: str) -> PaymentAlert:
    """Staff mark an open alert they may see as handled, with a note of what was done. A 404-like ``DomainError``
    for an alert outside the viewer's scope; a 409 when it is closed already."""
    if not viewer.is_staff_member:
        raise NotAllowed(_("Only staff handle payment alerts."))
    alert = PaymentAlert.objects.visible_to(viewer).filter(pk=alert_id).first()
    if alert is None:
        raise NotFound(_("No such payment alert."))
    if not payment_alert_resolve(alert=alert, resolution=note, actor=viewer):
        raise Conflict(_("This alert was already marked handled."))
    alert.refresh_from_db()
    return alert


# What the webhook handling calls (billing.services.stripe_events and online_payments).


def dispute_alert_open(*, online_payment_id: int, dispute: dict) -> PaymentAlert | None:
    """A dispute opened: its reason and Stripe's evidence deadline are kept on the payment and an alert is raised.
    Nothing is raised when the payment is no longer disputed by this dispute (a late ``created`` after the close)."""
    dispute_id = str(dispute.get("id") or "")
    op = OnlinePayment.objects.select_for_update().get(pk=online_payment_id)
    if op.status != OnlinePayment.Status.DISPUTED or op.dispute_id != dispute_id:
        return None
    reason = str(dispute.get("reason") or "")[:60]
    due_by = _aware((dispute.get("evidence_details") or {}).get("due_by"))
    op.dispute_reason = reason
    op.dispute_evidence_due_by = due_by
    op.updated_at = timezone.now()
    op.save(update_fields=["dispute_reason", "dispute_evidence_due_by", "updated_at"])
    amount = dispute.get("amount")
    inquiry = str(dispute.get("status") or "").startswith("warning_")
    what = "An inquiry from the payer's bank" if inquiry else "The payer's bank disputed this payment"
    alert, _new = payment_alert_raise(
        online_payment=op,
        kind=Kind.DISPUTE,
        reference=dispute_id,
        amount=from_minor(amount, op.currency) if isinstance(amount, int) and amount > 0 else op.amount,
        detail=f"{what}: {_words(DISPUTE_REASONS, reason)}. Answer it in Stripe with your evidence before the "
        "deadline.",
        evidence_due_by=due_by,
    )
    return alert


CLOSED = {
    "won": "Dispute won: the payment stands.",
    "lost": "Dispute lost: the bank returned the money to the payer; the ledger took it back.",
    "warning_closed": "Inquiry closed without a dispute: the payment stands.",
}


def dispute_alert_close(*, dispute: dict) -> bool:
    """A dispute closed: its alert is resolved with the outcome. Returns whether an open alert was closed."""
    outcome = CLOSED.get(str(dispute.get("status")))
    alert = PaymentAlert.objects.filter(kind=Kind.DISPUTE, reference=str(dispute.get("id") or "")).first()
    if outcome is None or alert is None:
        return False
    return payment_alert_resolve(alert=alert, resolution=outcome)


def bank_debit_alert_raise(*, online_payment: OnlinePayment) -> PaymentAlert:
    """A bank debit failed (the debit bounced, or the bank refused it): the resident's rent is still owed."""
    op = online_payment
    alert, _new = payment_alert_raise(
        online_payment=op,
        kind=Kind.BANK_DEBIT_FAILED,
        reference=op.payment_intent_id or f"online_payment:{op.pk}",
        amount=op.amount,
        detail=f"{op.failure_message or 'The bank debit did not go through.'} The amount is still owed.",
    )
    return alert


def refund_event_handle(refund: dict, row):
    """``charge.refund.updated``: the refund Hearth asked for took its next step. Its ``OnlineRefund`` follows
    Stripe's status; a failed refund records Stripe's ``failure_reason`` and raises an alert. A failed refund of a
    payment Hearth knows but did not ask for (made in Stripe's dashboard) still raises the alert."""
    # Imported here: stripe_events imports this module for its handler table.
    from .stripe_events import Outcome, StripeEventProblem, _find_for_charge

    refund_id = str(refund.get("id") or "")
    if not refund_id.startswith("re_") and not refund_id.startswith("pyr_"):
        raise StripeEventProblem("A refund event without a refund id.")
    local = OnlineRefund.objects.select_for_update().filter(refund_id=refund_id).first() or _by_metadata(refund)
    charge = refund.get("charge")
    charge_id = charge.get("id") if isinstance(charge, dict) else charge
    # With ``row``: also by what Stripe told about the charge when the refund's payment was not known yet.
    op = local.online_payment if local else _find_for_charge(refund, charge_id=charge_id, row=row)
    if op is None:
        return Outcome(StripeEvent.Status.IGNORED, "No online payment of Hearth matches this refund.")
    currency = str(refund.get("currency") or "").lower()
    if currency and currency != op.currency:
        raise StripeEventProblem(f"The refund is in {currency}, online payment {op.pk} in {op.currency}.")
    minor = refund.get("amount")
    if not isinstance(minor, int) or minor <= 0:
        raise StripeEventProblem("A refund without an amount.")
    amount = from_minor(minor, op.currency)
    status = str(refund.get("status") or "")
    failure = _words(REFUND_FAILURES, refund.get("failure_reason")) if status == "failed" else ""
    changed = False
    if local is not None:
        changed = _refund_follow(local, refund_id=refund_id, status=status, failure=failure)
    if status != "failed":
        note = "" if changed else f"Nothing to change: the refund is {status or 'in an unknown state'}."
        return Outcome(StripeEvent.Status.HANDLED, note, op)
    _alert, new = payment_alert_raise(
        online_payment=op,
        kind=Kind.REFUND_FAILED,
        reference=refund_id,
        amount=amount,
        detail=f"The refund of {money_words(amount, op.organization.currency)} did not reach the resident: {failure}."
        " Stripe put the money back in the organization's balance. The ledger keeps the refund: pay the resident "
        "another way (a check).",
    )
    note = "" if (changed or new) else "Nothing to change: the refund's failure was recorded before."
    return Outcome(StripeEvent.Status.HANDLED, note, op)


def _by_metadata(refund: dict) -> OnlineRefund | None:
    metadata = refund.get("metadata") or {}
    pk, organization = str(metadata.get("online_refund_id", "")), str(metadata.get("organization_id", ""))
    if not (pk.isdigit() and organization.isdigit()) or len(pk) > 18 or len(organization) > 18:
        return None
    return OnlineRefund.objects.select_for_update().filter(pk=int(pk), organization_id=int(organization)).first()


STRIPE_REFUND_STATUSES = {
    "pending": OnlineRefund.Status.PENDING,
    "requires_action": OnlineRefund.Status.PENDING,
    "succeeded": OnlineRefund.Status.SUCCEEDED,
    "failed": OnlineRefund.Status.FAILED,
    "canceled": OnlineRefund.Status.CANCELED,
}
FINAL = frozenset({OnlineRefund.Status.FAILED, OnlineRefund.Status.CANCELED})


def _refund_follow(local: OnlineRefund, *, refund_id: str, status: str, failure: str) -> bool:
    """Brings the refund row to Stripe's status. A failed or canceled refund stays so (Stripe's last word)."""
    new = STRIPE_REFUND_STATUSES.get(status)
    if new is None or local.status in FINAL or (local.status == new and local.refund_id):
        return False
    local.status = new
    local.refund_id = local.refund_id or refund_id
    if new == OnlineRefund.Status.FAILED:
        local.failure_reason = failure[:300]
    local.updated_at = timezone.now()
    local.save(update_fields=["status", "refund_id", "failure_reason", "updated_at"])
    return True


# The e-mail to the operators.


def _deadline_words(alert: PaymentAlert) -> str:
    organization = alert.organization
    local = timezone.localtime(alert.evidence_due_by, organization.tzinfo)
    days = (local.date() - organization.today()).days
    if days == 0:
        left = _("today")
    elif days < 0:
        left = _("passed")
    else:
        left = ngettext("in %(days)s day", "in %(days)s days", days) % {"days": days}
    return _("%(when)s %(zone)s (%(left)s)") % {
        "when": date_format(local, _("l, F j, Y \\a\\t g:i A")),
        "zone": local.tzname(),
        "left": left,
    }


def _body(alert: PaymentAlert, membership: Membership) -> str:
    organization = alert.organization
    lines = [
        _("Hello %(name)s,") % {"name": membership.user.get_short_name()},
        "",
        _("A payment at %(house)s needs your attention.") % {"house": alert.house.name},
        "",
        _("What: %(what)s") % {"what": alert.get_kind_display()},
        _("Resident: %(name)s") % {"name": alert.resident.display_name},
        _("Amount: %(amount)s") % {"amount": money_words(alert.amount, organization.currency)},
    ]
    if alert.evidence_due_by:
        lines.append(_("Evidence due at Stripe by: %(deadline)s") % {"deadline": _deadline_words(alert)})
    link = settings.SITE_URL.rstrip("/") + reverse("billing-payment-alert", args=[alert.pk])
    lines += [
        "",
        alert.detail,
        "",
        _("See it, and mark it handled, in Hearth:"),
        link,
        "",
        _("The alert stays on the dashboard until it is resolved. You are told about each alert once."),
        "",
        "Hearth",
    ]
    return "\n".join(lines)


def _subject(alert: PaymentAlert) -> str:
    # The resident is named in the body only: a subject shows on lock screens and in notification previews.
    return _("%(what)s: %(amount)s (%(organization)s)") % {
        "what": alert.get_kind_display(),
        "amount": money_words(alert.amount, alert.organization.currency),
        "organization": alert.organization.name,
    }


@shared_task
def payment_alert_notify(alert_id: int) -> int:
    """E-mails the alert to the organization's active operators, once: the alert is claimed (``notified_at``) before
    anything is sent. Returns the number of e-mails sent."""
    claimed = PaymentAlert.objects.filter(pk=alert_id, notified_at__isnull=True).update(notified_at=timezone.now())
    if claimed != 1:
        return 0
    alert = PaymentAlert.objects.select_related("organization", "resident", "house").get(pk=alert_id)
    organization = alert.organization
    operators = (
        Membership.objects.active()
        .filter(organization=organization, role=Role.OPERATOR)
        .exclude(user__email="")
        .select_related("user")
        .order_by("pk")
    )
    sent = 0
    for membership in operators:
        try:
            with translation.override(membership.user.preferred_language or settings.LANGUAGE_CODE):  # theirs
                subject, body = _subject(alert), _body(alert, membership)
            send_mail(subject, body, None, [membership.user.email])
        except Exception:  # one bad address must not stop the others
            logger.exception("Payment alert %s to membership %s failed", alert.pk, membership.pk)
            continue
        sent += 1
    return sent
