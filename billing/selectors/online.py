"""Reads of online payments, shared by the API and the resident portal."""

from decimal import Decimal

from django.conf import settings
from django.db.models import QuerySet

from accounts.models import Membership
from residents.models import Resident

from ..models import OnlinePayment
from .balances import balance_of, pending_of


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


def open_balance_of(resident: Resident) -> Decimal:
    """What a resident may pay online now: their balance less the payments already on their way, never below 0."""
    return max(balance_of(resident.pk) - pending_of(resident.pk), Decimal("0.00"))


def checkout_options(*, resident: Resident) -> dict:
    """What a resident's pay form needs: whether online payment is set up, the amount suggested (the open balance)
    and the limits. The suggested amount may still be refused (below the minimum, above the maximum)."""
    minimum, maximum = amount_limits()
    return {
        "available": bool(settings.STRIPE_SECRET_KEY),
        "open_balance": open_balance_of(resident),
        "minimum": minimum,
        "maximum": maximum,
        "currency": resident.organization.currency,
    }
