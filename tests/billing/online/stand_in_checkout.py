"""The local Stripe stand-in's routes for closing checkouts and refunding (``conftest.ROUTES``), answered with Stripe's
own objects (``fixtures/stripe/objects/checkout.session.json``, ``refund.json``).

``expired_sessions(state)`` lists the sessions expired, ``refunds_of(state)`` the refunds made; a test sets
``state.refund_status`` ("pending" for a bank debit's refund) to change what a new refund answers."""

import json
import threading
import time
from pathlib import Path

OBJECTS = Path(__file__).resolve().parent / "fixtures" / "stripe" / "objects"
_LOCK = threading.Lock()


def _object(name: str) -> dict:
    return json.loads((OBJECTS / name).read_text())


def expired_sessions(state) -> list[str]:
    return state.__dict__.setdefault("expired_sessions", [])


def refunds_of(state) -> list[dict]:
    return state.__dict__.setdefault("refunds_made", [])


def expire_session(state, form: dict, match) -> tuple[int, dict]:
    """``POST /v1/checkout/sessions/{id}/expire``: the session, now ``expired`` (https://docs.stripe.com/api/checkout/sessions/expire)."""
    session_id = match["session"]
    with _LOCK:
        expired_sessions(state).append(session_id)
    session = _object("checkout.session.json")
    session.update(id=session_id, status="expired", payment_status="unpaid", url=None, payment_intent=None)
    return 200, session


def create_refund(state, form: dict, match) -> tuple[int, dict]:
    """``POST /v1/refunds``: a Refund object (https://docs.stripe.com/api/refunds/object)."""
    with _LOCK:
        number = len(refunds_of(state)) + 1
        refund = _object("refund.json")
        refund.update(
            id=f"re_standin{number:04d}",
            amount=int(form["amount"]),
            payment_intent=form.get("payment_intent"),
            charge=f"ch_standin_{form.get('payment_intent')}",
            created=int(time.time()),
            metadata={key[9:-1]: value for key, value in form.items() if key.startswith("metadata[")},
            status=getattr(state, "refund_status", "succeeded"),
        )
        refunds_of(state).append(refund)
    return 200, refund
