"""The e-mail a resident gets when an autopay charge fails: what failed and why, and when it is tried again or that
they should pay in the portal. Each is recorded as a ``ResidentNotice`` (unique per charge and try), so it goes out
once however many times Stripe reports the failure, and is sent after the transaction that records it commits."""

import logging

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _

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
    with translation.override(resident.preferred_language or settings.LANGUAGE_CODE):  # the resident's language
        subject, body = _words(op, resident, reason=reason, needs_resident=needs_resident, autopay=autopay)
    transaction.on_commit(lambda: _send(subject, body, email, op.pk))


def _words(op: OnlinePayment, resident: Resident, *, reason, needs_resident: bool, autopay) -> tuple[str, str]:
    """The subject and body of the e-mail, in the active language."""
    currency = op.organization.currency
    method = autopay.payment_method_label if autopay is not None and autopay.payment_method_label else _("saved method")
    lines = [
        _("Hello %(name)s,") % {"name": resident.preferred_name or resident.legal_first_name},
        "",
        _(
            "We tried to charge %(amount)s to your %(method)s for your rent due %(due)s, and it did not go through: "
            "%(reason)s."
        )
        % {
            "amount": money_words(op.amount, currency),
            "method": method,
            "due": date_format(op.due_on, _("F j, Y")),
            "reason": reason,
        },
        "",
    ]
    if op.next_attempt_at is not None:
        day = timezone.localdate(op.next_attempt_at, timezone=op.organization.tzinfo)
        lines.append(
            _("We will try again on %(day)s. To pay now instead, use the resident portal:")
            % {"day": date_format(day, _("l, F j"))}
        )
    elif needs_resident:
        lines.append(_("Autopay cannot do this for you, so we will not try again. Please pay in the resident portal:"))
    else:
        lines.append(_("We will not try again. Please pay in the resident portal, or pay your house manager:"))
    lines += [
        portal_url("portal-pay"),
        "",
        _("You can change your payment method or turn autopay off at any time: %(link)s")
        % {"link": portal_url("portal-autopay")},
        "",
        op.organization.name,
    ]
    subject = _("Your rent autopay did not go through (%(organization)s)") % {"organization": op.organization.name}
    return subject, "\n".join(lines)


def _send(subject: str, body: str, email: str, online_payment_id: int) -> None:
    try:
        send_mail(subject, body, None, [email])
    except Exception:  # the notice is recorded; the portal shows the failure too
        logger.exception("Autopay failure e-mail for online payment %s failed", online_payment_id)
