"""Rent reminders in the resident's language: a Spanish-speaking resident's reminders are in Spanish (subject and
body, with the amount and the due date), an English-speaking resident's read as before.

Same house as test_rent_reminders: $900 a month due on the 1st, reminders 3 days ahead, a flat $25 late fee after 5
grace days; July's rent is due Wednesday, July 1, 2026."""

from datetime import date
from decimal import Decimal

import pytest
from django.utils import translation

from accounts.money import money_words
from tests.factories import admit

from .test_rent_reminders import day_run, mail_to, paid_june, policy, stay  # noqa: F401 (fixtures)


def spanish_money(amount: str) -> str:
    with translation.override("es"):
        return money_words(Decimal(amount), "USD")


@pytest.fixture
def speaks_spanish(paid_june):  # noqa: F811
    resident = paid_june.resident
    resident.preferred_language = "es"
    resident.save(update_fields=["preferred_language"])
    return resident


def test_the_upcoming_reminder_to_a_spanish_speaking_resident_is_in_spanish(organization, speaks_spanish):
    day_run(organization, 6, 28)
    [message] = mail_to(speaks_spanish.email)
    assert message.subject == f"Second Wind: Su renta de {spanish_money('900')} vence el 1 de julio"
    assert f"Hola, {speaks_spanish.legal_first_name}:" in message.body
    assert f"su renta de {spanish_money('900')} vence el miércoles 1 de julio de 2026." in message.body
    assert f"se agrega un cargo por atraso de {spanish_money('25')}." in message.body
    assert "Puede pagar en línea con tarjeta o cuenta bancaria en el portal de residentes:" in message.body
    assert "Hello" not in message.body


def test_the_due_date_reminder_to_a_spanish_speaking_resident_is_in_spanish(organization, speaks_spanish):
    day_run(organization, 7, 1)
    [message] = mail_to(speaks_spanish.email)
    assert message.subject == f"Second Wind: Su renta de {spanish_money('900')} vence hoy"
    assert f"Su renta de {spanish_money('900')} vence hoy, miércoles 1 de julio de 2026." in message.body
    assert "hable con el encargado de la casa" in message.body
    assert "Hello" not in message.body


def test_the_late_notice_to_a_spanish_speaking_resident_is_in_spanish(organization, speaks_spanish):
    for day in range(1, 8):
        day_run(organization, 7, day)
    [message] = [m for m in mail_to(speaks_spanish.email) if "vencida" in m.subject]
    assert message.subject == "Second Wind: Su renta del 1 de julio ya está vencida"
    assert f"Su renta de {spanish_money('900')}, con fecha de vencimiento el 1 de julio de 2026, ya está vencida" in (
        message.body
    )
    assert f"un cargo por atraso de {spanish_money('25')}" in message.body
    assert "Hello" not in message.body


def test_an_english_speaking_residents_reminders_are_unchanged(organization, paid_june):  # noqa: F811
    for day in (28, 29, 30):
        day_run(organization, 6, day)
    for day in range(1, 8):
        day_run(organization, 7, day)
    subjects = [message.subject for message in mail_to(paid_june.resident.email)]
    assert subjects == [
        "Second Wind: Your rent of $900.00 is due on July 1",
        "Second Wind: Your rent of $900.00 is due today",
        "Second Wind: Your rent due July 1 is now late",
    ]
    assert all(message.body.startswith("Hello ") for message in mail_to(paid_june.resident.email))


def test_a_spanish_reminder_leaves_the_next_english_one_in_english(organization, speaks_spanish, house):
    english = admit(house, date(2026, 6, 1)).resident
    day_run(organization, 6, 28)
    assert mail_to(english.email)[0].subject.startswith("Second Wind: Your rent of")
    assert translation.get_language() in ("en", "en-us")
