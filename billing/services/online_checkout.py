"""A resident starts paying online: an attempt is recorded, then Stripe is asked for a Checkout Session.

Stripe is never called inside an open database transaction: the attempt row is written and committed first, then
Stripe is called, then the session id is saved. A failed call marks the attempt failed and writes nothing else.

Amounts: the default is the open balance (what the resident owes, less payments already on their way). A resident
may pay part of it, but not more than it: paying ahead or overpaying is done with the house manager, because
refunding an overpayment made by card costs the house the card fee and needs staff. Each payment is also kept within
``ONLINE_PAYMENT_MIN`` .. ``ONLINE_PAYMENT_MAX``.
"""

import stripe
from django.db import transaction
from django.utils import timezone

from accounts.exceptions import DomainError
from accounts.models import Membership
from accounts.money import money_words
from residents.models import Resident

from ..models import OnlinePayment, StripeCustomer
from ..selectors.online import amount_limits, open_balance_of
from .ledger import billing_stay, clean_amount
from .stripe_setup import ZERO_DECIMAL_CURRENCIES, stripe_client, to_minor

UNAVAILABLE = (
    "The payment service could not start your payment, so nothing was charged. Try again in a few minutes, "
    "or pay your house manager by cash, check or money order."
)
RETURN_PATH = "/portal/pay/return/?session_id={CHECKOUT_SESSION_ID}"
CANCEL_PATH = "/portal/"


class PaymentServiceUnavailable(DomainError):
    status_code = 502


def resident_of(viewer: Membership) -> Resident:
    if not viewer.is_resident:
        raise DomainError("Only residents pay online; staff record payments at the house.", status_code=403)
    resident = Resident.objects.filter(membership=viewer).select_related("organization").first()
    if resident is None:
        raise DomainError("Your login is not linked to a resident record yet. Ask your house manager.", status_code=403)
    return resident


@transaction.atomic
def online_payment_open(*, viewer: Membership, amount=None) -> OnlinePayment:
    """Records an attempt to pay ``amount`` (default: the open balance) online, after checking it: above zero,
    two decimal places at most, within the online limits and not more than the open balance."""
    resident = resident_of(viewer)
    stay = billing_stay(resident)
    organization = resident.organization
    owed = open_balance_of(resident)
    minimum, maximum = amount_limits()
    if amount in (None, ""):
        if owed <= 0:
            raise DomainError("You owe nothing right now, so there is nothing to pay online.", field="amount")
        amount = owed
    amount = clean_amount(amount)
    if amount < minimum:
        smallest = money_words(minimum, organization.currency)
        raise DomainError(f"The smallest online payment is {smallest}.", field="amount")
    if amount > maximum:
        raise DomainError(
            f"Online payments are limited to {money_words(maximum, organization.currency)} at a time. Pay part now, or"
            " pay your house manager.",
            field="amount",
        )
    if amount > owed:
        if owed <= 0:
            raise DomainError("You owe nothing right now, so there is nothing to pay online.", field="amount")
        raise DomainError(
            f"You can pay up to what you owe, {money_words(owed, organization.currency)}. To pay ahead, speak to your"
            " house manager.",
            field="amount",
        )
    currency = organization.currency.lower()
    if currency in ZERO_DECIMAL_CURRENCIES and amount != amount.to_integral_value():
        raise DomainError(f"{organization.currency} has no cents: enter a whole amount.", field="amount")
    return OnlinePayment.objects.create(
        organization=organization,
        resident=resident,
        stay=stay,
        house_id=stay.house_id,
        amount=amount,
        currency=currency,
        started_by=viewer.user,
    )


def _customer_id(client: stripe.StripeClient, resident: Resident) -> str:
    """The resident's Stripe Customer, created once. The idempotency key makes a retried call (ours or the
    library's) return the same customer instead of a second one; the key names the resident row, including when it
    was created, so a rebuilt database never reuses another person's key."""
    existing = StripeCustomer.objects.filter(resident=resident).values_list("customer_id", flat=True).first()
    if existing:
        return existing
    params = {
        "name": resident.legal_name,
        "metadata": {"organization_id": str(resident.organization_id), "resident_id": str(resident.pk)},
    }
    if resident.email:
        params["email"] = resident.email
    key = f"hearth-customer-{resident.organization_id}-{resident.pk}-{resident.created_at:%Y%m%d%H%M%S%f}"
    customer = client.v1.customers.create(params=params, options={"idempotency_key": key})
    row, _ = StripeCustomer.objects.get_or_create(
        resident=resident, defaults={"organization_id": resident.organization_id, "customer_id": customer.id}
    )
    return row.customer_id


def checkout_metadata(attempt: OnlinePayment) -> dict[str, str]:
    """What the Checkout Session and its PaymentIntent carry, so each webhook finds its local payment."""
    return {
        "organization_id": str(attempt.organization_id),
        "resident_id": str(attempt.resident_id),
        "online_payment_id": str(attempt.pk),
    }


def _session_params(attempt: OnlinePayment, *, customer_id: str, base_url: str) -> dict:
    metadata = checkout_metadata(attempt)
    # US bank debits (ACH) exist only in US dollars; other currencies are paid by card.
    methods = ["card", "us_bank_account"] if attempt.currency == "usd" else ["card"]
    return {
        "mode": "payment",
        "customer": customer_id,
        "client_reference_id": str(attempt.pk),
        "payment_method_types": methods,
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
        "payment_intent_data": {"metadata": metadata},
        "success_url": base_url + RETURN_PATH,
        "cancel_url": base_url + CANCEL_PATH,
    }


def online_checkout_start(*, viewer: Membership, amount=None, base_url: str) -> tuple[str, str]:
    """Starts an online payment for the resident ``viewer``: returns the Stripe Checkout address to send them to and
    the session id. ``base_url`` is the site's address (``https://hearth.example.org``), for the return links.

    Raises ``OnlinePaymentNotSetUp`` (503) without a Stripe key, a ``DomainError`` naming ``amount`` for an amount
    that is not allowed (nothing is written), and ``PaymentServiceUnavailable`` (502) when Stripe fails (the attempt
    is kept, marked failed). It calls Stripe, so it is not atomic: call it outside any database transaction.
    """
    client = stripe_client()
    base_url = base_url.rstrip("/")
    if not base_url.startswith(("http://", "https://")):
        raise ValueError("base_url must be the site's http(s) address.")
    attempt = online_payment_open(viewer=viewer, amount=amount)
    try:
        customer_id = _customer_id(client, attempt.resident)
        session = client.v1.checkout.sessions.create(
            params=_session_params(attempt, customer_id=customer_id, base_url=base_url),
            options={"idempotency_key": f"hearth-checkout-{attempt.pk}-{attempt.created_at:%Y%m%d%H%M%S%f}"},
        )
    except stripe.StripeError as error:
        reason = (error.user_message or str(error) or type(error).__name__)[:250]
        OnlinePayment.objects.filter(pk=attempt.pk, status=OnlinePayment.Status.CREATED).update(
            status=OnlinePayment.Status.FAILED,
            failure_message=f"Stripe refused to start the checkout: {reason}"[:300],
            updated_at=timezone.now(),
        )
        raise PaymentServiceUnavailable(UNAVAILABLE) from error
    OnlinePayment.objects.filter(pk=attempt.pk).update(
        checkout_session_id=session.id, checkout_url=session.url or "", updated_at=timezone.now()
    )
    return session.url, session.id
