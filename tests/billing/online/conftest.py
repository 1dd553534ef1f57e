"""Online payment fixtures: Stripe settings, real Stripe payloads rewritten for a local payment, signed deliveries,
and a local stand-in for Stripe's API. Nothing here reaches the internet."""

import copy
import hashlib
import hmac
import json
import re
import threading
import time
from collections.abc import Callable
from datetime import date
from decimal import Decimal
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qsl

import pytest

from billing.models import OnlinePayment
from billing.services.ledger import charge_post
from billing.services.online_checkout import checkout_metadata, online_payment_open
from billing.services.stripe_setup import to_minor

from . import stand_in_autopay, stand_in_checkout, stand_in_connect, stand_in_payments, stripe_params

# A copy of the project's shared Stripe fixtures (see SOURCE.md there for where each comes from and its licence).
FIXTURES = Path(__file__).resolve().parent / "fixtures" / "stripe"
SECRET_KEY = "sk_test_hearth_0123456789"
WEBHOOK_SECRET = "whsec_test_hearth_0123456789"
WEBHOOK = "/billing/stripe/webhook/"
CHECKOUT = "/api/v1/payments/checkout/"
ONLINE = "/api/v1/payments/online/"
PI = "pi_1PgafyB7WZ01zgkWSjxsAJo3"  # the fixtures' payment intent
CHARGE = "ch_1PgafuB7WZ01zgkWXYmPNZs8"


def fixture(name: str) -> dict:
    return json.loads((FIXTURES / name).read_text())


def sign(body: str, *, secret: str = WEBHOOK_SECRET, timestamp: int | None = None) -> str:
    """Stripe's signature scheme: ``t=<unix time>,v1=<hex HMAC-SHA256 of "<t>.<body>" keyed by the secret>``."""
    timestamp = int(time.time()) if timestamp is None else timestamp
    digest = hmac.new(secret.encode(), f"{timestamp}.{body}".encode(), hashlib.sha256).hexdigest()
    return f"t={timestamp},v1={digest}"


def event_for(name: str, op: OnlinePayment | None = None, *, event_id: str | None = None, **fields) -> dict:
    """A fixture event rewritten for the local payment ``op``: our metadata on the object, its amount in minor
    units, a fresh event id and a real creation time. ``fields`` override fields of ``data.object``."""
    event = copy.deepcopy(fixture(name))
    event["id"] = event_id or f"{event['id']}_{op.pk if op else 0}"
    event["created"] = int(time.time())
    obj = event["data"]["object"]
    if op is not None:
        minor = to_minor(op.amount, op.currency)
        kind = obj["object"]
        if kind in ("checkout.session", "payment_intent"):
            obj["metadata"] = checkout_metadata(op)
        if kind == "checkout.session":
            obj["id"] = op.checkout_session_id or obj["id"]
            obj["client_reference_id"] = str(op.pk)
            obj["amount_subtotal"] = obj["amount_total"] = minor
        elif kind == "payment_intent":
            obj["amount"] = minor
            if obj["status"] == "succeeded":
                obj["amount_received"] = minor
        elif kind == "charge":
            obj["amount"] = obj["amount_captured"] = minor
            obj["amount_refunded"] = minor if obj["refunded"] else 0
        elif kind == "dispute":
            obj["amount"] = minor
    obj.update(fields)
    return event


@pytest.fixture
def stripe_settings(settings):
    settings.STRIPE_SECRET_KEY = SECRET_KEY
    settings.STRIPE_PUBLISHABLE_KEY = "pk_test_hearth_0123456789"
    settings.STRIPE_WEBHOOK_SECRET = WEBHOOK_SECRET
    settings.STRIPE_API_BASE = "http://127.0.0.1:9"  # discard port: a test that forgets the stand-in fails fast
    settings.ONLINE_PAYMENT_MIN = Decimal("1.00")
    settings.ONLINE_PAYMENT_MAX = Decimal("5000.00")
    return settings


@pytest.fixture
def deliver(client, stripe_settings):
    """``deliver(event)`` POSTs the event to the webhook as Stripe does: the raw body, signed."""

    def post(event, *, signature: str | None = "sign", body: str | None = None):
        body = json.dumps(event) if body is None else body
        headers = {}
        if signature == "sign":
            headers["HTTP_STRIPE_SIGNATURE"] = sign(body)
        elif signature is not None:
            headers["HTTP_STRIPE_SIGNATURE"] = signature
        return client.generic("POST", WEBHOOK, body, content_type="application/json", **headers)

    return post


@pytest.fixture
def owing(member_resident, operator):
    """The member resident owes 900.00 (June's program fee, dated June 1, 2026)."""
    charge_post(
        actor=operator,
        resident=member_resident,
        kind="program_fee",
        amount="900.00",
        memo="June",
        effective_on=date(2026, 6, 1),
    )
    return member_resident


@pytest.fixture
def attempt(owing, resident_member) -> OnlinePayment:
    """A checkout the member resident started for 500.00, as the checkout service leaves it once Stripe answered."""
    op = online_payment_open(viewer=resident_member, amount="500.00")
    op.checkout_session_id = f"cs_test_hearth_{op.pk}"
    op.save(update_fields=["checkout_session_id"])
    return op


class StandIn:
    """What the local Stripe stand-in was asked, and what it should answer next."""

    def __init__(self):
        self.requests: list[dict] = []
        self.errors: dict[str, tuple[int, dict]] = {}  # path: (status, body) to answer instead
        self.on_request = None
        self.customers = 0
        self.sessions = 0

    def paths(self) -> list[str]:
        return [request["path"] for request in self.requests]

    def last(self, path: str) -> dict:
        return [request for request in self.requests if request["path"] == path][-1]


def _customer(form: dict, number: int) -> dict:
    # Stripe's Customer object (https://docs.stripe.com/api/customers/object); objects/ has no sample of it.
    return {
        "id": f"cus_standin{number:04d}",
        "object": "customer",
        "address": None,
        "balance": 0,
        "created": int(time.time()),
        "currency": None,
        "default_source": None,
        "delinquent": False,
        "description": None,
        "email": form.get("email"),
        "invoice_prefix": f"HEARTH{number:02d}",
        "invoice_settings": {"custom_fields": None, "default_payment_method": None, "footer": None},
        "livemode": False,
        "metadata": {key[9:-1]: value for key, value in form.items() if key.startswith("metadata[")},
        "name": form.get("name"),
        "phone": None,
        "preferred_locales": [],
        "shipping": None,
        "tax_exempt": "none",
        "test_clock": None,
    }


def _session(form: dict, number: int) -> dict:
    session = fixture("objects/checkout.session.json")
    session_id = f"cs_test_standin{number:04d}"
    session.update(
        id=session_id,
        url=f"https://checkout.stripe.com/c/pay/{session_id}",
        status="open",
        payment_status="unpaid",
        payment_intent=None,
        customer=form.get("customer"),
        client_reference_id=form.get("client_reference_id"),
        metadata={key[9:-1]: value for key, value in form.items() if key.startswith("metadata[")},
        # A setup-mode session (autopay saving a payment method) has no line items and no amount.
        mode=form.get("mode", "payment"),
        amount_subtotal=int(form["line_items[0][price_data][unit_amount]"]) if form.get("mode") != "setup" else None,
        amount_total=int(form["line_items[0][price_data][unit_amount]"]) if form.get("mode") != "setup" else None,
        currency=form.get("line_items[0][price_data][currency]") or form.get("currency"),
        success_url=form.get("success_url"),
        cancel_url=form.get("cancel_url"),
        payment_method_types=[v for key, v in form.items() if key.startswith("allowed_payment_method_types[")],
        created=int(time.time()),
        expires_at=int(form.get("expires_at") or time.time() + 86400),
    )
    return session


def _create_customer(state: StandIn, form: dict, match) -> tuple[int, dict]:
    state.customers += 1
    return 200, _customer(form, state.customers)


def _create_session(state: StandIn, form: dict, match) -> tuple[int, dict]:
    state.sessions += 1
    return 200, _session(form, state.sessions)


# What the stand-in answers: (HTTP method, path pattern, handler(state, form, match) -> (status, body)). Add a route
# here for each Stripe endpoint Hearth calls.
ROUTES: list[tuple[str, re.Pattern, Callable]] = [
    ("POST", re.compile(r"/v1/customers"), _create_customer),
    ("POST", re.compile(r"/v1/checkout/sessions"), _create_session),
]

# Closing checkouts and refunding (stand_in_checkout).
ROUTES += [
    ("POST", re.compile(r"/v1/checkout/sessions/(?P<session>[A-Za-z0-9_]+)/expire"), stand_in_checkout.expire_session),
    ("POST", re.compile(r"/v1/refunds"), stand_in_checkout.create_refund),
]

# Stripe Connect: connected accounts and their onboarding links (stand_in_connect).
ROUTES += [
    ("POST", re.compile(r"/v1/accounts"), stand_in_connect.create_account),
    ("GET", re.compile(r"/v1/accounts/(?P<account>[A-Za-z0-9_]+)"), stand_in_connect.retrieve_account),
    ("POST", re.compile(r"/v1/account_links"), stand_in_connect.create_account_link),
]

# Reads of a payment the webhook does not know yet: a charge and its PaymentIntent (stand_in_payments).
ROUTES += [
    ("GET", re.compile(r"/v1/charges/(?P<id>[A-Za-z0-9_]+)"), stand_in_payments.retrieve_charge),
    ("GET", re.compile(r"/v1/payment_intents/(?P<id>[A-Za-z0-9_]+)"), stand_in_payments.retrieve_payment_intent),
]

# Autopay: a setup-mode session, its SetupIntent and saved PaymentMethod, and off-session charges (stand_in_autopay).
ROUTES += [
    ("GET", re.compile(r"/v1/checkout/sessions/(?P<id>[A-Za-z0-9_]+)"), stand_in_autopay.retrieve_session),
    ("GET", re.compile(r"/v1/setup_intents/(?P<id>[A-Za-z0-9_]+)"), stand_in_autopay.retrieve_setup_intent),
    ("GET", re.compile(r"/v1/payment_methods/(?P<id>[A-Za-z0-9_]+)"), stand_in_autopay.retrieve_payment_method),
    ("POST", re.compile(r"/v1/payment_intents"), stand_in_autopay.create_payment_intent),
]


@pytest.fixture
def stripe_stand_in(stripe_settings):
    """A tiny HTTP server on 127.0.0.1 answering Stripe's API for the endpoints in ``ROUTES`` as Stripe does; the
    settings point ``STRIPE_API_BASE`` at it. It records every request (method, path, headers, form fields)."""
    state = StandIn()

    class Handler(BaseHTTPRequestHandler):
        def _answer(self, method: str):
            path, _, query = self.path.partition("?")
            body = self.rfile.read(int(self.headers.get("Content-Length") or 0)).decode()
            form = dict(parse_qsl(body if method == "POST" else query, keep_blank_values=True))
            state.requests.append({"method": method, "path": path, "headers": dict(self.headers.items()), "form": form})
            if state.on_request is not None:
                state.on_request(path, form)
            route = next(
                (
                    (handler, match)
                    for verb, pattern, handler in ROUTES
                    if verb == method and (match := pattern.fullmatch(path))
                ),
                None,
            )
            # Strict as Stripe: parameters Stripe's own params types do not declare are refused before any route.
            refusal = stripe_params.refusal(method, path, form)
            if refusal is not None:
                status, answer = 400, refusal
            elif path in state.errors:
                status, answer = state.errors[path]
            elif route is not None:
                status, answer = route[0](state, form, route[1])
            else:
                status, answer = 404, {"error": {"type": "invalid_request_error", "message": "Unrecognized URL"}}
            data = json.dumps(answer).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.send_header("Request-Id", f"req_standin{len(state.requests)}")
            self.end_headers()
            self.wfile.write(data)

        def do_POST(self):
            self._answer("POST")

        def do_GET(self):
            self._answer("GET")

        def do_DELETE(self):
            self._answer("DELETE")

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    stripe_settings.STRIPE_API_BASE = f"http://127.0.0.1:{server.server_address[1]}"
    yield state
    server.shutdown()
    server.server_close()
    thread.join()


def make_online(resident, amount: str = "100.00", *, intent: str, state: str = "succeeded") -> OnlinePayment:
    """An online payment of ``resident`` taken to ``state`` (created, pending, succeeded, refunded) by the services."""
    from billing.services import online_payments as transitions
    from billing.services.ledger import billing_stay

    stay = billing_stay(resident)
    op = OnlinePayment.objects.create(
        organization_id=resident.organization_id,
        resident=resident,
        stay=stay,
        house_id=stay.house_id,
        amount=Decimal(amount),
        currency="usd",
        checkout_session_id=f"cs_test_{intent}",
    )
    on = date(2026, 6, 10)
    if state == "pending":
        transitions.online_payment_pending(online_payment_id=op.pk, on=on, payment_intent_id=intent)
    if state in ("succeeded", "refunded"):
        transitions.online_payment_succeed(online_payment_id=op.pk, on=on, payment_intent_id=intent, method_type="card")
    if state == "refunded":
        transitions.online_payment_refund(
            online_payment_id=op.pk, on=on, refunded_total=op.amount, payment_intent_id=intent
        )
    op.refresh_from_db()
    return op
