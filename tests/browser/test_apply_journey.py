"""Someone looking for a bed applies from a house's public page on a phone; the house manager sees the application
waiting for a first reply, records the call, and admits them into a free bed, in a real browser."""

import re
from datetime import timedelta

import pytest

from residents.models import Application
from tests.vacancies.public.conftest import publish, rent_policy

from .test_csp_crawl import WATCH_VIOLATIONS

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}


@pytest.fixture
def listing(house):
    rent_policy(house)
    return publish(house, slug="maple-house")


def test_a_person_applies_on_a_phone_and_the_manager_replies_and_admits_them(
    open_page, sign_in, screenshot, listing, house, manager, resident_member
):
    today = house.organization.today()
    phone = open_page(**PHONE)
    violations = []
    phone.context.expose_function("reportCspViolation", lambda text: violations.append(text))
    phone.context.add_init_script(WATCH_VIOLATIONS)

    phone.goto(f"/v/{house.organization.slug}/maple-house/")
    assert phone.get_by_role("heading", name="Maple House", level=1).is_visible()
    phone.get_by_role("link", name="Apply to Maple House").first.click()
    phone.get_by_label("First name").fill("Jordan")
    phone.get_by_label("Last name").fill("Reyes")
    phone.get_by_label("Phone", exact=True).fill("(555) 010-3030")
    phone.get_by_label("E-mail", exact=True).fill("jordan.reyes@example.net")
    phone.get_by_label("When would you like to move in?").fill((today + timedelta(days=3)).isoformat())
    phone.get_by_label("Sobriety date").fill((today - timedelta(days=45)).isoformat())
    phone.get_by_role("group", name="Do you take medication for opioid use disorder?").get_by_label("No").check()
    phone.get_by_label("You may contact me about this application by phone or e-mail.").check()
    phone.get_by_role("button", name="Send my application").click()
    phone.wait_for_load_state()

    assert phone.get_by_role("heading", level=1).inner_text().strip() != ""
    assert "jordan.reyes@example.net" not in phone.url
    assert phone.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    assert violations == []
    screenshot(phone, "applicant-applies-on-a-phone")
    application = Application.objects.get(last_name="Reyes")
    assert (application.received_via, application.status) == ("website", "new")

    desk = open_page()
    sign_in(desk, manager)
    desk.goto("/dashboard/")
    waiting = desk.get_by_role("region", name=re.compile("Waiting for a first reply"))
    waiting.get_by_role("link", name="Jordan Reyes").click()
    desk.wait_for_url(re.compile(rf"/dashboard/applications/{application.pk}/$"))

    contact = desk.get_by_role("form", name="Record a contact")
    contact.get_by_label("What happened").fill("Called, interview on Thursday")
    desk.get_by_role("button", name="Record contact").click()
    desk.wait_for_load_state()
    application.refresh_from_db()
    assert application.first_contacted_at is not None

    desk.get_by_role("button", name="Accept", exact=True).click()
    desk.wait_for_load_state()
    desk.get_by_role("link", name="Accept and admit to bed…").click()
    desk.wait_for_url(re.compile(rf"/applications/{application.pk}/admit/$"))
    desk.get_by_label("Bed").select_option(label="Room 1 · Bed 2")
    desk.get_by_role("button", name="Admit", exact=True).click()
    desk.wait_for_load_state()

    assert desk.get_by_role("status").get_by_text(re.compile("Jordan Reyes admitted to Maple House")).is_visible()
    screenshot(desk, "manager-admits-the-web-applicant")
    application.refresh_from_db()
    assert application.status == Application.Status.ADMITTED
    assert application.decided_at is not None
