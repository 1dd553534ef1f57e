"""The operator's Online payments page (``/dashboard/settings/payments/``): the organization's own Stripe account as
Stripe last reported it, a "Connect with Stripe" / "Continue setup" button that sends the operator to Stripe's
onboarding, and the account read afresh from Stripe when they come back."""

from datetime import timedelta

import lxml.html
import pytest
from django.utils import timezone
from django.utils.html import escape

from billing.models import StripeAccount
from billing.services.stripe_connect import CONNECT_OFF, STRIPE_FAILED, STRIPE_NOT_SET_UP, STRIPE_REFRESH_FAILED

from .stand_in_connect import accounts_of

PAGE = "/dashboard/settings/payments/"


@pytest.fixture
def connect_on(stripe_stand_in, settings):
    settings.STRIPE_CONNECT = True
    return stripe_stand_in


def card_text(response) -> str:
    """The account card's words, as a screen reader reads them one element after another."""
    document = lxml.html.fromstring(response.content.decode())
    card = document.cssselect("section[aria-labelledby='account-heading']")[0]
    return " ".join(" ".join(card.itertext()).split())


def connected(organization, *, ready: bool) -> StripeAccount:
    an_hour_ago = timezone.now() - timedelta(hours=1)
    return StripeAccount.objects.create(
        organization=organization,
        account_id="acct_1ConnectedTest01",
        charges_enabled=ready,
        payouts_enabled=ready,
        details_submitted=ready,
        created_at=an_hour_ago,
        updated_at=an_hour_ago,
    )


def test_an_organization_not_connected_is_offered_to_connect_with_stripe(page, operator, connect_on):
    text = card_text(page(operator).get(PAGE))
    assert "Not connected Residents cannot pay online until you connect a Stripe account" in text
    assert "Connect with Stripe" in text


def test_the_button_creates_the_account_and_sends_the_operator_to_stripe(page, operator, connect_on):
    response = page(operator).submit(PAGE, button="Connect with Stripe")
    account = StripeAccount.objects.get(organization=operator.organization)
    assert response.status_code == 302
    assert response["Location"] == f"https://connect.stripe.com/setup/s/{account.account_id}/standin0001"


def test_pressing_the_button_twice_makes_one_account(page, operator, connect_on):
    first, second = page(operator).submit_twice(PAGE, button="Connect with Stripe")
    assert (first.status_code, second.status_code) == (302, 302)
    assert StripeAccount.objects.count() == 1
    assert len(accounts_of(connect_on)) == 1


def test_an_account_not_yet_ready_shows_its_state_and_continue_setup(page, operator, connect_on):
    connected(operator.organization, ready=False)
    text = card_text(page(operator).get(PAGE))
    assert "acct_1ConnectedTest01" in text
    assert "Residents can pay online Not yet" in text
    assert "Stripe's setup Not finished" in text
    assert "Continue setup" in text


def test_continue_setup_sends_the_operator_to_stripe_for_the_same_account(page, operator, connect_on):
    page(operator).submit(PAGE, button="Connect with Stripe")
    response = page(operator).submit(PAGE, button="Continue setup")
    assert response.status_code == 302
    assert connect_on.paths().count("/v1/accounts") == 1
    assert StripeAccount.objects.count() == 1


def test_back_from_stripe_the_page_reads_the_account_afresh(page, operator, connect_on):
    client = page(operator)
    client.submit(PAGE, button="Connect with Stripe")
    account = StripeAccount.objects.get()
    accounts_of(connect_on)[account.account_id].update(
        charges_enabled=True, payouts_enabled=True, details_submitted=True
    )
    response = client.get(PAGE + "?stripe=return")
    assert connect_on.requests[-1]["method"] == "GET"
    assert connect_on.requests[-1]["path"] == f"/v1/accounts/{account.account_id}"
    text = card_text(response)
    assert "Residents can pay online Yes" in text
    assert "Payouts to your bank On" in text
    assert "Your account is set up." in text
    assert not lxml.html.fromstring(response.content.decode()).cssselect("main form")
    account.refresh_from_db()
    assert (account.charges_enabled, account.payouts_enabled, account.details_submitted) == (True, True, True)


def test_an_ordinary_visit_does_not_call_stripe(page, operator, connect_on):
    connected(operator.organization, ready=False)
    page(operator).get(PAGE)
    assert connect_on.requests == []


def test_when_stripe_cannot_be_read_on_return_the_last_known_state_shows_with_a_warning(page, operator, connect_on):
    account = connected(operator.organization, ready=False)
    connect_on.errors[f"/v1/accounts/{account.account_id}"] = (
        400,
        {"error": {"type": "invalid_request_error", "message": "Nope"}},
    )
    response = page(operator).get(PAGE + "?stripe=return")
    assert response.status_code == 200
    assert STRIPE_REFRESH_FAILED in response.content.decode()
    assert "Residents can pay online Not yet" in card_text(response)


def test_an_expired_link_brings_the_operator_back_with_a_way_to_continue(page, operator, connect_on):
    connected(operator.organization, ready=False)
    response = page(operator).get(PAGE + "?stripe=refresh")
    assert "That Stripe setup link had expired or was already used." in response.content.decode()
    assert "Continue setup" in card_text(response)


def test_when_stripe_fails_the_operator_is_told_and_nothing_is_stored(page, operator, connect_on):
    connect_on.errors["/v1/accounts"] = (400, {"error": {"type": "invalid_request_error", "message": "Nope"}})
    response = page(operator).submit(PAGE, button="Connect with Stripe", follow=True)
    assert STRIPE_FAILED in response.content.decode()
    assert not StripeAccount.objects.exists()


def test_with_connect_off_the_page_says_so_and_offers_no_button(page, operator, stripe_settings):
    response = page(operator).get(PAGE)
    assert "Stripe Connect is off in this deployment" in card_text(response)
    assert not lxml.html.fromstring(response.content.decode()).cssselect("main form")


def test_with_connect_off_a_post_is_refused_with_the_reason(page, operator, stripe_stand_in):
    response = page(operator).post(PAGE, follow=True)
    assert escape(CONNECT_OFF) in response.content.decode()
    assert stripe_stand_in.requests == []
    assert not StripeAccount.objects.exists()


def test_with_connect_on_but_no_stripe_key_the_page_says_so_and_offers_no_button(page, operator, settings):
    settings.STRIPE_CONNECT = True
    settings.STRIPE_SECRET_KEY = ""
    response = page(operator).get(PAGE)
    assert STRIPE_NOT_SET_UP in card_text(response)
    assert not lxml.html.fromstring(response.content.decode()).cssselect("main form")


def test_the_platform_fee_is_named_when_there_is_one(page, operator, connect_on, settings):
    settings.STRIPE_APPLICATION_FEE_PERCENT = "1.5"
    assert "Hearth keeps a platform fee of 1.5% of each online payment." in card_text(page(operator).get(PAGE))


def test_the_organization_settings_link_to_the_page(page, operator):
    document = lxml.html.fromstring(page(operator).get("/dashboard/settings/").content.decode())
    assert [a.text_content() for a in document.cssselect(f"main a[href='{PAGE}']")] == ["Online payments"]


@pytest.mark.parametrize("role", ["manager", "resident_member"])
def test_only_an_operator_sees_or_posts_the_page(request, page, connect_on, role):
    client = page(request.getfixturevalue(role))
    assert client.get(PAGE).status_code == 403
    assert client.post(PAGE).status_code == 403
    assert not StripeAccount.objects.exists()
    assert connect_on.requests == []


def test_an_anonymous_visitor_is_sent_to_sign_in(client, connect_on, organization):
    for response in (client.get(PAGE), client.post(PAGE)):
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/login/")
    assert not StripeAccount.objects.exists()


def test_another_organizations_operator_sees_only_their_own(page, operator, outsider, connect_on):
    connected(operator.organization, ready=True)
    text = card_text(page(outsider).get(PAGE))
    assert "acct_1ConnectedTest01" not in text
    assert "Connect with Stripe" in text


def test_the_page_costs_a_constant_number_of_queries(page, operator, connect_on, django_assert_max_num_queries):
    connected(operator.organization, ready=True)
    client = page(operator)
    with django_assert_max_num_queries(12):
        assert client.get(PAGE).status_code == 200
