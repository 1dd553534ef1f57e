"""The demo's connected organization (Stripe Connect): the first organization has finished Stripe's onboarding, so
its own Stripe account can take charges and pays out to its bank.

Nothing calls Stripe: the account is stored as ``account.updated`` would have left it. The demo runs without
``STRIPE_CONNECT``, so residents' payments still go to the deployment's one account; the operator's Online payments
page shows the stored account beside "Connect is off in this deployment"."""

from datetime import timedelta

from django.utils import timezone

from accounts.models import Organization
from billing.models import StripeAccount

# A realistic connected-account id (acct_ and 16 letters and digits), never a real account's.
ACCOUNT_ID = "acct_1QdEmoHearth2Wnd"


def seed(organization: Organization) -> StripeAccount:
    """The organization's connected account, ready: charges and payouts enabled, details submitted. Runs once."""
    connected = timezone.now() - timedelta(days=60)
    account, _ = StripeAccount.objects.get_or_create(
        organization=organization,
        defaults={
            "account_id": ACCOUNT_ID,
            "charges_enabled": True,
            "payouts_enabled": True,
            "details_submitted": True,
            "livemode": False,
            "created_at": connected,
            "updated_at": connected + timedelta(days=1),
        },
    )
    return account
