"""A resident starts paying online: an attempt is recorded, then Stripe is asked for a Checkout Session.

Stripe is never called inside an open database transaction: the decision (which checkout to pay, which earlier ones
to close) is taken and committed first, then Stripe is called, then the session id is saved. A failed call marks the
attempt failed and writes nothing else.

Never more than owed: a resident has at most one checkout that can be paid. Starting one returns the open checkout
when it is for the same amount and has time left (a double tap, a second tab); otherwise it replaces every earlier
one, which is marked expired here and expired at Stripe (``POST /v1/checkout/sessions/{id}/expire``). Each session
closes by itself after ``STRIPE_CHECKOUT_EXPIRES_MINUTES``. If two payments still complete (a replaced session was
being paid at that very moment), the excess is refunded through Stripe (``online_refunds``).

Amounts: the default is what the resident owes less the payments already on their way; the checkouts being replaced
are not subtracted. A resident may pay part of it, but not more than it: paying ahead or overpaying is done with the
house manager, because refunding an overpayment made by card costs the house the card fee and needs staff. Each
payment is also kept within ``ONLINE_PAYMENT_MIN`` .. ``ONLINE_PAYMENT_MAX``.
"""

import logging
from dataclasses import dataclass
from datetime import timedelta

import stripe
from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext, gettext_noop
from django.utils.translation import gettext as _

from accounts.exceptions import Conflict, DomainError, NotAllowed, Unavailable
from accounts.models import Membership
from accounts.money import money_words
from residents.models import Resident

from ..models import OnlinePayment, StripeCustomer
from ..selectors.online import amount_limits, open_checkout_of, payable_of
from .ledger import billing_stay, clean_amount
from .stripe_setup import ZERO_DECIMAL_CURRENCIES, account_of, application_fee_minor, stripe_client, to_minor

logger = logging.getLogger("billing.stripe")

UNAVAILABLE = gettext_noop(
    "The payment service could not start your payment, so nothing was charged. Try again in a few minutes, "
    "or pay your house manager by cash, check or money order."
)
REPLACED_AT_ONCE = (
    "You started another payment at the same moment (a second tab or a second tap), so this one was closed and "
    "nothing was charged. Open the pay page again to continue."
)
RETURN_PATH = "/portal/pay/return/?session_id={CHECKOUT_SESSION_ID}"
CANCEL_PATH = "/portal/"
# An open checkout with less time left than this is replaced rather than handed out again: paying takes a while.
REUSE_MARGIN = timedelta(minutes=5)
# Stripe refuses an expires_at less than 30 minutes after it creates the session: a minute for the trip and clocks.
EXPIRY_SLACK = timedelta(minutes=1)

Status = OnlinePayment.Status


class PaymentServiceUnavailable(Unavailable):
    status_code = 502


def resident_of(viewer: Membership) -> Resident:
    if not viewer.is_resident:
        raise NotAllowed(_("Only residents pay online; staff record payments at the house."))
    resident = Resident.objects.filter(membership=viewer).select_related("organization").first()
    if resident is None:
        raise NotAllowed(_("Your login is not linked to a resident record yet. Ask your house manager."))
    return resident


@dataclass(frozen=True)
class CheckoutDecision:
    """What starting a checkout decided: the attempt to pay (``reused``: an open checkout handed out again) and the
    earlier checkouts it replaced, already marked expired here, still to be expired at Stripe."""

    attempt: OnlinePayment
    reused: bool
    replaced: tuple[OnlinePayment, ...]


def _checked_amount(amount, *, owed, organization):
    minimum, maximum = amount_limits()
    if amount in (None, ""):
        if owed <= 0:
            raise DomainError(_("You owe nothing right now, so there is nothing to pay online."), field="amount")
        amount = owed
    amount = clean_amount(amount)
    if amount < minimum:
        smallest = money_words(minimum, organization.currency)
        raise DomainError(_("The smallest online payment is %(amount)s.") % {"amount": smallest}, field="amount")
    if amount > maximum:
        raise DomainError(
            _("Online payments are limited to %(amount)s at a time. Pay part now, or pay your house manager.")
            % {"amount": money_words(maximum, organization.currency)},
            field="amount",
        )
    if amount > owed:
        if owed <= 0:
            raise DomainError(_("You owe nothing right now, so there is nothing to pay online."), field="amount")
        raise DomainError(
            _("You can pay up to what you owe, %(amount)s. To pay ahead, speak to your house manager.")
            % {"amount": money_words(owed, organization.currency)},
            field="amount",
        )
    if organization.currency.lower() in ZERO_DECIMAL_CURRENCIES and amount != amount.to_integral_value():
        raise DomainError(
            _("%(currency)s has no cents: enter a whole amount.") % {"currency": organization.currency},
            field="amount",
        )
    return amount


@transaction.atomic
def online_checkout_decide(*, viewer: Membership, amount=None) -> CheckoutDecision:
    """Decides, for the resident ``viewer``, which checkout pays ``amount`` (default: what they owe less payments on
    their way): the open checkout when it is for that amount and has time left, else a new attempt, recorded here;
    every other started checkout of the resident is marked expired (the caller expires it at Stripe, after commit).
    Checks the amount first: above zero, two decimal places at most, within the online limits and not more than
    owed; a refused amount writes nothing."""
    resident = resident_of(viewer)
    organization = resident.organization
    account = account_of(organization)
    # One decision at a time per resident: two tabs or a double tap must not each find no open checkout and each
    # start one. Lock order: the resident, then their online payments (a webhook locks only the payment).
    Resident.objects.select_for_update().filter(pk=resident.pk).values_list("pk", flat=True).first()
    stay = billing_stay(resident)
    # Locking the started checkouts also waits for a webhook settling one of them, so the balance read next has it.
    started = list(
        OnlinePayment.objects.select_for_update()
        .filter(resident=resident, source=OnlinePayment.Source.CHECKOUT, status=Status.CREATED)
        .order_by("-created_at", "-pk")
    )
    amount = _checked_amount(amount, owed=payable_of(resident), organization=organization)
    now = timezone.now()
    kept = next(
        (
            op
            for op in started
            if op.amount == amount
            and op.checkout_session_id
            and op.checkout_url
            and op.account_id == account
            and op.expires_at is not None
            and op.expires_at > now + REUSE_MARGIN
        ),
        None,
    )
    replaced = tuple(op for op in started if op is not kept)
    if replaced:
        OnlinePayment.objects.filter(pk__in=[op.pk for op in replaced], status=Status.CREATED).update(
            status=Status.EXPIRED, failure_message="Replaced by a checkout started later.", updated_at=now
        )
    if kept is not None:
        return CheckoutDecision(attempt=kept, reused=True, replaced=replaced)
    attempt = OnlinePayment.objects.create(
        organization=organization,
        resident=resident,
        stay=stay,
        house_id=stay.house_id,
        amount=amount,
        currency=organization.currency.lower(),
        account_id=account,
        started_by=viewer.user,
    )
    return CheckoutDecision(attempt=attempt, reused=False, replaced=replaced)


def online_payment_open(*, viewer: Membership, amount=None) -> OnlinePayment:
    """Records the attempt ``online_checkout_decide`` chose, without calling Stripe (tests, seeding). Replaced
    checkouts are marked expired here only: ``online_checkout_start`` is the way that also expires them at Stripe."""
    return online_checkout_decide(viewer=viewer, amount=amount).attempt


def _options(account_id: str, **options) -> dict:
    """Request options: with a connected account, the ``Stripe-Account`` header (Connect, direct charges)."""
    return {**options, "stripe_account": account_id} if account_id else options


def _customer_id(client: stripe.StripeClient, resident: Resident, *, account_id: str) -> str:
    """The resident's Stripe Customer on ``account_id`` (blank: the platform's), created once. A customer of the
    platform cannot be used on a connected account, so when the organization moves to its own account the resident
    gets a customer there, which replaces the old one (a resident has one customer row).

    The idempotency key makes a retried call (ours or the library's) return the same customer instead of a second
    one; the key names the resident row, including when it was created, so a rebuilt database never reuses another
    person's key, and the account, so a customer of the platform is never answered for a connected account."""
    existing = StripeCustomer.objects.filter(resident=resident).first()
    if existing is not None and existing.account_id == account_id:
        return existing.customer_id
    params = {
        "name": resident.legal_name,
        "metadata": {"organization_id": str(resident.organization_id), "resident_id": str(resident.pk)},
    }
    if resident.email:
        params["email"] = resident.email
    key = f"hearth-customer-{resident.organization_id}-{resident.pk}-{resident.created_at:%Y%m%d%H%M%S%f}"
    if account_id:
        key += f"-{account_id}"
    customer = client.v1.customers.create(params=params, options=_options(account_id, idempotency_key=key))
    if existing is None:
        StripeCustomer.objects.get_or_create(
            resident=resident,
            defaults={
                "organization_id": resident.organization_id,
                "customer_id": customer.id,
                "account_id": account_id,
            },
        )
    else:
        StripeCustomer.objects.filter(pk=existing.pk).update(customer_id=customer.id, account_id=account_id)
    return customer.id


def checkout_metadata(attempt: OnlinePayment) -> dict[str, str]:
    """What the Checkout Session and its PaymentIntent carry, so each webhook finds its local payment."""
    return {
        "organization_id": str(attempt.organization_id),
        "resident_id": str(attempt.resident_id),
        "online_payment_id": str(attempt.pk),
    }


def _session_params(attempt: OnlinePayment, *, customer_id: str, base_url: str, expires_at) -> dict:
    metadata = checkout_metadata(attempt)
    # US bank debits (ACH) exist only in US dollars; other currencies are paid by card.
    methods = ["card", "us_bank_account"] if attempt.currency == "usd" else ["card"]
    intent_data: dict = {"metadata": metadata}
    fee = application_fee_minor(attempt.amount, attempt.currency)
    if fee is not None:
        intent_data["application_fee_amount"] = fee
    return {
        "mode": "payment",
        "customer": customer_id,
        "client_reference_id": str(attempt.pk),
        "allowed_payment_method_types": methods,
        "line_items": [
            {
                "quantity": 1,
                "price_data": {
                    "currency": attempt.currency,
                    "unit_amount": to_minor(attempt.amount, attempt.currency),
                    "product_data": {"name": f"Rent and fees — {attempt.house.name}"},
                },
            }
        ],
        "metadata": metadata,
        "payment_intent_data": intent_data,
        "expires_at": int(expires_at.timestamp()),
        "success_url": base_url + RETURN_PATH,
        "cancel_url": base_url + CANCEL_PATH,
    }


def _expire_at_stripe(client: stripe.StripeClient, op: OnlinePayment) -> None:
    """Closes a replaced checkout at Stripe, so nobody can pay it any more. A session that is no longer open (paid a
    moment ago, or expired) is refused by Stripe: nothing to do; if it was paid, the excess is refunded. Any other
    error is raised (``stripe.StripeError``)."""
    try:
        client.v1.checkout.sessions.expire(
            op.checkout_session_id,
            options=_options(op.account_id, idempotency_key=f"hearth-expire-{op.checkout_session_id}"),
        )
    except stripe.InvalidRequestError as refused:
        reason = refused.user_message or refused
        logger.info(
            "Checkout %s of online payment %s was not open to expire: %s", op.checkout_session_id, op.pk, reason
        )


def _fail(attempt: OnlinePayment, reason: str) -> None:
    OnlinePayment.objects.filter(pk=attempt.pk, status=Status.CREATED).update(
        status=Status.FAILED, failure_message=reason[:300], updated_at=timezone.now()
    )


def _reason(error: stripe.StripeError) -> str:
    return (error.user_message or str(error) or type(error).__name__)[:250]


def _close_replaced(client: stripe.StripeClient, decision: CheckoutDecision) -> None:
    """Expires the replaced checkouts at Stripe (after the decision was committed). If one cannot be closed (Stripe
    cannot be reached), no new checkout is started: it could be paid beside the one still open."""
    now = timezone.now()
    for op in decision.replaced:
        if not op.checkout_session_id or (op.expires_at is not None and op.expires_at <= now):
            continue  # never reached Stripe, or Stripe closed it already
        try:
            _expire_at_stripe(client, op)
        except stripe.StripeError as error:
            logger.warning("Could not expire checkout %s of online payment %s", op.checkout_session_id, op.pk)
            # Still payable at Stripe: counted as open again, and the next checkout tries to close it again.
            OnlinePayment.objects.filter(pk=op.pk, status=Status.EXPIRED).update(
                status=Status.CREATED, failure_message="", updated_at=timezone.now()
            )
            if decision.reused:
                continue  # nothing new is started; the old session closes by itself at its expires_at
            _fail(decision.attempt, f"Stripe could not close an earlier checkout: {_reason(error)}")
            raise PaymentServiceUnavailable(gettext(UNAVAILABLE)) from error


def online_checkout_start(*, viewer: Membership, amount=None, base_url: str) -> tuple[str, str]:
    """Starts an online payment for the resident ``viewer``: returns the Stripe Checkout address to send them to and
    the session id. ``base_url`` is the site's address (``https://hearth.example.org``), for the return links. The
    open checkout is returned again when it is for the same amount; earlier checkouts are expired at Stripe.

    Raises ``OnlinePaymentNotSetUp`` (503) without a Stripe key (or, with Connect, before the organization's account
    can take charges), a ``DomainError`` naming ``amount`` for an amount that is not allowed (nothing is written),
    ``PaymentServiceUnavailable`` (502) when Stripe fails (the attempt is kept, marked failed) and a ``Conflict``
    (409) when a checkout started at the same moment replaced this one. It calls Stripe, so it is not atomic: call
    it outside any database transaction.
    """
    client = stripe_client()
    base_url = base_url.rstrip("/")
    if not base_url.startswith(("http://", "https://")):
        raise ValueError("base_url must be the site's http(s) address.")
    decision = online_checkout_decide(viewer=viewer, amount=amount)
    attempt = decision.attempt
    _close_replaced(client, decision)
    if decision.reused:
        return attempt.checkout_url, attempt.checkout_session_id
    expires_at = timezone.now() + timedelta(minutes=settings.STRIPE_CHECKOUT_EXPIRES_MINUTES) + EXPIRY_SLACK
    try:
        customer_id = _customer_id(client, attempt.resident, account_id=attempt.account_id)
        session = client.v1.checkout.sessions.create(
            params=_session_params(attempt, customer_id=customer_id, base_url=base_url, expires_at=expires_at),
            options=_options(
                attempt.account_id,
                idempotency_key=f"hearth-checkout-{attempt.pk}-{attempt.created_at:%Y%m%d%H%M%S%f}",
            ),
        )
    except stripe.StripeError as error:
        _fail(attempt, f"Stripe refused to start the checkout: {_reason(error)}")
        raise PaymentServiceUnavailable(gettext(UNAVAILABLE)) from error
    expires_at = expires_at.replace(microsecond=0)  # what Stripe holds: whole seconds
    recorded = {
        "checkout_session_id": session.id,
        "checkout_url": session.url or "",
        "expires_at": expires_at,
        "updated_at": timezone.now(),
    }
    if OnlinePayment.objects.filter(pk=attempt.pk, status=Status.CREATED).update(**recorded):
        return session.url, session.id
    # Replaced while Stripe was answering (a checkout started at the same moment): this session must not be paid.
    OnlinePayment.objects.filter(pk=attempt.pk).update(**recorded)
    attempt.checkout_session_id = session.id
    try:
        _expire_at_stripe(client, attempt)
    except stripe.StripeError:
        logger.warning("Could not expire replaced checkout %s; it closes at %s", session.id, expires_at)
    survivor = open_checkout_of(attempt.resident)
    if survivor is not None and survivor.amount == attempt.amount:
        return survivor.checkout_url, survivor.checkout_session_id
    raise Conflict(REPLACED_AT_ONCE)
