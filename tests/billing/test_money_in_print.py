"""Money on receipts and statements reads with its currency and thousands separators ($1,725.00), on the page and in
the PDF alike."""

import io
from datetime import date

import pytest
from pypdf import PdfReader

from billing.services.ledger import charge_post
from billing.services.payments import payment_record


def pdf_text(response) -> str:
    assert response["Content-Type"] == "application/pdf"
    return " ".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)


@pytest.fixture
def paid(manager, member_resident):
    """Rent of $1,725.00 on March 1, 2026, paid in cash on March 3 (receipt no. 1)."""
    charge_post(
        actor=manager,
        resident=member_resident,
        kind="other",
        amount="1725.00",
        memo="Rent",
        effective_on=date(2026, 3, 1),
    )
    return payment_record(
        actor=manager, resident=member_resident, method="cash", amount="1725.00", received_on=date(2026, 3, 3)
    )


def test_the_receipt_page_shows_the_amount_with_its_currency(page, resident_member, paid):
    text = page(resident_member).get(f"/billing/receipts/{paid.pk}/").content.decode()
    assert '<p class="amount">$1,725.00</p>' in text


def test_the_receipt_pdf_shows_the_amount_with_its_currency(page, resident_member, paid):
    response = page(resident_member).get(f"/billing/receipts/{paid.pk}/pdf/")
    assert "$1,725.00" in pdf_text(response)


def test_the_statement_pdf_shows_each_amount_and_balance_with_its_currency(page, manager, member_resident, paid):
    query = f"?resident={member_resident.pk}&start=2026-03-01&end=2026-03-31"
    text = pdf_text(page(manager).get(f"/billing/statement/pdf/{query}"))
    assert "Charges $1,725.00" in text
    assert "Payments and credits $1,725.00" in text
    assert "Closing balance $0.00" in text


def test_a_receipt_of_an_organization_in_another_currency_names_that_currency(page, resident_member, paid):
    organization = resident_member.organization
    organization.currency = "CAD"
    organization.save(update_fields=["currency"])
    text = page(resident_member).get(f"/billing/receipts/{paid.pk}/").content.decode()
    assert '<p class="amount">1,725.00 CAD</p>' in text
