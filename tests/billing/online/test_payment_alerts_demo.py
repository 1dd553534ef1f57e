"""The demo shows a disputed payment: a card payment disputed through the real event handling, with Stripe's
evidence deadline a week ahead, on the operator's and the manager's dashboards and on the resident's page."""

import lxml.html
import pytest

from accounts.models import Organization
from billing.models import OnlinePayment, PaymentAlert, StripeEvent


@pytest.fixture(autouse=True)
def today():
    """The demo is dated from the real today, so these tests do not fix it."""


@pytest.fixture
def demo(demo_db):
    return Organization.objects.get(slug="second-wind")


@pytest.fixture
def disputed(demo):
    return OnlinePayment.objects.get(organization=demo, status=OnlinePayment.Status.DISPUTED)


def panel_text(response) -> str:
    assert response.status_code == 200
    [section] = lxml.html.fromstring(response.content.decode()).cssselect("#payment-alerts")
    return " ".join(section.text_content().split())


def test_the_demo_has_a_card_payment_disputed_with_a_deadline_a_week_ahead(demo, disputed):
    assert disputed.payment_method_type == "card"
    assert disputed.dispute_reason == "fraudulent"
    alert = PaymentAlert.objects.get(online_payment=disputed)
    assert alert.kind == PaymentAlert.Kind.DISPUTE
    assert alert.resolved_at is None
    assert alert.notified_at is not None  # seeding e-mails nobody
    due_on = alert.evidence_due_by.astimezone(demo.tzinfo).date()
    assert (due_on - demo.today()).days == 7


def test_the_demo_dispute_came_through_the_real_event_handling(disputed):
    events = StripeEvent.objects.filter(online_payment=disputed)
    assert set(events.values_list("type", "status")) == {
        ("checkout.session.completed", "handled"),
        ("charge.dispute.created", "handled"),
    }


@pytest.mark.parametrize("email", ["operator@example.com", "manager@example.com"])
def test_the_demo_dashboards_show_the_dispute_and_the_days_left(demo, disputed, page, email):
    member = demo.memberships.get(user__email=email)
    text = panel_text(page(member).get("/dashboard/"))
    assert "Disputed payment" in text
    assert disputed.resident.display_name in text
    assert "7 days left" in text


def test_the_demo_operator_also_sees_the_failed_bank_debit(demo, page):
    operator = demo.memberships.get(user__email="operator@example.com")
    assert "Bank debit failed" in panel_text(page(operator).get("/dashboard/"))
