"""The demo's online payments: local records and the events Stripe would have sent, no call to Stripe. Every bank
debit settles or fails within the story, and the demo resident owes rent they can pay online today."""

import re

import lxml.html
import pytest

from accounts.models import Organization
from billing.models import OnlinePayment, Payment, StripeEvent
from billing.selectors.balances import balance_of
from residents.models import Resident


@pytest.fixture(autouse=True)
def today():
    """The demo is dated from the real today, so these tests do not fix it."""


@pytest.fixture
def demo(demo_db):
    return Organization.objects.get(slug="second-wind")


@pytest.fixture
def demo_resident(demo):
    return Resident.objects.get(membership__user__email="resident@example.com")


def test_the_demo_has_card_payments_a_refund_and_bank_debits_that_settled_or_failed(demo):
    online = OnlinePayment.objects.filter(organization=demo)
    # disputed: the card payment of demo/seed_alerts.py
    # pending: the bank debit of demo/seed_pending_debit.py that holds off a late fee
    assert set(online.values_list("status", flat=True)) == {"succeeded", "refunded", "failed", "disputed", "pending"}
    assert set(online.filter(status="succeeded").values_list("payment__method", flat=True)) == {"card", "bank_debit"}
    assert online.get(status="failed").payment_method_type == "us_bank_account"


def test_no_demo_payment_is_left_pending(demo):
    held = {"resident__legal_last_name": "Whitaker"}  # demo/seed_pending_debit.py: left pending on purpose
    unsettled = OnlinePayment.objects.filter(organization=demo, status__in=["created", "pending"])
    assert not unsettled.exclude(**held).exists()
    assert not Payment.objects.filter(organization=demo, status=Payment.Status.PENDING).exclude(**held).exists()


def test_every_demo_event_was_handled(demo):
    events = StripeEvent.objects.filter(organization=demo)
    assert set(events.values_list("type", flat=True)) == {
        "checkout.session.completed",
        "checkout.session.async_payment_succeeded",
        "checkout.session.async_payment_failed",
        "charge.refunded",
        "charge.dispute.created",  # demo/seed_alerts.py
        "payment_intent.processing",  # demo/seed_pending_debit.py
        "payment_intent.succeeded",  # demo/seed_autopay.py: rent charged by autopay
    }
    assert set(events.values_list("status", flat=True)) == {"handled"}


def test_the_demo_resident_paid_a_rent_by_a_bank_debit_that_settled(demo, demo_resident):
    debit = OnlinePayment.objects.get(resident=demo_resident)
    assert debit.status == "succeeded"
    assert debit.payment.method == "bank_debit"
    assert debit.payment.entry.memo == "Online payment by bank debit"


def test_the_demo_resident_owes_rent_they_can_pay_online_today(demo, demo_resident, page, stripe_stand_in):
    owed = balance_of(demo_resident.pk)
    assert owed > 0
    response = page(demo_resident.membership).submit("/portal/pay/", button="Pay rent")
    assert response.status_code == 302
    assert response.url.startswith("https://checkout.stripe.com/")
    started = OnlinePayment.objects.get(resident=demo_resident, status="created")
    assert started.amount == owed


def test_the_second_organization_has_a_lighter_online_history(demo):
    other = OnlinePayment.objects.filter(organization__slug="new-dawn")
    assert list(other.values_list("status", flat=True)) == ["succeeded"]


def test_the_demo_resident_reads_on_their_ledger_what_a_reversal_reverses_and_why(demo_resident, page):
    response = page(demo_resident.membership).get("/portal/pay/")
    document = lxml.html.fromstring(response.content.decode())
    cells = document.cssselect("section[aria-labelledby='ledger-heading'] tbody th")
    rows = [" ".join(cell.text_content().split()) for cell in cells]
    assert any(re.fullmatch(r"Reverses the (payment|program fee) of \w{3} \d{1,2}(, \d{4})?: .+", row) for row in rows)
