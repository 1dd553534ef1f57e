"""Receipts and statements in the resident's language: a Spanish-speaking resident's own PDF copies are in Spanish;
staff get their own language unless they take the ledger page's "Spanish copy" link."""

import io
from datetime import date

import lxml.html
import pytest
from pypdf import PdfReader

from billing.services.ledger import charge_post
from billing.services.payments import payment_record
from billing.services.rent import rent_post_due
from tests.factories import admit

from .conftest import make_policy


def pdf_text(response) -> str:
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    # Words only: where a line wraps in a table cell depends on the language's date lengths.
    return " ".join(" ".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages).split())


@pytest.fixture
def speaks_spanish(member_resident):
    member_resident.preferred_language = "es"
    member_resident.save(update_fields=["preferred_language"])
    return member_resident


@pytest.fixture
def paid(manager, speaks_spanish):
    """A charge of $1,725.00 on March 1, 2026, paid in cash on March 3 (receipt no. 1)."""
    charge_post(
        actor=manager,
        resident=speaks_spanish,
        kind="program_fee",
        amount="1725.00",
        memo="",
        effective_on=date(2026, 3, 1),
    )
    return payment_record(
        actor=manager, resident=speaks_spanish, method="cash", amount="1725.00", received_on=date(2026, 3, 3)
    )


STATEMENT = "/billing/statement/pdf/?resident={pk}&start=2026-03-01&end=2026-03-31"


def test_a_spanish_speaking_residents_receipt_pdf_is_in_spanish(page, resident_member, paid):
    text = pdf_text(page(resident_member).get(f"/billing/receipts/{paid.pk}/pdf/"))
    assert "Recibo n.º 1" in text
    assert "Recibido el" in text
    assert "3 de marzo de 2026" in text
    assert "Efectivo" in text
    assert "Guarde este recibo" in text


def test_a_spanish_speaking_residents_statement_pdf_is_in_spanish(page, resident_member, paid, speaks_spanish):
    text = pdf_text(page(resident_member).get(STATEMENT.format(pk=speaks_spanish.pk)))
    assert f"Estado de cuenta de {speaks_spanish.display_name}" in text
    assert "Saldo inicial" in text
    assert "Saldo final" in text
    assert "Cuota del programa" in text
    assert "Pago en efectivo" in text  # the payment's entry, in words built from the entry


def test_staff_get_a_residents_statement_pdf_in_their_own_language(page, manager, paid, speaks_spanish):
    text = pdf_text(page(manager).get(STATEMENT.format(pk=speaks_spanish.pk)))
    assert f"Statement for {speaks_spanish.display_name}" in text
    assert "Opening balance" in text


def ledger_link(client, resident, label: str) -> str:
    """The link of the resident page's ledger section named ``label`` (its accessible name)."""
    html = client.get(f"/dashboard/residents/{resident.pk}/").content.decode()
    [link] = lxml.html.fromstring(html).xpath(f"//section[@id='ledger']//a[@aria-label='{label}']")
    return link.get("href")


def test_the_ledger_pages_spanish_copy_link_gives_the_spanish_statement_pdf(page, manager, paid, speaks_spanish):
    client = page(manager)
    text = pdf_text(client.get(ledger_link(client, speaks_spanish, "Statement (PDF), Spanish copy")))
    assert f"Estado de cuenta de {speaks_spanish.display_name}" in text
    assert "Saldo final" in text


def test_the_ledger_pages_receipt_spanish_copy_link_gives_the_spanish_receipt_pdf(page, manager, paid, speaks_spanish):
    client = page(manager)
    text = pdf_text(client.get(ledger_link(client, speaks_spanish, "Spanish copy (PDF) of receipt no. 1")))
    assert "Recibo n.º 1" in text
    assert "Guarde este recibo" in text


def test_a_spanish_speaking_staff_member_is_offered_an_english_copy(page, manager, paid, speaks_spanish):
    manager.user.preferred_language = "es"
    manager.user.save(update_fields=["preferred_language"])
    client = page(manager)
    text = pdf_text(client.get(ledger_link(client, speaks_spanish, "Estado de cuenta (PDF), copia en inglés")))
    assert f"Statement for {speaks_spanish.display_name}" in text


def test_rent_reads_in_spanish_on_a_spanish_copy_of_a_statement(page, manager, house):
    make_policy(house)
    resident = admit(house, date(2026, 3, 1)).resident
    rent_post_due(on=date(2026, 3, 1))
    text = pdf_text(page(manager).get(STATEMENT.format(pk=resident.pk) + "&language=es"))
    assert "Renta de las noches del 1 de marzo al 31 de marzo de 2026" in text
