"""Reads of online payments, shared by the API and the resident portal."""

from decimal import Decimal

from django.conf import settings
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext

from accounts.models import Membership
from residents.models import Resident

from ..models import OnlinePayment
from ..services.stripe_setup import NOT_SET_UP, OnlinePaymentNotSetUp, account_options, online_payment_configured
from .balances import ZERO, balance_of, cents, money_sum, pending_of


def online_payments_for(*, viewer: Membership) -> QuerySet[OnlinePayment]:
    """Online payments the viewer may see, newest first, joined for lists: staff see those of residents who lived in
    their houses, a resident their own, each with its status (``status`` / ``get_status_display``)."""
    return OnlinePayment.objects.visible_to(viewer).select_related("resident", "house", "organization", "payment")


def online_payment_by_session(*, viewer: Membership, session_id: str) -> OnlinePayment | None:
    """The viewer's online payment for a Checkout Session id (the portal's return page), or None."""
    if not session_id:
        return None
    return online_payments_for(viewer=viewer).filter(checkout_session_id=session_id).first()


def amount_limits() -> tuple[Decimal, Decimal]:
    """The smallest and largest single online payment (settings ``ONLINE_PAYMENT_MIN`` / ``ONLINE_PAYMENT_MAX``)."""
    return Decimal(str(settings.ONLINE_PAYMENT_MIN)), Decimal(str(settings.ONLINE_PAYMENT_MAX))


def open_checkouts_of(resident_id: int) -> QuerySet[OnlinePayment]:
    """A resident's Checkout Sessions that can still be paid: started (``created``), with a session at Stripe whose
    ``expires_at`` is still ahead. Money may arrive through each of them at any moment, as with a pending payment."""
    return OnlinePayment.objects.filter(
        resident_id=resident_id,
        source=OnlinePayment.Source.CHECKOUT,
        status=OnlinePayment.Status.CREATED,
        checkout_session_id__isnull=False,
        expires_at__gt=timezone.now(),
    )


def payable_of(resident: Resident) -> Decimal:
    """The most a new checkout may be for: the balance less the payments already on their way, never below 0. Open
    checkouts are not subtracted: a new checkout replaces them (``online_checkout_start`` expires them)."""
    return max(balance_of(resident.pk) - pending_of(resident.pk), ZERO)


def open_balance_of(resident: Resident) -> Decimal:
    """What a resident may pay online now: their balance less the payments already on their way and less the
    checkouts still open (each could be paid at any moment), never below 0."""
    open_checkouts = cents(open_checkouts_of(resident.pk).aggregate(total=money_sum())["total"])
    return max(balance_of(resident.pk) - pending_of(resident.pk) - open_checkouts, ZERO)


def open_checkout_of(resident: Resident) -> OnlinePayment | None:
    """The resident's open checkout (the newest, if an older one is still being closed), to continue paying."""
    return open_checkouts_of(resident.pk).exclude(checkout_url="").order_by("-created_at", "-pk").first()


def online_unavailable_reason(organization) -> str:
    """Why residents of ``organization`` cannot pay online now ("" when they can): no Stripe key, or (Stripe
    Connect) an organization whose own account cannot take charges yet."""
    if not online_payment_configured():
        return gettext(NOT_SET_UP)
    try:
        account_options(organization)
    except OnlinePaymentNotSetUp as refused:
        return refused.message
    return ""


def checkout_options(*, resident: Resident) -> dict:
    """What a resident's pay form needs: whether online payment is available (and if not, why), the open balance
    (what is left to pay besides payments on their way and open checkouts), the checkout still open (to continue
    paying it), what a new checkout may be for (``payable``: it replaces the open one) and the limits. The
    suggested amount may still be refused (below the minimum, above the maximum)."""
    minimum, maximum = amount_limits()
    reason = online_unavailable_reason(resident.organization)
    return {
        "available": not reason,
        "unavailable_reason": reason,
        "open_balance": open_balance_of(resident),
        "payable": payable_of(resident),
        "open_checkout": open_checkout_of(resident),
        "minimum": minimum,
        "maximum": maximum,
        "currency": resident.organization.currency,
    }
