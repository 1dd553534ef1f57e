"""The demo's online payments: local records and the events Stripe would have sent, no call to Stripe."""

import pytest

from accounts.models import Organization
from billing.models import OnlinePayment, StripeEvent
from billing.selectors.balances import pending_of


@pytest.fixture(autouse=True)
def today():
    """The demo is dated from the real today, so these tests do not fix it."""


@pytest.fixture
def demo(demo_db):
    return Organization.objects.get(slug="second-wind")


def test_the_demo_has_a_card_payment_a_pending_bank_debit_and_a_refund(demo):
    online = OnlinePayment.objects.filter(organization=demo)
    assert sorted(online.values_list("status", flat=True)) == ["pending", "refunded", "succeeded"]
    assert set(online.values_list("payment__method", flat=True)) == {"card", "bank_debit"}


def test_every_demo_event_was_handled(demo):
    events = StripeEvent.objects.filter(organization=demo)
    assert set(events.values_list("type", flat=True)) == {"checkout.session.completed", "charge.refunded"}
    assert set(events.values_list("status", flat=True)) == {"handled"}


def test_the_demo_portal_resident_has_a_bank_debit_on_its_way(demo):
    pending = OnlinePayment.objects.get(organization=demo, status="pending")
    assert pending.resident.membership.user.email == "resident@example.com"
    assert pending_of(pending.resident_id) == pending.amount


def test_the_second_organization_has_a_lighter_online_history(demo):
    other = OnlinePayment.objects.filter(organization__slug="new-dawn")
    assert list(other.values_list("status", flat=True)) == ["succeeded"]
