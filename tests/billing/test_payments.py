"""Manual payments: validated, credited to the ledger, numbered without gaps, printed as a receipt."""

import threading
from datetime import date
from decimal import Decimal

import pytest
from django.db import connection

from accounts.exceptions import DomainError
from accounts.models import Role
from billing.models import EntryKind, LedgerEntry, Payment
from billing.services.payments import payment_record
from tests.factories import MembershipFactory, admit


def record(actor, resident, **overrides):
    values = {"method": "cash", "amount": "100.00", "received_on": date(2026, 3, 3)}
    values.update(overrides)
    return payment_record(actor=actor, resident=resident, **values)


@pytest.mark.parametrize(
    ("method", "extra"),
    [
        ("cash", {}),
        ("check", {"reference": "1042"}),
        ("money_order", {"reference": "MO-77"}),
        ("agency", {"payer_name": "County Behavioral Health"}),
        ("family", {"payer_name": "Rosa Garcia"}),
        ("voucher", {"payer_name": "State Recovery Housing Voucher", "reference": "V-2026-118"}),
    ],
)
def test_every_manual_method_is_credited_to_the_ledger(manager, member_resident, method, extra):
    payment = record(manager, member_resident, method=method, **extra)
    assert payment.status == Payment.Status.COMPLETED
    assert payment.entry.kind == EntryKind.PAYMENT
    assert payment.entry.amount == Decimal("-100.00")
    assert payment.received_by == manager.user


def test_the_entry_memo_explains_the_payment(manager, member_resident):
    payment = record(manager, member_resident, method="family", payer_name="Rosa Garcia", memo="March rent")
    assert payment.entry.memo == "Family payment from Rosa Garcia. March rent"


@pytest.mark.parametrize("method", ["check", "money_order"])
def test_a_check_or_money_order_needs_its_number(manager, member_resident, method):
    with pytest.raises(DomainError) as error:
        record(manager, member_resident, method=method, reference="  ")
    assert error.value.field == "reference"
    assert not Payment.objects.exists()
    assert not LedgerEntry.objects.exists()


@pytest.mark.parametrize("method", ["agency", "family", "voucher"])
def test_a_third_party_payment_needs_the_payers_name(manager, member_resident, method):
    with pytest.raises(DomainError) as error:
        record(manager, member_resident, method=method)
    assert error.value.field == "payer_name"
    assert not LedgerEntry.objects.exists()


def test_a_payment_cannot_be_dated_in_the_future(manager, member_resident):
    with pytest.raises(DomainError) as error:
        record(manager, member_resident, received_on=date(2026, 6, 16))
    assert error.value.field == "received_on"


def test_an_unknown_method_is_refused(manager, member_resident):
    with pytest.raises(DomainError) as error:
        record(manager, member_resident, method="bitcoin")
    assert error.value.field == "method"


def test_an_operator_may_record_money_a_manager_received(operator, manager, member_resident):
    payment = record(operator, member_resident, received_by=manager)
    assert payment.received_by == manager.user


def test_only_staff_of_the_organization_can_have_received_a_payment(operator, resident_member, outsider):
    for member in (resident_member, outsider):
        with pytest.raises(DomainError) as error:
            record(operator, resident_member.resident, received_by=member)
        assert error.value.field == "received_by"
    assert not Payment.objects.exists()


def test_receipt_numbers_run_one_two_three_per_organization(manager, member_resident, foreign_resident, outsider):
    numbers = [record(manager, member_resident).receipt_number for _ in range(3)]
    foreign = record(outsider, foreign_resident).receipt_number
    assert numbers == [1, 2, 3]
    assert foreign == 1


def test_a_refused_payment_uses_no_receipt_number(manager, member_resident):
    record(manager, member_resident)
    with pytest.raises(DomainError):
        record(manager, member_resident, method="check")
    assert record(manager, member_resident).receipt_number == 2


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_payments_get_consecutive_receipt_numbers_without_gaps(organization, house):
    clerk = MembershipFactory(organization=organization, role=Role.OPERATOR)
    residents = [admit(house, date(2026, 1, 5)).resident for _ in range(4)]
    barrier = threading.Barrier(8)
    errors = []

    def pay(resident):
        try:
            barrier.wait()
            record(clerk, resident)
        except Exception as error:
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=pay, args=(residents[n % 4],)) for n in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert sorted(Payment.objects.values_list("receipt_number", flat=True)) == list(range(1, 9))


# Receipts as pages and PDFs: staff of the house where the money was received, or the resident themself.


@pytest.fixture
def payment(manager, member_resident):
    return record(manager, member_resident, method="check", reference="1042", amount="1250.50")


@pytest.mark.parametrize("who", ["operator", "manager", "resident_member"])
def test_the_receipt_page_shows_the_payment(client, request, payment, who):
    client.force_login(request.getfixturevalue(who).user)
    page = client.get(f"/billing/receipts/{payment.pk}/")
    assert page.status_code == 200
    text = page.content.decode()
    assert "Receipt no. 1" in text
    assert "$1,250.50" in text
    assert "1042" in text
    assert "Maple House" in text


@pytest.mark.parametrize("who", ["operator", "manager", "resident_member"])
def test_the_receipt_pdf_is_a_pdf(client, request, payment, who):
    client.force_login(request.getfixturevalue(who).user)
    response = client.get(f"/billing/receipts/{payment.pk}/pdf/")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    assert 'filename="receipt-1.pdf"' in response["Content-Disposition"]


@pytest.fixture
def strangers(organization, other_house, outsider, resident_factory):
    """A manager of another house, another resident of the same house, and an operator of another organization."""
    other_manager = MembershipFactory(organization=organization, role=Role.MANAGER)
    other_manager.houses.add(other_house)
    neighbour = MembershipFactory(organization=organization, role=Role.RESIDENT)
    resident = resident_factory(membership=neighbour)
    admit(other_house, date(2026, 1, 5), resident=resident)
    return {"other_manager": other_manager, "neighbour": neighbour, "outsider": outsider}


@pytest.mark.parametrize("who", ["other_manager", "neighbour", "outsider"])
@pytest.mark.parametrize("suffix", ["", "pdf/"])
def test_anyone_else_gets_a_404_for_the_receipt(client, payment, strangers, who, suffix):
    client.force_login(strangers[who].user)
    assert client.get(f"/billing/receipts/{payment.pk}/{suffix}").status_code == 404


def test_an_anonymous_visitor_is_sent_to_login_for_a_receipt(client, payment):
    response = client.get(f"/billing/receipts/{payment.pk}/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_a_reversed_payment_says_so_on_its_receipt(client, manager, payment):
    from billing.services.ledger import entry_reverse

    entry_reverse(actor=manager, entry=payment.entry, memo="Check bounced")
    client.force_login(manager.user)
    assert "Reversed" in client.get(f"/billing/receipts/{payment.pk}/").content.decode()
