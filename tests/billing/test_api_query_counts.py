"""Every billing list and report costs the same number of queries whatever it holds."""

from datetime import date
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from billing.services.deposits import deposit_settle
from billing.services.late_fees import late_fees_assess
from billing.services.ledger import entry_reverse
from billing.services.payments import payment_record
from billing.services.rent import rent_post_due
from tests.factories import HouseFactory, admit

from .conftest import discharge, make_policy

B = "/api/v1/billing"
LISTS = [
    f"{B}/entries/",
    f"{B}/payments/",
    f"{B}/rent-schedules/",
    f"{B}/policies/",
    f"{B}/deposit-settlements/",
    f"{B}/balances/",
    f"{B}/delinquency/",
    f"{B}/aging/",
]


def _grow(organization, manager, size):
    """``size`` houses, each with a current resident and a departed one, months of rent, payments of two kinds,
    a late fee, a reversal and a settled deposit."""
    actor = organization.memberships.filter(role="operator").first()
    for _n in range(size):
        house = HouseFactory(organization=organization, beds=2)
        manager.houses.add(house)
        make_policy(house, deposit_amount=Decimal("200.00"), late_fee_kind="flat", late_fee_amount=Decimal("20"))
        staying, leaving = admit(house, date(2026, 1, 5)), admit(house, date(2026, 1, 5))
        rent_post_due(on=date(2026, 3, 1), house=house)
        late_fees_assess(on=date(2026, 3, 7), house=house)
        payment = payment_record(
            actor=actor,
            resident=staying.resident,
            method="check",
            amount="900",
            reference="77",
            received_on=date(2026, 3, 10),
        )
        payment_record(
            actor=actor, resident=leaving.resident, method="cash", amount="300", received_on=date(2026, 3, 10)
        )
        entry_reverse(actor=actor, entry=payment.entry, memo="Bounced")
        discharge(leaving, date(2026, 3, 20))
        deposit_settle(
            actor=actor, stay=leaving, on=date(2026, 3, 21), deductions=[{"reason": "Paint", "amount": "30"}]
        )


@pytest.mark.parametrize("role", ["operator", "manager"])
def test_every_billing_list_runs_a_constant_number_of_queries(request, api, operator, manager, role):
    """Each list measured with two houses of everything, then with twelve (grown once for all the lists)."""
    client = api(request.getfixturevalue(role))
    _grow(operator.organization, manager, 2)
    small = {path: _queries(client, path + "?page_size=200") for path in LISTS}
    _grow(operator.organization, manager, 10)
    large = {path: _queries(client, path + "?page_size=200") for path in LISTS}
    assert max(small.values()) <= 12, small
    assert {path: large[path] <= small[path] for path in LISTS} == dict.fromkeys(LISTS, True), (small, large)


def _queries(client, path) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(path).status_code == 200
    return len(queries)


@pytest.mark.parametrize(
    "path", [f"{B}/entries/", f"{B}/payments/", f"{B}/rent-schedules/", f"{B}/deposit-settlements/", f"{B}/balance/"]
)
def test_a_residents_own_lists_run_a_constant_number_of_queries(
    api, operator, manager, resident_member, path, django_assert_max_num_queries
):
    from billing.services.ledger import charge_post

    client = api(resident_member)
    resident = resident_member.resident
    _grow(operator.organization, manager, 1)
    charge_post(actor=operator, resident=resident, kind="fine", amount="5", memo="", effective_on=date(2026, 3, 1))
    payment_record(actor=operator, resident=resident, method="cash", amount="5", received_on=date(2026, 3, 1))
    with django_assert_max_num_queries(10) as small:
        client.get(path)
    for day in range(2, 20):
        charge_post(
            actor=operator, resident=resident, kind="fine", amount="5", memo="", effective_on=date(2026, 3, day)
        )
        payment_record(actor=operator, resident=resident, method="cash", amount="5", received_on=date(2026, 3, day))
    with django_assert_max_num_queries(len(small.captured_queries)):
        assert client.get(path).status_code == 200


@pytest.mark.parametrize(
    "path", ["open-charges/?resident={pk}", "statement/?resident={pk}&start=2026-01-01&end=2026-06-15"]
)
def test_a_residents_reports_run_a_constant_number_of_queries(
    api, operator, manager, path, django_assert_max_num_queries
):
    _grow(operator.organization, manager, 1)
    from billing.models import LedgerEntry

    resident_id = LedgerEntry.objects.values_list("resident_id", flat=True).first()
    url = f"{B}/" + path.format(pk=resident_id)
    client = api(operator)
    with django_assert_max_num_queries(10) as small:
        client.get(url)
    from billing.services.ledger import charge_post
    from residents.models import Resident

    resident = Resident.objects.get(pk=resident_id)
    for day in range(1, 25):
        charge_post(
            actor=operator, resident=resident, kind="fine", amount="5", memo="", effective_on=date(2026, 4, day)
        )
    with django_assert_max_num_queries(len(small.captured_queries)):
        assert client.get(url).status_code == 200
