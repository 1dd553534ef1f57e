"""The ledger is append-only, signed by kind, and corrected only by reversals."""

from datetime import date
from decimal import Decimal

import pytest
from django.contrib.admin.sites import site
from django.db import IntegrityError, transaction
from django.test import RequestFactory

from accounts.exceptions import Conflict, DomainError
from billing.models import AppendOnlyError, EntryKind, LedgerEntry, Payment
from billing.selectors.balances import balance_of
from billing.services.ledger import charge_post, credit_post, entry_reverse, refund_post
from billing.services.payments import payment_record
from tests.factories import admit


@pytest.fixture
def resident(member_resident):
    return member_resident


@pytest.fixture
def fee(operator, resident):
    return charge_post(
        actor=operator,
        resident=resident,
        kind="program_fee",
        amount="150.00",
        memo="Intake",
        effective_on=date(2026, 3, 2),
    )


def test_a_charge_is_stored_positive_and_tagged_with_organization_resident_stay_and_house(fee, resident, house):
    assert fee.amount == Decimal("150.00")
    assert (fee.organization_id, fee.resident_id, fee.house_id) == (house.organization_id, resident.pk, house.pk)
    assert fee.stay == resident.stays.get()


def test_a_payment_is_stored_negative(operator, resident):
    payment = payment_record(
        actor=operator, resident=resident, method="cash", amount="40", received_on=date(2026, 3, 3)
    )
    assert payment.entry.amount == Decimal("-40.00")
    assert payment.entry.kind == EntryKind.PAYMENT


def test_the_balance_is_the_sum_of_entries(operator, resident, fee):
    payment_record(actor=operator, resident=resident, method="cash", amount="40", received_on=date(2026, 3, 3))
    assert balance_of(resident.pk) == Decimal("110.00")


def test_saving_an_existing_entry_again_is_refused(fee):
    fee.memo = "Changed"
    with pytest.raises(AppendOnlyError):
        fee.save()
    fee.refresh_from_db()
    assert fee.memo == "Intake"


def test_deleting_an_entry_is_refused(fee):
    with pytest.raises(AppendOnlyError):
        fee.delete()
    assert LedgerEntry.objects.filter(pk=fee.pk).exists()


def test_a_queryset_update_is_refused(fee):
    with pytest.raises(AppendOnlyError):
        LedgerEntry.objects.filter(pk=fee.pk).update(amount=Decimal("1.00"))
    fee.refresh_from_db()
    assert fee.amount == Decimal("150.00")


def test_a_queryset_delete_is_refused(fee):
    with pytest.raises(AppendOnlyError):
        LedgerEntry.objects.all().delete()
    assert LedgerEntry.objects.count() == 1


def test_the_admin_may_neither_add_change_nor_delete_entries(fee, django_user_model):
    superuser = django_user_model.objects.create_superuser(email="root@example.org", password="x")
    request = RequestFactory().get("/admin/")
    request.user = superuser
    admin = site._registry[LedgerEntry]
    assert not admin.has_add_permission(request)
    assert not admin.has_change_permission(request, fee)
    assert not admin.has_delete_permission(request, fee)


def test_the_admin_shows_entries_read_only(client, fee, django_user_model):
    superuser = django_user_model.objects.create_superuser(email="root@example.org", password="x")
    client.force_login(superuser)
    assert client.get("/admin/billing/ledgerentry/").status_code == 200
    page = client.get(f"/admin/billing/ledgerentry/{fee.pk}/change/")
    assert page.status_code == 200
    assert b'name="_save"' not in page.content
    assert client.post(f"/admin/billing/ledgerentry/{fee.pk}/delete/", {"post": "yes"}).status_code == 403
    assert LedgerEntry.objects.filter(pk=fee.pk).exists()


def test_the_database_refuses_a_charge_with_a_negative_amount(fee):
    with pytest.raises(IntegrityError), transaction.atomic():
        LedgerEntry.objects.create(
            organization_id=fee.organization_id,
            resident_id=fee.resident_id,
            stay_id=fee.stay_id,
            house_id=fee.house_id,
            kind=EntryKind.FINE,
            amount=Decimal("-5.00"),
            effective_on=date(2026, 3, 2),
        )


def test_the_database_refuses_a_reversal_that_reverses_nothing(fee):
    with pytest.raises(IntegrityError), transaction.atomic():
        LedgerEntry.objects.create(
            organization_id=fee.organization_id,
            resident_id=fee.resident_id,
            stay_id=fee.stay_id,
            house_id=fee.house_id,
            kind=EntryKind.REVERSAL,
            amount=Decimal("-5.00"),
            effective_on=date(2026, 3, 2),
        )


def test_a_reversal_cancels_exactly_the_entry_and_links_to_it(operator, fee, resident):
    reversal = entry_reverse(actor=operator, entry=fee, memo="Charged by mistake")
    assert reversal.amount == Decimal("-150.00")
    assert reversal.reverses == fee
    assert LedgerEntry.objects.get(pk=fee.pk).reversed_by == reversal
    assert balance_of(resident.pk) == Decimal("0.00")


def test_a_correction_is_a_reversal_plus_a_new_entry(operator, fee, resident):
    entry_reverse(actor=operator, entry=fee, memo="Wrong amount")
    charge_post(
        actor=operator,
        resident=resident,
        kind="program_fee",
        amount="125.00",
        memo="Intake (corrected)",
        effective_on=date(2026, 3, 2),
    )
    assert balance_of(resident.pk) == Decimal("125.00")
    assert LedgerEntry.objects.filter(resident=resident).count() == 3


def test_an_entry_is_reversed_only_once(operator, fee):
    entry_reverse(actor=operator, entry=fee)
    with pytest.raises(Conflict) as error:
        entry_reverse(actor=operator, entry=fee)
    assert error.value.field == "entry"
    assert LedgerEntry.objects.filter(kind=EntryKind.REVERSAL).count() == 1


def test_the_database_refuses_a_second_reversal_of_one_entry(operator, fee):
    reversal = entry_reverse(actor=operator, entry=fee)
    with pytest.raises(IntegrityError), transaction.atomic():
        LedgerEntry.objects.create(
            organization_id=fee.organization_id,
            resident_id=fee.resident_id,
            stay_id=fee.stay_id,
            house_id=fee.house_id,
            kind=EntryKind.REVERSAL,
            amount=reversal.amount,
            effective_on=reversal.effective_on,
            reverses=fee,
        )


def test_a_reversal_cannot_be_reversed(operator, fee):
    reversal = entry_reverse(actor=operator, entry=fee)
    with pytest.raises(DomainError) as error:
        entry_reverse(actor=operator, entry=reversal)
    assert error.value.field == "entry"
    assert LedgerEntry.objects.count() == 2


def test_a_reversal_cannot_be_dated_before_the_entry(operator, fee):
    with pytest.raises(DomainError) as error:
        entry_reverse(actor=operator, entry=fee, effective_on=date(2026, 3, 1))
    assert error.value.field == "effective_on"


def test_reversing_a_payment_marks_it_reversed(operator, resident):
    payment = payment_record(
        actor=operator,
        resident=resident,
        method="check",
        amount="200",
        reference="1042",
        received_on=date(2026, 3, 3),
    )
    entry_reverse(actor=operator, entry=payment.entry, memo="Check bounced")
    payment.refresh_from_db()
    assert payment.status == Payment.Status.REVERSED
    assert balance_of(resident.pk) == Decimal("0.00")


@pytest.mark.parametrize(
    ("amount", "message"),
    [
        ("0", "more than zero"),
        ("-10", "more than zero"),
        ("10.005", "two decimal places"),
        ("100000.01", "cannot be more than"),
        ("NaN", "amount of money"),
        ("abc", "amount of money"),
    ],
)
def test_a_charge_amount_must_be_positive_cents_and_sane(operator, resident, amount, message):
    with pytest.raises(DomainError) as error:
        charge_post(
            actor=operator, resident=resident, kind="fine", amount=amount, memo="", effective_on=date(2026, 3, 2)
        )
    assert error.value.field == "amount"
    assert message in error.value.message
    assert not LedgerEntry.objects.exists()


def test_a_charge_kind_must_be_a_charge(operator, resident):
    with pytest.raises(DomainError) as error:
        charge_post(
            actor=operator, resident=resident, kind="payment", amount="10", memo="", effective_on=date(2026, 3, 2)
        )
    assert error.value.field == "kind"


def test_a_charge_cannot_be_dated_in_the_future(operator, resident, today):
    with pytest.raises(DomainError) as error:
        charge_post(
            actor=operator, resident=resident, kind="fine", amount="10", memo="", effective_on=date(2026, 6, 16)
        )
    assert error.value.field == "effective_on"


def test_a_resident_who_never_lived_in_a_house_cannot_be_charged(operator, resident_factory):
    with pytest.raises(DomainError) as error:
        charge_post(
            actor=operator,
            resident=resident_factory(),
            kind="fine",
            amount="10",
            memo="",
            effective_on=date(2026, 3, 2),
        )
    assert error.value.field == "resident"


def test_a_fine_after_move_out_goes_to_the_last_stay(operator, house):
    stay = admit(house, date(2026, 1, 1))
    from .conftest import discharge

    discharge(stay, date(2026, 2, 1))
    fine = charge_post(
        actor=operator,
        resident=stay.resident,
        kind="fine",
        amount="25",
        memo="Key not returned",
        effective_on=date(2026, 2, 3),
    )
    assert fine.stay == stay


def test_a_credit_lowers_the_balance_and_needs_a_reason(operator, resident, fee):
    with pytest.raises(DomainError) as error:
        credit_post(actor=operator, resident=resident, amount="50", memo=" ", effective_on=date(2026, 3, 5))
    assert error.value.field == "memo"
    credit = credit_post(actor=operator, resident=resident, amount="50", memo="Hardship", effective_on=date(2026, 3, 5))
    assert credit.amount == Decimal("-50.00")
    assert balance_of(resident.pk) == Decimal("100.00")


def test_a_refund_raises_the_balance_by_paying_out_a_credit(operator, resident, fee):
    payment_record(actor=operator, resident=resident, method="cash", amount="200", received_on=date(2026, 3, 3))
    assert balance_of(resident.pk) == Decimal("-50.00")  # in credit
    refund = refund_post(actor=operator, resident=resident, amount="50", effective_on=date(2026, 3, 4))
    assert refund.amount == Decimal("50.00")
    assert balance_of(resident.pk) == Decimal("0.00")


def test_a_refund_cannot_exceed_the_credit(operator, resident, fee):
    payment_record(actor=operator, resident=resident, method="cash", amount="200", received_on=date(2026, 3, 3))
    with pytest.raises(DomainError) as error:
        refund_post(actor=operator, resident=resident, amount="50.01", effective_on=date(2026, 3, 4))
    assert error.value.field == "amount"
    assert "50.00" in error.value.message
    assert not LedgerEntry.objects.filter(kind=EntryKind.REFUND).exists()


def test_a_resident_who_owes_cannot_be_refunded(operator, resident, fee):
    with pytest.raises(DomainError) as error:
        refund_post(actor=operator, resident=resident, amount="1", effective_on=date(2026, 3, 4))
    assert error.value.field == "amount"
