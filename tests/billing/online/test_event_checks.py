"""An event is applied only where it belongs: its ``livemode`` must be the secret key's mode, and an event from a
connected account (``account``) may change only the payments of the organization owning that account. Anything
else is stored as ignored, with the reason, and changes nothing."""

import json
from datetime import timedelta

import pytest
from django.utils import timezone

from billing.models import EntryKind, LedgerEntry, OnlinePayment, StripeAccount, StripeEvent
from billing.services import online_payments
from billing.services.stripe_events import HANDLERS, Outcome, key_is_live

from .conftest import WEBHOOK, event_for, sign

Status = OnlinePayment.Status
HOME = "acct_1HomeOrganization"
ELSEWHERE = "acct_1OtherOrganization"


def payment_entries(op):
    return LedgerEntry.objects.filter(resident_id=op.resident_id, kind=EntryKind.PAYMENT)


def status_of(op) -> str:
    op.refresh_from_db()
    return op.status


def paid(op, **envelope) -> dict:
    return event_for("checkout.session.completed.json", op) | envelope


@pytest.fixture
def connected(attempt, settings):
    """Connect on; the attempt's organization has its own account, and the attempt was charged on it."""
    settings.STRIPE_CONNECT = True
    StripeAccount.objects.create(
        organization_id=attempt.organization_id,
        account_id=HOME,
        charges_enabled=True,
        created_at=timezone.now() - timedelta(days=30),
    )
    attempt.account_id = HOME
    attempt.save(update_fields=["account_id"])
    return attempt


@pytest.fixture
def other_connected(other_organization):
    return StripeAccount.objects.create(organization=other_organization, account_id=ELSEWHERE, charges_enabled=True)


# livemode


@pytest.mark.parametrize(
    ("key", "live"),
    [("sk_test_abc", False), ("rk_test_abc", False), ("sk_live_abc", True), ("rk_live_abc", True), ("", False)],
)
def test_the_keys_mode_is_live_only_for_a_live_secret_or_restricted_key(settings, key, live):
    settings.STRIPE_SECRET_KEY = key
    assert key_is_live() is live


def test_a_live_event_is_ignored_when_hearth_runs_with_a_test_key(deliver, attempt):
    response = deliver(paid(attempt, livemode=True))
    assert response.status_code == 200
    row = StripeEvent.objects.get()
    assert (row.status, row.livemode) == ("ignored", True)
    assert "live-mode event" in row.error
    assert status_of(attempt) == Status.CREATED
    assert not payment_entries(attempt).exists()


def test_a_test_event_is_ignored_when_hearth_runs_with_a_live_key(deliver, attempt, settings):
    settings.STRIPE_SECRET_KEY = "sk_live_hearth_0123456789"
    deliver(paid(attempt, livemode=False))
    row = StripeEvent.objects.get()
    assert row.status == "ignored"
    assert "test-mode event" in row.error
    assert not payment_entries(attempt).exists()


def test_a_live_event_is_applied_when_hearth_runs_with_a_live_key(deliver, attempt, settings):
    settings.STRIPE_SECRET_KEY = "rk_live_hearth_0123456789"
    deliver(paid(attempt, livemode=True))
    assert StripeEvent.objects.get().status == "handled"
    assert payment_entries(attempt).count() == 1


def test_an_event_whose_livemode_is_not_true_or_false_is_refused(deliver, attempt):
    response = deliver(paid(attempt, livemode="yes"))
    assert response.status_code == 400
    assert not StripeEvent.objects.exists()


# account


def test_an_event_from_an_account_no_organization_owns_is_ignored(deliver, attempt):
    deliver(paid(attempt, account="acct_1Nobody"))
    row = StripeEvent.objects.get()
    assert (row.status, row.account, row.organization_id) == ("ignored", "acct_1Nobody", None)
    assert "no organization of Hearth owns" in row.error
    assert status_of(attempt) == Status.CREATED


def test_an_event_from_the_organizations_own_account_is_applied_and_stored_with_it(deliver, connected):
    deliver(paid(connected, account=HOME))
    row = StripeEvent.objects.get()
    assert (row.status, row.account, row.organization_id) == ("handled", HOME, connected.organization_id)
    assert payment_entries(connected).count() == 1


def test_an_event_from_another_organizations_account_for_this_payment_is_ignored(deliver, connected, other_connected):
    deliver(paid(connected, account=ELSEWHERE))
    row = StripeEvent.objects.get()
    assert row.status == "ignored"
    assert "another organization" in row.error
    assert row.organization_id == other_connected.organization_id
    assert row.online_payment is None
    assert status_of(connected) == Status.CREATED
    assert not payment_entries(connected).exists()


def test_an_event_from_another_organizations_account_cannot_refund_this_payment(deliver, connected, other_connected):
    deliver(paid(connected, account=HOME))
    deliver(event_for("charge.refunded.json", connected) | {"account": ELSEWHERE})
    assert StripeEvent.objects.get(type="charge.refunded").status == "ignored"
    assert status_of(connected) == Status.SUCCEEDED
    assert not LedgerEntry.objects.filter(resident_id=connected.resident_id, kind=EntryKind.REFUND).exists()


def test_a_platform_event_cannot_change_a_payment_charged_on_a_connected_account(deliver, connected):
    deliver(paid(connected))
    row = StripeEvent.objects.get()
    assert row.status == "ignored"
    assert f"charged on connected account {HOME}" in row.error
    assert not payment_entries(connected).exists()


def test_with_connect_on_a_platform_event_cannot_change_a_payment_of_a_connected_organization(deliver, connected):
    connected.account_id = ""  # not recorded, say: the organization's own account is still the only one it uses
    connected.save(update_fields=["account_id"])
    deliver(paid(connected))
    row = StripeEvent.objects.get()
    assert row.status == "ignored"
    assert "its own connected account" in row.error
    assert not payment_entries(connected).exists()


def test_a_payment_made_on_the_platform_before_its_organization_connected_takes_platform_events(
    deliver, attempt, settings
):
    settings.STRIPE_CONNECT = True
    StripeAccount.objects.create(organization_id=attempt.organization_id, account_id=HOME, charges_enabled=True)
    deliver(paid(attempt))
    assert StripeEvent.objects.get().status == "handled"
    assert payment_entries(attempt).count() == 1


def test_without_connect_a_platform_event_is_applied_to_the_payment_it_names(deliver, attempt):
    deliver(paid(attempt))
    row = StripeEvent.objects.get()
    assert (row.status, row.account, row.organization_id) == ("handled", "", attempt.organization_id)


def test_a_handler_that_changed_another_organizations_payment_is_rolled_back(
    deliver, connected, other_connected, monkeypatch
):
    """Whatever a handler (of any lane) finds and changes, the event may touch only its own organization."""

    def careless(session, row):
        online_payments.online_payment_succeed(
            online_payment_id=connected.pk, on=connected.created_at.date(), payment_intent_id="pi_careless"
        )
        return Outcome(StripeEvent.Status.HANDLED, "", connected)

    monkeypatch.setitem(HANDLERS, "checkout.session.expired", careless)
    deliver(paid(connected, account=ELSEWHERE, type="checkout.session.expired"))
    assert StripeEvent.objects.get().status == "ignored"
    assert status_of(connected) == Status.CREATED
    assert not payment_entries(connected).exists()


# The Connect endpoint's own signing secret


def test_an_event_signed_with_the_connect_endpoints_secret_is_accepted(client, connected, settings, stripe_settings):
    settings.STRIPE_CONNECT_WEBHOOK_SECRET = "whsec_connect_hearth_0123456789"
    body = json.dumps(paid(connected, account=HOME))
    signature = sign(body, secret="whsec_connect_hearth_0123456789")
    response = client.generic("POST", WEBHOOK, body, content_type="application/json", HTTP_STRIPE_SIGNATURE=signature)
    assert response.status_code == 200
    assert StripeEvent.objects.get().status == "handled"


def test_an_event_signed_with_an_unknown_secret_is_refused_even_with_a_connect_secret_set(
    client, attempt, settings, stripe_settings
):
    settings.STRIPE_CONNECT_WEBHOOK_SECRET = "whsec_connect_hearth_0123456789"
    body = json.dumps(paid(attempt))
    signature = sign(body, secret="whsec_someone_else")
    response = client.generic("POST", WEBHOOK, body, content_type="application/json", HTTP_STRIPE_SIGNATURE=signature)
    assert response.status_code == 400
    assert not StripeEvent.objects.exists()
