"""A manager accepts a waitlisted applicant from the house's waitlist and admits them to a free bed, in a real
browser, then sees them on the bed board."""

import re

import pytest

from residents.models import Application
from tests.pages.conftest import waiting_applicant

pytestmark = pytest.mark.browser


def test_a_manager_accepts_a_waitlisted_applicant_admits_them_to_a_free_bed_and_sees_them_on_the_board(
    browser_page, sign_in, screenshot, manager, operator, house, resident_member
):
    page = browser_page
    application = waiting_applicant(operator, house=house, accepted=False, first_name="Dana", last_name="Reyes")
    sign_in(page, manager)
    page.goto(f"/dashboard/houses/{house.pk}/beds/")
    free_before = int(page.get_by_test_id("free-count").inner_text())
    page.get_by_role("link", name="Waitlist for Maple House: 1").click()
    page.wait_for_url(re.compile(r"/waitlist/$"))

    row = page.get_by_role("row", name=re.compile("Dana Reyes"))
    assert row.get_by_role("cell", name="Waitlisted").is_visible()
    row.get_by_role("link", name="Accept and admit to bed… Dana Reyes").click()
    page.wait_for_url(re.compile(rf"/applications/{application.pk}/admit/$"))
    assert page.get_by_role("heading", name="Accept and admit Dana Reyes").is_visible()

    page.get_by_label("Bed").select_option(label="Room 1 · Bed 3")
    assert page.get_by_label("Move-in date").input_value() == manager.organization.today().isoformat()
    page.get_by_role("button", name="Accept and admit").click()
    page.wait_for_url(re.compile(rf"/dashboard/houses/{house.pk}/beds/$"))

    assert (
        page.get_by_role("status")
        .get_by_text(re.compile(r"Dana Reyes admitted to Maple House, Room 1 · Bed 3"))
        .is_visible()
    )
    card = page.locator("li.bed-card", has=page.get_by_role("heading", name="Bed 3"))
    assert card.get_by_role("link", name="Dana Reyes", exact=True).is_visible()
    assert int(page.get_by_test_id("free-count").inner_text()) == free_before - 1
    screenshot(page, "manager-accepts-and-admits-from-the-waitlist")

    application.refresh_from_db()
    assert application.status == Application.Status.ADMITTED
    assert application.resident.display_name == "Dana Reyes"
