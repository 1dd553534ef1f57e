"""A resident carried over from before Hearth owes their opening balance for everything up to its date: Hearth bills
rent only from the day after (from the import day when the row gives no date) and charges no deposit, so the daily
rent job adds nothing for the nights the balance already covers."""

from datetime import timedelta
from decimal import Decimal

from billing.models import EntryKind, LedgerEntry, RentSchedule
from billing.tasks import post_rent_due
from residents.models import Stay
from tests.billing.conftest import make_policy

from .conftest import imported

HEADER = "First name,Last name,E-mail,House,Room,Bed,Move-in date,Opening balance,Balance as of\n"


def _sheet(move_in, balance="", balance_on=None) -> bytes:
    on = balance_on.isoformat() if balance_on else ""
    row = f"Dana,Whitfield,dana@example.com,Maple House,Room 1,Bed 1,{move_in.isoformat()},{balance},{on}\n"
    return (HEADER + row).encode()


def _ledger(organization):
    return sorted(
        (entry.kind, entry.amount, entry.effective_on)
        for entry in LedgerEntry.objects.filter(organization=organization)
    )


def test_the_rent_job_bills_an_imported_resident_only_after_their_balance_date_and_charges_no_deposit(operator, house):
    make_policy(house, deposit_amount=Decimal("500.00"))  # $900 a month, due on the 1st
    today = operator.organization.today()  # Dec 1, 2026
    balance_on = today - timedelta(days=6)  # Nov 25: the balance covers every night up to then
    run = imported(operator, "r.csv", "residents", data=_sheet(today - timedelta(days=95), "$300.00", balance_on))
    assert run.status == "done", run.row_errors
    post_rent_due(operator.organization_id)
    nov, dec = today.replace(month=11, day=26), today
    assert _ledger(operator.organization) == [
        (EntryKind.OTHER, Decimal("300.00"), balance_on),
        (EntryKind.RENT, Decimal("150.00"), nov),  # Nov 26 to 30: 5 of 30 nights
        (EntryKind.RENT, Decimal("900.00"), dec),
    ]
    assert not LedgerEntry.objects.filter(kind=EntryKind.DEPOSIT).exists()


def test_without_a_balance_date_the_rent_job_bills_from_the_day_of_the_import(operator, house):
    make_policy(house, deposit_amount=Decimal("500.00"))
    today = operator.organization.today()
    imported(operator, "r.csv", "residents", data=_sheet(today - timedelta(days=95)))
    post_rent_due(operator.organization_id)
    assert _ledger(operator.organization) == [(EntryKind.RENT, Decimal("900.00"), today)]
    assert RentSchedule.objects.get(stay=Stay.objects.get()).starts_on == today


def test_a_resident_moving_in_after_the_balance_date_is_billed_from_move_in(operator, house):
    make_policy(house)
    today = operator.organization.today()
    imported(operator, "r.csv", "residents", data=_sheet(today - timedelta(days=3), "10", today - timedelta(days=20)))
    assert RentSchedule.objects.get().starts_on == today - timedelta(days=3)


def test_an_ordinary_admission_still_charges_the_deposit_and_bills_from_move_in(operator, house):
    from tests.factories import admit

    make_policy(house, deposit_amount=Decimal("500.00"))
    stay = admit(house, operator.organization.today() - timedelta(days=10))
    assert RentSchedule.objects.get(stay=stay).starts_on == stay.move_in
    assert LedgerEntry.objects.get(stay=stay, kind=EntryKind.DEPOSIT).amount == Decimal("500.00")


def test_the_check_page_of_a_residents_sheet_says_rent_is_billed_from_the_balance_date(page, operator, house):
    run = imported(operator, "r.csv", "residents", data=_sheet(operator.organization.today()))
    shown = " ".join(page(operator).get(f"/dashboard/import/{run.pk}/").content.decode().split())
    assert "Hearth bills each resident of this sheet from the day after their “Balance as of” date" in shown
    assert "charges no deposit" in shown
