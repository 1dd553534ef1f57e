"""The resident turns rent reminders off (and on again) in the portal, with the form the page renders; receipts are
said to keep coming. Only residents reach it, each for themselves."""

import lxml.html
import pytest
from django.utils.html import escape

from billing.models import ReminderOptOut

PAGE = "/portal/pay/reminders/"


def opted_out(resident) -> bool:
    return ReminderOptOut.objects.filter(resident=resident).exists()


def test_the_page_says_reminders_are_on_and_where_they_go(page, resident_member):
    resident = resident_member.resident
    html = page(resident_member).get(PAGE).content.decode()
    assert "Reminders are <strong>on</strong>" in html
    assert escape(resident.email) in html
    assert "Receipts for your online payments are always sent" in html
    assert lxml.html.fromstring(html).get_element_by_id("id_wanted").checked


def test_a_resident_turns_reminders_off_with_the_pages_form(page, resident_member):
    client = page(resident_member)
    response = client.submit(PAGE, {"wanted": None}, follow=True)
    assert response.status_code == 200
    assert opted_out(resident_member.resident)
    html = response.content.decode()
    assert "Rent reminders are off. Receipts for your payments still come." in html
    assert "Reminders are <strong>off</strong>" in html
    assert not lxml.html.fromstring(html).get_element_by_id("id_wanted").checked


def test_a_resident_turns_reminders_on_again(page, resident_member):
    client = page(resident_member)
    client.submit(PAGE, {"wanted": None})
    client.submit(PAGE, {"wanted": "on"})
    assert not opted_out(resident_member.resident)


def test_turning_reminders_off_twice_keeps_one_opt_out(page, resident_member):
    client = page(resident_member)
    client.submit(PAGE, {"wanted": None})
    client.submit(PAGE, {"wanted": None})
    assert ReminderOptOut.objects.filter(resident=resident_member.resident).count() == 1


def test_the_rent_page_links_to_the_reminder_setting(page, resident_member):
    html = page(resident_member).get("/portal/pay/").content.decode()
    assert f'href="{PAGE}"' in html


def test_a_resident_without_an_email_address_is_told_so(page, resident_member):
    resident = resident_member.resident
    resident.email = ""
    resident.save(update_fields=["email"])
    resident_member.user.email = ""
    resident_member.user.save(update_fields=["email"])
    html = page(resident_member).get(PAGE).content.decode()
    assert "We have no e-mail address for you" in html


@pytest.mark.parametrize("role", ["operator", "manager", "outsider"])
def test_staff_cannot_open_or_post_the_reminder_setting(request, page, role, resident_member):
    member = request.getfixturevalue(role)
    client = page(member)
    assert client.get(PAGE).status_code == 403
    assert client.post(PAGE, {}).status_code == 403  # no form to load: a hand-made post
    assert not ReminderOptOut.objects.exists()


def test_an_anonymous_visitor_is_sent_to_log_in(client, resident_member):
    response = client.post(PAGE, {})
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")
    assert not ReminderOptOut.objects.exists()
