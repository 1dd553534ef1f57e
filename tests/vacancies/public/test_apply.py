"""Applying from the public pages: the page's own form, sent as a browser would, becomes a new application in the
organization's pipeline with the applicant's private link and an acknowledgement e-mail; robots and floods are
turned away and bad answers write nothing."""

from datetime import timedelta

import pytest
from django.core import mail

from residents.models import Application, ApplicationEvent
from vacancies.models import PublicSubmission

from .conftest import TODAY

pytestmark = pytest.mark.django_db

ANSWERS = {
    "first_name": "Dana",
    "last_name": "Whitfield",
    "phone": "(555) 010-7788",
    "email": "dana@example.net",
    "preferred_move_in": str(TODAY + timedelta(days=7)),
    "referred_by": "partner",
    "referral_source": "Riverside Treatment Center",
    "sobriety_date": str(TODAY - timedelta(days=45)),
    "on_moud": "yes",
    "payer": "voucher",
    "notes": "I finish my program on Friday.",
    "consent_to_contact": "on",
}


def nothing_written() -> bool:
    return not (Application.objects.exists() or ApplicationEvent.objects.exists() or PublicSubmission.objects.exists())


def test_applying_to_a_house_records_a_new_website_application_for_it(visitor, listing, house):
    response = visitor.submit("/v/second-wind/maple-house/apply/", ANSWERS)

    assert response.status_code == 302
    assert response["Location"] == "/v/second-wind/apply/thanks/"
    application = Application.objects.get()
    assert (application.first_name, application.last_name, application.preferred_house) == ("Dana", "Whitfield", house)
    assert application.status == Application.Status.NEW
    assert application.received_via == Application.ReceivedVia.WEBSITE
    assert application.referred_by == Application.ReferredBy.PARTNER
    assert application.referral_source == "Riverside Treatment Center"
    assert application.preferred_move_in == TODAY + timedelta(days=7)
    assert application.sobriety_date == TODAY - timedelta(days=45)
    assert (application.on_moud, application.payer, application.consent_to_contact) == (True, "voucher", True)
    assert application.notes == "I finish my program on Friday."
    assert application.public_submission.token


def test_the_thank_you_page_follows_the_submission(visitor, listing):
    response = visitor.submit("/v/second-wind/maple-house/apply/", ANSWERS, follow=True)

    assert response.status_code == 200
    assert "Thank you: your application was sent" in response.content.decode()


def test_applying_to_the_organization_asks_which_houses_and_records_no_house(visitor, listing):
    visitor.submit("/v/second-wind/apply/", {**ANSWERS, "preferred_gender": "women"})

    application = Application.objects.get()
    assert (application.preferred_house, application.preferred_gender) == (None, "women")


def test_the_house_form_does_not_ask_which_houses(visitor, listing):
    page = visitor.get("/v/second-wind/maple-house/apply/").content.decode()

    assert 'name="preferred_gender"' not in page


def test_the_manager_sees_the_application_on_the_applications_page_at_once_as_new(visitor, listing, page, manager):
    visitor.submit("/v/second-wind/maple-house/apply/", ANSWERS)

    staff_page = " ".join(page(manager).get("/dashboard/applications/").content.decode().split())

    assert "Dana Whitfield" in staff_page
    assert '<span class="badge status-new">New</span>' in staff_page


def test_the_applicant_is_emailed_their_private_link_once_committed(
    visitor, listing, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        visitor.submit("/v/second-wind/maple-house/apply/", ANSWERS)

    submission = PublicSubmission.objects.get()
    [message] = mail.outbox
    assert message.to == ["dana@example.net"]
    assert message.subject == "Second Wind: we received your application"
    assert "Hello Dana," in message.body
    assert "Second Wind received your application to Maple House." in message.body
    assert f"http://127.0.0.1:8000/applications/{submission.token}/" in message.body
    assert submission.acknowledged_at is not None


def test_the_emailed_link_shows_the_application_as_received(visitor, listing, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        visitor.submit("/v/second-wind/maple-house/apply/", ANSWERS)
    link = next(line for line in mail.outbox[0].body.splitlines() if "/applications/" in line)

    page = " ".join(visitor.get(link.split("8000", 1)[1]).content.decode().split())

    assert "Dana Whitfield, to Maple House, Second Wind." in page
    assert "<h2>Received</h2>" in page
    assert "(555) 010-7788" not in page  # nothing of the application but the name and the house


def test_no_email_is_sent_to_an_applicant_who_gave_only_a_phone(visitor, listing, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        visitor.submit("/v/second-wind/maple-house/apply/", {**ANSWERS, "email": ""})

    assert Application.objects.get().phone == "(555) 010-7788"
    assert mail.outbox == []


def test_the_acknowledgement_is_sent_once_even_if_the_task_runs_twice(visitor, listing):
    from vacancies.services.public import acknowledgement_send

    visitor.submit("/v/second-wind/maple-house/apply/", ANSWERS)
    submission = PublicSubmission.objects.get()

    assert acknowledgement_send(submission_id=submission.pk) is True
    assert acknowledgement_send(submission_id=submission.pk) is False
    assert len(mail.outbox) == 1


def test_a_filled_honeypot_drops_the_submission_behind_the_same_thank_you_page(visitor, listing):
    response = visitor.submit("/v/second-wind/maple-house/apply/", {**ANSWERS, "hp_confirm": "http://spam.example"})

    assert response.status_code == 302
    assert response["Location"] == "/v/second-wind/apply/thanks/"
    assert nothing_written()


def test_the_honeypot_field_is_labelled_and_visually_hidden(visitor, listing):
    page = visitor.get("/v/second-wind/maple-house/apply/").content.decode()

    assert '<label for="id_hp_confirm">Leave this field empty</label>' in page
    assert '<div class="visually-hidden" aria-hidden="true">' in page


def test_past_the_limit_an_address_gets_a_429_page_and_nothing_is_written(visitor, listing, settings):
    settings.PUBLIC_APPLICATIONS_PER_ADDRESS = "2/h"
    for _ in range(2):
        assert visitor.submit("/v/second-wind/maple-house/apply/", ANSWERS).status_code == 302
    before = Application.objects.count()

    response = visitor.submit("/v/second-wind/maple-house/apply/", ANSWERS)

    assert response.status_code == 429
    assert "Too many applications from your network" in response.content.decode()
    assert Application.objects.count() == before == 2


def test_another_address_may_still_apply_when_one_is_limited(visitor, listing, settings):
    settings.PUBLIC_APPLICATIONS_PER_ADDRESS = "1/h"
    visitor.submit("/v/second-wind/maple-house/apply/", ANSWERS)

    response = visitor.submit("/v/second-wind/maple-house/apply/", ANSWERS, REMOTE_ADDR="203.0.113.9")

    assert response.status_code == 302
    assert Application.objects.count() == 2


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"phone": "", "email": ""}, "phone", "Give a phone number or an e-mail, so we can reach you."),
        ({"email": "not-an-address"}, "email", "Enter a valid email address."),
        ({"first_name": ""}, "first_name", "This field is required."),
        ({"consent_to_contact": None}, "consent_to_contact", "We can only answer you if you agree to be contacted."),
        ({"preferred_move_in": str(TODAY - timedelta(days=1))}, "preferred_move_in", "Choose today or a later date."),
        (
            {"sobriety_date": str(TODAY + timedelta(days=1))},
            "sobriety_date",
            "A sobriety date cannot be in the future.",
        ),
        ({"sobriety_date": "0001-01-01"}, "sobriety_date", "Give a date between the years 1900 and 2200."),
        ({"payer": "lottery"}, "payer", "Select a valid choice."),
    ],
    ids=[
        "no-way-to-reach",
        "bad-email",
        "no-name",
        "no-consent",
        "move-in-past",
        "sobriety-future",
        "year-one",
        "payer",
    ],
)
def test_a_bad_answer_is_shown_beside_its_field_and_writes_nothing(visitor, listing, changes, field, message):
    response = visitor.submit("/v/second-wind/maple-house/apply/", {**ANSWERS, **changes})

    assert response.status_code == 400
    assert message in response.content.decode()
    assert f'id="id_{field}_error"' in response.content.decode()
    assert nothing_written()
    assert mail.outbox == []


def test_the_form_keeps_what_was_typed_after_a_bad_answer(visitor, listing):
    response = visitor.submit("/v/second-wind/maple-house/apply/", {**ANSWERS, "consent_to_contact": None})

    assert 'value="Whitfield"' in response.content.decode()


def test_a_signed_in_member_applies_through_the_same_form(page, listing, operator):
    response = page(operator).submit("/v/second-wind/maple-house/apply/", ANSWERS)

    assert response.status_code == 302
    assert Application.objects.get().created_by is None
