"""The local Stripe stand-in's autopay endpoints (``conftest.ROUTES``): reading a setup-mode Checkout Session, the
SetupIntent it completed and the PaymentMethod it saved, and creating an off-session PaymentIntent.

Knobs, set on the stand-in by a test: ``setup_method`` ("card": a Visa ending 4242, the default; or
"us_bank_account": a bank account ending 6789), ``setup_status`` (the SetupIntent's status, default "succeeded") and
``intent_outcome`` for the next PaymentIntents: "succeeded" (default), "processing" (a bank debit on its way),
"requires_payment_method" (declined: Stripe's 402 ``card_error`` with the PaymentIntent, insufficient funds) or
"authentication_required" (the bank wants the cardholder to confirm it: 402 as well)."""

import time

from .stand_in_payments import stripe_object

CUSTOMER = "cus_standin0001"


def _form_dict(form: dict, prefix: str) -> dict:
    return {key[len(prefix) + 1 : -1]: value for key, value in form.items() if key.startswith(f"{prefix}[")}


def _number(object_id: str) -> str:
    return object_id.rsplit("standin", 1)[-1]


def retrieve_session(state, form: dict, match) -> tuple[int, dict]:
    """A setup-mode session the resident completed (the stand-in does not keep sessions: it is built from its id)."""
    session_id = match["id"]
    return 200, stripe_object(
        "checkout.session",
        id=session_id,
        mode="setup",
        status="complete",
        payment_status="no_payment_required",
        payment_intent=None,
        setup_intent=f"seti_standin{_number(session_id)}",
        customer=CUSTOMER,
        amount_subtotal=None,
        amount_total=None,
    )


def retrieve_setup_intent(state, form: dict, match) -> tuple[int, dict]:
    # Stripe's SetupIntent object (https://docs.stripe.com/api/setup_intents/object); objects/ has no sample of it.
    setup_intent = match["id"]
    kind = getattr(state, "setup_method", "card")
    return 200, {
        "id": setup_intent,
        "object": "setup_intent",
        "application": None,
        "cancellation_reason": None,
        "client_secret": f"{setup_intent}_secret_standin",
        "created": int(time.time()),
        "customer": getattr(state, "setup_customer", CUSTOMER),
        "description": None,
        "last_setup_error": None,
        "latest_attempt": f"setatt_standin{_number(setup_intent)}",
        "livemode": False,
        "mandate": f"mandate_standin{_number(setup_intent)}" if kind == "us_bank_account" else None,
        "metadata": {},
        "next_action": None,
        "on_behalf_of": None,
        "payment_method": f"pm_standin_{kind}",
        "payment_method_types": ["card", "us_bank_account"],
        "single_use_mandate": None,
        "status": getattr(state, "setup_status", "succeeded"),
        "usage": "off_session",
    }


def retrieve_payment_method(state, form: dict, match) -> tuple[int, dict]:
    # Stripe's PaymentMethod object (https://docs.stripe.com/api/payment_methods/object).
    method_id = match["id"]
    method = {
        "id": method_id,
        "object": "payment_method",
        "billing_details": {"address": None, "email": None, "name": "Resident", "phone": None},
        "created": int(time.time()),
        "customer": CUSTOMER,
        "livemode": False,
        "metadata": {},
    }
    if method_id.endswith("us_bank_account"):
        method["type"] = "us_bank_account"
        method["us_bank_account"] = {
            "account_holder_type": "individual",
            "account_type": "checking",
            "bank_name": "STRIPE TEST BANK",
            "fingerprint": "FFDMA0xfhBjWSZLu",
            "last4": "6789",
            "routing_number": "110000000",
        }
    else:
        method["type"] = "card"
        method["card"] = {
            "brand": "visa",
            "country": "US",
            "exp_month": 8,
            "exp_year": 2030,
            "fingerprint": "Xt5EWLLDS7FJjR1c",
            "funding": "credit",
            "last4": "4242",
        }
    return 200, method


def create_payment_intent(state, form: dict, match) -> tuple[int, dict]:
    state.__dict__["intents"] = state.__dict__.get("intents", 0) + 1
    outcome = getattr(state, "intent_outcome", "succeeded")
    intent = stripe_object(
        "payment_intent",
        id=f"pi_standin{state.intents:04d}",
        amount=int(form["amount"]),
        amount_received=int(form["amount"]) if outcome == "succeeded" else 0,
        currency=form["currency"],
        customer=form.get("customer"),
        payment_method=form.get("payment_method"),
        payment_method_types=[v for key, v in form.items() if key.startswith("allowed_payment_method_types[")],
        metadata=_form_dict(form, "metadata"),
        description=form.get("description"),
        status=outcome if outcome in ("succeeded", "processing") else "requires_payment_method",
        latest_charge=f"ch_standin{state.intents:04d}" if outcome == "succeeded" else None,
        last_payment_error=None,
        next_action=None,
        canceled_at=None,
        created=int(time.time()),
    )
    if outcome in ("succeeded", "processing"):
        return 200, intent
    decline = "insufficient_funds" if outcome == "requires_payment_method" else "authentication_required"
    error = {
        "type": "card_error",
        "code": "card_declined" if decline == "insufficient_funds" else "authentication_required",
        "decline_code": decline,
        "message": "Your card has insufficient funds."
        if decline == "insufficient_funds"
        else "Your card was declined. This transaction requires authentication.",
        "charge": f"ch_standin{state.intents:04d}",
    }
    intent["last_payment_error"] = {**error, "payment_method": {"id": form.get("payment_method")}}
    return 402, {"error": {**error, "payment_intent": intent}}
