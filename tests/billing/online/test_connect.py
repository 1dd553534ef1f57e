"""Stripe Connect: each organization is paid into its own Stripe account. The operator connects it through
``POST /api/v1/organization/payments/connect/`` (created once at Stripe, then Stripe's onboarding), reads its state
at ``GET /api/v1/organization/payments/``, ``account.updated`` events keep it current, and until the account can take
charges residents cannot pay online and are told why."""

import copy
import threading
import time
from datetime import date, timedelta

import lxml.html
import pytest
from django.db import connection
from django.utils import timezone

from billing.models import OnlinePayment, StripeAccount, StripeEvent
from billing.services import stripe_connect
from billing.services.ledger import charge_post
from billing.services.stripe_connect import CONNECT_OFF, STRIPE_FAILED, STRIPE_NOT_SET_UP
from billing.services.stripe_setup import NOT_CONNECTED
from tests.conftest import api_client_for

from .conftest import CHECKOUT, fixture
from .stand_in_connect import accounts_of

PAYMENTS = "/api/v1/organization/payments/"
CONNECT = "/api/v1/organization/payments/connect/"


@pytest.fixture
def connect_on(stripe_stand_in, settings):
    """Connect on, Stripe pointed at the local stand-in."""
    settings.STRIPE_CONNECT = True
    return stripe_stand_in


def account_posts(state) -> list[dict]:
    return [r for r in state.requests if r["method"] == "POST" and r["path"] == "/v1/accounts"]


def connected(organization, *, ready: bool = True, account_id: str = "acct_1ConnectedTest01") -> StripeAccount:
    """An organization connected an hour ago, its account as Stripe reported it then."""
    an_hour_ago = timezone.now() - timedelta(hours=1)
    return StripeAccount.objects.create(
        organization=organization,
        account_id=account_id,
        charges_enabled=ready,
        payouts_enabled=ready,
        details_submitted=ready,
        created_at=an_hour_ago,
        updated_at=an_hour_ago,
    )


def account_event(account_id: str, *, created: int | None = None, event_id: str = "evt_account_1", **flags) -> dict:
    """An ``account.updated`` event as a Connect endpoint receives it: the envelope of Stripe's sample event, its
    ``account`` the connected account, and Stripe's sample Account object as ``data.object``."""
    event = copy.deepcopy(fixture("objects/event.json"))
    account = fixture("objects/account.json")
    account.update(id=account_id, **flags)
    event.update(
        id=event_id,
        type="account.updated",
        account=account_id,
        created=int(time.time()) if created is None else created,
        api_version="2026-10-28.endive",
    )
    event["data"] = {"object": account, "previous_attributes": {"charges_enabled": not account["charges_enabled"]}}
    return event


# Connecting


def test_connecting_creates_the_organizations_account_and_answers_stripes_onboarding_address(api, operator, connect_on):
    response = api(operator).post(CONNECT, {}, format="json")
    assert response.status_code == 201, response.content
    account = StripeAccount.objects.get(organization=operator.organization)
    assert account.account_id.startswith("acct_")
    assert (account.charges_enabled, account.payouts_enabled, account.details_submitted) == (False, False, False)
    assert response.json() == {"onboarding_url": f"https://connect.stripe.com/setup/s/{account.account_id}/standin0001"}


def test_the_onboarding_link_brings_the_operator_back_to_the_payment_settings_page(api, operator, connect_on):
    api(operator).post(CONNECT, {}, format="json")
    link = connect_on.last("/v1/account_links")["form"]
    assert link["type"] == "account_onboarding"
    assert link["return_url"] == "http://testserver/dashboard/settings/payments/?stripe=return"
    assert link["refresh_url"] == "http://testserver/dashboard/settings/payments/?stripe=refresh"
    assert link["account"] == StripeAccount.objects.get().account_id


def test_the_account_is_created_as_the_operators_own_with_the_full_dashboard(api, operator, connect_on):
    api(operator).post(CONNECT, {}, format="json")
    form = account_posts(connect_on)[0]["form"]
    assert form["controller[stripe_dashboard][type]"] == "full"
    assert form["controller[fees][payer]"] == "account"
    assert form["controller[losses][payments]"] == "stripe"
    assert form["controller[requirement_collection]"] == "stripe"
    assert form["business_profile[name]"] == "Second Wind"
    assert form["metadata[organization_id]"] == str(operator.organization_id)
    assert "type" not in form


def test_the_account_is_created_under_an_idempotency_key_naming_the_organization_row(api, operator, connect_on):
    api(operator).post(CONNECT, {}, format="json")
    organization = operator.organization
    expected = f"hearth-account-{organization.pk}-{organization.created_at:%Y%m%d%H%M%S%f}"
    assert account_posts(connect_on)[0]["headers"]["Idempotency-Key"] == expected
    assert connect_on.last("/v1/account_links")["headers"]["Idempotency-Key"].startswith("hearth-account-link-")


def test_connecting_twice_creates_one_account_and_gives_a_fresh_link_each_time(api, operator, connect_on):
    first = api(operator).post(CONNECT, {}, format="json").json()["onboarding_url"]
    second = api(operator).post(CONNECT, {}, format="json").json()["onboarding_url"]
    assert len(account_posts(connect_on)) == 1
    assert StripeAccount.objects.count() == 1
    assert first != second
    assert connect_on.paths().count("/v1/account_links") == 2


def test_two_clicks_at_once_make_one_account_at_stripe_and_one_row(operator, connect_on, monkeypatch):
    urls = {"refresh_url": "https://hearth.example.org/r", "return_url": "https://hearth.example.org/b"}
    stripe_connect.stripe_account_connect(viewer=operator, **urls)
    # The second click read "no account yet" before the first one saved it.
    monkeypatch.setattr(stripe_connect, "stored_account", lambda organization: None)
    stripe_connect.stripe_account_connect(viewer=operator, **urls)
    posts = account_posts(connect_on)
    assert len(posts) == 2
    assert posts[0]["headers"]["Idempotency-Key"] == posts[1]["headers"]["Idempotency-Key"]
    assert len(accounts_of(connect_on)) == 1
    assert list(StripeAccount.objects.values_list("account_id", flat=True)) == list(accounts_of(connect_on))


def test_with_connect_off_connecting_is_refused_and_nothing_is_asked_of_stripe(api, operator, stripe_stand_in):
    response = api(operator).post(CONNECT, {}, format="json")
    assert response.status_code == 400
    assert response.json() == {"detail": CONNECT_OFF}
    assert stripe_stand_in.requests == []
    assert not StripeAccount.objects.exists()


def test_without_a_stripe_key_connecting_answers_503(api, operator, settings):
    settings.STRIPE_CONNECT = True
    settings.STRIPE_SECRET_KEY = ""
    response = api(operator).post(CONNECT, {}, format="json")
    assert response.status_code == 503
    assert response.json() == {"detail": STRIPE_NOT_SET_UP}
    assert not StripeAccount.objects.exists()


def test_when_stripe_refuses_the_account_the_answer_is_502_and_nothing_is_stored(api, operator, connect_on):
    connect_on.errors["/v1/accounts"] = (400, {"error": {"type": "invalid_request_error", "message": "Nope"}})
    response = api(operator).post(CONNECT, {}, format="json")
    assert response.status_code == 502
    assert response.json() == {"detail": STRIPE_FAILED}
    assert not StripeAccount.objects.exists()


def test_after_a_failed_link_the_next_try_continues_with_the_same_account(api, operator, connect_on):
    connect_on.errors["/v1/account_links"] = (400, {"error": {"type": "invalid_request_error", "message": "Nope"}})
    assert api(operator).post(CONNECT, {}, format="json").status_code == 502
    del connect_on.errors["/v1/account_links"]
    assert api(operator).post(CONNECT, {}, format="json").status_code == 201
    assert len(account_posts(connect_on)) == 1
    assert StripeAccount.objects.count() == 1


def test_an_unknown_field_is_refused_and_nothing_is_written(api, operator, connect_on):
    response = api(operator).post(CONNECT, {"account_id": "acct_1Mine"}, format="json")
    assert response.status_code == 400
    assert response.json() == {"account_id": ["Unknown field."]}
    assert connect_on.requests == []
    assert not StripeAccount.objects.exists()


# Reading the state


def test_an_organization_not_connected_reads_nulls_and_false(api, operator, connect_on):
    assert api(operator).get(PAYMENTS).json() == {
        "connect": True,
        "account_id": None,
        "charges_enabled": False,
        "payouts_enabled": False,
        "details_submitted": False,
    }


def test_the_state_reads_the_accounts_flags_as_stored(api, operator, connect_on):
    account = connected(operator.organization, ready=False)
    StripeAccount.objects.filter(pk=account.pk).update(details_submitted=True)
    assert api(operator).get(PAYMENTS).json() == {
        "connect": True,
        "account_id": "acct_1ConnectedTest01",
        "charges_enabled": False,
        "payouts_enabled": False,
        "details_submitted": True,
    }


def test_the_state_costs_a_constant_number_of_queries(api, operator, connect_on, django_assert_max_num_queries):
    connected(operator.organization)
    client = api(operator)
    with django_assert_max_num_queries(6):
        assert client.get(PAYMENTS).status_code == 200


def test_the_schema_documents_both_endpoints_and_their_answers(served_schema):
    paths = served_schema["paths"]
    assert set(paths[PAYMENTS]) == {"get"}
    assert set(paths[CONNECT]) == {"post"}
    assert {"201", "400", "502", "503"} <= set(paths[CONNECT]["post"]["responses"])


# account.updated


def test_account_updated_turns_on_the_flags_of_the_organization_that_owns_the_account(deliver, operator):
    account = connected(operator.organization, ready=False)
    event = account_event(account.account_id, charges_enabled=True, payouts_enabled=True, details_submitted=True)
    assert deliver(event).status_code == 200
    account.refresh_from_db()
    assert (account.charges_enabled, account.payouts_enabled, account.details_submitted) == (True, True, True)
    row = StripeEvent.objects.get(pk=event["id"])
    assert (row.status, row.organization_id) == ("handled", operator.organization_id)


def test_account_updated_can_take_charges_away(deliver, operator):
    account = connected(operator.organization, ready=True)
    deliver(account_event(account.account_id, charges_enabled=False, payouts_enabled=False))
    account.refresh_from_db()
    assert (account.charges_enabled, account.payouts_enabled) == (False, False)


def test_an_operator_disconnecting_hearth_in_stripe_stops_online_payment_for_the_organization(deliver, operator):
    account = connected(operator.organization, ready=True)
    event = account_event(account.account_id, event_id="evt_deauthorized_1")
    # Stripe's Application object (https://docs.stripe.com/api/events/types#event_types-account.application.deauthorized)
    event.update(type="account.application.deauthorized")
    event["data"] = {"object": {"id": "ca_HearthPlatform01", "object": "application", "name": "Hearth"}}
    assert deliver(event).status_code == 200
    account.refresh_from_db()
    assert (account.charges_enabled, account.payouts_enabled, account.details_submitted) == (False, False, False)
    assert StripeEvent.objects.get(pk=event["id"]).status == "handled"


def test_account_updated_for_an_account_no_organization_has_is_ignored(deliver, operator, other_organization):
    mine = connected(operator.organization, ready=False)
    event = account_event("acct_1SomebodyElse00", charges_enabled=True)
    assert deliver(event).status_code == 200
    assert StripeEvent.objects.get(pk=event["id"]).status == "ignored"
    mine.refresh_from_db()
    assert mine.charges_enabled is False


def test_an_older_account_updated_arriving_late_changes_nothing(deliver, operator):
    account = connected(operator.organization, ready=False)
    now = int(time.time())
    deliver(account_event(account.account_id, created=now + 60, event_id="evt_new", charges_enabled=True))
    deliver(account_event(account.account_id, created=now + 30, event_id="evt_old", charges_enabled=False))
    account.refresh_from_db()
    assert account.charges_enabled is True
    assert StripeEvent.objects.get(pk="evt_old").status == "handled"


def test_the_state_read_through_the_api_follows_account_updated(api, deliver, operator, settings):
    settings.STRIPE_CONNECT = True
    account = connected(operator.organization, ready=False)
    deliver(account_event(account.account_id, charges_enabled=True, payouts_enabled=True, details_submitted=True))
    body = api(operator).get(PAYMENTS).json()
    assert (body["charges_enabled"], body["payouts_enabled"], body["details_submitted"]) == (True, True, True)


# Who may


@pytest.mark.parametrize("role", ["manager", "resident_member"])
@pytest.mark.parametrize(("method", "path"), [("get", PAYMENTS), ("post", CONNECT)])
def test_only_an_operator_reads_or_connects_the_account(request, api, connect_on, role, method, path):
    member = request.getfixturevalue(role)
    response = getattr(api(member), method)(path, {}, format="json")
    assert response.status_code == 403
    assert not StripeAccount.objects.exists()
    assert connect_on.requests == []


@pytest.mark.parametrize(("method", "path"), [("get", PAYMENTS), ("post", CONNECT)])
def test_an_anonymous_caller_is_refused(client, connect_on, organization, method, path):
    assert getattr(client, method)(path).status_code in (401, 403)
    assert connect_on.requests == []


def test_another_organizations_operator_reads_only_their_own(api, outsider, operator, connect_on):
    connected(operator.organization)
    assert api(outsider).get(PAYMENTS).json()["account_id"] is None


def test_another_organizations_operator_connects_only_their_own(api, outsider, operator, connect_on):
    mine = connected(operator.organization, ready=False)
    assert api(outsider).post(CONNECT, {}, format="json").status_code == 201
    theirs = StripeAccount.objects.get(organization=outsider.organization)
    assert theirs.account_id != mine.account_id
    assert connect_on.last("/v1/account_links")["form"]["account"] == theirs.account_id


def test_an_operator_cannot_act_within_an_organization_they_are_not_in(api, outsider, operator, connect_on):
    client = api(outsider)
    client.credentials(HTTP_X_ORGANIZATION=operator.organization.slug)
    assert client.post(CONNECT, {}, format="json").status_code in (401, 403, 404)
    assert not StripeAccount.objects.filter(organization=operator.organization).exists()


# Residents, until the account can take charges


@pytest.fixture
def owes(operator, resident_member):
    charge_post(
        actor=operator,
        resident=resident_member.resident,
        kind="rent",
        amount="900.00",
        memo="June",
        effective_on=date(2026, 6, 1),
    )
    return resident_member


def test_the_pay_page_says_plainly_the_organization_is_not_set_up_and_offers_no_button(page, owes, connect_on):
    body = page(owes).get("/portal/pay/").content.decode()
    document = lxml.html.fromstring(body)
    section = document.cssselect("section[aria-labelledby='pay-heading']")[0]
    assert NOT_CONNECTED in " ".join(section.text_content().split())
    assert not section.cssselect("form, button")


def test_the_home_rent_card_says_so_instead_of_a_pay_button(page, owes, connect_on, operator):
    connected(operator.organization, ready=False)
    document = lxml.html.fromstring(page(owes).get("/portal/").content.decode())
    card = document.cssselect("section[aria-labelledby='money-heading']")[0]
    assert NOT_CONNECTED in " ".join(card.text_content().split())
    assert not card.cssselect("a.button")


def test_checkout_answers_503_with_the_reason_and_writes_nothing(api, owes, connect_on):
    response = api(owes).post(CHECKOUT, {"amount": "100.00"}, format="json")
    assert response.status_code == 503
    assert response.json() == {"detail": NOT_CONNECTED}
    assert not OnlinePayment.objects.exists()
    assert connect_on.requests == []


def test_once_the_account_can_take_charges_the_resident_can_pay(page, owes, connect_on, operator):
    connected(operator.organization, ready=True)
    document = lxml.html.fromstring(page(owes).get("/portal/").content.decode())
    (button,) = document.cssselect("section[aria-labelledby='money-heading'] a.button.primary")
    assert " ".join(button.text_content().split()) == "Pay rent"
    assert "Pay rent" in page(owes).get("/portal/pay/").content.decode()


# Real concurrency (PostgreSQL)


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_operators_clicking_connect_at_once_make_one_account(operator, connect_on):
    barrier = threading.Barrier(4)
    statuses, errors = [], []

    def click():
        try:
            client = api_client_for(operator)
            barrier.wait()
            statuses.append(client.post(CONNECT, {}, format="json").status_code)
        except Exception as error:
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=click) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert statuses == [201] * 4
    assert len(accounts_of(connect_on)) == 1
    assert list(StripeAccount.objects.values_list("account_id", flat=True)) == list(accounts_of(connect_on))
