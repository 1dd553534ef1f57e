"""The certification overview on a laptop screen (1280 px): rules down, houses across. A few houses fit without any
sideways scrolling; many houses scroll sideways inside the table's own region (never the page), with the rule
column held in view."""

import pytest

from tests.factories import HouseFactory

pytestmark = pytest.mark.browser

PAGE_SCROLLS_SIDEWAYS = "document.documentElement.scrollWidth > document.documentElement.clientWidth"


def _open_overview(page, sign_in, operator):
    sign_in(page, operator)
    page.goto("/dashboard/certification/")
    page.get_by_role("heading", name="Certification overview").wait_for()
    return page.get_by_role("region", name="NARR rules down, houses across")


def test_a_few_houses_and_every_rule_fit_a_laptop_screen_without_scrolling_sideways(
    browser_page, sign_in, screenshot, operator, house, other_house
):
    region = _open_overview(browser_page, sign_in, operator)
    assert region.evaluate("el => el.scrollWidth <= el.clientWidth")
    assert not browser_page.evaluate(PAGE_SCROLLS_SIDEWAYS)
    screenshot(browser_page, "certification-overview-few-houses")


def test_many_houses_scroll_inside_the_table_with_the_rule_column_kept_in_view(
    browser_page, sign_in, screenshot, operator
):
    for n in range(30):
        HouseFactory(organization=operator.organization, beds=1, narr_level=2, name=f"House number {n:02}")
    region = _open_overview(browser_page, sign_in, operator)
    assert region.evaluate("el => el.scrollWidth > el.clientWidth")  # the table scrolls inside its region
    assert not browser_page.evaluate(PAGE_SCROLLS_SIDEWAYS)  # and the page itself does not
    region.evaluate("el => { el.scrollLeft = el.scrollWidth; }")
    rule = browser_page.get_by_role("rowheader", name="2.F.19.d Naloxone on hand")
    last_house = browser_page.get_by_role("columnheader", name="House number 29")
    box, rule_box, last_box = region.bounding_box(), rule.bounding_box(), last_house.bounding_box()
    assert abs(rule_box["x"] - box["x"]) <= 2  # the rule column stayed at the region's left edge
    assert last_box["x"] + last_box["width"] <= box["x"] + box["width"] + 1  # the last house scrolled into view
    assert last_box["x"] >= rule_box["x"] + rule_box["width"] - 1  # and is not hidden under the rule column
    screenshot(browser_page, "certification-overview-many-houses")
