"""The applicant's offer page, from the e-mail's link: its own forms answer the offer, without a login, and a link
that was used, expired or whose bed is gone says so clearly and changes nothing."""

from datetime import date, timedelta

import pytest

from residents.models import Application
from tests.forms import FormClient
from vacancies.models import BedOpening, WaitlistOffer

from .conftest import NOW, days, discharge, plan, resident_in, waiting

Answer = WaitlistOffer.Answer


@pytest.fixture
def offer(house, commit):
    waiting(house, "Avery", date(2026, 10, 1))
    waiting(house, "Casey", date(2026, 11, 2))
    with commit():
        plan(resident_in(house), days(5))
    return WaitlistOffer.objects.get()


def url(offer):
    return f"/offers/{offer.token}/"


def test_the_page_shows_the_house_and_night_without_a_login(offer):
    response = FormClient().get(url(offer))

    assert response.status_code == 200
    page = response.content.decode()
    assert "A bed at Maple House" in page
    assert "Saturday, December 12, 2026" in page
    assert response["X-Robots-Tag"] == "noindex"


def test_yes_on_the_page_records_the_applicant_as_interested(offer, commit):
    with commit():
        response = FormClient().submit(url(offer), button="Yes, I'm still interested", follow=True)

    offer.refresh_from_db()
    assert (offer.answer, offer.answered_at) == (Answer.INTERESTED, NOW)
    assert "The house's staff will contact you" in response.content.decode()
    assert WaitlistOffer.objects.count() == 1


def test_no_on_the_page_offers_the_bed_to_the_next_applicant(offer, commit):
    with commit():
        response = FormClient().submit(url(offer), button="No, not now", follow=True)

    offer.refresh_from_db()
    assert offer.answer == Answer.DECLINED
    assert "You stay on the waitlist" in response.content.decode()
    assert list(
        WaitlistOffer.objects.filter(answer=Answer.PENDING).values_list("application__first_name", flat=True)
    ) == ["Casey"]


def test_an_answered_link_shows_the_answer_and_refuses_a_second_one(offer):
    client = FormClient()
    first, second = client.submit_twice(url(offer), button="Yes, I'm still interested", again={})

    assert first.status_code == 302
    # The second tap sends "Yes" again from the same page: refused, the first answer kept.
    assert second.status_code == 409
    assert "already been answered" in second.content.decode()
    offer.refresh_from_db()
    assert offer.answer == Answer.INTERESTED


def test_an_expired_link_shows_a_clear_page_with_no_form(offer, clock):
    clock.move_to(NOW + timedelta(hours=49))

    response = FormClient().get(url(offer))

    page = response.content.decode()
    assert response.status_code == 200
    assert "This offer has expired" in page
    assert "Yes, I'm still interested" not in page


def test_answering_after_the_48_hours_is_refused_and_changes_nothing(offer, clock):
    send = FormClient().load_form(url(offer), button="No, not now")
    clock.move_to(NOW + timedelta(hours=49))

    response = send()

    assert response.status_code == 409
    assert "time to answer this offer has passed" in response.content.decode()
    offer.refresh_from_db()
    assert (offer.answer, offer.answered_at) == (Answer.PENDING, None)


def test_a_link_to_a_bed_no_longer_opening_says_so(offer):
    plan(offer.opening.stay, None)

    response = FormClient().get(url(offer))

    assert "This bed is no longer available" in response.content.decode()


def test_a_link_to_a_bed_taken_says_so_and_refuses_an_answer(offer, house):
    send = FormClient().load_form(url(offer), button="Yes, I'm still interested")
    opening = BedOpening.objects.get()
    discharge(opening.stay, opening.opens_on)
    BedOpening.objects.filter(pk=opening.pk).update(filled_at=NOW)

    response = send()

    assert response.status_code == 409
    assert "no longer available" in response.content.decode()


def test_the_time_to_answer_is_shown_on_the_organizations_clock_as_in_the_e_mail(offer, mailoutbox):
    page = FormClient().get(url(offer)).content.decode()

    # Sent Monday 10:00 in Chicago (16:00 UTC): 48 hours to answer.
    assert "Please answer by Wednesday, December 9, 10:00 AM" in page
    assert "10:00 AM" in mailoutbox[0].body


def test_an_applicant_no_longer_on_the_waitlist_is_told_the_offer_is_closed_and_cannot_answer(offer):
    send = FormClient().load_form(url(offer), button="Yes, I'm still interested")
    Application.objects.filter(pk=offer.application_id).update(status=Application.Status.DECLINED)

    response = send()

    page = response.content.decode()
    assert response.status_code == 409
    assert "no longer on the waitlist" in page
    assert "This offer is closed" in page
    assert "Yes, I'm still interested" not in page
    offer.refresh_from_db()
    assert offer.answer == Answer.PENDING


def test_an_answer_that_is_neither_choice_is_refused(offer):
    client = FormClient()
    client.get(url(offer))

    response = client.post(url(offer), {"answer": "maybe"})

    assert response.status_code == 400
    assert "Choose one of the two answers" in response.content.decode()
    offer.refresh_from_db()
    assert offer.answer == Answer.PENDING


def test_an_unknown_link_is_not_found():
    assert FormClient().get("/offers/not-a-real-token/").status_code == 404


def test_the_answer_is_protected_by_the_csrf_token(offer):
    client = FormClient(enforce_csrf_checks=True)

    response = client.post(url(offer), {"answer": "declined"})

    assert response.status_code == 403
    offer.refresh_from_db()
    assert offer.answer == Answer.PENDING
