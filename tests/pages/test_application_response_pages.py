"""An application's page: when it arrived, the first reply and the decision in the organization's time, how it
arrived and who refers; recording a contact, declining with a reason, inviting to an interview and erasing it at
the applicant's request, each through the form the page shows."""

from datetime import timedelta

import lxml.html
import time_machine

from accounts.models import AuditEntry
from residents.core.services.applications import (
    application_create,
    application_move,
    application_receive,
    application_record_contact,
)
from residents.models import Application, ApplicationEvent
from tests.clock import local_moment
from tests.erased import assert_nothing_personal_left
from vacancies.models import Referral, ReferralPartner

from .conftest import waiting_applicant

ARRIVED = local_moment(2026, 3, 2, 21, 15)  # a Monday evening in Chicago


def _new(actor, house, **fields):
    fields.setdefault("phone", "(555) 200-3000")
    with time_machine.travel(ARRIVED, tick=False):
        return application_create(
            actor=actor, first_name="Nia", last_name="Hart", applied_on=ARRIVED.date(), preferred_house=house, **fields
        )


def _url(application, action=""):
    return f"/dashboard/applications/{application.pk}/{action}"


def _fact(body: str, term: str) -> str:
    document = lxml.html.fromstring(body)
    [row] = [row for row in document.cssselect("dl.facts > div") if row.cssselect("dt")[0].text_content() == term]
    return " ".join(row.cssselect("dd")[0].text_content().split())


def test_the_page_shows_arrival_first_reply_and_decision_in_the_organizations_time(page, manager, house):
    application = _new(manager, house)
    with time_machine.travel(ARRIVED + timedelta(hours=14), tick=False):
        application_move(actor=manager, application=application, to="screening")
    with time_machine.travel(ARRIVED + timedelta(days=2), tick=False):
        application_move(actor=manager, application=application, to="accepted")
    body = page(manager).get(_url(application)).content.decode()
    assert _fact(body, "Received") == "Mar 2, 2026, 9:15 p.m. CST"
    assert _fact(body, "First reply") == "Mar 3, 2026, 11:15 a.m., 14 hours after it arrived"
    assert _fact(body, "Decided") == "Mar 4, 2026, 9:15 p.m."


def test_the_page_shows_how_it_arrived_and_the_intake_answers(page, manager, house):
    application = _new(
        manager, house, referred_by="family", referral_source="Her brother", on_moud=True, consent_to_contact=True,
        preferred_move_in=ARRIVED.date() + timedelta(days=10),
    )  # fmt: skip
    body = page(manager).get(_url(application)).content.decode()
    assert _fact(body, "Arrived through") == "Recorded by staff"
    assert _fact(body, "Referred by") == "Family: Her brother"
    assert _fact(body, "Medication for opioid use disorder") == "Yes"
    assert _fact(body, "Agrees to be contacted") == "Yes"
    assert _fact(body, "Preferred move-in") == "Mar 12, 2026"


def test_medication_not_asked_is_said_so(page, manager, house):
    body = page(manager).get(_url(_new(manager, house))).content.decode()
    assert _fact(body, "Medication for opioid use disorder") == "Not asked"


def test_a_partners_referral_names_the_partner(page, manager, organization, house):
    partner = ReferralPartner.objects.create(organization=organization, name="Hope Treatment Center", kind="treatment")
    application = application_receive(
        organization=organization, received_via="partner", referred_by="partner", first_name="Rae", last_name="Lund",
        phone="(555) 000-1111", preferred_house=house,
    )  # fmt: skip
    Referral.objects.create(application=application, partner=partner, referrer_name="Case manager Ivy")
    body = page(manager).get(_url(application)).content.decode()
    assert _fact(body, "Arrived through") == "Referral partner"
    assert _fact(body, "Referred by") == "A referral partner: Hope Treatment Center"


def test_recording_a_contact_through_the_form_is_the_first_reply(page, manager, house):
    application = _new(manager, house)
    contacted = ARRIVED + timedelta(hours=3)
    with time_machine.travel(contacted, tick=False):
        response = page(manager).submit(
            _url(application), {"note": "Called, interview Thursday"}, button="Record contact", follow=True
        )
    assert "Contact recorded." in response.content.decode()
    application.refresh_from_db()
    assert (application.status, application.first_contacted_at) == ("new", contacted)
    assert application.events.latest("pk").note == "Called, interview Thursday"


def test_the_contact_form_is_offered_for_new_applications_only(page, manager, operator, house):
    assert "Record a contact" in page(manager).get(_url(_new(manager, house))).content.decode()
    waiting = waiting_applicant(operator, house=house, accepted=False)
    assert "Record a contact" not in page(manager).get(_url(waiting)).content.decode()


def test_declining_asks_for_the_reason_and_refuses_without_one(page, manager, house):
    application = _new(manager, house)
    body = page(manager).get(_url(application)).content.decode()
    assert "Reason (the applicant and a referring partner see it)" in body
    events = ApplicationEvent.objects.count()
    response = page(manager).submit(_url(application), {"reason": ""}, button="Decline")
    assert response.status_code == 400
    assert "Give the reason for declining" in response.content.decode()
    application.refresh_from_db()
    assert (application.status, ApplicationEvent.objects.count()) == ("new", events)


def test_declining_with_a_reason_records_it(page, manager, house):
    application = _new(manager, house)
    response = page(manager).submit(
        _url(application), {"reason": "Needs medical detox first"}, button="Decline", follow=True
    )
    assert "Application is now declined." in response.content.decode()
    application.refresh_from_db()
    assert (application.status, application.decline_reason) == ("declined", "Needs medical detox first")
    assert _fact(response.content.decode(), "Reason for declining") == "Needs medical detox first"


def test_the_interview_step_is_offered_and_taken(page, manager, house):
    application = _new(manager, house)
    page(manager).submit(_url(application), button="Invite to an interview")
    application.refresh_from_db()
    assert application.status == Application.Status.INTERVIEW
    body = page(manager).get(_url(application)).content.decode()
    assert '<span class="badge status-interview">Interview</span>' in body


def test_erasing_at_the_applicants_request_blanks_it_hides_it_and_audits_only_its_id(page, manager, house):
    application = _new(manager, house, email="nia.hart@example.net")
    application_record_contact(actor=manager, application=application, note="Asked to be erased")
    client = page(manager)
    assert "Erase at the applicant" in client.get(_url(application)).content.decode()
    response = client.submit(_url(application, "erase/"), {"confirm": "on"}, button="Erase the application")
    assert response.status_code == 302
    assert_nothing_personal_left(application.pk, "Nia", "Hart", "nia.hart", "200-3000", "Asked to be erased")
    assert ApplicationEvent.objects.filter(application_id=application.pk).exists()
    assert client.get(_url(application)).status_code == 404
    assert f"/dashboard/applications/{application.pk}/" not in client.get("/dashboard/applications/").content.decode()
    entry = AuditEntry.objects.get(object_type="residents.application", action=AuditEntry.Action.ERASE)
    assert (entry.object_id, entry.actor, entry.detail) == (
        str(application.pk), manager.user, "Erased at the applicant's request",
    )  # fmt: skip
    written = " ".join(str(value) for value in AuditEntry.objects.values_list("detail", "path", "object_id"))
    assert "Hart" not in written
    assert "nia.hart" not in written


def test_erasing_needs_the_confirmation(page, manager, house):
    application = _new(manager, house)
    response = page(manager).submit(_url(application, "erase/"), {"confirm": None}, button="Erase the application")
    assert response.status_code == 400
    assert "Tick the box" in response.content.decode()
    assert Application.objects.filter(pk=application.pk).exists()


def test_an_admitted_application_offers_no_erasure_and_refuses_one(page, manager, operator, house):
    application = waiting_applicant(operator, house=house)
    page(manager).submit(f"/dashboard/applications/{application.pk}/admit/", {"bed": house.beds.last().pk})
    application.refresh_from_db()
    assert application.status == "admitted"
    client = page(manager)
    assert "Erase at the applicant" not in client.get(_url(application)).content.decode()
    assert client.get(_url(application, "erase/")).status_code == 302
    response = client.post(_url(application, "erase/"), {"confirm": "on"})
    assert response.status_code == 400
    assert "admitted applicant&#x27;s record is kept" in response.content.decode()
    assert Application.objects.filter(pk=application.pk).exists()


def test_another_organizations_application_cannot_be_erased(page, outsider, operator, house):
    application = waiting_applicant(operator, house=house, accepted=False)
    response = page(outsider).post(_url(application, "erase/"), {"confirm": "on"})
    assert response.status_code == 404
    assert Application.objects.filter(pk=application.pk).exists()


def test_the_list_shows_how_long_unanswered_applications_have_waited(page, manager, operator, house):
    _new(manager, house)
    waiting_applicant(operator, house=house, accepted=False, first_name="Wes", last_name="Waite")
    with time_machine.travel(ARRIVED + timedelta(hours=5), tick=False):
        body = page(manager).get("/dashboard/applications/").content.decode()
    document = lxml.html.fromstring(body)
    cells = {
        row.cssselect("td[data-label=Applicant]")[0].text_content().strip(): " ".join(
            row.cssselect("td[data-label=Waiting]")[0].text_content().split()
        )
        for row in document.cssselect("tbody tr")
    }
    assert cells == {"Nia Hart": "⚠ 5 h · over 2 hours without a reply", "Wes Waite": "Replied"}
