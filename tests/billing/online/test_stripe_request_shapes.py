"""Every request Hearth sends Stripe, replayed against the strict local stand-in and checked against Stripe's own
request parameters (the params types of the installed stripe-python library, see ``stripe_params``): nothing Stripe
would refuse as unknown, missing, or outside an enum. Also the checker itself, and the stand-in's 400s."""

from datetime import date
from decimal import Decimal

import pytest
import stripe
import stripe.params as params
import stripe.params.checkout as checkout
from django.test import TestCase
from django.utils import timezone

from billing.models import Autopay, OnlinePayment, StripeCustomer
from billing.services.autopay import autopay_setup_finish, autopay_setup_start
from billing.services.autopay_charges import autopay_charges_run
from billing.services.ledger import charge_post
from billing.services.online_refunds import online_overpayment_refund, online_refund_request
from billing.services.stripe_connect import stripe_account_connect, stripe_account_refresh
from billing.services.stripe_lookup import stripe_payment_fetch

from . import stripe_params
from .conftest import CHECKOUT, PI, ROUTES, SECRET_KEY, fixture, make_online
from .stand_in_payments import stripe_holds, stripe_object
from .stripe_params import ENDPOINTS, nested_types, problems, refusal

SITE = "https://hearth.example.org"


def checked(stand_in) -> list[dict]:
    """The requests the stand-in received, each asserted to be a listed Stripe endpoint that Stripe's parameters
    accept; writes must carry an idempotency key."""
    assert stand_in.requests, "Hearth sent Stripe nothing"
    for request in stand_in.requests:
        kind = stripe_params.params_type(request["method"], request["path"])
        assert kind is not None, f"{request['method']} {request['path']} is not a Stripe endpoint the bench knows"
        assert problems(kind, request["form"]) == [], (request["path"], request["form"])
        if request["method"] == "POST":
            assert request["headers"].get("Idempotency-Key"), f"{request['path']} was sent without an idempotency key"
    return stand_in.requests


def client_for(stand_in_settings) -> stripe.StripeClient:
    return stripe.StripeClient(
        SECRET_KEY,
        stripe_version=stand_in_settings.STRIPE_API_VERSION,
        base_addresses={"api": stand_in_settings.STRIPE_API_BASE},
        max_network_retries=0,
    )


# The checker, against Stripe's params types.


def test_an_unknown_top_level_parameter_is_refused():
    (problem,) = problems(params.CustomerCreateParams, {"name": "Ada", "nickname": "A"})
    assert problem.as_error() == {
        "error": {
            "type": "invalid_request_error",
            "code": "parameter_unknown",
            "param": "nickname",
            "message": "Received unknown parameter: nickname",
        }
    }


def test_an_unknown_nested_parameter_is_named_by_its_full_key():
    form = {
        "line_items[0][quantity]": "1",
        "line_items[0][price_data][currency]": "usd",
        "line_items[0][price_data][unit_amount]": "100",
        "line_items[0][price_data][product_data][name]": "Rent",
        "line_items[0][price_data][product_data][colour]": "red",
    }
    (problem,) = problems(checkout.SessionCreateParams, form)
    assert (problem.code, problem.param) == ("parameter_unknown", "line_items[0][price_data][product_data][colour]")


def test_a_value_outside_a_declared_enum_is_refused():
    (problem,) = problems(checkout.SessionCreateParams, {"mode": "pay"})
    assert problem.as_error()["error"] == {
        "type": "invalid_request_error",
        "param": "mode",
        "message": "Invalid mode: must be one of payment, setup, or subscription",
    }


def test_each_value_of_a_list_of_enum_values_is_checked():
    form = {"allowed_payment_method_types[0]": "card", "allowed_payment_method_types[1]": "cheque"}
    (problem,) = problems(checkout.SessionCreateParams, form)
    assert problem.param == "allowed_payment_method_types[1]"


def test_metadata_takes_any_keys_with_string_values():
    form = {"metadata[resident_id]": "7", "metadata[anything at all]": "x"}
    assert problems(params.CustomerCreateParams, form) == []


def test_metadata_can_be_unset_with_an_empty_value():
    assert problems(params.CustomerCreateParams, {"metadata": ""}) == []


def test_metadata_values_cannot_be_nested():
    (problem,) = problems(params.CustomerCreateParams, {"metadata[a][b]": "x"})
    assert problem.param == "metadata[a]"


def test_a_missing_required_parameter_is_named():
    (problem,) = problems(params.AccountLinkCreateParams, {"account": "acct_1"})
    assert (problem.code, problem.message) == ("parameter_missing", "Missing required param: type.")


def test_a_missing_required_parameter_of_a_nested_object_is_named():
    form = {"line_items[0][quantity]": "1", "line_items[0][price_data][unit_amount]": "100"}
    (problem,) = problems(checkout.SessionCreateParams, form)
    assert problem.param == "line_items[0][price_data][currency]"


def test_an_amount_that_is_not_a_whole_number_of_minor_units_is_refused():
    (problem,) = problems(params.RefundCreateParams, {"payment_intent": "pi_1", "amount": "12.50"})
    assert (problem.code, problem.message) == ("parameter_invalid_integer", "Invalid integer: 12.50")


def test_a_boolean_is_true_or_false():
    assert problems(params.RefundCreateParams, {"refund_application_fee": "true"}) == []
    assert problems(params.RefundCreateParams, {"refund_application_fee": "yes"})[0].param == "refund_application_fee"


def test_expand_on_a_retrieve_is_accepted_indexed_or_bracketed():
    assert refusal("GET", "/v1/charges/ch_1", {"expand[0]": "payment_intent"}) is None
    assert refusal("GET", "/v1/charges/ch_1", {"expand[]": "payment_intent"}) is None


def test_a_retrieve_takes_no_other_parameters():
    assert refusal("GET", "/v1/setup_intents/seti_1", {"customer": "cus_1"})["error"]["param"] == "customer"


def test_request_options_are_headers_not_parameters():
    (problem,) = problems(params.RefundCreateParams, {"payment_intent": "pi_1", "idempotency_key": "k"})
    assert problem.param == "idempotency_key"


def test_an_endpoint_the_bench_does_not_list_is_not_checked():
    assert refusal("POST", "/v1/subscriptions", {"anything": "1"}) is None


@pytest.mark.parametrize(("method", "sample", "kind"), [(m, s, k) for m, _, s, k in ENDPOINTS], ids=lambda v: str(v))
def test_each_listed_endpoint_has_a_params_type_that_resolves_entirely(method, sample, kind):
    assert stripe_params.params_type(method, sample) is kind
    assert kind in nested_types(kind)  # resolving every nested annotation raises if one cannot be read


@pytest.mark.parametrize(("method", "pattern"), [(verb, pattern) for verb, pattern, _ in ROUTES], ids=str)
def test_every_stand_in_route_is_checked_against_stripes_parameters(method, pattern):
    samples = [sample for verb, _, sample, _ in ENDPOINTS if verb == method and pattern.fullmatch(sample)]
    assert samples, f"{method} {pattern.pattern} has no params type in tests/billing/online/stripe_params.ENDPOINTS"


# The stand-in answers as Stripe does.


def test_the_stand_in_refuses_an_unknown_parameter_as_stripe_does(stripe_stand_in, settings):
    with pytest.raises(stripe.InvalidRequestError) as refused:
        client_for(settings).v1.customers.create(params={"name": "Ada", "nickname": "A"})
    assert refused.value.http_status == 400
    assert (refused.value.code, refused.value.param) == ("parameter_unknown", "nickname")
    assert str(refused.value.user_message or refused.value) == "Received unknown parameter: nickname"


def test_the_stand_in_checks_a_retrieve_with_expand(stripe_stand_in, settings):
    with pytest.raises(stripe.InvalidRequestError) as refused:
        client_for(settings).v1.charges.retrieve("ch_1", params={"expand": ["payment_intent"], "limit": 3})
    assert (refused.value.http_status, refused.value.param) == (400, "limit")
    assert stripe_stand_in.requests[-1]["form"] == {"expand[0]": "payment_intent", "limit": "3"}


# Hearth's own requests, replayed.


def test_a_checkout_in_payment_mode_sends_only_what_stripe_accepts(api, resident_member, owing, stripe_stand_in):
    response = api(resident_member).post(CHECKOUT, {"amount": "250.00"}, format="json")
    assert response.status_code == 201, response.content
    assert [r["path"] for r in checked(stripe_stand_in)] == ["/v1/customers", "/v1/checkout/sessions"]


def test_a_checkout_of_a_resident_with_an_email_sends_only_what_stripe_accepts(
    api, resident_member, owing, stripe_stand_in
):
    owing.email = "ethan@example.org"
    owing.save(update_fields=["email"])
    api(resident_member).post(CHECKOUT, {}, format="json")
    assert checked(stripe_stand_in)[0]["form"]["email"] == "ethan@example.org"


def test_a_checkout_in_another_currency_sends_only_what_stripe_accepts(
    api, resident_member, owing, stripe_stand_in, organization
):
    organization.currency = "CAD"
    organization.save(update_fields=["currency"])
    api(resident_member).post(CHECKOUT, {"amount": "20.00"}, format="json")
    assert checked(stripe_stand_in)[-1]["form"]["line_items[0][price_data][currency]"] == "cad"
    assert OnlinePayment.objects.get().status == "created"


def test_replacing_a_checkout_expires_the_earlier_one_with_what_stripe_accepts(
    api, resident_member, owing, stripe_stand_in
):
    api(resident_member).post(CHECKOUT, {"amount": "250.00"}, format="json")
    first = OnlinePayment.objects.get().checkout_session_id
    api(resident_member).post(CHECKOUT, {"amount": "300.00"}, format="json")
    expire = f"/v1/checkout/sessions/{first}/expire"
    assert expire in [request["path"] for request in checked(stripe_stand_in)]
    assert stripe_stand_in.last(expire)["form"] == {}


@pytest.fixture
def connected(organization, stripe_settings):
    """Connect is on, with a 2.5% platform fee, and the organization's account can take charges."""
    from billing.models import StripeAccount

    stripe_settings.STRIPE_CONNECT = True
    stripe_settings.STRIPE_APPLICATION_FEE_PERCENT = Decimal("2.5")
    return StripeAccount.objects.create(
        organization=organization, account_id="acct_1Hearth00000001", charges_enabled=True
    )


def test_a_checkout_on_a_connected_account_sends_only_what_stripe_accepts(
    api, resident_member, owing, stripe_stand_in, connected
):
    response = api(resident_member).post(CHECKOUT, {"amount": "200.00"}, format="json")
    assert response.status_code == 201, response.content
    customer, session = checked(stripe_stand_in)
    assert customer["headers"]["Stripe-Account"] == session["headers"]["Stripe-Account"] == connected.account_id
    assert session["form"]["payment_intent_data[application_fee_amount]"] == "500"


def test_connecting_an_organization_sends_only_what_stripe_accepts(operator, stripe_stand_in, stripe_settings):
    connect = stripe_account_connect
    refresh = stripe_account_refresh
    stripe_settings.STRIPE_CONNECT = True
    connect(viewer=operator, refresh_url=f"{SITE}/settings/payments/", return_url=f"{SITE}/settings/payments/back/")
    refresh(viewer=operator)
    account, link, read = checked(stripe_stand_in)
    assert [account["path"], link["path"]] == ["/v1/accounts", "/v1/account_links"]
    assert (read["method"], read["path"][:18]) == ("GET", "/v1/accounts/acct_")
    assert link["form"]["type"] == "account_onboarding"


def test_a_staff_refund_sends_only_what_stripe_accepts(owing, operator, stripe_stand_in):
    refund = online_refund_request
    op = make_online(owing, "100.00", intent="pi_hearth_staff_refund")
    refund(online_payment_id=op.pk, amount="40.00", reason="staff", actor=operator, note="Moved out")
    (request,) = checked(stripe_stand_in)
    assert (request["path"], request["form"]["amount"]) == ("/v1/refunds", "4000")


def test_a_refund_on_a_connected_account_sends_only_what_stripe_accepts(owing, operator, stripe_stand_in, connected):
    refund = online_refund_request
    op = make_online(owing, "100.00", intent="pi_hearth_connected_refund")
    OnlinePayment.objects.filter(pk=op.pk).update(account_id=connected.account_id)
    refund(online_payment_id=op.pk, amount="100.00", reason="staff", actor=operator)
    (request,) = checked(stripe_stand_in)
    assert request["headers"]["Stripe-Account"] == connected.account_id


def test_the_refund_of_an_overpayment_sends_only_what_stripe_accepts(owing, stripe_stand_in):
    overpaid = online_overpayment_refund
    make_online(owing, "900.00", intent="pi_hearth_paid_in_full")
    second = make_online(owing, "300.00", intent="pi_hearth_paid_twice")
    assert overpaid(online_payment_id=second.pk) is not None
    (request,) = checked(stripe_stand_in)
    assert (request["path"], request["form"]["amount"]) == ("/v1/refunds", "30000")


def test_fetching_the_payment_behind_a_dispute_sends_only_what_stripe_accepts(stripe_stand_in):
    fetch = stripe_payment_fetch
    account = "acct_1Hearth00000001"
    dispute = fixture("objects/dispute.json")
    stripe_holds(stripe_stand_in, stripe_object("charge", id=dispute["charge"], payment_intent=PI), account=account)
    stripe_holds(stripe_stand_in, stripe_object("payment_intent", id=PI), account=account)
    assert set(fetch(obj=dispute, account=account)) == {"charge", "payment_intent"}
    charge, intent = checked(stripe_stand_in)
    assert (charge["path"], intent["path"]) == (f"/v1/charges/{dispute['charge']}", f"/v1/payment_intents/{PI}")
    assert charge["headers"]["Stripe-Account"] == intent["headers"]["Stripe-Account"] == account


def test_saving_a_payment_method_for_autopay_sends_only_what_stripe_accepts(resident_member, owing, stripe_stand_in):
    setup = autopay_setup_start
    setup(viewer=resident_member, consent=True, base_url=SITE)
    session = checked(stripe_stand_in)[-1]
    assert session["path"] == "/v1/checkout/sessions"
    assert session["form"]["mode"] == "setup"


def test_completing_an_autopay_setup_reads_from_stripe_only_what_stripe_accepts(
    resident_member, owing, stripe_stand_in
):
    setup = autopay_setup_start
    finish = autopay_setup_finish
    _, session_id = setup(viewer=resident_member, consent=True, base_url=SITE)
    autopay = Autopay.objects.get(resident=owing)
    assert finish(autopay_id=autopay.pk, session_id=session_id) is True
    reads = [request["path"].rsplit("/", 1)[0] for request in checked(stripe_stand_in) if request["method"] == "GET"]
    assert reads == ["/v1/checkout/sessions", "/v1/setup_intents", "/v1/payment_methods"]


def autopay_charge_of(operator, resident, *, on=date(2026, 6, 15), account_id: str = "") -> list:
    """Rent due ``on`` for a resident with autopay on (a card saved on ``account_id``, blank: the platform's), and
    the daily autopay job run that day."""
    run = autopay_charges_run
    charge_post(actor=operator, resident=resident, kind="rent", amount="900.00", memo="June", effective_on=on)
    StripeCustomer.objects.create(
        organization_id=resident.organization_id,
        resident=resident,
        customer_id="cus_standin0001",
        account_id=account_id,
    )
    Autopay.objects.create(
        organization_id=resident.organization_id,
        resident=resident,
        status=Autopay.Status.ON,
        setup_session_id="cs_test_standin0001",
        payment_method_id="pm_standin_card",
        payment_method_label="Visa ending 4242",
        consent_text="I agree.",
        consented_at=timezone.now(),
    )
    with TestCase.captureOnCommitCallbacks(execute=True):
        return run(on=on, organization=resident.organization)


def test_an_autopay_charge_sends_only_what_stripe_accepts(operator, member_resident, stripe_stand_in):
    assert autopay_charge_of(operator, member_resident)
    (intent,) = checked(stripe_stand_in)
    assert (intent["path"], intent["form"]["off_session"], intent["form"]["confirm"]) == (
        "/v1/payment_intents",
        "true",
        "true",
    )


def test_an_autopay_charge_on_a_connected_account_sends_only_what_stripe_accepts(
    operator, member_resident, stripe_stand_in, connected
):
    assert autopay_charge_of(operator, member_resident, account_id=connected.account_id)
    (intent,) = checked(stripe_stand_in)
    assert intent["headers"]["Stripe-Account"] == connected.account_id
    assert intent["form"]["application_fee_amount"] == "2250"


def test_the_refund_of_an_overpayment_on_a_connected_account_gives_the_platforms_fee_back(
    owing, stripe_stand_in, connected
):
    make_online(owing, "900.00", intent="pi_hearth_connected_in_full")
    second = make_online(owing, "300.00", intent="pi_hearth_connected_twice")
    OnlinePayment.objects.filter(pk=second.pk).update(account_id=connected.account_id)
    assert online_overpayment_refund(online_payment_id=second.pk) is not None
    (request,) = checked(stripe_stand_in)
    assert (request["headers"]["Stripe-Account"], request["form"]["refund_application_fee"]) == (
        connected.account_id,
        "true",
    )
