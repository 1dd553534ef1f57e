"""A resident starts a rent payment: the portal sends them to Stripe Checkout (a local stand-in answers the API;
the browser's trip to Stripe's page is stubbed), and the return page shows the payment pending until the webhook
confirms it."""

import re

import pytest

from billing.models import OnlinePayment

# The billing fixtures, shared: a resident who owes 900.00 and a local Stripe stand-in.
from tests.billing.conftest import member_resident  # noqa: F401
from tests.billing.online.conftest import owing, stripe_settings, stripe_stand_in  # noqa: F401

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
