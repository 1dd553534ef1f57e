"""A resident starts an online payment: the checkout endpoint, against a local stand-in for Stripe's API."""

from decimal import Decimal

import pytest
from django.db import connection

from billing.models import OnlinePayment, StripeCustomer
from billing.services.online_checkout import online_checkout_start

from .conftest import CHECKOUT, event_for

NOT_SET_UP = (
    "Online payment is not set up for this organization yet. Pay your house manager by cash, check or money order."
)


def start(api, member, body=None):
    return api(member).post(CHECKOUT, body if body is not None else {}, format="json")


def test_a_resident_starts_a_checkout_and_gets_the_address_to_pay_at(api, resident_member, owing, stripe_stand_in):
    response = start(api, resident_member, {"amount": "250.00"})
    assert response.status_code == 201, response.content
    op = OnlinePayment.objects.get()
    assert response.json() == {
        "checkout_url": f"https://checkout.stripe.com/c/pay/{op.checkout_session_id}",
        "session_id": op.checkout_session_id,
    }
    assert (op.status, op.amount, op.currency, op.resident) == ("created", Decimal("250.00"), "usd", owing)
    assert stripe_stand_in.paths() == ["/v1/customers", "/v1/checkout/sessions"]


def test_the_checkout_session_carries_the_amount_metadata_and_return_links(
    api, resident_member, owing, stripe_stand_in, house
):
    start(api, resident_member, {"amount": "250.00"})
    op = OnlinePayment.objects.get()
    form = stripe_stand_in.last("/v1/checkout/sessions")["form"]
    metadata = {
        "organization_id": str(op.organization_id),
        "resident_id": str(owing.pk),
        "online_payment_id": str(op.pk),
    }
    assert {key[9:-1]: value for key, value in form.items() if key.startswith("metadata[")} == metadata
    assert {key[30:-1]: v for key, v in form.items() if key.startswith("payment_intent_data[metadata][")} == metadata
    assert form["mode"] == "payment"
    assert form["customer"] == StripeCustomer.objects.get().customer_id
    assert form["client_reference_id"] == str(op.pk)
    methods = (form["allowed_payment_method_types[0]"], form["allowed_payment_method_types[1]"])
    assert methods == ("card", "us_bank_account")
    assert form["line_items[0][quantity]"] == "1"
    assert form["line_items[0][price_data][unit_amount]"] == "25000"
    assert form["line_items[0][price_data][currency]"] == "usd"
    assert form["line_items[0][price_data][product_data][name]"] == "Rent and fees — Maple House"
    assert form["success_url"] == "http://testserver/portal/pay/return/?session_id={CHECKOUT_SESSION_ID}"
    assert form["cancel_url"] == "http://testserver/portal/"


def test_each_call_carries_an_idempotency_key_the_pinned_version_and_the_secret_key(
    api, resident_member, owing, stripe_stand_in, settings
):
    start(api, resident_member, {"amount": "250.00"})
    op = OnlinePayment.objects.get()
    customer, session = stripe_stand_in.requests
    assert customer["headers"]["Idempotency-Key"] == (
        f"hearth-customer-{owing.organization_id}-{owing.pk}-{owing.created_at:%Y%m%d%H%M%S%f}"
    )
    assert session["headers"]["Idempotency-Key"] == f"hearth-checkout-{op.pk}-{op.created_at:%Y%m%d%H%M%S%f}"
    for request in (customer, session):
        assert request["headers"]["Stripe-Version"] == settings.STRIPE_API_VERSION
        assert request["headers"]["Authorization"] == f"Bearer {settings.STRIPE_SECRET_KEY}"


def test_the_stripe_customer_is_created_once_per_resident(api, resident_member, owing, stripe_stand_in):
    start(api, resident_member, {"amount": "100.00"})
    start(api, resident_member, {"amount": "150.00"})  # another amount: the first checkout is closed, a second opens
    assert stripe_stand_in.paths() == [
        "/v1/customers",
        "/v1/checkout/sessions",
        "/v1/checkout/sessions/cs_test_standin0001/expire",
        "/v1/checkout/sessions",
    ]
    customer = StripeCustomer.objects.get()
    assert (customer.resident, customer.customer_id) == (owing, "cus_standin0001")
    form = stripe_stand_in.last("/v1/customers")["form"]
    assert form["name"] == owing.legal_name
    assert form["email"] == owing.email
    assert form["metadata[resident_id]"] == str(owing.pk)
    keys = {r["headers"]["Idempotency-Key"] for r in stripe_stand_in.requests if r["path"].endswith("sessions")}
    assert len(keys) == 2  # two checkouts, two sessions


def test_without_an_amount_the_open_balance_is_paid(api, resident_member, owing, stripe_stand_in):
    assert start(api, resident_member).status_code == 201
    assert OnlinePayment.objects.get().amount == Decimal("900.00")
    assert stripe_stand_in.last("/v1/checkout/sessions")["form"]["line_items[0][price_data][unit_amount]"] == "90000"


def test_the_open_balance_leaves_out_payments_already_on_their_way(
    api, resident_member, attempt, deliver, stripe_stand_in
):
    deliver(event_for("checkout.session.completed.unpaid_ach.json", attempt))  # 500.00 pending
    assert start(api, resident_member).status_code == 201
    assert OnlinePayment.objects.latest("pk").amount == Decimal("400.00")
    response = start(api, resident_member, {"amount": "400.01"})
    assert response.status_code == 400
    assert "400.00" in response.json()["amount"][0]


def test_the_service_builds_return_links_from_the_site_address(resident_member, owing, stripe_stand_in):
    url, session_id = online_checkout_start(viewer=resident_member, amount="20", base_url="https://hearth.example.org/")
    assert url.endswith(session_id)
    form = stripe_stand_in.last("/v1/checkout/sessions")["form"]
    assert form["success_url"] == "https://hearth.example.org/portal/pay/return/?session_id={CHECKOUT_SESSION_ID}"
    assert form["cancel_url"] == "https://hearth.example.org/portal/"


def test_an_organization_outside_the_us_is_offered_cards_only(
    api, resident_member, owing, stripe_stand_in, organization
):
    organization.currency = "CAD"
    organization.save()
    start(api, resident_member, {"amount": "20.00"})
    form = stripe_stand_in.last("/v1/checkout/sessions")["form"]
    assert form["line_items[0][price_data][currency]"] == "cad"
    assert [v for k, v in form.items() if k.startswith("allowed_payment_method_types")] == ["card"]


# When Stripe fails, or is not set up


def test_a_stripe_error_is_a_502_and_the_attempt_is_marked_failed(api, resident_member, owing, stripe_stand_in):
    stripe_stand_in.errors["/v1/checkout/sessions"] = (
        400,
        {"error": {"type": "invalid_request_error", "message": "Invalid currency: usd for this account."}},
    )
    response = start(api, resident_member, {"amount": "250.00"})
    assert response.status_code == 502
    assert "nothing was charged" in response.json()["detail"]
    op = OnlinePayment.objects.get()
    assert (op.status, op.checkout_session_id) == ("failed", None)
    assert "Invalid currency" in op.failure_message


def test_a_failed_customer_call_writes_no_customer(api, resident_member, owing, stripe_stand_in):
    stripe_stand_in.errors["/v1/customers"] = (
        401,
        {"error": {"type": "invalid_request_error", "message": "Invalid API Key provided"}},
    )
    assert start(api, resident_member, {"amount": "250.00"}).status_code == 502
    assert not StripeCustomer.objects.exists()
    assert stripe_stand_in.paths() == ["/v1/customers"]
    assert OnlinePayment.objects.get().status == "failed"


def test_without_a_secret_key_checkout_says_plainly_that_online_payment_is_not_set_up(
    api, resident_member, owing, settings
):
    settings.STRIPE_SECRET_KEY = ""
    response = start(api, resident_member, {"amount": "250.00"})
    assert response.status_code == 503
    assert response.json() == {"detail": NOT_SET_UP}
    assert not OnlinePayment.objects.exists()


def test_a_resident_sees_whether_online_payment_is_available_and_what_to_pay(
    api, resident_member, owing, stripe_settings
):
    body = api(resident_member).get(CHECKOUT).json()
    assert body == {
        "available": True,
        "open_balance": "900.00",
        "open_checkout": None,
        "minimum": "1.00",
        "maximum": "5000.00",
        "currency": "USD",
    }


def test_without_a_secret_key_the_options_say_it_is_not_available(api, resident_member, owing, settings):
    settings.STRIPE_SECRET_KEY = ""
    assert api(resident_member).get(CHECKOUT).json()["available"] is False


# Amounts: rejected with a 4xx naming ``amount``, and nothing written


@pytest.mark.parametrize(
    ("amount", "fragment"),
    [
        ("0", "more than zero"),
        ("0.00", "more than zero"),
        ("-5.00", "more than zero"),
        ("0.50", "smallest online payment is $1.00"),
        ("5000.01", "limited to $5,000.00"),
        ("900.01", "up to what you owe, $900.00"),
        ("10.005", "decimal places"),
        ("abc", "valid number"),
        ("NaN", "valid number"),
        ("1e20", "digits"),
    ],
)
def test_a_bad_amount_is_refused_naming_amount_and_nothing_is_written(
    api, resident_member, owing, stripe_stand_in, amount, fragment
):
    response = start(api, resident_member, {"amount": amount})
    assert response.status_code == 400, response.content
    assert list(response.json()) == ["amount"]
    assert fragment in response.json()["amount"][0]
    assert not OnlinePayment.objects.exists()
    assert stripe_stand_in.requests == []


def test_the_limits_come_from_the_settings(api, resident_member, owing, stripe_stand_in, settings):
    settings.ONLINE_PAYMENT_MIN, settings.ONLINE_PAYMENT_MAX = Decimal("25.00"), Decimal("300.00")
    assert "25.00" in start(api, resident_member, {"amount": "24.99"}).json()["amount"][0]
    assert "300.00" in start(api, resident_member, {"amount": "300.01"}).json()["amount"][0]
    assert start(api, resident_member, {"amount": "300.00"}).status_code == 201


def test_an_open_balance_above_the_maximum_asks_for_part_of_it(api, resident_member, owing, stripe_stand_in, settings):
    settings.ONLINE_PAYMENT_MAX = Decimal("500.00")
    response = start(api, resident_member)
    assert response.status_code == 400
    assert "limited to $500.00" in response.json()["amount"][0]
    assert not OnlinePayment.objects.exists()


def test_a_resident_who_owes_nothing_cannot_pay_online(api, resident_member, stripe_stand_in):
    response = start(api, resident_member)
    assert response.status_code == 400
    assert response.json() == {"amount": ["You owe nothing right now, so there is nothing to pay online."]}
    assert start(api, resident_member, {"amount": "10.00"}).status_code == 400
    assert not OnlinePayment.objects.exists()


def test_an_unknown_field_is_refused(api, resident_member, owing, stripe_stand_in):
    response = start(api, resident_member, {"amount": "10.00", "currency": "eur"})
    assert response.status_code == 400
    assert response.json() == {"currency": ["Unknown field."]}
    assert not OnlinePayment.objects.exists()


# Who may start a checkout


@pytest.mark.parametrize("role", ["operator", "manager", "outsider"])
def test_staff_cannot_start_a_checkout(request, api, owing, stripe_stand_in, role):
    member = request.getfixturevalue(role)
    assert api(member).post(CHECKOUT, {"amount": "10.00"}, format="json").status_code == 403
    assert api(member).get(CHECKOUT).status_code == 403
    assert not OnlinePayment.objects.exists()
    assert stripe_stand_in.requests == []


def test_an_anonymous_caller_cannot_start_a_checkout(client, owing, stripe_stand_in):
    assert client.post(CHECKOUT, {"amount": "10.00"}, content_type="application/json").status_code in (401, 403)
    assert not OnlinePayment.objects.exists()


def test_the_service_refuses_staff(manager, owing, stripe_stand_in):
    from accounts.exceptions import DomainError

    with pytest.raises(DomainError) as refused:
        online_checkout_start(viewer=manager, amount="10", base_url="https://hearth.example.org")
    assert refused.value.status_code == 403


# Never inside an open transaction


@pytest.mark.django_db(transaction=True)
def test_the_attempt_is_committed_before_stripe_is_called(api, resident_member, owing, stripe_stand_in):
    seen = []

    def look(path, form):
        if path == "/v1/checkout/sessions":
            try:  # a separate connection, in the stand-in's thread: it sees only what was committed
                seen.append(
                    list(OnlinePayment.objects.filter(pk=form["metadata[online_payment_id]"]).values_list("status"))
                )
            finally:
                connection.close()

    stripe_stand_in.on_request = look
    assert start(api, resident_member, {"amount": "250.00"}).status_code == 201
    assert seen == [[("created",)]]
    assert OnlinePayment.objects.get().checkout_session_id == "cs_test_standin0001"
