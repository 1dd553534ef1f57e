"""Asking Stripe about a payment an event names but Hearth does not know yet.

A dispute or a refund can arrive before (or instead of) the events that told Hearth which PaymentIntent a checkout
became. Rather than dropping it, the webhook fetches the charge and its PaymentIntent, whose metadata names the
local online payment (``checkout_metadata``). Reads only, made before any database transaction is opened, on the
event's connected account when it came from one.
"""

import stripe

from .stripe_setup import online_payment_configured, stripe_client

# Stripe objects that belong to a charge: what the event's object is, when the payment behind it may be looked up.
CHARGE_OBJECTS = frozenset({"charge", "dispute", "refund"})


class StripeLookupFailed(Exception):
    """Stripe did not answer the question (network, outage, a refusal): the event waits and is tried again."""


def id_of(value) -> str | None:
    """The id in a field Stripe sends either as an id or, expanded, as the object itself."""
    if isinstance(value, dict):
        value = value.get("id")
    return value if isinstance(value, str) and value else None


def charge_id_of(obj: dict) -> str | None:
    return id_of(obj.get("id")) if obj.get("object") == "charge" else id_of(obj.get("charge"))


def _retrieve(resource, object_id: str, options: dict) -> dict | None:
    try:
        return resource.retrieve(object_id, options=options).to_dict()
    except stripe.InvalidRequestError as error:
        if error.http_status == 404:  # Stripe knows no such object (on this account)
            return None
        raise StripeLookupFailed(f"Stripe refused to show {object_id}: {error.user_message or error}") from error
    except stripe.StripeError as error:
        raise StripeLookupFailed(f"Stripe could not be asked about {object_id}: {error}") from error


def stripe_payment_fetch(*, obj: dict, account: str = "") -> dict[str, dict]:
    """What Stripe holds about the payment behind ``obj`` (a charge, dispute or refund): ``{"charge": …,
    "payment_intent": …}``, each present only if Stripe has it. ``account``: the connected account the event came
    from (blank: the platform's). Raises ``StripeLookupFailed`` when Stripe cannot be asked. Call it outside any
    database transaction."""
    if obj.get("object") not in CHARGE_OBJECTS or not online_payment_configured():
        return {}
    client = stripe_client()
    options = {"stripe_account": account} if account else {}
    found: dict[str, dict] = {}
    charge_id = charge_id_of(obj)
    if obj.get("object") == "charge":
        found["charge"] = obj
    elif charge_id:
        charge = _retrieve(client.v1.charges, charge_id, options)
        if charge is not None:
            found["charge"] = charge
    intent_id = id_of(obj.get("payment_intent")) or id_of(found.get("charge", {}).get("payment_intent"))
    if intent_id:
        intent = _retrieve(client.v1.payment_intents, intent_id, options)
        if intent is not None:
            found["payment_intent"] = intent
    return found
