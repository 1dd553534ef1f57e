"""A partner's journey on a phone: through its private link it refers someone in one form, then sees the status
change the house's staff make; the pages pass the Content-Security-Policy and fit 390 px."""

import pytest

from residents.core.services.applications import application_move
from residents.models import Application
from tests.vacancies.partners.conftest import make_partner

from .test_csp_crawl import WATCH_VIOLATIONS

PHONE = {"width": 390, "height": 844}


@pytest.fixture
def link(organization, house):
    return f"/r/{make_partner(organization, [house]).link_token}/"


def test_a_partner_refers_someone_from_a_phone_and_sees_the_status_change(open_page, link, house, operator):
    page = open_page(**PHONE)
    violations = []
    page.context.expose_function("reportCspViolation", lambda text: violations.append(text))
    page.context.add_init_script(WATCH_VIOLATIONS)
    page.goto(link)
    assert page.get_by_role("heading", name=house.name).is_visible()

    page.get_by_role("link", name=f"Refer a person to {house.name}").click()
    page.get_by_label("First name").fill("Jamie")
    page.get_by_label("Last name").fill("Lopez")
    page.get_by_label("Phone").fill("(555) 010-2000")
    page.get_by_label("Yes").check()
    page.get_by_label("The person agrees to be contacted").check()
    page.get_by_label("Your name").fill("Casey Case")
    page.get_by_label("Your e-mail").fill("casey@hope.example")
    page.get_by_role("button", name="Send the referral").click()
    page.wait_for_load_state()

    row = page.get_by_role("row", name="Jamie L.")
    assert "Received" in row.inner_text()
    application = Application.objects.get()
    assert application.preferred_house == house

    application_move(actor=operator, application=application, to="interview")
    page.reload()

    assert "Interview" in page.get_by_role("row", name="Jamie L.").inner_text()
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    assert violations == []
