"""Statements: opening balance, every entry in the range with the balance after it, closing balance."""

from datetime import date
from decimal import Decimal

import pytest

from billing.selectors.ledger import statement
from billing.services.ledger import charge_post, entry_reverse
from billing.services.payments import payment_record
from tests.factories import admit

D = Decimal


@pytest.fixture
def history(operator, member_resident):
    """Feb 1 charge 900; Mar 1 charge 900; Mar 5 payment 1000; Mar 20 fine 50, reversed Mar 21; Apr 1 charge 900."""
    actor = operator

    def charge(amount, on, kind="rent", memo="Rent"):
        return charge_post(actor=actor, resident=member_resident, kind=kind, amount=amount, memo=memo, effective_on=on)

    charge("900", date(2026, 2, 1))
    charge("900", date(2026, 3, 1))
    payment_record(actor=actor, resident=member_resident, method="cash", amount="1000", received_on=date(2026, 3, 5))
    fine = charge("50", date(2026, 3, 20), kind="fine", memo="Curfew")
    entry_reverse(actor=actor, entry=fine, effective_on=date(2026, 3, 21), memo="Fine waived")
    charge("900", date(2026, 4, 1))
    return member_resident


def test_a_statement_opens_with_the_balance_before_its_first_day(history):
    result = statement(resident=history, start=date(2026, 3, 1), end=date(2026, 3, 31))
    assert result.opening_balance == D("900.00")


def test_a_statement_lists_every_entry_in_range_with_a_running_balance(history):
    result = statement(resident=history, start=date(2026, 3, 1), end=date(2026, 3, 31))
    assert [(line.entry.effective_on, line.entry.amount, line.running_balance) for line in result.lines] == [
        (date(2026, 3, 1), D("900.00"), D("1800.00")),
        (date(2026, 3, 5), D("-1000.00"), D("800.00")),
        (date(2026, 3, 20), D("50.00"), D("850.00")),
        (date(2026, 3, 21), D("-50.00"), D("800.00")),
    ]


def test_a_statement_closes_with_opening_plus_its_entries(history):
    result = statement(resident=history, start=date(2026, 3, 1), end=date(2026, 3, 31))
    assert result.closing_balance == D("800.00")
    assert (result.charges, result.credits) == (D("950.00"), D("1050.00"))
    assert result.opening_balance + result.charges - result.credits == result.closing_balance


def test_consecutive_statements_chain(history):
    march = statement(resident=history, start=date(2026, 3, 1), end=date(2026, 3, 31))
    april = statement(resident=history, start=date(2026, 4, 1), end=date(2026, 4, 30))
    assert april.opening_balance == march.closing_balance


def test_a_resident_reads_their_own_statement_page(client, resident_member, history):
    client.force_login(resident_member.user)
    page = client.get("/billing/statement/?start=2026-03-01&end=2026-03-31")
    assert page.status_code == 200
    text = page.content.decode()
    assert "Opening balance" in text
    assert "Curfew" in text
    assert "Fine waived" in text
    assert "800.00" in text


def test_a_resident_without_dates_gets_the_last_three_months(client, resident_member, history):
    client.force_login(resident_member.user)
    page = client.get("/billing/statement/")
    assert page.status_code == 200
    assert "Apr 1, 2026 \u2013 Jun 15, 2026" in page.content.decode()


def test_a_resident_cannot_read_someone_elses_statement(client, resident_member, house):
    other = admit(house, date(2026, 1, 5)).resident
    client.force_login(resident_member.user)
    assert client.get(f"/billing/statement/?resident={other.pk}&start=2026-03-01&end=2026-03-31").status_code == 404


def test_staff_read_a_residents_statement_and_its_pdf(client, manager, history):
    client.force_login(manager.user)
    query = f"?resident={history.pk}&start=2026-03-01&end=2026-03-31"
    assert client.get(f"/billing/statement/{query}").status_code == 200
    pdf = client.get(f"/billing/statement/pdf/{query}")
    assert pdf.status_code == 200
    assert pdf.content.startswith(b"%PDF")


def test_a_manager_cannot_read_the_statement_of_another_houses_resident(client, manager, other_resident):
    client.force_login(manager.user)
    query = f"?resident={other_resident.pk}&start=2026-03-01&end=2026-03-31"
    assert client.get(f"/billing/statement/{query}").status_code == 404
    assert client.get(f"/billing/statement/pdf/{query}").status_code == 404


def test_a_bad_date_range_is_shown_beside_the_field(client, resident_member):
    client.force_login(resident_member.user)
    page = client.get("/billing/statement/?start=2026-03-31&end=2026-03-01")
    assert page.status_code == 400
    assert "The end cannot be before the start." in page.content.decode()
