"""The demo shows a connected organization: the first demo organization's own Stripe account can take charges, and
its operator's Online payments page shows it while Connect is off in the demo deployment."""

import pytest

from accounts.models import Organization
from billing.models import StripeAccount
from demo import seed_connect

from .test_connect_page import PAGE, card_text


@pytest.fixture(autouse=True)
def today():
    """The demo is dated from the real today, so these tests do not fix it."""


@pytest.fixture
def demo(demo_db):
    return Organization.objects.get(slug="second-wind")


def test_the_demo_organization_is_connected_and_can_take_charges(demo):
    account = StripeAccount.objects.get(organization=demo)
    assert account.account_id == seed_connect.ACCOUNT_ID
    assert (account.charges_enabled, account.payouts_enabled, account.details_submitted) == (True, True, True)


def test_the_demo_operator_sees_the_connected_account_while_connect_is_off(demo, page):
    operator = demo.memberships.get(user__email="operator@example.com")
    text = card_text(page(operator).get(PAGE))
    assert "Stripe Connect is off in this deployment" in text
    assert seed_connect.ACCOUNT_ID in text
    assert "Residents can pay online Yes" in text


def test_with_connect_on_the_demo_operator_sees_the_account_ready(demo, page, stripe_stand_in, settings):
    settings.STRIPE_CONNECT = True
    operator = demo.memberships.get(user__email="operator@example.com")
    text = card_text(page(operator).get(PAGE))
    assert "Your account is set up." in text
    assert "Stripe Connect is off in this deployment" not in text


def test_with_connect_on_the_second_demo_organization_is_not_connected_yet(demo, page, stripe_stand_in, settings):
    settings.STRIPE_CONNECT = True
    other = Organization.objects.get(slug="new-dawn").memberships.get(user__email="operator@other.example.com")
    text = card_text(page(other).get(PAGE))
    assert "Not connected Residents cannot pay online until you connect a Stripe account" in text
