"""A resident pays rent online: the portal home says what they owe, Pay leads to the amount, the portal sends them
to Stripe Checkout (a local stand-in answers the API; the browser's trip to Stripe's page is stubbed), the return
page shows the payment pending until the signed webhook confirms it, and then the portal shows the payment and the
new balance."""

import re
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine

from billing.models import OnlinePayment

# The billing fixtures, shared: a resident who owes 900.00, a local Stripe stand-in and signed webhook deliveries.
from tests.billing.conftest import member_resident  # noqa: F401
from tests.billing.online.conftest import deliver, event_for, owing, stripe_settings, stripe_stand_in  # noqa: F401

pytestmark = pytest.mark.browser

STRIPE_PAGE = (
    "<!doctype html><html lang='en'><head><title>Stripe Checkout</title></head><body><main>Pay</main></body></html>"
)


def test_a_resident_starts_a_rent_payment_and_sees_it_pending(
    browser_page,
    sign_in,
    screenshot,
    resident_member,
    owing,
    stripe_stand_in,
):
    page = browser_page
    page.route(
        "https://checkout.stripe.com/**", lambda route: route.fulfill(body=STRIPE_PAGE, content_type="text/html")
    )
    sign_in(page, resident_member)
    page.goto("/portal/pay/")
    assert page.get_by_label("Amount to pay").input_value() == "900.00"
    page.get_by_label("Amount to pay").fill("300.00")
    screenshot(page, "resident-pays-rent")
    page.get_by_role("button", name="Pay rent").click()
    page.wait_for_url(re.compile(r"^https://checkout\.stripe\.com/"))
    payment = OnlinePayment.objects.get()
    assert payment.amount == 300
    page.goto(f"/portal/pay/return/?session_id={payment.checkout_session_id}")
    assert page.get_by_role("status").get_by_text("Pending").is_visible()
    screenshot(page, "resident-payment-pending")


@pytest.fixture
def mid_june():
    """June 15, 2026 at noon in the house, ticking: the 900.00 dated June 1 is two weeks past due."""
    with time_machine.travel(datetime(2026, 6, 15, 12, 0, tzinfo=ZoneInfo("America/Chicago")), tick=True):
        yield


def test_a_resident_pays_rent_online_from_the_portal_home_and_sees_the_new_balance(
    mid_june,
    browser_page,
    sign_in,
    screenshot,
    resident_member,
    owing,
    stripe_stand_in,
    deliver,
):
    page = browser_page
    page.route(
        "https://checkout.stripe.com/**", lambda route: route.fulfill(body=STRIPE_PAGE, content_type="text/html")
    )
    sign_in(page, resident_member)
    page.goto("/portal/")
    rent = page.get_by_role("region", name="Rent")
    assert "You owe $900.00" in rent.inner_text()
    assert "past due since Jun 1, 2026" in rent.inner_text()
    screenshot(page, "resident-home-owes-rent")

    rent.get_by_role("link", name="Pay rent").click()
    page.wait_for_url(re.compile(r"/portal/pay/$"))
    page.get_by_label("Amount to pay").fill("300.00")
    page.get_by_role("button", name="Pay rent").click()
    page.wait_for_url(re.compile(r"^https://checkout\.stripe\.com/"))

    payment = OnlinePayment.objects.get()
    assert deliver(event_for("checkout.session.completed.json", payment)).status_code == 200
    page.goto(f"/portal/pay/return/?session_id={payment.checkout_session_id}")
    assert page.get_by_text("Paid", exact=True).is_visible()

    page.goto("/portal/")
    assert "You owe $600.00" in page.get_by_role("region", name="Rent").inner_text()
    page.goto("/portal/pay/")
    online = page.get_by_role("region", name="Online payments").inner_text()
    assert "$300.00" in online
    assert "Paid" in online
    ledger = page.get_by_role("region", name="Your ledger")
    assert ledger.get_by_role("rowheader", name=re.compile(r"^Online payment by card")).is_visible()
    screenshot(page, "resident-paid-rent-online")
