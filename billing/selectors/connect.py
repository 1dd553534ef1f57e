"""Reads of an organization's own Stripe account (Stripe Connect), shared by the API and the settings page."""

from decimal import Decimal

from django.conf import settings

from accounts.models import Membership

from ..models import StripeAccount
from ..services.stripe_setup import connect_enabled, online_payment_configured


def payment_account_of(*, viewer: Membership) -> dict:
    """The viewer's organization's payment set-up: whether Connect is on in this deployment (``connect``), whether
    Stripe is set up at all (``configured``), the platform's fee (``fee_percent``), and its connected account as last
    reported by Stripe: ``account_id`` (None when not connected), ``charges_enabled``, ``payouts_enabled``,
    ``details_submitted`` (False when not connected), ``updated_at`` (None when not connected)."""
    account = StripeAccount.objects.filter(organization_id=viewer.organization_id).first()
    return {
        "connect": connect_enabled(),
        "configured": online_payment_configured(),
        "fee_percent": Decimal(settings.STRIPE_APPLICATION_FEE_PERCENT) if connect_enabled() else Decimal("0"),
        "account_id": account.account_id if account else None,
        "charges_enabled": bool(account and account.charges_enabled),
        "payouts_enabled": bool(account and account.payouts_enabled),
        "details_submitted": bool(account and account.details_submitted),
        "updated_at": account.updated_at if account else None,
    }
