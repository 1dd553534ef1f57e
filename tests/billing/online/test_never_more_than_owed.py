"""Never more than owed: a resident has one checkout that can be paid. Two tabs, a double tap, a checkout left open,
and the same races on PostgreSQL; a payment that still takes the resident past what they owed is refunded the excess."""

import json
from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest
import time_machine
from django.db import connection
from django.test import Client
from django.utils import timezone

from billing.models import EntryKind, LedgerEntry, OnlinePayment, OnlineRefund, StripeAccount, StripeCustomer
from billing.selectors.balances import balance_of
from billing.selectors.online import open_balance_of, open_checkouts_of
from billing.services.online_checkout import online_checkout_decide, online_checkout_start
from tests.concurrency import at_once
from tests.conftest import api_client_for

from .conftest import CHECKOUT, WEBHOOK, event_for, sign
from .stand_in_checkout import expired_sessions, refunds_of

SESSIONS = "/v1/checkout/sessions"


def start(api, member, body=None):
    return api(member).post(CHECKOUT, body if body is not None else {}, format="json")


def created_sessions(stand_in) -> int:
    return stand_in.paths().count(SESSIONS)


# Two tabs, a double tap


def test_a_second_tab_with_another_amount_expires_the_first_checkout_at_stripe(
    api, resident_member, owing, stripe_stand_in
):
    first = start(api, resident_member, {"amount": "900.00"}).json()
    second = start(api, resident_member, {"amount": "500.00"}).json()
    assert first["session_id"] != second["session_id"]
    assert expired_sessions(stripe_stand_in) == [first["session_id"]]
    expire = stripe_stand_in.last(f"{SESSIONS}/{first['session_id']}/expire")
    assert expire["headers"]["Idempotency-Key"] == f"hearth-expire-{first['session_id']}"
    assert "Stripe-Account" not in expire["headers"]


def test_a_second_tab_with_another_amount_leaves_the_first_checkout_expired_here(
    api, resident_member, owing, stripe_stand_in
):
    first = start(api, resident_member, {"amount": "900.00"}).json()
    start(api, resident_member, {"amount": "500.00"})
    replaced = OnlinePayment.objects.get(checkout_session_id=first["session_id"])
    assert (replaced.status, replaced.failure_message) == ("expired", "Replaced by a checkout started later.")


def test_after_two_tabs_the_open_balance_counts_only_the_open_checkout(api, resident_member, owing, stripe_stand_in):
    start(api, resident_member, {"amount": "900.00"})
    second = start(api, resident_member, {"amount": "500.00"}).json()
    assert list(open_checkouts_of(owing.pk).values_list("checkout_session_id", flat=True)) == [second["session_id"]]
    assert open_balance_of(owing) == Decimal("400.00")
    body = api(resident_member).get(CHECKOUT).json()
    assert body["open_balance"] == "400.00"
    assert body["open_checkout"]["session_id"] == second["session_id"]
    assert body["open_checkout"]["amount"] == "500.00"


def test_a_double_tap_returns_the_same_checkout_and_stripe_opens_one_session(
    api, resident_member, owing, stripe_stand_in
):
    first = start(api, resident_member, {"amount": "900.00"})
    second = start(api, resident_member, {"amount": "900.00"})
    assert (first.status_code, second.status_code) == (201, 201)
    assert first.json() == second.json()
    assert created_sessions(stripe_stand_in) == 1
    assert expired_sessions(stripe_stand_in) == []
    assert OnlinePayment.objects.count() == 1


def test_without_an_amount_the_open_checkout_for_what_is_owed_is_returned_again(
    api, resident_member, owing, stripe_stand_in
):
    first = start(api, resident_member).json()
    assert start(api, resident_member).json() == first
    assert created_sessions(stripe_stand_in) == 1


def test_a_new_checkout_may_be_for_up_to_what_is_owed_because_it_replaces_the_open_one(
    api, resident_member, owing, stripe_stand_in
):
    start(api, resident_member, {"amount": "500.00"})
    assert start(api, resident_member, {"amount": "900.00"}).status_code == 201
    refused = start(api, resident_member, {"amount": "900.01"})
    assert refused.status_code == 400
    assert "up to what you owe, $900.00" in refused.json()["amount"][0]


def test_an_open_checkout_counts_as_money_on_its_way(api, resident_member, owing, stripe_stand_in):
    start(api, resident_member, {"amount": "900.00"})
    assert open_balance_of(owing) == Decimal("0.00")
    assert api(resident_member).get(CHECKOUT).json()["open_balance"] == "0.00"


# Sessions expire


def test_the_checkout_carries_an_expiry_30_minutes_ahead_sent_to_stripe_and_stored(
    api, resident_member, owing, stripe_stand_in
):
    with time_machine.travel(datetime(2026, 6, 15, 17, 0, 0, 250000, tzinfo=UTC), tick=False):
        now = timezone.now()
        start(api, resident_member, {"amount": "900.00"})
    sent = int(stripe_stand_in.last(SESSIONS)["form"]["expires_at"])
    # 30 minutes once Stripe has it: Stripe refuses less, so a minute is allowed for the trip.
    assert sent == int((now + timedelta(minutes=31)).timestamp())
    assert OnlinePayment.objects.get().expires_at == datetime.fromtimestamp(sent, tz=now.tzinfo)


def test_an_expired_checkout_no_longer_counts(api, resident_member, owing, stripe_stand_in):
    start(api, resident_member, {"amount": "900.00"})
    with time_machine.travel(timezone.now() + timedelta(minutes=32)):
        assert open_balance_of(owing) == Decimal("900.00")
        assert api(resident_member).get(CHECKOUT).json()["open_checkout"] is None


def test_a_checkout_past_its_expiry_is_not_expired_again_at_stripe(api, resident_member, owing, stripe_stand_in):
    first = start(api, resident_member, {"amount": "900.00"}).json()
    with time_machine.travel(timezone.now() + timedelta(minutes=32)):
        second = start(api, resident_member, {"amount": "900.00"}).json()
    assert second["session_id"] != first["session_id"]
    assert expired_sessions(stripe_stand_in) == []
    assert OnlinePayment.objects.get(checkout_session_id=first["session_id"]).status == "expired"


def test_a_checkout_about_to_close_is_replaced_rather_than_handed_out_again(
    api, resident_member, owing, stripe_stand_in
):
    first = start(api, resident_member, {"amount": "900.00"}).json()
    with time_machine.travel(timezone.now() + timedelta(minutes=28)):
        second = start(api, resident_member, {"amount": "900.00"}).json()
    assert second["session_id"] != first["session_id"]
    assert expired_sessions(stripe_stand_in) == [first["session_id"]]


# When Stripe will not close the earlier checkout


def test_a_checkout_stripe_no_longer_holds_open_does_not_stop_the_new_one(api, resident_member, owing, stripe_stand_in):
    first = start(api, resident_member, {"amount": "900.00"}).json()
    stripe_stand_in.errors[f"{SESSIONS}/{first['session_id']}/expire"] = (
        400,
        {
            "error": {
                "type": "invalid_request_error",
                "message": "Only Checkout Sessions with status open can be expired",
            }
        },
    )
    assert start(api, resident_member, {"amount": "500.00"}).status_code == 201
    assert created_sessions(stripe_stand_in) == 2


def test_when_stripe_cannot_close_the_earlier_checkout_no_second_one_is_opened(
    api, resident_member, owing, stripe_stand_in
):
    first = start(api, resident_member, {"amount": "900.00"}).json()
    stripe_stand_in.errors[f"{SESSIONS}/{first['session_id']}/expire"] = (
        500,
        {"error": {"type": "api_error", "message": "Something went wrong on Stripe's end."}},
    )
    response = start(api, resident_member, {"amount": "500.00"})
    assert response.status_code == 502
    assert created_sessions(stripe_stand_in) == 1
    attempt = OnlinePayment.objects.get(amount=Decimal("500.00"))
    assert attempt.status == "failed"
    assert attempt.failure_message.startswith("Stripe could not close an earlier checkout")


def test_a_replaced_checkout_paid_by_bank_debit_at_that_moment_still_shows_as_pending(
    api, resident_member, owing, stripe_stand_in, deliver
):
    first = start(api, resident_member, {"amount": "900.00"}).json()
    start(api, resident_member, {"amount": "500.00"})
    replaced = OnlinePayment.objects.get(checkout_session_id=first["session_id"])
    assert deliver(event_for("checkout.session.completed.unpaid_ach.json", replaced)).status_code == 200
    replaced.refresh_from_db()
    assert (replaced.status, replaced.payment.status) == ("pending", "pending")


@pytest.mark.django_db(transaction=True)
def test_a_checkout_replaced_while_stripe_was_opening_it_is_closed_and_never_handed_out(
    api, resident_member, owing, stripe_stand_in
):
    def other_tab(path, form):
        if path == SESSIONS and form["line_items[0][price_data][unit_amount]"] == "90000":
            try:  # another tab decides while this session is being opened (its own connection)
                online_checkout_decide(viewer=resident_member, amount="500.00")
            finally:
                connection.close()

    stripe_stand_in.on_request = other_tab
    response = start(api, resident_member, {"amount": "900.00"})
    assert response.status_code == 409
    assert "another payment at the same moment" in response.json()["detail"]
    replaced = OnlinePayment.objects.get(amount=Decimal("900.00"))
    assert replaced.status == "expired"
    assert expired_sessions(stripe_stand_in) == [replaced.checkout_session_id]


# The portal's pay page


def test_the_pay_form_sent_twice_opens_one_checkout(page, resident_member, owing, stripe_stand_in):
    first, second = page(resident_member).submit_twice("/portal/pay/", {"amount": "900.00"}, button="Pay rent")
    assert (first.status_code, second.status_code) == (302, 302)
    assert first["Location"] == second["Location"]
    assert created_sessions(stripe_stand_in) == 1


def test_the_pay_form_from_two_tabs_with_two_amounts_leaves_one_checkout_open(
    page, resident_member, owing, stripe_stand_in
):
    client = page(resident_member)
    first_tab = client.load_form("/portal/pay/", button="Pay rent")
    second_tab = client.load_form("/portal/pay/", button="Pay rent")
    first = first_tab({"amount": "900.00"})
    second = second_tab({"amount": "500.00"})
    assert first["Location"] != second["Location"]
    (open_checkout,) = open_checkouts_of(owing.pk)
    assert open_checkout.checkout_url == second["Location"]
    assert expired_sessions(stripe_stand_in) == [first["Location"].rsplit("/", 1)[1]]


def test_the_pay_page_offers_to_continue_the_checkout_left_open(page, resident_member, owing, stripe_stand_in):
    client = page(resident_member)
    url = client.submit("/portal/pay/", {"amount": "600.00"}, button="Pay rent")["Location"]
    html = client.get("/portal/pay/").content.decode()
    assert "You started a payment of $600.00" in html
    assert f'href="{url}"' in html
    assert 'value="600.00"' in html  # sending it again returns the same checkout
    closes = timezone.localtime(OnlinePayment.objects.get().expires_at, owing.organization.tzinfo)
    assert f"It stays open until {closes:%-I:%M %p}." in html  # the house's clock


# Stripe Connect: the checkout and its customer live on the organization's own account


@pytest.fixture
def connected(settings, organization):
    settings.STRIPE_CONNECT = True
    settings.STRIPE_APPLICATION_FEE_PERCENT = Decimal("1.5")
    return StripeAccount.objects.create(organization=organization, account_id="acct_hearth0001", charges_enabled=True)


def test_with_connect_the_customer_and_checkout_are_created_on_the_organizations_account(
    api, resident_member, owing, stripe_stand_in, connected
):
    body = start(api, resident_member, {"amount": "900.00"}).json()
    for request in stripe_stand_in.requests:
        assert request["headers"]["Stripe-Account"] == "acct_hearth0001"
    assert OnlinePayment.objects.get(checkout_session_id=body["session_id"]).account_id == "acct_hearth0001"
    assert StripeCustomer.objects.get().account_id == "acct_hearth0001"


def test_with_connect_the_platform_fee_is_asked_on_the_payment(api, resident_member, owing, stripe_stand_in, connected):
    start(api, resident_member, {"amount": "900.00"})
    assert stripe_stand_in.last(SESSIONS)["form"]["payment_intent_data[application_fee_amount]"] == "1350"


def test_with_connect_an_earlier_checkout_is_expired_on_the_account_it_lives_on(
    api, resident_member, owing, stripe_stand_in, connected
):
    first = start(api, resident_member, {"amount": "900.00"}).json()
    start(api, resident_member, {"amount": "500.00"})
    expire = stripe_stand_in.last(f"{SESSIONS}/{first['session_id']}/expire")
    assert expire["headers"]["Stripe-Account"] == "acct_hearth0001"


def test_a_customer_of_the_platform_is_not_reused_on_the_connected_account(
    api, resident_member, owing, stripe_stand_in, settings, organization
):
    start(api, resident_member, {"amount": "900.00"})
    platform_customer = StripeCustomer.objects.get().customer_id
    settings.STRIPE_CONNECT = True
    StripeAccount.objects.create(organization=organization, account_id="acct_hearth0002", charges_enabled=True)
    start(api, resident_member, {"amount": "500.00"})
    customer = StripeCustomer.objects.get()
    assert (customer.account_id, customer.customer_id != platform_customer) == ("acct_hearth0002", True)
    assert stripe_stand_in.last(SESSIONS)["form"]["customer"] == customer.customer_id
    created = [r for r in stripe_stand_in.requests if r["path"] == "/v1/customers"]
    assert [r["headers"].get("Stripe-Account") for r in created] == [None, "acct_hearth0002"]


def test_with_connect_and_no_account_able_to_take_charges_nothing_is_started(
    api, resident_member, owing, stripe_stand_in, settings
):
    settings.STRIPE_CONNECT = True
    response = start(api, resident_member, {"amount": "900.00"})
    assert response.status_code == 503
    assert not OnlinePayment.objects.exists()
    assert stripe_stand_in.requests == []


# Real concurrency on PostgreSQL


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_checkouts_started_at_the_same_moment_leave_one_that_can_be_paid(resident_member, owing, stripe_stand_in):
    def tap():
        response = api_client_for(resident_member).post(CHECKOUT, {"amount": "900.00"}, format="json")
        return response.status_code, response.json()

    answers = at_once([tap] * 6)
    (open_checkout,) = open_checkouts_of(owing.pk)
    assert {status for status, _ in answers} <= {201, 409}
    handed_out = {body["checkout_url"] for status, body in answers if status == 201}
    assert handed_out == {open_checkout.checkout_url}
    opened = {f"cs_test_standin{n:04d}" for n in range(1, created_sessions(stripe_stand_in) + 1)}
    assert opened - {open_checkout.checkout_session_id} == set(expired_sessions(stripe_stand_in))


def _deliver(event: dict) -> int:
    body = json.dumps(event)
    response = Client().generic(
        "POST", WEBHOOK, body, content_type="application/json", HTTP_STRIPE_SIGNATURE=sign(body)
    )
    return response.status_code


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_checkouts_paid_at_the_same_moment_are_both_on_the_ledger_and_the_excess_is_refunded_once(
    resident_member, owing, stripe_stand_in
):
    first = online_checkout_start(viewer=resident_member, amount="900.00", base_url="https://hearth.example.org")
    # The resident was paying the first tab when the second replaced it: Stripe could no longer close it.
    stripe_stand_in.errors[f"{SESSIONS}/{first[1]}/expire"] = (
        400,
        {"error": {"type": "invalid_request_error", "message": "This Checkout Session is already complete."}},
    )
    online_checkout_start(viewer=resident_member, amount="800.00", base_url="https://hearth.example.org")
    paid = list(OnlinePayment.objects.order_by("pk"))
    events = [
        event_for("checkout.session.completed.json", op, payment_intent=f"pi_tab_{n}") for n, op in enumerate(paid)
    ]
    assert at_once([lambda event=event: _deliver(event) for event in events]) == [200, 200]

    payments = LedgerEntry.objects.filter(resident=owing, kind=EntryKind.PAYMENT)
    assert sorted(payments.values_list("amount", flat=True)) == [Decimal("-900.00"), Decimal("-800.00")]
    (refund,) = OnlineRefund.objects.all()
    assert (refund.reason, refund.amount, refund.status) == ("overpaid", Decimal("800.00"), "succeeded")
    (asked,) = refunds_of(stripe_stand_in)
    assert asked["amount"] == 80000
    refunded = OnlinePayment.objects.get(pk=refund.online_payment_id)
    assert asked["payment_intent"] == refunded.payment_intent_id

    # Stripe then reports the refund: the ledger shows it, once, and the resident owes nothing and is owed nothing.
    event = event_for(
        "charge.refunded.json", refunded, payment_intent=refunded.payment_intent_id, amount_refunded=80000
    )
    assert _deliver(event) == 200
    assert LedgerEntry.objects.filter(resident=owing, kind=EntryKind.REFUND).count() == 1
    assert balance_of(owing.pk) == Decimal("0.00")
