"""The billing demo data: realistic, made by the real services, and idempotent."""

import pytest
from django.test import Client
from django.utils.html import escape

from accounts.models import Organization, User
from billing.models import DepositSettlement, EntryKind, LedgerEntry, Payment
from billing.selectors.aging import aging_report
from billing.selectors.balances import balance_of
from houses.models import House


@pytest.fixture(autouse=True)
def today():
    """The demo is dated from the real today, so these tests do not fix it."""


@pytest.fixture
def demo(demo_db):
    return Organization.objects.get(slug="second-wind")


def test_the_demo_has_rent_for_current_and_past_stays(demo):
    rent = LedgerEntry.objects.filter(organization=demo, kind=EntryKind.RENT)
    assert rent.filter(stay__move_out__isnull=True).exists()
    assert rent.filter(stay__move_out__isnull=False).exists()
    assert rent.filter(idempotency_key__startswith="rent:").count() == rent.count()  # all posted by the job


def test_the_demo_has_payments_of_every_method(demo):
    methods = set(Payment.objects.filter(organization=demo).values_list("method", flat=True))
    assert methods == set(Payment.Method.values)


def test_the_demo_has_late_fees_a_reversal_with_its_correction_and_settled_deposits(demo):
    entries = LedgerEntry.objects.filter(organization=demo)
    assert entries.filter(kind=EntryKind.LATE_FEE).exists()
    reversed_fee = entries.get(kind=EntryKind.PROGRAM_FEE, reversed_by__isnull=False)
    assert entries.filter(
        kind=EntryKind.PROGRAM_FEE, resident=reversed_fee.resident, memo__contains="corrected"
    ).exists()
    assert Payment.objects.filter(organization=demo, status=Payment.Status.REVERSED).exists()
    assert DepositSettlement.objects.filter(organization=demo).exists()


def test_the_demo_incident_fine_is_charged_to_each_resident_involved(demo):
    from residents.models import Incident

    incident = Incident.objects.get(organization=demo, action=Incident.Action.FINE)
    fines = LedgerEntry.objects.filter(organization=demo, kind=EntryKind.FINE, idempotency_key__startswith="incident")
    assert sorted(fines.values_list("resident", flat=True)) == sorted(incident.residents.values_list("pk", flat=True))
    assert {entry.amount for entry in fines} == {incident.fine_amount}


def test_the_demo_aging_has_residents_in_every_past_due_bucket(demo):
    operator = demo.memberships.get(user__email="operator@example.com")
    report = aging_report(viewer=operator)
    for bucket in ("1_30", "31_60", "61_90", "over_90"):
        assert report["buckets"][bucket] > 0, bucket
    assert report["credit_balances"] > 0


def test_the_demo_portal_resident_has_a_ledger(demo):
    from residents.models import Resident

    resident = Resident.objects.get(membership__user__email="resident@example.com")
    assert LedgerEntry.objects.filter(resident=resident, kind=EntryKind.LATE_FEE).exists()
    assert balance_of(resident.pk) >= 0


def test_the_demo_operator_sees_rent_terms_for_every_house(demo):
    client = Client()
    client.force_login(User.objects.get(email="operator@example.com"))
    response = client.get("/dashboard/settings/rent/")
    assert response.status_code == 200
    rows = response.context["rows"]
    houses = House.objects.filter(organization=demo)
    assert len(rows) == houses.count() >= 3
    assert {row["house"].pk for row in rows} == set(houses.values_list("pk", flat=True))
    assert all(row["policy"] is not None for row in rows)
    body = response.content.decode()
    assert "No rent terms yet" not in body
    assert escape("$850.00 a month, due on the 1st · deposit $300.00 · late fee $25.00 after 5 days' grace") in body
    assert escape("$210.00 a week, due on Fridays · deposit $200.00 · late fee 5% of the overdue rent after 3") in body
