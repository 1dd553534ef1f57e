"""How Hearth talks to Stripe: whether online payment is set up, a client built from settings for each call, and
amounts in Stripe's minor units.

There is no module-global API key: each call builds a ``StripeClient`` from the settings of the moment, so a test
(or a staging box pointing ``STRIPE_API_BASE`` at a local stand-in) changes settings and nothing else.
"""

from decimal import Decimal

import stripe
from django.conf import settings
from django.utils.translation import gettext, gettext_noop

from accounts.exceptions import Unavailable

from ..models.terms import CENT

NOT_SET_UP = gettext_noop(
    "Online payment is not set up for this organization yet. Pay your house manager by cash, check or money order."
)
# Currencies Stripe counts in whole units (no cents): https://docs.stripe.com/currencies#zero-decimal
ZERO_DECIMAL_CURRENCIES = frozenset(
    {"bif", "clp", "djf", "gnf", "jpy", "kmf", "krw", "mga", "pyg", "rwf", "ugx", "vnd", "vuv", "xaf", "xof", "xpf"}
)


NOT_CONNECTED = gettext_noop(
    "Your organization has not finished setting up online payments yet. Pay your house manager by cash, check or "
    "money order for now."
)


class OnlinePaymentNotSetUp(Unavailable):
    def __init__(self, message: str | None = None):
        super().__init__(message or gettext(NOT_SET_UP))


def online_payment_configured() -> bool:
    return bool(settings.STRIPE_SECRET_KEY)


def stripe_client() -> stripe.StripeClient:
    """A client for one call, from the settings of the moment. Raises ``OnlinePaymentNotSetUp`` without a key."""
    if not online_payment_configured():
        raise OnlinePaymentNotSetUp()
    base_addresses = {"api": settings.STRIPE_API_BASE.rstrip("/")} if settings.STRIPE_API_BASE else None
    return stripe.StripeClient(
        settings.STRIPE_SECRET_KEY, stripe_version=settings.STRIPE_API_VERSION, base_addresses=base_addresses
    )


def connect_enabled() -> bool:
    return bool(settings.STRIPE_CONNECT)


def account_options(organization) -> dict:
    """Request options for a call made on behalf of ``organization``: with Connect on, its connected account (the
    ``Stripe-Account`` header), which must be able to take charges; without Connect, none (the platform's account).
    Raises ``OnlinePaymentNotSetUp`` when the organization cannot take online payments yet."""
    if not connect_enabled():
        return {}
    from ..models import StripeAccount

    account = StripeAccount.objects.filter(organization_id=organization.pk).first()
    if account is None or not account.charges_enabled:
        raise OnlinePaymentNotSetUp(gettext(NOT_CONNECTED))
    return {"stripe_account": account.account_id}


def account_of(organization) -> str:
    """The connected account id calls for ``organization`` go to, or "" for the platform's own account."""
    return account_options(organization).get("stripe_account", "")


def application_fee_minor(amount: Decimal, currency: str) -> int | None:
    """The platform's fee on a payment under Connect (``STRIPE_APPLICATION_FEE_PERCENT``), or None for no fee."""
    percent = Decimal(settings.STRIPE_APPLICATION_FEE_PERCENT)
    if not connect_enabled() or percent <= 0:
        return None
    return to_minor((amount * percent / 100).quantize(CENT), currency)


def to_minor(amount: Decimal, currency: str) -> int:
    """An amount in the currency's smallest unit, as Stripe counts it (cents; whole yen)."""
    if currency.lower() in ZERO_DECIMAL_CURRENCIES:
        return int(amount.to_integral_value())
    return int((amount * 100).to_integral_value())


def from_minor(value: int, currency: str) -> Decimal:
    if currency.lower() in ZERO_DECIMAL_CURRENCIES:
        return Decimal(value).quantize(CENT)
    return (Decimal(value) / 100).quantize(CENT)
