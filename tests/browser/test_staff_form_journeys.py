"""Staff forms that used to post to the API, used in a real browser: answering and closing a grievance, giving a
resident a portal login. Each journey clicks the rendered form, so it fails if the form posts anywhere but a page."""

import re
from datetime import date

import pytest
from django.core import mail

from accounts.models import Role
from residents.core.services.stays import stay_admit
from residents.models import Grievance, Resident
from tests.factories import ResidentFactory
from tests.residents.rules_factories import file_grievance

pytestmark = pytest.mark.browser


def test_an_operator_answers_a_grievance_and_then_closes_it(
    browser_page, sign_in, screenshot, operator, resident_member
):
    page = browser_page
    grievance = file_grievance(resident_member, subject="Broken washing machine")
    sign_in(page, operator)
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Grievances").click()
    page.wait_for_url(re.compile(r"/dashboard/grievances/$"))
    page.get_by_role("table", name="Grievances").get_by_role("link", name="Broken washing machine").click()
    page.wait_for_url(re.compile(rf"/dashboard/grievances/{grievance.pk}/$"))

    respond = page.get_by_role("region", name="Respond", exact=True)
    respond.get_by_role("textbox", name=re.compile(r"^Response")).fill("The repair service comes on Tuesday morning.")
    with page.expect_navigation(url=re.compile(rf"/dashboard/grievances/{grievance.pk}/$")):  # back to this page
        respond.get_by_role("button", name="Send response").click()
    sent = f"Response sent. {grievance.resident} reads it in the portal."
    assert page.get_by_role("status").get_by_text(sent).is_visible()
    answer = page.get_by_role("region", name="Response", exact=True)
    assert answer.get_by_text("The repair service comes on Tuesday morning.").is_visible()
    assert page.get_by_role("button", name="Send response").count() == 0

    page.get_by_role("button", name="Close grievance").click()
    page.wait_for_url(re.compile(r"/dashboard/grievances/$"))
    assert page.get_by_role("status").get_by_text("Grievance “Broken washing machine” closed.").is_visible()
    assert page.get_by_role("link", name="Broken washing machine").count() == 0  # the list shows what is still open
    grievance.refresh_from_db()
    assert grievance.status == Grievance.Status.CLOSED
    assert grievance.response == "The repair service comes on Tuesday morning."
    assert grievance.responded_by == operator.user
    assert grievance.closed_by == operator.user
    screenshot(page, "operator-answers-and-closes-a-grievance")


def test_a_manager_gives_a_resident_a_portal_login_from_the_residents_page(
    browser_page, sign_in, screenshot, operator, manager, house
):
    page = browser_page
    resident = ResidentFactory(organization=house.organization, legal_first_name="Jordan", legal_last_name="Pike")
    stay_admit(actor=operator, resident=resident, bed=house.beds.order_by("pk").first(), on=date(2026, 1, 5))
    sign_in(page, manager)
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Residents").click()
    page.wait_for_url(re.compile(r"/dashboard/residents/$"))
    page.get_by_role("link", name="Pike, Jordan").click()
    page.wait_for_url(re.compile(rf"/dashboard/residents/{resident.pk}/$"))

    login = page.get_by_role("region", name="Portal login")
    login.get_by_label("E-mail for the portal login").fill("jordan.pike@example.org")
    with page.expect_navigation(url=re.compile(rf"/dashboard/residents/{resident.pk}/$")):  # back to this page
        login.get_by_role("button", name="Give a portal login").click()

    assert (
        page.get_by_role("status")
        .get_by_text(
            "Portal invitation sent to jordan.pike@example.org. The login works once they accept it from the e-mail."
        )
        .is_visible()
    )
    assert login.get_by_text("jordan.pike@example.org").is_visible()
    assert login.get_by_role("button", name="Give a portal login").count() == 0
    resident = Resident.objects.select_related("membership__user").get(pk=resident.pk)
    assert resident.membership.user.email == "jordan.pike@example.org"
    assert resident.membership.role == Role.RESIDENT
    assert [message.to for message in mail.outbox] == [["jordan.pike@example.org"]]
    screenshot(page, "manager-gives-a-resident-a-portal-login")
