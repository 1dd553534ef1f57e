"""Stripe Connect: each organization is paid into its own Stripe account (direct charges, ``STRIPE_CONNECT=1``).

The operator connects once: Hearth creates the organization's connected account (``POST /v1/accounts``) and sends
the operator to Stripe's hosted onboarding (``POST /v1/account_links``); Stripe sends them back to Hearth's payment
settings page. Whether the account can take charges and pay out is kept current by ``account.updated`` events, and
read afresh (``GET /v1/accounts/{id}``) when the operator comes back from Stripe.

The account is created with controller properties that amount to what Stripe used to call a Standard account:
the full Stripe Dashboard (``controller[stripe_dashboard][type]=full``), Stripe's fees paid by the account itself
(``controller[fees][payer]=account``), Stripe liable for negative balances (``controller[losses][payments]=stripe``)
and Stripe collecting the identity and bank details it needs (``controller[requirement_collection]=stripe``). That
is the configuration Stripe recommends for direct charges on a SaaS platform: the operator is the merchant of record
(their name on residents' card statements), sees every payment, refunds and answers disputes in their own Dashboard,
and Hearth holds no liability for their balance. Stripe's newer controller properties are used rather than the
legacy ``type=standard``, which Stripe maps onto the same properties.

Stripe is never called inside an open database transaction. Every write carries an idempotency key.
"""

import logging
import uuid
from datetime import UTC, datetime

import stripe
from django.conf import settings
from django.db import IntegrityError
from django.utils import timezone
from django.utils.translation import gettext, gettext_noop

from accounts.exceptions import DomainError, NotAllowed
from accounts.models import Membership, Organization

from ..models import StripeAccount
from .online_checkout import PaymentServiceUnavailable
from .stripe_setup import OnlinePaymentNotSetUp, connect_enabled, online_payment_configured, stripe_client

logger = logging.getLogger("billing.stripe")

OPERATORS_ONLY = gettext_noop("Only an operator of the organization connects its Stripe account.")
CONNECT_OFF = gettext_noop(
    "Stripe Connect is off in this deployment (STRIPE_CONNECT): online payments go to the deployment's own Stripe "
    "account, so there is no account of your organization's to connect."
)
STRIPE_NOT_SET_UP = gettext_noop(
    "Online payment is not set up in this deployment (no Stripe key), so no Stripe account can be connected yet."
)
STRIPE_FAILED = gettext_noop(
    "Stripe did not answer, so the setup of your Stripe account could not start. Nothing was changed; try again in a "
    "few minutes."
)
STRIPE_REFRESH_FAILED = gettext_noop("Stripe did not answer, so this shows your account as it was last reported.")
FLAGS = ("charges_enabled", "payouts_enabled", "details_submitted")


def _key_is_live() -> bool:
    return settings.STRIPE_SECRET_KEY.startswith(("sk_live_", "rk_live_"))


def _when(timestamp) -> datetime | None:
    return datetime.fromtimestamp(timestamp, tz=UTC) if isinstance(timestamp, int) else None


def _operator_organization(viewer: Membership) -> Organization:
    if not viewer.is_operator:
        raise NotAllowed(gettext(OPERATORS_ONLY))
    return viewer.organization


def connect_refusal() -> DomainError | None:
    """Why no organization can connect a Stripe account in this deployment, or None when it can: Connect is off
    (400), or there is no Stripe key (503)."""
    if not connect_enabled():
        return DomainError(gettext(CONNECT_OFF))
    if not online_payment_configured():
        return OnlinePaymentNotSetUp(gettext(STRIPE_NOT_SET_UP))
    return None


def _account_params(organization: Organization, viewer: Membership) -> dict:
    params = {
        "controller": {
            "stripe_dashboard": {"type": "full"},
            "fees": {"payer": "account"},
            "losses": {"payments": "stripe"},
            "requirement_collection": "stripe",
        },
        "business_profile": {"name": organization.name},
        "metadata": {"organization_id": str(organization.pk)},
    }
    if viewer.user.email:
        params["email"] = viewer.user.email  # pre-fills Stripe's onboarding; the operator may change it there
    return params


def stored_account(organization: Organization) -> StripeAccount | None:
    return StripeAccount.objects.filter(organization=organization).first()


def _connected_account(client: stripe.StripeClient, organization: Organization, viewer: Membership) -> StripeAccount:
    """The organization's connected account, created at Stripe once.

    Two clicks at once both find no row and both ask Stripe with the same idempotency key: Stripe answers the second
    with the first's account (after a 409 while the first is in flight, which the library retries), and the unique
    organization of ``StripeAccount`` keeps one row. The key names the organization row and when it was created, so
    a rebuilt database never reuses another organization's key."""
    existing = stored_account(organization)
    if existing is not None:
        return existing
    key = f"hearth-account-{organization.pk}-{organization.created_at:%Y%m%d%H%M%S%f}"
    created = client.v1.accounts.create(params=_account_params(organization, viewer), options={"idempotency_key": key})
    account = created.to_dict()
    defaults = {name: bool(account.get(name)) for name in FLAGS}
    # The state is as of the account's creation at Stripe, so any later account.updated event applies.
    since = _when(account.get("created")) or timezone.now()
    defaults.update(account_id=account["id"], livemode=_key_is_live(), created_at=since, updated_at=since)
    try:
        row, _ = StripeAccount.objects.get_or_create(organization=organization, defaults=defaults)
    except IntegrityError:  # the other click saved it between our get and create
        row = StripeAccount.objects.get(organization=organization)
    return row


def stripe_account_connect(*, viewer: Membership, refresh_url: str, return_url: str) -> str:
    """Starts (or continues) connecting the viewer's organization to Stripe: creates its connected account once,
    then an onboarding link, and returns the link's address to send the operator to. Stripe sends them to
    ``return_url`` when they leave onboarding, and to ``refresh_url`` when the link has expired or was used.

    Raises a 403 ``DomainError`` for anyone but an operator, a 400 one when Connect is off, ``OnlinePaymentNotSetUp``
    (503) without a Stripe key and ``PaymentServiceUnavailable`` (502) when Stripe fails (no account row is written
    unless Stripe created the account). Calls Stripe: not atomic, call it outside any database transaction."""
    organization = _operator_organization(viewer)
    refusal = connect_refusal()
    if refusal is not None:
        raise refusal
    for url in (refresh_url, return_url):
        if not url.startswith(("http://", "https://")):
            raise ValueError("refresh_url and return_url must be the site's http(s) addresses.")
    client = stripe_client()
    try:
        account = _connected_account(client, organization, viewer)
        # A link is single-use and expires within minutes, so each request asks for a fresh one; the key only makes
        # the library's own retries of this request safe.
        link = client.v1.account_links.create(
            params={
                "account": account.account_id,
                "refresh_url": refresh_url,
                "return_url": return_url,
                "type": "account_onboarding",
            },
            options={"idempotency_key": f"hearth-account-link-{account.account_id}-{uuid.uuid4().hex}"},
        )
    except stripe.StripeError as error:
        logger.warning("Stripe refused to connect organization %s: %s", organization.pk, error)
        raise PaymentServiceUnavailable(gettext(STRIPE_FAILED)) from error
    return link.url


def stripe_account_sync(*, account: dict, as_of: datetime | None = None) -> bool:
    """Updates the stored flags (``charges_enabled``, ``payouts_enabled``, ``details_submitted``) of the connected
    account ``account`` (a Stripe Account object) as Stripe reported them at ``as_of`` (default: now).

    Returns whether a row changed: False when no organization has this account, or when a state reported later than
    ``as_of`` is already stored (events may arrive out of order; a conditional update lets the newest win)."""
    account_id = account.get("id")
    if not isinstance(account_id, str) or not account_id:
        return False
    as_of = as_of or timezone.now()
    flags = {name: bool(account.get(name)) for name in FLAGS}
    updated = StripeAccount.objects.filter(account_id=account_id, updated_at__lte=as_of).update(
        **flags, updated_at=as_of
    )
    return updated == 1


def stripe_account_refresh(*, viewer: Membership) -> StripeAccount | None:
    """Reads the viewer's organization's connected account from Stripe and stores its flags (the operator is back
    from onboarding, and the ``account.updated`` event may not have arrived yet). Returns the stored account, None
    when there is none. Without a Stripe key nothing is read. Raises ``PaymentServiceUnavailable`` when Stripe
    fails."""
    organization = _operator_organization(viewer)
    stored = stored_account(organization)
    if stored is None or not online_payment_configured():
        return stored
    asked_at = timezone.now()
    try:
        account = stripe_client().v1.accounts.retrieve(stored.account_id).to_dict()
    except stripe.StripeError as error:
        logger.warning("Stripe could not read account %s: %s", stored.account_id, error)
        raise PaymentServiceUnavailable(gettext(STRIPE_REFRESH_FAILED)) from error
    stripe_account_sync(account=account, as_of=asked_at)
    stored.refresh_from_db()
    return stored


def account_updated_event(account: dict, row):
    """The ``account.updated`` webhook handler (``stripe_events.HANDLERS``): the event's ``account`` is the connected
    account it is about, its object that account. Updates the flags of the organization that owns it; an account no
    organization owns is ignored."""
    from ..models import StripeEvent
    from .stripe_events import Outcome, StripeEventProblem  # stripe_events imports this module for its HANDLERS

    connected = row.payload.get("account")
    account_id = account.get("id")
    if connected and connected != account_id:
        raise StripeEventProblem(f"An account.updated event from {connected} about another account, {account_id}.")
    owner = StripeAccount.objects.filter(account_id=account_id).values_list("organization_id", flat=True).first()
    if owner is None:
        return Outcome(StripeEvent.Status.IGNORED, "No organization of Hearth has this connected account.")
    row.organization_id = owner
    if stripe_account_sync(account=account, as_of=row.created):
        return Outcome(StripeEvent.Status.HANDLED)
    return Outcome(StripeEvent.Status.HANDLED, "Nothing to change: a later state of this account is already stored.")


def account_deauthorized_event(application: dict, row):
    """The ``account.application.deauthorized`` webhook handler: the operator disconnected Hearth from their Stripe
    account (its object is the application; the event's ``account`` the account). Hearth can no longer charge there,
    so the account stops taking payments here: residents are told online payment is not ready, as before onboarding."""
    from ..models import StripeEvent
    from .stripe_events import Outcome

    account_id = row.payload.get("account")
    owner = StripeAccount.objects.filter(account_id=account_id).values_list("organization_id", flat=True).first()
    if not account_id or owner is None:
        return Outcome(StripeEvent.Status.IGNORED, "No organization of Hearth has this connected account.")
    row.organization_id = owner
    StripeAccount.objects.filter(account_id=account_id).update(
        **dict.fromkeys(FLAGS, False), updated_at=row.created or timezone.now()
    )
    return Outcome(StripeEvent.Status.HANDLED)
