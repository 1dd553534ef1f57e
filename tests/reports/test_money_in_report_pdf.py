"""The monthly report PDF writes money with its currency and thousands separators ($1,725.00), like the pages."""

import io
from datetime import date

import pytest
from pypdf import PdfReader

from billing.services.ledger import charge_post
from billing.services.payments import payment_record
from reports.metrics import Month
from reports.pdf import render_monthly
from residents.core.services.stays import stay_admit


@pytest.fixture
def march_text(organization, house, operator, resident_factory):
    """March 2026 at Maple House: $1,725.00 charged on March 2, $1,000.00 paid on March 3, $725.00 still owed."""
    resident = resident_factory()
    stay_admit(actor=operator, resident=resident, bed=house.beds.first(), on=date(2026, 3, 1))
    charge_post(
        actor=operator, resident=resident, kind="other", amount="1725.00", memo="Rent", effective_on=date(2026, 3, 2)
    )
    payment_record(actor=operator, resident=resident, method="cash", amount="1000.00", received_on=date(2026, 3, 3))
    content, _pages = render_monthly(organization=organization, month=Month(2026, 3))
    return " ".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)


def test_the_report_pdf_shows_what_was_charged_collected_and_owed_with_the_currency(march_text):
    assert "$1,725.00" in march_text
    assert "$1,000.00" in march_text
    assert "$725.00" in march_text


def test_the_report_pdf_shows_no_amount_without_its_currency(march_text):
    assert "1725.00" not in march_text
    assert " 725.00" not in march_text


def test_the_report_pdf_shows_the_months_reconciliation(march_text):
    for figure in ("Opening balance", "Adjustments in all", "Returned payments", "Closing balance"):
        assert figure in march_text
