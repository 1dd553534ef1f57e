"""A manager records a cash payment on a resident's page and opens its receipt, in a real browser."""

import re

import pytest

pytestmark = pytest.mark.browser


def test_a_manager_records_a_cash_payment_and_opens_the_receipt(
    browser_page, sign_in, screenshot, manager, resident_member
):
    resident = resident_member.resident
    page = browser_page
    sign_in(page, manager)
    page.goto(f"/dashboard/residents/{resident.pk}/")
    ledger = page.get_by_role("region", name="Ledger and balance")
    ledger.get_by_text("Record a payment", exact=True).click()
    payment_form = ledger.locator("form", has=page.get_by_role("button", name="Record payment"))
    payment_form.get_by_label("Method").select_option(label="Cash")
    payment_form.get_by_label("Amount").fill("150.00")
    payment_form.get_by_role("button", name="Record payment").click()
    page.get_by_role("status").get_by_text(re.compile(r"Payment of 150\.00 recorded: receipt no\. \d+")).wait_for()
    page.get_by_role("link", name=re.compile(r"^Receipt \d+")).first.click()
    page.wait_for_url(re.compile(r"/billing/receipts/\d+/$"))
    assert page.get_by_text("150.00").first.is_visible()
    screenshot(page, "manager-records-a-cash-payment")
