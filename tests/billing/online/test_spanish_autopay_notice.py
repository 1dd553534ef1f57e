"""The e-mail about a failed autopay charge is in the resident's language. Against the local Stripe stand-in; today
is June 15, 2026 in the house (the billing fixtures)."""

import pytest

from .test_autopay import autopay_on, mailbox, rent_due, run  # noqa: F401 (mailbox: a fixture)


@pytest.fixture
def speaks_spanish(member_resident):
    member_resident.preferred_language = "es"
    member_resident.save(update_fields=["preferred_language"])
    return member_resident


def test_a_spanish_speaking_resident_is_told_of_a_failed_autopay_charge_in_spanish(
    operator,
    speaks_spanish,
    stripe_stand_in,
    mailbox,  # noqa: F811 (the fixture)
):
    stripe_stand_in.intent_outcome = "requires_payment_method"
    rent_due(operator, speaks_spanish)
    autopay_on(speaks_spanish)
    run(speaks_spanish.organization)
    [message] = mailbox
    assert message.subject == "Su pago automático de renta no se pudo realizar (Second Wind)"
    assert "Intentamos cobrar" in message.body
    assert "no había suficiente dinero en la cuenta" in message.body
    assert "Lo intentaremos de nuevo el jueves 18 de junio." in message.body
    assert "Hello" not in message.body
