"""Payments needing attention, on a phone (390 px): the dashboard's panel shows a disputed payment's amount and
deadline without sideways scrolling, staff mark it handled from its page, and an operator reaches the refund form
from the resident's online payments."""

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine

from billing.models import PaymentAlert
from billing.services.ledger import charge_post
from billing.services.stripe_events import stripe_event_receive
from tests.billing.online.conftest import event_for, make_online
from tests.browser.test_phone_tables import PHONE, assert_on_screen, assert_page_fits

pytestmark = pytest.mark.browser

NOW = datetime(2026, 6, 17, 10, 0, tzinfo=ZoneInfo("America/Chicago"))


@pytest.fixture(autouse=True)
def clock():
    with time_machine.travel(NOW, tick=True):
        yield


@pytest.fixture
def phone(open_page):
    return open_page(PHONE["width"], PHONE["height"])


@pytest.fixture(autouse=True)
def owing(clock, resident_member, operator):
    """The member resident owes $900.00, so the payments below settle what is owed (none is an overpayment)."""
    charge_post(
        actor=operator, resident=resident_member.resident, kind="program_fee", amount="900.00", memo="June",
        effective_on=date(2026, 6, 1),
    )  # fmt: skip


@pytest.fixture
def disputed(clock, resident_member, operator):
    """The member resident's $640.00 card payment, disputed, with Stripe's deadline 23:59:59 UTC on June 24."""
    op = make_online(resident_member.resident, "640.00", intent="pi_phone_dispute")
    event = event_for("charge.dispute.created.json", op, payment_intent="pi_phone_dispute")
    event["data"]["object"]["evidence_details"]["due_by"] = int(
        datetime(2026, 6, 24, 23, 59, 59, tzinfo=UTC).timestamp()
    )
    stripe_event_receive(event=event)
    op.refresh_from_db()
    return op


def test_the_dashboard_shows_the_disputed_amount_and_deadline_and_it_is_marked_handled_on_a_phone(
    phone, sign_in, screenshot, manager, disputed
):
    sign_in(phone, manager)
    phone.goto("/dashboard/")
    panel = phone.locator("#payment-alerts")
    assert_page_fits(phone)
    assert_on_screen(phone, panel.get_by_text("$640.00"), "the disputed amount")
    assert_on_screen(phone, panel.get_by_text("7 days left"), "the days left")
    screenshot(phone, "phone-390-dashboard-payment-alerts")
    panel.get_by_role("link", name="Details and mark handled").click()
    assert_page_fits(phone)
    phone.get_by_label("What was done").fill("Evidence sent to Stripe.")
    phone.get_by_role("button", name="Mark handled").click()
    phone.wait_for_load_state()
    assert "No disputed payments" in phone.locator("#payment-alerts").inner_text()
    assert PaymentAlert.objects.get().resolved_at is not None


def test_an_operator_reaches_the_refund_form_from_the_residents_payments_on_a_phone(
    phone, sign_in, screenshot, operator, resident_member, clock
):
    op = make_online(resident_member.resident, "300.00", intent="pi_phone_refund")
    sign_in(phone, operator)
    phone.goto(f"/dashboard/residents/{op.resident_id}/#online-payments")
    row = phone.locator(f"#online-payment-{op.pk}")
    assert_page_fits(phone)
    refund = row.get_by_role("link", name="Refund")
    assert_on_screen(phone, refund, "the refund button")
    refund.click()
    assert_page_fits(phone)
    assert phone.get_by_label("Amount").input_value() == "300.00"
    assert_on_screen(phone, phone.get_by_role("button", name="Refund through Stripe"), "the refund button")
    screenshot(phone, "phone-390-refund-form")
