"""The waitlist offer in Spanish: an applicant whose browser asks for Spanish reads the offer page, its buttons and
its refusals in Spanish; the offer's e-mail goes out in the language the application was sent in (English for one
staff entered), never in the language of the staff member whose action opened the bed."""

from datetime import date, timedelta

import pytest
from django.utils import translation

from tests.forms import FormClient
from vacancies.models import WaitlistOffer

from .conftest import NOW, days, plan, resident_in, waiting

Answer = WaitlistOffer.Answer


@pytest.fixture(autouse=True)
def english_again_after():
    """A request in Spanish leaves Spanish active in the thread (Django does not switch back): later tests that call
    services directly must start in English."""
    yield
    translation.deactivate()


@pytest.fixture
def offer(house, commit):
    waiting(house, "Avery", date(2026, 10, 1))
    with commit():
        plan(resident_in(house), days(5))
    return WaitlistOffer.objects.get()


def spanish() -> FormClient:
    return FormClient(HTTP_ACCEPT_LANGUAGE="es")


def text(response) -> str:
    return " ".join(response.content.decode().split())


def test_the_offer_page_reads_in_spanish_for_a_spanish_browser(offer):
    page = text(spanish().get(f"/offers/{offer.token}/"))

    assert "Una cama en Maple House" in page
    assert "¿Todavía le interesa?" in page
    assert "Sí, todavía me interesa" in page
    assert "No, ahora no" in page
    assert "Are you still interested?" not in page


def test_yes_from_the_spanish_page_records_the_answer_and_thanks_in_spanish(offer, commit):
    with commit():
        response = spanish().submit(f"/offers/{offer.token}/", button="Sí, todavía me interesa", follow=True)

    offer.refresh_from_db()
    assert offer.answer == Answer.INTERESTED
    assert "Gracias por su respuesta" in text(response)


def test_a_late_answer_is_refused_in_spanish(offer, clock):
    send = spanish().load_form(f"/offers/{offer.token}/", button="No, ahora no")
    clock.move_to(NOW + timedelta(hours=49))

    response = send()

    assert response.status_code == 409
    assert "El plazo para responder a esta oferta ya pasó." in text(response)


def test_the_offer_email_is_not_in_the_language_of_the_staff_member_who_opened_the_bed(house, commit, mailoutbox):
    waiting(house, "Avery", date(2026, 10, 1))

    with translation.override("es"), commit():
        plan(resident_in(house), days(5))

    [message] = mailoutbox
    assert message.subject == "Second Wind: a bed is opening at Maple House"
    assert "Are you still interested?" in message.body


def test_the_offer_email_is_in_the_language_the_application_was_sent_in(house, commit, mailoutbox):
    waiting(house, "Avery", date(2026, 10, 1), language="es")

    with commit():
        plan(resident_in(house), days(5))

    [message] = mailoutbox
    assert "¿Todavía le interesa?" in message.body
    assert "Are you still interested?" not in message.body
