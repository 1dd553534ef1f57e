"""The local Stripe stand-in's payment reads (``conftest.ROUTES``): ``GET /v1/charges/{id}`` and
``GET /v1/payment_intents/{id}``, answered with what a test said Stripe holds, on the account the request names
(the ``Stripe-Account`` header; none: the platform's). Anything else is Stripe's 404 ``resource_missing``."""

import copy
import json
from pathlib import Path

OBJECTS = Path(__file__).resolve().parent / "fixtures" / "stripe" / "objects"


def stripe_object(name: str, **fields) -> dict:
    """One of Stripe's sample objects (``fixtures/stripe/objects/<name>.json``) with ``fields`` changed."""
    obj = json.loads((OBJECTS / f"{name}.json").read_text())
    obj.update(fields)
    return obj


def held_by(state) -> dict[tuple[str, str], dict]:
    """What the stand-in's Stripe holds: ``(account or "", object id): object``."""
    return state.__dict__.setdefault("payment_objects", {})


def stripe_holds(state, obj: dict, *, account: str = "") -> dict:
    """Makes the stand-in's Stripe hold ``obj`` (a charge or payment intent) on ``account``."""
    held_by(state)[(account, obj["id"])] = copy.deepcopy(obj)
    return obj


def _missing(kind: str, object_id: str) -> tuple[int, dict]:
    return 404, {
        "error": {
            "type": "invalid_request_error",
            "code": "resource_missing",
            "param": "id",
            "message": f"No such {kind}: '{object_id}'",
        }
    }


def _retrieve(kind: str):
    def route(state, form: dict, match) -> tuple[int, dict]:
        account = state.requests[-1]["headers"].get("Stripe-Account", "")
        found = held_by(state).get((account, match["id"]))
        return (200, found) if found is not None else _missing(kind, match["id"])

    return route


retrieve_charge = _retrieve("charge")
retrieve_payment_intent = _retrieve("payment_intent")
