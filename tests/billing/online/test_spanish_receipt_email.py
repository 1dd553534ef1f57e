"""The receipt e-mail of an online payment is in the resident's language."""

from decimal import Decimal

import pytest
from django.core import mail
from django.utils import translation

from accounts.money import money_words

from .conftest import event_for
from .test_receipts import arrive  # noqa: F401 (fixture)


@pytest.fixture
def speaks_spanish(owing):
    owing.preferred_language = "es"
    owing.save(update_fields=["preferred_language"])
    return owing


def spanish_money(amount: str) -> str:
    with translation.override("es"):
        return money_words(Decimal(amount), "USD")


def test_a_spanish_speaking_resident_gets_the_receipt_in_spanish(arrive, attempt, speaks_spanish):  # noqa: F811
    arrive(event_for("checkout.session.completed.json", attempt))
    [message] = mail.outbox
    attempt.refresh_from_db()
    assert message.subject == f"Second Wind: Recibo de su pago de {spanish_money('500')}"
    assert f"Recibimos su pago en línea de {spanish_money('500')} con tarjeta el 15 de junio de 2026." in message.body
    assert f"Número de recibo: {attempt.payment.receipt_number}" in message.body
    assert f"Su saldo ahora es de {spanish_money('400')}." in message.body
    assert "Hello" not in message.body


def test_an_english_speaking_resident_gets_the_receipt_as_before(arrive, attempt, owing):  # noqa: F811
    arrive(event_for("checkout.session.completed.json", attempt))
    [message] = mail.outbox
    assert message.subject == "Second Wind: Receipt for your payment of $500.00"
    assert "We received your online payment of $500.00 by card on June 15, 2026." in message.body
