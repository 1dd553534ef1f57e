"""An operator generates a monthly report and downloads it, in a real browser."""

import re
from datetime import date

import pytest

from residents.core.services.stays import stay_admit

pytestmark = pytest.mark.browser


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def test_an_operator_generates_and_downloads_a_monthly_report(
    browser_page, sign_in, screenshot, operator, house, resident_factory, tmp_path
):
    today = operator.organization.today()
    stay_admit(actor=operator, resident=resident_factory(), bed=house.beds.first(), on=date(today.year, 1, 5))
    page = browser_page
    sign_in(page, operator)
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Reports").click()
    page.get_by_role("heading", name="Monthly reports").wait_for()
    page.get_by_label("For").select_option(label="All houses (organization report)")
    page.get_by_role("button", name="Generate").click()
    page.get_by_role("status").get_by_text("is being generated").wait_for()
    download_link = page.get_by_role("link", name=re.compile(r"^Download PDF")).first
    with page.expect_download() as download_info:
        download_link.click()
    download = download_info.value
    assert download.suggested_filename.startswith("hearth-monthly-")
    assert download.suggested_filename.endswith("-second-wind.pdf")
    saved = tmp_path / download.suggested_filename
    download.save_as(saved)
    assert saved.read_bytes().startswith(b"%PDF")
    screenshot(page, "operator-downloads-a-monthly-report")
