"""The ledger section of a resident's page: staff see the balance and record payments and charges."""

from datetime import date
from decimal import Decimal

import pytest

from billing.models import LedgerEntry, Payment


@pytest.fixture
def resident(resident_member):
    return resident_member.resident


@pytest.fixture
def staff_client(page, manager):
    return page(manager)


def _resident_page(resident):
    return f"/dashboard/residents/{resident.pk}/"


def test_the_resident_page_shows_the_balance_and_the_forms(staff_client, resident):
    page = staff_client.get(f"/dashboard/residents/{resident.pk}/").content.decode()
    assert "Ledger and balance" in page
    assert "Record a payment" in page
    assert "Post a charge" in page


def test_recording_a_cash_payment_credits_the_ledger_and_links_the_receipt(staff_client, resident, organization):
    response = staff_client.submit(
        _resident_page(resident),
        {"method": "cash", "amount": "150.00", "received_on": organization.today().isoformat()},
        button="Record payment",
    )
    assert response.status_code == 302
    payment = Payment.objects.get(resident=resident)
    assert payment.amount == Decimal("150.00")
    page = staff_client.get(response["Location"]).content.decode()
    assert f"receipt no. {payment.receipt_number}" in page
    assert f"Receipt {payment.receipt_number}" in page


def test_a_check_without_its_number_is_refused_beside_the_field(staff_client, resident, organization):
    response = staff_client.submit(
        _resident_page(resident),
        {"method": "check", "amount": "150.00", "received_on": organization.today().isoformat(), "reference": ""},
        button="Record payment",
    )
    assert response.status_code == 400
    assert not Payment.objects.exists()
    assert 'id="id_reference_error"' in response.content.decode()


def test_a_negative_payment_is_refused(staff_client, resident, organization):
    response = staff_client.submit(
        _resident_page(resident),
        {"method": "cash", "amount": "-5", "received_on": organization.today().isoformat()},
        button="Record payment",
    )
    assert response.status_code == 400
    assert not Payment.objects.exists()


def test_posting_a_fine_adds_a_charge(staff_client, resident, organization):
    response = staff_client.submit(
        _resident_page(resident),
        {"kind": "fine", "amount": "25.00", "effective_on": organization.today().isoformat(), "memo": "Late chore"},
        button="Post charge",
    )
    assert response.status_code == 302
    assert LedgerEntry.objects.get(resident=resident, kind="fine").amount == Decimal("25.00")


def test_a_manager_cannot_post_to_a_resident_of_another_house(client, manager, operator, other_house, resident_factory):
    from residents.core.services.stays import stay_admit

    elsewhere = resident_factory()
    stay_admit(actor=operator, resident=elsewhere, bed=other_house.beds.first(), on=date(2026, 1, 5))
    client.force_login(manager.user)
    # The resident's page is a 404 for this manager, so there is no form to submit: the request is sent as crafted.
    response = client.post(
        f"/billing/residents/{elsewhere.pk}/charges/", {"kind": "fine", "amount": "5", "effective_on": "2026-02-01"}
    )
    assert response.status_code == 404
    assert not LedgerEntry.objects.filter(resident=elsewhere, kind="fine").exists()


def test_residents_cannot_record_payments(client, resident_member, resident, organization):
    client.force_login(resident_member.user)
    # Staff pages are a 403 for a resident, so there is no form to submit: the request is sent as crafted.
    response = client.post(
        f"/billing/residents/{resident.pk}/payments/",
        {"method": "cash", "amount": "5", "received_on": organization.today().isoformat()},
    )
    assert response.status_code == 403
    assert not Payment.objects.exists()
