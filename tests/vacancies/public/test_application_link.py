"""The applicant's private link: where the application stands in plain words, and withdrawing and erasing it
(before admission) through the page's own confirm form, leaving nothing of the person behind (the anonymous row stays
for the month's figures)."""

from datetime import timedelta

import pytest

from residents.core.services import applications as application_services
from residents.models import Application, ApplicationEvent, Resident
from tests.erased import assert_nothing_personal_left
from tests.factories import free_bed
from vacancies.models import PublicSubmission
from vacancies.services.public import public_application_submit

from .conftest import TODAY

pytestmark = pytest.mark.django_db


@pytest.fixture
def submission(organization, listing, house) -> PublicSubmission:
    return public_application_submit(
        organization=organization, house=house, first_name="Dana", last_name="Whitfield", phone="(555) 010-7788",
        email="dana@example.net", notes="Please call after 5 pm.", consent_to_contact=True,
    )  # fmt: skip


def link(submission) -> str:
    return f"/applications/{submission.token}/"


def text_of(response) -> str:
    return " ".join(response.content.decode().split())


def move(operator, submission, to, note=""):
    application_services.application_move(
        actor=operator, application=submission.application, to=to, note=note or f"Moved to {to}"
    )


@pytest.mark.parametrize(
    ("steps", "title"),
    [
        ([], "Received"),
        (["screening"], "Being reviewed"),
        (["interview"], "Interview"),
        (["waitlisted"], "On the waitlist"),
        (["accepted"], "Accepted"),
        (["withdrawn"], "Withdrawn"),
    ],
)
def test_the_link_shows_the_status_in_plain_words(visitor, submission, operator, steps, title):
    for step in steps:
        move(operator, submission, step)

    assert f"<h2>{title}</h2>" in text_of(visitor.get(link(submission)))


def test_a_declined_application_shows_the_reason(visitor, submission, operator):
    move(operator, submission, "declined", note="We only have beds for people over 21 this month.")

    page = text_of(visitor.get(link(submission)))

    assert "<h2>Declined</h2>" in page
    assert "Reason:</strong> We only have beds for people over 21 this month." in page


def test_the_link_shows_nothing_but_the_applicants_name_and_the_house(visitor, submission):
    page = text_of(visitor.get(link(submission)))

    assert "Dana Whitfield, to Maple House, Second Wind." in page
    for private in ("(555) 010-7788", "dana@example.net", "Please call after 5 pm."):
        assert private not in page


def test_the_link_page_is_never_stored_by_a_browser_or_proxy(visitor, submission):
    assert "no-store" in visitor.get(link(submission))["Cache-Control"]


def test_an_unknown_link_gets_the_friendly_erased_page_with_a_404(visitor, listing):
    response = visitor.get("/applications/not-a-real-token/")

    assert response.status_code == 404
    assert "This application was erased" in response.content.decode()


def test_withdrawing_through_the_confirm_form_erases_the_application_and_everything_on_it(visitor, submission):
    status_page = visitor.get(link(submission)).content.decode()
    assert f'href="/applications/{submission.token}/erase/"' in status_page

    response = visitor.submit(f"/applications/{submission.token}/erase/", button="Yes, erase my application")

    assert response.status_code == 302
    assert response["Location"] == link(submission)
    erased = assert_nothing_personal_left(
        submission.application_id, "Dana", "Whitfield", "010-7788", "dana@example.net", "after 5 pm"
    )
    assert erased.status == "withdrawn"
    assert ApplicationEvent.objects.filter(application=erased).exists()
    assert not PublicSubmission.objects.exists()


def test_after_erasing_the_link_says_the_application_was_erased(visitor, submission):
    response = visitor.submit(
        f"/applications/{submission.token}/erase/", button="Yes, erase my application", follow=True
    )

    assert response.status_code == 404
    assert "This application was erased" in response.content.decode()
    assert "Dana" not in response.content.decode()


def test_the_confirm_page_alone_erases_nothing(visitor, submission):
    assert visitor.get(f"/applications/{submission.token}/erase/").status_code == 200

    assert Application.objects.filter(pk=submission.application_id).exists()


def admitted(operator, submission) -> None:
    house = submission.application.preferred_house
    application_services.application_accept_and_admit(
        actor=operator, application=submission.application, bed=free_bed(house, on=TODAY), on=TODAY
    )


def test_an_admitted_applicant_is_not_offered_the_erase_button(visitor, submission, operator):
    admitted(operator, submission)

    status_page = text_of(visitor.get(link(submission)))
    confirm = visitor.get(f"/applications/{submission.token}/erase/")

    assert "<h2>Admitted</h2>" in status_page
    assert "/erase/" not in status_page
    assert confirm.status_code == 409
    assert "Yes, erase my application" not in confirm.content.decode()


def test_an_admitted_application_cannot_be_erased_even_by_a_crafted_post(visitor, submission, operator):
    admitted(operator, submission)

    response = visitor.post(f"/applications/{submission.token}/erase/")

    assert response.status_code == 409
    assert "An admitted applicant&#x27;s record is kept" in response.content.decode()
    assert Application.objects.filter(pk=submission.application_id, status="admitted").exists()
    assert Resident.objects.filter(legal_first_name="Dana").exists()


def test_a_waitlisted_application_may_still_be_erased(visitor, submission, operator):
    move(operator, submission, "waitlisted")
    submission.application.refresh_from_db()

    visitor.submit(f"/applications/{submission.token}/erase/", button="Yes, erase my application")

    assert_nothing_personal_left(submission.application_id, "Dana", "Whitfield")
    assert Application.objects.get(pk=submission.application_id).status == "withdrawn"


def test_a_move_in_date_is_not_needed_to_erase(visitor, submission):
    Application.objects.filter(pk=submission.application_id).update(preferred_move_in=TODAY + timedelta(days=3))

    visitor.submit(f"/applications/{submission.token}/erase/", button="Yes, erase my application")

    assert not PublicSubmission.objects.exists()
