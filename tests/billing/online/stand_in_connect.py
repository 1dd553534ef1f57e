"""The local Stripe stand-in's Connect routes (``conftest.ROUTES``): connected accounts and onboarding links, answered
with Stripe's own objects (``fixtures/stripe/objects/account.json``, ``account_link.json``).

Like Stripe, ``POST /v1/accounts`` answers a repeated idempotency key with the account it created the first time.
The parameters themselves are checked against Stripe's before any route runs (``stripe_params``)."""

import copy
import json
import threading
import time
from pathlib import Path

OBJECTS = Path(__file__).resolve().parent / "fixtures" / "stripe" / "objects"
_LOCK = threading.Lock()


def _object(name: str) -> dict:
    return json.loads((OBJECTS / name).read_text())


def accounts_of(state) -> dict[str, dict]:
    """The connected accounts the stand-in has created, by id (a test may change their flags)."""
    return state.__dict__.setdefault("connect_accounts", {})


def _keys(state) -> dict[str, str]:
    return state.__dict__.setdefault("connect_account_keys", {})


def _nested(form: dict, prefix: str) -> dict:
    """``controller[fees][payer]=account`` and the like, back into nested dicts."""
    found: dict = {}
    for key, value in form.items():
        if not key.startswith(prefix + "["):
            continue
        parts = key[len(prefix) + 1 : -1].split("][")
        node = found
        for part in parts[:-1]:
            node = node.setdefault(part, {})
        node[parts[-1]] = value
    return found


def _refusal(message: str, param: str) -> tuple[int, dict]:
    return 400, {"error": {"type": "invalid_request_error", "message": message, "param": param}}


def _headers_of(state, form: dict) -> dict:
    # The stand-in records each request with the very form dict it hands the route.
    return next(request["headers"] for request in reversed(state.requests) if request["form"] is form)


def create_account(state, form: dict, match) -> tuple[int, dict]:
    with _LOCK:  # two requests at once with one key: Stripe creates one account
        return _create_account(state, form)


def _create_account(state, form: dict) -> tuple[int, dict]:
    key = _headers_of(state, form).get("Idempotency-Key")
    if key and key in _keys(state):
        return 200, accounts_of(state)[_keys(state)[key]]
    if "type" in form and any(name.startswith("controller[") for name in form):
        return _refusal("You cannot set `type` together with `controller`.", "type")
    number = len(accounts_of(state)) + 1
    account = _object("account.json")
    account_id = f"acct_1StandIn{number:07d}"
    controller = _nested(form, "controller")
    account.update(
        id=account_id,
        created=int(time.time()),
        email=form.get("email"),
        metadata=_nested(form, "metadata"),
        controller={
            "fees": {"payer": controller.get("fees", {}).get("payer", "account")},
            "is_controller": True,
            "losses": {"payments": controller.get("losses", {}).get("payments", "stripe")},
            "requirement_collection": controller.get("requirement_collection", "stripe"),
            "stripe_dashboard": {"type": controller.get("stripe_dashboard", {}).get("type", "full")},
            "type": "application",
        },
        external_accounts={**account["external_accounts"], "url": f"/v1/accounts/{account_id}/external_accounts"},
    )
    account["business_profile"]["name"] = form.get("business_profile[name]")
    accounts_of(state)[account_id] = account
    if key:
        _keys(state)[key] = account_id
    return 200, account


def retrieve_account(state, form: dict, match) -> tuple[int, dict]:
    account = accounts_of(state).get(match.group("account"))
    if account is None:
        return 404, {
            "error": {
                "code": "resource_missing",
                "message": f"No such account: '{match.group('account')}'",
                "param": "account",
                "type": "invalid_request_error",
            }
        }
    return 200, copy.deepcopy(account)


def create_account_link(state, form: dict, match) -> tuple[int, dict]:
    account_id = form.get("account", "")
    if account_id not in accounts_of(state):
        return _refusal(f"No such account: '{account_id}'", "account")
    if form.get("type") == "account_onboarding" and not form.get("return_url"):
        return _refusal("Missing required param: return_url.", "return_url")
    links = state.__dict__.setdefault("connect_links", [])
    link = _object("account_link.json")
    now = int(time.time())
    link.update(
        created=now,
        expires_at=now + 300,
        url=f"https://connect.stripe.com/setup/s/{account_id}/standin{len(links) + 1:04d}",
    )
    links.append(link)
    return 200, link
