"""The sign-out forms (the resident's in the portal, staff's on the house sign-out board) show tonight's curfew,
default the expected return to no later than it, and warn once before accepting a return past it: the first submit
shows the form again with a warning and a "Sign out anyway" button, the second goes through. No JavaScript."""

from datetime import datetime, timedelta
from urllib.parse import urljoin
from zoneinfo import ZoneInfo

import lxml.html
import pytest
import time_machine

from residents.models import SignOut
from tests.factories import admit
from tests.forms import fill, pick_form
from tests.residents.phases_factories import make_phases
from tests.residents.rules_factories import resident_with_login

# A Wednesday evening: the first phase's weeknight curfew is 22:00, so two hours from now (22:30) is past it.
NOW = datetime(2026, 3, 11, 20, 30, tzinfo=ZoneInfo("America/Chicago"))
PORTAL = "/portal/sign-out/"
PORTAL_FORM = "main form[method=post]:not([action])"
STAFF_FORM = "form[action$='/sign-outs/sign-out/']"
PAST_CURFEW = {"destination": "Work", "expected_return_at": "2026-03-11T23:30"}


@pytest.fixture(autouse=True)
def _wednesday_evening():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def resident(organization, operator, house):
    make_phases(organization)
    return resident_with_login(operator, house)


def _board(house):
    return f"/dashboard/houses/{house.pk}/sign-outs/"


def _text(response) -> str:
    return " ".join(lxml.html.fromstring(response.content.decode()).text_content().split())


def _submit_again(client, response, url, *, form, button, data=None):
    """Sends the form shown in ``response`` (a page answered to a POST), pressing ``button``, as a browser would."""
    chosen, clicked = pick_form(response.content.decode(), url, form=form, button=button)
    target = urljoin(url, chosen.get("action") or url)
    return client.post(target, fill(chosen, data, clicked), follow=True)


def test_the_portal_sign_out_page_shows_tonights_curfew(page, resident):
    html = page(resident.membership).get(PORTAL).content.decode()
    [help_text] = lxml.html.fromstring(html).cssselect("#id_expected_return_at_helptext")
    assert help_text.text_content().startswith("Your curfew tonight is 10:00 PM.")


def test_the_portal_expected_return_defaults_to_the_curfew_when_two_hours_would_pass_it(page, resident):
    html = page(resident.membership).get(PORTAL).content.decode()
    [field] = lxml.html.fromstring(html).cssselect("input[name=expected_return_at]")
    assert field.get("value") == "2026-03-11T22:00"


def test_a_return_before_curfew_signs_out_at_once(page, resident):
    client = page(resident.membership)
    response = client.submit(
        PORTAL, {"destination": "Work", "expected_return_at": "2026-03-11T21:45"}, form=PORTAL_FORM, follow=True
    )
    assert "Signed out to Work. Expected back Wed 9:45 PM." in _text(response)
    assert SignOut.objects.filter(stay__resident=resident, signed_in_at__isnull=True).count() == 1


def test_a_return_past_curfew_is_warned_about_and_nothing_is_recorded_yet(page, resident):
    client = page(resident.membership)
    response = client.submit(PORTAL, PAST_CURFEW, form=PORTAL_FORM)
    text = _text(response)
    assert "Back at 11:30 PM is after your curfew tonight, 10:00 PM." in text
    pick_form(response.content.decode(), PORTAL, form=PORTAL_FORM, button="Sign out anyway")
    assert not SignOut.objects.filter(stay__resident=resident).exists()


def test_sign_out_anyway_after_the_warning_records_the_sign_out(page, resident):
    client = page(resident.membership)
    warned = client.submit(PORTAL, PAST_CURFEW, form=PORTAL_FORM)
    response = _submit_again(client, warned, PORTAL, form=PORTAL_FORM, button="Sign out anyway")
    assert "Signed out to Work. Expected back Wed 11:30 PM." in _text(response)
    [sign_out] = SignOut.objects.filter(stay__resident=resident)
    assert sign_out.expected_return_at == datetime(2026, 3, 11, 23, 30, tzinfo=ZoneInfo("America/Chicago"))


def test_signing_out_again_without_choosing_anyway_warns_again(page, resident):
    client = page(resident.membership)
    warned = client.submit(PORTAL, PAST_CURFEW, form=PORTAL_FORM)
    response = _submit_again(client, warned, PORTAL, form=PORTAL_FORM, button="Sign out now")
    assert "is after your curfew tonight" in _text(response)
    assert not SignOut.objects.filter(stay__resident=resident).exists()


def test_the_staff_form_names_each_residents_curfew_tonight(page, manager, operator, house, resident):
    late_owl = admit(house, actor=operator, on=NOW.date() - timedelta(days=5), legal_first_name="Lou", phase=False)
    html = page(manager).get(_board(house)).content.decode()
    labels = [option.text_content() for option in lxml.html.fromstring(html).cssselect("select[name=stay] option")]
    assert f"{resident} · curfew tonight 10:00 PM" in labels
    assert f"{late_owl.resident} · no curfew tonight" in labels


def test_the_staff_form_defaults_the_return_to_no_later_than_the_curfew(page, manager, house, resident):
    html = page(manager).get(_board(house)).content.decode()
    [field] = lxml.html.fromstring(html).cssselect("input[name=expected_return_at]")
    assert field.get("value") == "2026-03-11T22:00"


def test_staff_are_warned_before_signing_a_resident_out_past_curfew_then_may_sign_out_anyway(
    page, manager, house, resident
):
    client = page(manager)
    stay = resident.stays.get()
    data = {"stay": str(stay.pk), "destination": "Night shift", "expected_return_at": "2026-03-12T00:30"}
    warned = client.submit(_board(house), data, form=STAFF_FORM)
    assert f"Back at 12:30 AM is after {resident}'s curfew tonight, 10:00 PM." in _text(warned)
    assert not SignOut.objects.filter(stay=stay).exists()
    response = _submit_again(client, warned, _board(house), form=STAFF_FORM, button="Sign out anyway")
    assert f"{resident} signed out to Night shift, expected back Thu 12:30 AM." in _text(response)
    assert SignOut.objects.filter(stay=stay, signed_in_at__isnull=True).count() == 1
