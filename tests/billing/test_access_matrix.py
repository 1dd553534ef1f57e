"""Every billing endpoint, tried by every role, on its own organization's objects and on another's.

Roles: the operator; a manager who runs Maple House but not Willow House; a resident living in Maple House; an
operator of another organization (``outsider``). A forbidden object answers 404, as if it did not exist; a role
that may not use an endpoint at all gets 403.
"""

import pytest

from billing.models import LedgerEntry
from tests.access import request_as

from .conftest import world_once_per_module

ROLES = ["operator", "manager", "resident_member", "outsider"]
B = "/api/v1/billing"
STATEMENT = "start=2026-01-01&end=2026-06-15"

# Billing's world made once for the module: each test gets its own copy, and its writes roll back.
globals().update(world_once_per_module())

# (method, path template, body, expected status per role)
MATRIX = [
    ("get", f"{B}/entries/", None, {"operator": 200, "manager": 200, "resident_member": 200, "outsider": 200}),
    ("get", f"{B}/entries/{{own_entry}}/", None, {"operator": 200, "manager": 200, "resident_member": 200, "outsider": 404}),
    ("get", f"{B}/entries/{{other_entry}}/", None, {"operator": 200, "manager": 404, "resident_member": 404, "outsider": 404}),
    ("post", f"{B}/entries/charge/", {"resident": "{member}", "kind": "fine", "amount": "25.00", "memo": "Curfew"}, {"operator": 201, "manager": 201, "resident_member": 403, "outsider": 400}),
    ("post", f"{B}/entries/charge/", {"resident": "{other_resident}", "kind": "fine", "amount": "25.00"}, {"operator": 201, "manager": 400, "resident_member": 403, "outsider": 400}),
    ("post", f"{B}/entries/credit/", {"resident": "{member}", "amount": "5.00", "memo": "Goodwill"}, {"operator": 201, "manager": 201, "resident_member": 403, "outsider": 400}),
    ("post", f"{B}/entries/refund/", {"resident": "{member}", "amount": "10.00"}, {"operator": 201, "manager": 201, "resident_member": 403, "outsider": 400}),
    ("post", f"{B}/entries/{{own_entry}}/reverse/", {"memo": "Mistake"}, {"operator": 201, "manager": 201, "resident_member": 403, "outsider": 404}),
    ("post", f"{B}/entries/{{other_entry}}/reverse/", {}, {"operator": 201, "manager": 404, "resident_member": 403, "outsider": 404}),
    ("patch", f"{B}/entries/{{own_entry}}/", {"amount": "1.00"}, {"operator": 405, "manager": 405, "resident_member": 405, "outsider": 405}),
    ("delete", f"{B}/entries/{{own_entry}}/", None, {"operator": 405, "manager": 405, "resident_member": 405, "outsider": 405}),
    ("get", f"{B}/payments/", None, {"operator": 200, "manager": 200, "resident_member": 200, "outsider": 200}),
    ("get", f"{B}/payments/{{own_payment}}/", None, {"operator": 200, "manager": 200, "resident_member": 200, "outsider": 404}),
    ("get", f"{B}/payments/{{other_payment}}/", None, {"operator": 200, "manager": 404, "resident_member": 404, "outsider": 404}),
    ("post", f"{B}/payments/", {"resident": "{member}", "method": "cash", "amount": "50.00"}, {"operator": 201, "manager": 201, "resident_member": 403, "outsider": 400}),
    ("post", f"{B}/payments/", {"resident": "{other_resident}", "method": "cash", "amount": "50.00"}, {"operator": 201, "manager": 400, "resident_member": 403, "outsider": 400}),
    ("delete", f"{B}/payments/{{own_payment}}/", None, {"operator": 405, "manager": 405, "resident_member": 405, "outsider": 405}),
    ("get", f"{B}/rent-schedules/", None, {"operator": 200, "manager": 200, "resident_member": 200, "outsider": 200}),
    ("get", f"{B}/rent-schedules/{{own_schedule}}/", None, {"operator": 200, "manager": 200, "resident_member": 200, "outsider": 404}),
    ("get", f"{B}/rent-schedules/{{other_schedule}}/", None, {"operator": 200, "manager": 404, "resident_member": 404, "outsider": 404}),
    ("post", f"{B}/rent-schedules/", {"stay": "{own_stay}", "amount": "800.00", "period": "monthly", "due_day": 1}, {"operator": 201, "manager": 201, "resident_member": 403, "outsider": 400}),
    ("post", f"{B}/rent-schedules/", {"stay": "{other_stay}", "amount": "800.00"}, {"operator": 201, "manager": 400, "resident_member": 403, "outsider": 400}),
    ("get", f"{B}/policies/", None, {"operator": 200, "manager": 200, "resident_member": 403, "outsider": 200}),
    ("get", f"{B}/policies/{{house_policy}}/", None, {"operator": 200, "manager": 200, "resident_member": 403, "outsider": 404}),
    ("get", f"{B}/policies/{{other_policy}}/", None, {"operator": 200, "manager": 404, "resident_member": 403, "outsider": 404}),
    ("post", f"{B}/policies/", {"house": "{new_house}", "rent_amount": "700.00", "rent_period": "monthly", "rent_due_day": 1}, {"operator": 201, "manager": 403, "resident_member": 403, "outsider": 400}),
    ("patch", f"{B}/policies/{{house_policy}}/", {"deposit_amount": "250.00"}, {"operator": 200, "manager": 403, "resident_member": 403, "outsider": 404}),
    ("delete", f"{B}/policies/{{house_policy}}/", None, {"operator": 405, "manager": 405, "resident_member": 405, "outsider": 405}),
    ("get", f"{B}/deposit-settlements/", None, {"operator": 200, "manager": 200, "resident_member": 200, "outsider": 200}),
    ("post", f"{B}/deposit-settlements/", {"stay": "{departed_stay}", "deductions": [{"reason": "Cleaning", "amount": "40.00"}]}, {"operator": 201, "manager": 201, "resident_member": 403, "outsider": 400}),
    ("get", f"{B}/balance/?resident={{member}}", None, {"operator": 200, "manager": 200, "resident_member": 200, "outsider": 404}),
    ("get", f"{B}/balance/?resident={{other_resident}}", None, {"operator": 200, "manager": 404, "resident_member": 404, "outsider": 404}),
    ("get", f"{B}/balances/", None, {"operator": 200, "manager": 200, "resident_member": 403, "outsider": 200}),
    ("get", f"{B}/balances/{{member}}/", None, {"operator": 200, "manager": 200, "resident_member": 403, "outsider": 404}),
    ("get", f"{B}/aging/", None, {"operator": 200, "manager": 200, "resident_member": 403, "outsider": 200}),
    ("get", f"{B}/aging/?house={{house}}", None, {"operator": 200, "manager": 200, "resident_member": 403, "outsider": 404}),
    ("get", f"{B}/aging/?house={{other_house}}", None, {"operator": 200, "manager": 404, "resident_member": 403, "outsider": 404}),
    ("get", f"{B}/delinquency/", None, {"operator": 200, "manager": 200, "resident_member": 403, "outsider": 200}),
    ("get", f"{B}/delinquency/?house={{other_house}}", None, {"operator": 200, "manager": 404, "resident_member": 403, "outsider": 404}),
    ("get", f"{B}/open-charges/?resident={{member}}", None, {"operator": 200, "manager": 200, "resident_member": 200, "outsider": 404}),
    ("get", f"{B}/open-charges/?resident={{other_resident}}", None, {"operator": 200, "manager": 404, "resident_member": 404, "outsider": 404}),
    ("get", f"{B}/statement/?resident={{member}}&{STATEMENT}", None, {"operator": 200, "manager": 200, "resident_member": 200, "outsider": 404}),
    ("get", f"{B}/statement/?resident={{other_resident}}&{STATEMENT}", None, {"operator": 200, "manager": 404, "resident_member": 404, "outsider": 404}),
]  # fmt: skip


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(("method", "path", "body", "expected"), MATRIX, ids=[f"{m} {p}" for m, p, _b, _e in MATRIX])
def test_each_role_gets_exactly_its_access(request, api, world, role, method, path, body, expected):
    member = request.getfixturevalue(role)
    response = request_as(api(member), method, path, body, world)
    assert response.status_code == expected[role], response.content


def _ids(response):
    return {row["id"] for row in response.json()["results"]}


@pytest.mark.parametrize("role", ROLES)
def test_the_entry_list_shows_only_what_each_role_may_see(request, api, world, role):
    member = request.getfixturevalue(role)
    seen = {LedgerEntry.objects.get(pk=pk).resident_id for pk in _ids(api(member).get(f"{B}/entries/"))}
    departed = world["departed_stay"].resident_id
    expected = {
        "operator": {world["member"].pk, world["other_resident"].pk, departed},
        "manager": {world["member"].pk, departed},
        "resident_member": {world["member"].pk},
        "outsider": {world["foreign_resident"].pk},
    }[role]
    assert seen == expected


@pytest.mark.parametrize("role", ROLES)
def test_the_payment_list_shows_only_what_each_role_may_see(request, api, world, role):
    member = request.getfixturevalue(role)
    expected = {
        "operator": {world["own_payment"].pk, world["other_payment"].pk},
        "manager": {world["own_payment"].pk},
        "resident_member": {world["own_payment"].pk},
        "outsider": {world["foreign_payment"].pk},
    }[role]
    assert _ids(api(member).get(f"{B}/payments/")) == expected


@pytest.mark.parametrize("path", ["/api/v1/billing/entries/", "/api/v1/billing/balance/", "/api/v1/billing/aging/",
                                  "/api/v1/billing/payments/", "/api/v1/billing/statement/"])  # fmt: skip
def test_an_anonymous_caller_is_refused(client, world, path):
    assert client.get(path).status_code in (401, 403)


@pytest.fixture
def neighbour(world, house):
    """Another resident of Maple House, with an entry, a payment, a schedule and a settled deposit."""
    from datetime import date

    from billing.services.deposits import deposit_settle
    from billing.services.ledger import charge_post
    from billing.services.payments import payment_record
    from tests.factories import admit

    from .conftest import discharge

    stay = admit(house, date(2026, 2, 1))
    actor = world["house"].organization.memberships.filter(role="operator").first()
    entry = charge_post(
        actor=actor, resident=stay.resident, kind="fine", amount="10", memo="", effective_on=date(2026, 3, 1)
    )
    payment = payment_record(
        actor=actor, resident=stay.resident, method="cash", amount="10", received_on=date(2026, 3, 1)
    )
    discharge(stay, date(2026, 4, 1))
    settlement = deposit_settle(actor=actor, stay=stay, on=date(2026, 4, 2))
    return {"resident": stay.resident, "entry": entry, "payment": payment, "schedule": stay.rent_schedules.get(),
            "settlement": settlement}  # fmt: skip


@pytest.mark.parametrize(
    "path",
    ["entries/{entry}/", "payments/{payment}/", "rent-schedules/{schedule}/", "deposit-settlements/{settlement}/",
     "balance/?resident={resident}", "open-charges/?resident={resident}",
     "statement/?resident={resident}&start=2026-01-01&end=2026-06-01"],
)  # fmt: skip
def test_a_resident_guessing_a_neighbours_ids_gets_404(api, resident_member, neighbour, path):
    url = f"{B}/" + path.format(**{name: obj.pk for name, obj in neighbour.items()})
    assert api(resident_member).get(url).status_code == 404


def test_a_resident_reading_a_neighbours_receipt_page_gets_404(client, resident_member, neighbour):
    client.force_login(resident_member.user)
    assert client.get(f"/billing/receipts/{neighbour['payment'].pk}/").status_code == 404
