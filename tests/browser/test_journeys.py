"""Journeys a person takes through the pages, in a real browser."""

import re

import pytest

from tests.pages.conftest import waiting_applicant

pytestmark = pytest.mark.browser


def _count(page, testid):
    return int(page.get_by_test_id(testid).inner_text())


def test_a_manager_admits_a_waitlisted_applicant_and_sees_the_bed_board_change(
    browser_page, sign_in, screenshot, manager, operator, house, resident_member
):
    page = browser_page
    waiting_applicant(operator, house=house, first_name="Dana", last_name="Reyes")
    sign_in(page, manager)
    page.get_by_role("link", name="Bed board of Maple House").click()
    page.wait_for_url(re.compile(r"/dashboard/houses/\d+/beds/$"))
    free_before, occupied_before = _count(page, "free-count"), _count(page, "occupied-count")
    assert page.get_by_text("Dana Reyes").count() == 0

    page.get_by_role("link", name=re.compile(r"^Admit into")).first.click()
    page.get_by_label("Applicant from the waitlist").select_option(label="Dana Reyes · accepted, applied Feb 1, 2026")
    page.get_by_role("button", name="Admit applicant").click()
    page.wait_for_url(re.compile(r"/dashboard/houses/\d+/beds/$"))

    assert page.get_by_role("status").get_by_text(re.compile(r"Dana Reyes admitted to")).is_visible()
    assert page.get_by_role("link", name="Dana Reyes", exact=True).is_visible()
    assert _count(page, "free-count") == free_before - 1
    assert _count(page, "occupied-count") == occupied_before + 1
    screenshot(page, "manager-admits-from-the-waitlist")


def test_a_resident_cannot_open_a_staff_page(browser_page, sign_in, screenshot, console_errors, resident_member):
    page = browser_page
    # Chromium logs a refused document load as a console error; that refusal is what this test expects.
    console_errors.allow("status of 403")
    sign_in(page, resident_member)
    assert page.get_by_role("link", name="My home").is_visible()
    response = page.goto("/dashboard/residents/")
    assert response.status == 403
    assert page.get_by_role("heading", name="This page is not available to you").is_visible()
    assert page.get_by_role("link", name="Residents").count() == 0
    screenshot(page, "resident-refused-a-staff-page")


def test_the_bed_board_fits_a_phone_screen(open_page, sign_in, screenshot, manager, house, resident_member):
    page = open_page(360, 780)
    sign_in(page, manager)
    page.goto(f"/dashboard/houses/{house.pk}/beds/")
    # Nothing wider than the screen: no sideways scrolling of the page itself.
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    admit = page.get_by_role("link", name=re.compile(r"^Admit into")).first
    box = admit.bounding_box()
    assert box["height"] >= 44  # a thumb-sized target
    screenshot(page, "bed-board-360px")


def test_the_admit_form_can_be_used_with_the_keyboard_alone(browser_page, sign_in, manager, house, resident_member):
    page = browser_page
    sign_in(page, manager)
    page.goto(f"/dashboard/houses/{house.pk}/beds/")
    page.get_by_role("link", name=re.compile(r"^Admit into")).first.focus()
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/admit/$"))
    page.get_by_label("First name").focus()
    page.keyboard.type("Kim")
    page.keyboard.press("Tab")
    page.keyboard.type("Lowe")
    page.get_by_role("button", name="Add and admit").focus()
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/beds/$"))
    assert page.get_by_role("link", name="Kim Lowe", exact=True).is_visible()


def test_no_staff_page_scrolls_sideways_on_a_phone(open_page, sign_in, operator, manager, house, resident_member):
    application = waiting_applicant(operator, house=house)
    resident = resident_member.resident
    stay = resident.stays.get()
    bed = house.beds.order_by("pk").last()
    paths = [
        "/dashboard/", f"/dashboard/houses/{house.pk}/beds/", f"/dashboard/houses/{house.pk}/beds/{bed.pk}/admit/",
        f"/dashboard/stays/{stay.pk}/transfer/", f"/dashboard/stays/{stay.pk}/discharge/",
        f"/dashboard/houses/{house.pk}/waitlist/", "/dashboard/residents/", f"/dashboard/residents/{resident.pk}/",
        "/dashboard/applications/", "/dashboard/applications/new/", f"/dashboard/applications/{application.pk}/",
        "/dashboard/houses/", f"/dashboard/houses/{house.pk}/edit/", f"/dashboard/houses/{house.pk}/rooms/",
        "/dashboard/staff/", f"/dashboard/staff/{manager.pk}/", "/dashboard/settings/", "/dashboard/audit/",
        "/dashboard/settings/rent/", f"/dashboard/settings/rent/{house.pk}/",
    ]  # fmt: skip
    page = open_page(360, 780)
    sign_in(page, operator)
    too_wide = {}
    for path in paths:
        page.goto(path)
        width = page.evaluate("document.documentElement.scrollWidth")
        if width > 360:
            too_wide[path] = width
    assert too_wide == {}
