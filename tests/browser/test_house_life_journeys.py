"""House-life journeys in a real browser: recording a drawn resident's drug test, and the house pages on a phone."""

import re

import pytest

from accounts import calendar
from accounts.calendar import week_of
from residents.chores import services as chore_services
from residents.models import TestRequest
from residents.testing.services import drug_test_draws as draw_services
from tests.residents.phases_factories import make_phases
from tests.residents.rules_factories import publish_defaults

pytestmark = pytest.mark.browser


@pytest.fixture
def drawn(house, manager, resident_member):
    """This week's draw of Maple House, which picks its one resident."""
    monday = calendar.week_start(house.organization.today())
    draw, _created = draw_services.drug_test_draw(actor=manager, house=house, week_start=monday, seed=7)
    return TestRequest.objects.get(draw=draw)


def test_a_manager_records_a_drawn_residents_test_and_sees_the_request_fulfilled(
    browser_page, sign_in, screenshot, manager, house, drawn
):
    page = browser_page
    name = drawn.resident.display_name
    sign_in(page, manager)
    page.get_by_role("navigation", name="Pages of Maple House").get_by_role("link", name="Drug tests").click()
    page.wait_for_url(re.compile(r"/dashboard/houses/\d+/drug-tests/$"))
    draw_table = page.get_by_role("table", name="Residents drawn this week")
    assert draw_table.get_by_text("Waiting").is_visible()

    draw_table.get_by_role("link", name=f"Record result for {name}").click()
    page.wait_for_url(re.compile(r"/requests/\d+/record/$"))
    assert page.get_by_role("heading", name=f"Record a test result for {name}").is_visible()
    panel = page.get_by_role("group", name="Screened for")
    assert panel.get_by_label("Cocaine").is_checked()  # the usual cup panel is ticked to start with
    page.get_by_role("combobox", name="Result").select_option(label="Negative")
    page.get_by_label("Lab reference").fill("CUP-2231")
    page.get_by_role("button", name="Record result").click()
    page.wait_for_url(re.compile(r"/drug-tests/$"))

    assert page.get_by_role("status").get_by_text(f"Negative result recorded for {name}.").is_visible()
    assert draw_table.get_by_text("Tested").is_visible()
    assert (
        page.get_by_role("table", name="Latest drug test results at Maple House").get_by_text("Negative").is_visible()
    )
    drawn.refresh_from_db()
    assert drawn.status == TestRequest.Status.FULFILLED
    screenshot(page, "manager-records-a-drawn-residents-test")


def test_a_result_left_out_is_shown_beside_the_field(browser_page, sign_in, console_errors, manager, house, drawn):
    page = browser_page
    console_errors.allow("status of 400")  # Chromium logs the refused form's answer; the refusal is the point
    sign_in(page, manager)
    page.goto(f"/dashboard/houses/{house.pk}/drug-tests/requests/{drawn.pk}/record/")
    page.get_by_role("button", name="Record result").click()
    result = page.get_by_role("combobox", name="Result")
    assert result.get_attribute("aria-invalid") == "true"
    assert page.locator("#id_result_error").inner_text() == "This field is required."
    drawn.refresh_from_db()
    assert drawn.status == TestRequest.Status.OPEN


def test_no_house_life_page_scrolls_sideways_on_a_phone(
    open_page, sign_in, screenshot, operator, manager, house,
    resident_member, drawn,
):  # fmt: skip
    make_phases(house.organization)
    publish_defaults(operator)
    chore_services.chore_create(actor=manager, house=house, name="Kitchen after dinner", frequency="daily")
    chore_services.chore_rotation_generate(
        actor=manager, house=house, week_start=week_of(house.organization.today())[0]
    )
    resident = resident_member.resident
    paths = [
        "/dashboard/", *(f"/dashboard/houses/{house.pk}/{name}/" for name in
                         ["rules", "chores", "drug-tests", "meetings", "sign-outs", "passes"]),
        f"/dashboard/houses/{house.pk}/drug-tests/requests/{drawn.pk}/record/",
        f"/dashboard/houses/{house.pk}/drug-tests/draws/{drawn.draw_id}/", f"/dashboard/residents/{resident.pk}/",
        "/dashboard/phases/", "/dashboard/grievances/",
    ]  # fmt: skip
    page = open_page(360, 780)
    sign_in(page, operator)
    too_wide = {}
    for path in paths:
        page.goto(path)
        width = page.evaluate("document.documentElement.scrollWidth")
        if width > 360:
            too_wide[path] = width
    page.goto(f"/dashboard/houses/{house.pk}/chores/")
    done = page.get_by_role("button", name="Done").first
    assert done.bounding_box()["height"] >= 44  # a thumb-sized target
    screenshot(page, "house-chores-360px")
    assert too_wide == {}
