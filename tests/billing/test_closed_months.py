"""A closed month is frozen: staff cannot date an entry into it (400, nothing written), and what happened in it but
arrives late (a payment, rent for a backdated admission, a late fee, a reversal) posts on the first open day, linked
to what it corrects. Today is June 15, 2026; the books are closed through May."""

from datetime import date
from decimal import Decimal

import pytest

from billing.models import EntryKind, LateFeeKind, LedgerEntry, Payment
from billing.services.closing import MonthClosed
from billing.services.late_fees import late_fees_assess
from billing.services.ledger import charge_post
from billing.services.payments import payment_record
from billing.services.rent import rent_post_due
from reports.metrics import Month
from reports.services import month_close, month_reopen
from tests.factories import admit

from .conftest import make_policy

B = "/api/v1/billing"
JUNE_1 = date(2026, 6, 1)


@pytest.fixture
def resident(member_resident):
    return member_resident


@pytest.fixture
def may_fee(operator, resident):
    """A program fee posted in May, before the close."""
    return charge_post(
        actor=operator, resident=resident, kind="program_fee", amount="150.00", effective_on=date(2026, 5, 4)
    )


@pytest.fixture
def closed(organization, operator, may_fee):
    """The books closed through May 2026 (April, then May)."""
    month_close(actor=operator, organization=organization, month=Month(2026, 4))
    return month_close(actor=operator, organization=organization, month=Month(2026, 5))


@pytest.mark.parametrize(
    ("path", "body"),
    [
        ("entries/charge/", {"kind": "fine", "amount": "25.00", "memo": "Curfew", "effective_on": "2026-05-20"}),
        ("entries/credit/", {"amount": "25.00", "memo": "Goodwill", "effective_on": "2026-05-20"}),
        ("entries/charge/", {"kind": "fine", "amount": "25.00", "memo": "Older", "effective_on": "2026-02-10"}),
    ],
)
def test_staff_cannot_date_an_entry_into_a_closed_month(api, manager, resident, closed, path, body):
    before = LedgerEntry.objects.count()
    response = api(manager).post(f"{B}/{path}", {"resident": resident.pk, **body}, format="json")
    assert response.status_code == 400
    assert "May 2026 is closed" in response.json()["effective_on"][0]
    assert "Jun 1, 2026" in response.json()["effective_on"][0]
    assert LedgerEntry.objects.count() == before


def test_a_reversal_dated_into_a_closed_month_is_refused(api, manager, may_fee, closed):
    response = api(manager).post(
        f"{B}/entries/{may_fee.pk}/reverse/", {"memo": "Waived", "effective_on": "2026-05-31"}, format="json"
    )
    assert response.status_code == 400
    assert "effective_on" in response.json()
    assert not LedgerEntry.objects.filter(reverses=may_fee).exists()


def test_reversing_a_closed_months_entry_posts_today_linked_to_it(api, manager, may_fee, closed):
    response = api(manager).post(f"{B}/entries/{may_fee.pk}/reverse/", {"memo": "Waived"}, format="json")
    assert response.status_code == 201
    reversal = response.json()
    assert (reversal["effective_on"], reversal["reverses"]) == ("2026-06-15", may_fee.pk)


def test_the_charge_form_refuses_a_closed_day_beside_the_date(page, manager, resident, closed):
    response = page(manager).submit(
        f"/dashboard/residents/{resident.pk}/",
        {"kind": "fine", "amount": "25.00", "effective_on": "2026-05-20", "memo": "Late chore"},
        button="Post charge",
    )
    assert response.status_code == 400
    page_html = response.content.decode()
    assert 'id="charge_effective_on_error"' in page_html
    assert "May 2026 is closed" in page_html
    assert not LedgerEntry.objects.filter(kind=EntryKind.FINE).exists()


def test_a_late_payment_for_a_closed_month_is_credited_on_the_first_open_day(api, manager, resident, closed):
    body = {"resident": resident.pk, "method": "check", "amount": "150.00", "reference": "1044"}
    response = api(manager).post(f"{B}/payments/", {**body, "received_on": "2026-05-28"}, format="json")
    assert response.status_code == 201
    payment = Payment.objects.get(pk=response.json()["id"])
    assert payment.received_on == date(2026, 5, 28)  # the receipt keeps the day the money came
    assert (payment.entry.effective_on, payment.entry.occurred_on) == (JUNE_1, date(2026, 5, 28))
    assert "belongs to May 28, 2026; May 2026 was closed" in payment.entry.memo


def test_the_entry_api_shows_the_day_a_carried_entry_belongs_to(api, manager, resident, closed):
    payment = payment_record(
        actor=manager, resident=resident, method="cash", amount="20.00", received_on=date(2026, 5, 30)
    )
    body = api(manager).get(f"{B}/entries/{payment.entry_id}/").json()
    assert (body["effective_on"], body["occurred_on"]) == ("2026-06-01", "2026-05-30")


def test_rent_for_nights_of_a_closed_month_posts_on_the_first_open_day_for_those_nights(organization, operator, house):
    make_policy(house)  # $900 a month, due on the 1st
    stay = admit(house, date(2026, 5, 20), actor=operator)
    # May closed before the rent job posted its nights (nothing can be admitted into a closed month any more).
    month_close(actor=operator, organization=organization, month=Month(2026, 5))
    rent_post_due(on=organization.today(), organization=organization)
    may_rent = LedgerEntry.objects.get(stay=stay, kind=EntryKind.RENT, billed_from=date(2026, 5, 20))
    assert (may_rent.effective_on, may_rent.occurred_on) == (JUNE_1, date(2026, 5, 20))
    assert may_rent.billed_to == JUNE_1
    assert not LedgerEntry.objects.filter(effective_on__lt=JUNE_1, stay=stay).exists()


def test_a_late_fee_for_rent_due_in_a_closed_month_posts_on_the_first_open_day_linked_to_the_rent(
    organization, operator, house
):
    make_policy(house, late_fee_kind=LateFeeKind.FLAT, late_fee_amount=Decimal("25.00"), late_fee_grace_days=5)
    stay = admit(house, date(2026, 5, 1), actor=operator)
    rent_post_due(on=date(2026, 5, 1), organization=organization)
    rent = LedgerEntry.objects.get(stay=stay, kind=EntryKind.RENT)
    month_close(actor=operator, organization=organization, month=Month(2026, 5))
    # The job missed May 7 and runs it late: the fee belongs to May 7, May is closed.
    late_fees_assess(on=date(2026, 5, 7), organization=organization)
    fee = LedgerEntry.objects.get(kind=EntryKind.LATE_FEE, stay=stay)
    assert (fee.effective_on, fee.occurred_on, fee.for_charge) == (JUNE_1, date(2026, 5, 7), rent)


def test_a_service_asked_to_date_into_a_closed_month_writes_nothing(operator, resident, closed):
    before = LedgerEntry.objects.count()
    with pytest.raises(MonthClosed):
        charge_post(actor=operator, resident=resident, kind="other", amount="5.00", effective_on=date(2026, 5, 31))
    assert LedgerEntry.objects.count() == before


def test_a_reopened_month_takes_entries_again(operator, resident, closed):
    month_reopen(actor=operator, close=closed, reason="A check from May was missed")
    entry = charge_post(actor=operator, resident=resident, kind="other", amount="5.00", effective_on=date(2026, 5, 31))
    assert (entry.effective_on, entry.occurred_on) == (date(2026, 5, 31), None)
    with pytest.raises(MonthClosed):  # April stays closed
        charge_post(actor=operator, resident=resident, kind="other", amount="5.00", effective_on=date(2026, 4, 30))


def test_another_organizations_close_does_not_reach_this_one(operator, resident, outsider):
    month_close(actor=outsider, organization=outsider.organization, month=Month(2026, 5))
    entry = charge_post(actor=operator, resident=resident, kind="other", amount="5.00", effective_on=date(2026, 5, 31))
    assert entry.effective_on == date(2026, 5, 31)
