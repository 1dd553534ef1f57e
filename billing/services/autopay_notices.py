"""The e-mail a resident gets when an autopay charge fails: what failed and why, and when it is tried again or that
they should pay in the portal. Each is recorded as a ``ResidentNotice`` (unique per charge and try), so it goes out
once however many times Stripe reports the failure, and is sent after the transaction that records it commits."""

import logging

from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.utils import timezone

from accounts.money import money_words
from residents.models import Resident

from ..models import OnlinePayment, ResidentNotice
from .autopay import portal_url

logger = logging.getLogger("billing.autopay")


def _email_of(resident: Resident) -> str:
    if resident.email:
        return resident.email
    membership = resident.membership
    return membership.user.email if membership is not None else ""


def autopay_failure_notice(op: OnlinePayment, *, attempt: int, reason: str, needs_resident: bool, autopay) -> None:
    """Records the e-mail about this failed try (once: unique per charge and try) and sends it after commit."""
    resident = op.resident
    email = _email_of(resident)
    if not email:
        return
    try:
        with transaction.atomic():
            ResidentNotice.objects.create(
                organization_id=op.organization_id,
                resident=resident,
                kind=ResidentNotice.Kind.AUTOPAY_FAILED,
                online_payment=op,
                attempt=attempt,
                email=email,
            )
    except IntegrityError:
        return  # told already
    currency = op.organization.currency
    method = autopay.payment_method_label if autopay is not None and autopay.payment_method_label else "saved method"
    lines = [
        f"Hello {resident.preferred_name or resident.legal_first_name},",
        "",
        f"We tried to charge {money_words(op.amount, currency)} to your {method} for your rent due "
        f"{op.due_on:%B %-d, %Y}, and it did not go through: {reason}.",
        "",
    ]
    if op.next_attempt_at is not None:
        day = timezone.localdate(op.next_attempt_at, timezone=op.organization.tzinfo)
        lines.append(f"We will try again on {day:%A, %B %-d}. To pay now instead, use the resident portal:")
    elif needs_resident:
        lines.append("Autopay cannot do this for you, so we will not try again. Please pay in the resident portal:")
    else:
        lines.append("We will not try again. Please pay in the resident portal, or pay your house manager:")
    lines += [
        portal_url("portal-pay"),
        "",
        f"You can change your payment method or turn autopay off at any time: {portal_url('portal-autopay')}",
        "",
        op.organization.name,
    ]
    subject = f"Your rent autopay did not go through ({op.organization.name})"
    body = "\n".join(lines)
    transaction.on_commit(lambda: _send(subject, body, email, op.pk))


def _send(subject: str, body: str, email: str, online_payment_id: int) -> None:
    try:
        send_mail(subject, body, None, [email])
    except Exception:  # the notice is recorded; the portal shows the failure too
        logger.exception("Autopay failure e-mail for online payment %s failed", online_payment_id)
