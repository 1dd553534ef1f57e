"""The portal in Spanish shows nothing half-translated: signed in as a resident who reads Spanish, every portal page
(the house rules page aside: the rules have their own tests) carries none of the portal's own English headings,
buttons and labels, and says its key phrases in Spanish."""

import html
import re

import pytest
import time_machine

from tests.billing.online.conftest import stripe_settings  # noqa: F401

from .spanish_factories import MID_JUNE, spanish_resident_with_records

# The portal's own English: headings, buttons, labels and badges of its pages (none of them may show in Spanish).
ENGLISH = [
    "Hello", "What needs doing", "Everything here", "This week", "Past due", "You owe", "Nothing owed", "Pay rent",
    "Payments, ledger and statement", "Out & in", "Meetings", "Chores", "More", "Overnight passes", "My phase",
    "Drug tests", "House rules", "Grievances", "Rent and payments", "Download my record", "My chores this week",
    "Not marked yet", "To do", "Done", "Tests asked for", "Your tests", "Waiting for the lab", "Negative",
    "Log an outside meeting", "Log this meeting", "Outside meetings", "House meetings you attended",
    "Not verified yet", "Kind of meeting", "Meeting name or place", "Outside meetings this week",
    "Drug tests this month", "Curfew this week", "Days in phase", "On track", "Behind", "So far", "Phase history",
    "Time in this phase", "Curfew, Sunday to Thursday", "Sign out and in", "Sign out now", "Recent sign-outs",
    "Where are you going?", "When will you be back?", "Ask for a pass", "Ask for this pass", "Your passes",
    "Waiting for a decision", "First night away", "Day you come back", "Phone number there", "File a grievance",
    "File the grievance", "What is it about?", "Which staff member?", "What happened?", "What you wrote",
    "The operator's answer", "Stages", "Filed", "Your balance", "Next rent", "Online payments", "Your ledger",
    "Amount to pay", "Rent reminders", "E-mail reminders", "E-mail me rent reminders", "Autopay charges",
    "Turn on autopay", "Agree and save a payment method", "I agree to these autopay terms",
    "Back to rent and payments", "Your payment of", "Thank you", "The language you read", "Save", "Cancel",
]  # fmt: skip

# (page, Spanish phrases it must show)
SPANISH_PAGES = [
    ("/portal/", ["Hola,", "Lo que hay que hacer", "Usted debe", "Vencido", "Todo lo que hay aquí"]),
    ("/portal/chores/", ["Mis tareas de esta semana", "Hoy", "Hecha", "Por hacer"]),
    ("/portal/tests/", ["Pruebas pedidas", "Sus pruebas", "Negativa"]),
    ("/portal/meetings/", ["Anotar una reunión de afuera", "Tipo de reunión", "Reuniones de la casa a las que"]),
    ("/portal/phase/", ["Mi fase", "Historial de fases", "Reuniones de afuera esta semana"]),
    ("/portal/sign-out/", ["Salidas y llegadas", "¿Adónde va?", "Registrar la salida ahora", "Salidas recientes"]),
    ("/portal/passes/", ["Pedir un pase", "Primera noche fuera", "Sus pases", "Esperando una decisión"]),
    ("/portal/grievances/", ["Quejas", "Presentar una queja", "Esperando respuesta"]),
    ("/portal/grievances/new/", ["Presentar la queja", "¿De qué se trata?", "¿Qué pasó?"]),
    ("/portal/grievances/{grievance}/", ["Lo que usted escribió", "La respuesta del operador", "Etapas"]),
    ("/portal/pay/", ["Renta y pagos", "Su saldo", "Pagar la renta", "Pagos en línea", "Su historial de cuenta"]),
    ("/portal/pay/return/?session_id=cs_test_pi_spanish", ["Su pago de", "Gracias."]),
    ("/portal/pay/autopay/", ["Pago automático", "Activar el pago automático", "Acepto estos términos"]),
    ("/portal/pay/reminders/", ["Recordatorios de renta", "Recordatorios por correo electrónico", "Guardar"]),
    ("/portal/language/", ["Idioma", "El idioma que usted lee", "Español", "Guardar"]),
]


def visible_text(page: str) -> str:
    """The words a reader sees: the body without its tags, scripts and styles, entities decoded."""
    body = page.split("<body", 1)[-1]
    body = re.sub(r"<(script|style)\b.*?</\1>", " ", body, flags=re.S)
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", body)).split())


def english_in(text: str) -> list[str]:
    return [words for words in ENGLISH if re.search(rf"(?<![\w\u2019']){re.escape(words)}(?![\w\u2019'])", text)]


@pytest.fixture
def portal(operator, resident_member, stripe_settings):  # noqa: F811
    with time_machine.travel(MID_JUNE, tick=False):
        yield spanish_resident_with_records(operator, resident_member)


def _get(portal, path):
    response = portal["client"].get(path.format(grievance=portal["grievance"].pk))
    assert response.status_code == 200
    return visible_text(response.content.decode())


@pytest.mark.parametrize(("path", "spanish"), SPANISH_PAGES, ids=[path for path, _ in SPANISH_PAGES])
def test_a_portal_page_in_spanish_shows_none_of_the_portals_english(portal, path, spanish):
    assert english_in(_get(portal, path)) == []


@pytest.mark.parametrize(("path", "spanish"), SPANISH_PAGES, ids=[path for path, _ in SPANISH_PAGES])
def test_a_portal_page_in_spanish_says_its_key_phrases_in_spanish(portal, path, spanish):
    text = _get(portal, path)
    assert [phrase for phrase in spanish if phrase not in text] == []


def test_the_english_list_is_what_the_portal_shows_an_english_reader(operator, resident_member, stripe_settings):  # noqa: F811
    # The check above is only as good as its list: in English the same pages show many of its words.
    with time_machine.travel(MID_JUNE, tick=False):
        portal = spanish_resident_with_records(operator, resident_member)
        resident_member.user.preferred_language = "en"
        resident_member.user.save(update_fields=["preferred_language"])
        found = set()
        for path, _spanish in SPANISH_PAGES:
            found.update(english_in(_get(portal, path)))
    assert len(found) >= len(ENGLISH) * 3 // 4
