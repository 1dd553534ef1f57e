"""The public pages and the application form in Spanish: a visitor whose browser asks for Spanish reads every page,
label, choice and error in Spanish, sends the form as rendered and gets the acknowledgement in Spanish; a browser
asking for English sees the English it always did."""

from datetime import timedelta

import lxml.html
import pytest
from django.core import mail
from django.utils import translation

from residents.models import Application
from tests.forms import FormClient
from vacancies.models import PublicSubmission

from .conftest import TODAY

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english_again_after():
    """A request in Spanish leaves Spanish active in the thread (Django does not switch back): later tests that call
    services directly must start in English."""
    yield
    translation.deactivate()


# Every English word the application form showed: none may be left on the Spanish form.
FORM_ENGLISH = [
    "First name",
    "Last name",
    "Phone",
    "A phone number or an e-mail, so we can reach you.",
    "E-mail",
    "We e-mail you a private link to follow your application.",
    "Which houses",
    "Any house that fits me",
    "Houses are for men, for women, or co-ed.",
    "When would you like to move in?",
    "Who refers you?",
    "A referral partner",
    "Which organization refers you?",
    "A treatment centre, court, hospital or other program, if one does.",
    "Sobriety date",
    "Do you take medication for opioid use disorder?",
    "Buprenorphine, methadone or naltrexone. Optional; it does not stop you applying.",
    "Who will pay the rent?",
    " Self</label>",
    " Family</label>",
    " Agency</label>",
    " Voucher</label>",
    " Yes</label>",
    "Anything you would like us to know",
    "You may contact me about this application by phone or e-mail.",
    "Leave this field empty",
    "Send my application",
    "It takes a few minutes.",
]

ANSWERS = {
    "first_name": "Lucía",
    "last_name": "Ramírez",
    "phone": "(555) 010-4321",
    "email": "lucia@example.net",
    "preferred_move_in": str(TODAY + timedelta(days=7)),
    "referred_by": "self",
    "on_moud": "no",
    "payer": "family",
    "consent_to_contact": "on",
}


@pytest.fixture
def spanish_visitor():
    """Someone not signed in whose browser asks for Spanish first."""
    return FormClient(HTTP_ACCEPT_LANGUAGE="es-US,es;q=0.9,en;q=0.5")


def text(response) -> str:
    return " ".join(response.content.decode().split())


def test_the_house_page_reads_in_spanish_for_a_spanish_browser(spanish_visitor, listing):
    page = text(spanish_visitor.get("/v/second-wind/maple-house/"))

    assert "Solicitar en Maple House" in page
    assert "A quién atiende" in page
    assert "Cuánto cuesta" in page
    assert "por semana" in page
    assert "Medicamentos para la adicción a opioides (MOUD)" in page
    for english in ("Who it serves", "What it costs", "Apply to Maple House", "weekly", "Beds</h2>"):
        assert english not in page


def test_the_house_page_is_kept_apart_per_language_by_shared_caches(spanish_visitor, listing):
    response = spanish_visitor.get("/v/second-wind/maple-house/")

    assert "Accept-Language" in response["Vary"]
    assert "Cookie" in response["Vary"]


def test_the_organization_page_and_the_embed_read_in_spanish(spanish_visitor, listing):
    organization_page = text(spanish_visitor.get("/v/second-wind/"))
    embed = text(spanish_visitor.get("/v/second-wind/maple-house/embed/"))

    assert "Nuestras casas" in organization_page
    assert "Sobre Maple House" in organization_page
    assert '<html lang="es">' in embed
    assert "Camas en Maple House" in embed


def test_the_application_form_has_its_labels_help_and_choices_in_spanish(spanish_visitor, listing):
    page = text(spanish_visitor.get("/v/second-wind/apply/"))

    for spanish in (
        "Nombre",
        "Apellido",
        "¿Cuándo le gustaría mudarse?",
        "¿Quién le refiere?",
        "¿Toma medicamentos para la adicción a opioides (MOUD)?",
        "¿Quién pagará la renta?",
        "Un vale o subsidio (voucher)",
        "Cualquier casa que me convenga",
        "Pueden comunicarse conmigo sobre esta solicitud por teléfono o correo electrónico.",
        "Enviar mi solicitud",
    ):
        assert spanish in page
    left = [english for english in FORM_ENGLISH if english in page]
    assert left == []


def test_the_spanish_form_sent_as_rendered_records_the_application(spanish_visitor, listing, house):
    response = spanish_visitor.submit("/v/second-wind/maple-house/apply/", ANSWERS, follow=True)

    application = Application.objects.get()
    assert (application.first_name, application.preferred_house, application.payer) == ("Lucía", house, "family")
    assert application.language == "es"
    assert "Gracias: su solicitud fue enviada" in text(response)


def test_the_acknowledgement_of_a_spanish_application_is_in_spanish(
    spanish_visitor, listing, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        spanish_visitor.submit("/v/second-wind/maple-house/apply/", ANSWERS)

    [message] = mail.outbox
    token = PublicSubmission.objects.get().token
    assert message.subject == "Second Wind: recibimos su solicitud"
    assert "Hola, Lucía:" in message.body
    assert "Second Wind recibió su solicitud para Maple House." in message.body
    assert f"/applications/{token}/" in message.body
    assert "received your application" not in message.body


def test_a_mistake_on_the_spanish_form_is_explained_in_spanish(spanish_visitor, listing):
    response = spanish_visitor.submit(
        "/v/second-wind/maple-house/apply/", {**ANSWERS, "phone": "", "email": "", "consent_to_contact": None}
    )

    page = text(response)
    assert response.status_code == 400
    assert "Indique un número de teléfono o un correo electrónico, para poder comunicarnos con usted." in page
    assert "Solo podemos responderle si acepta que nos comuniquemos con usted." in page
    assert "so we can reach you" not in page
    assert not Application.objects.exists()


def test_the_private_link_shows_the_status_in_spanish(spanish_visitor, listing):
    spanish_visitor.submit("/v/second-wind/maple-house/apply/", ANSWERS)
    token = PublicSubmission.objects.get().token

    page = text(spanish_visitor.get(f"/applications/{token}/"))

    assert "Su solicitud" in page
    assert "<h2>Recibida</h2>" in page
    assert "Retirar y borrar mi solicitud" in page


def test_the_erase_page_asks_in_spanish(spanish_visitor, listing):
    spanish_visitor.submit("/v/second-wind/maple-house/apply/", ANSWERS)
    token = PublicSubmission.objects.get().token

    page = text(spanish_visitor.get(f"/applications/{token}/erase/"))

    assert "Sí, borrar mi solicitud" in page
    assert "No se puede deshacer" in page


def test_an_english_browser_still_reads_the_form_in_english(listing):
    page = text(FormClient(HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9").get("/v/second-wind/apply/"))

    for english in (
        "First name",
        "Who refers you?",
        "Who will pay the rent?",
        "Send my application",
        " Voucher</label>",
    ):
        assert english in page
    assert "Nombre" not in page


def test_the_open_feed_keeps_its_english_words_for_a_spanish_browser(spanish_visitor, listing, house):
    house.billing_policy.late_fee_kind = "flat"
    house.billing_policy.late_fee_amount = 25
    house.billing_policy.late_fee_grace_days = 3
    house.billing_policy.save()

    [entry] = spanish_visitor.get("/api/public/v1/vacancies/").json()["results"]

    assert entry["late_fee"]["description"] == "Late fee: $25.00 if rent is unpaid more than 3 days after its due date"
    assert (entry["gender"], entry["rent"]["period"]) == ("men", "weekly")


def test_a_visitor_follows_the_spanish_link_on_the_house_page_and_reads_it_in_spanish(visitor, listing):
    page = lxml.html.fromstring(visitor.get("/v/second-wind/maple-house/").content)
    link = next(a for a in page.cssselect(".language-switch a") if a.text_content().strip() == "Español")

    response = visitor.get(link.get("href"), follow=True)

    assert response.redirect_chain == [("/v/second-wind/maple-house/", 302)]
    assert "Solicitar en Maple House" in text(response)


def test_the_publicly_cached_house_page_holds_no_ones_csrf_token(visitor, listing):
    response = visitor.get("/v/second-wind/maple-house/")

    assert "public" in response["Cache-Control"]
    assert "csrfmiddlewaretoken" not in response.content.decode()
