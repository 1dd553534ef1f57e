"""The online-payment endpoints no other matrix tries: the organization's payment account and its connection, the
resident's autopay, staff refunds of a card payment, and payment alerts; every role, on its own organization's
objects and on another's.

Roles: the operator; a manager who runs Maple House but not Willow House; a resident living in Maple House; an
operator of another organization (``outsider``). A forbidden object answers 404, a forbidden role 403.
"""

from datetime import date

import pytest

from billing.models import PaymentAlert
from billing.services.deposits import deposit_settle
from tests.access import request_as

from ..conftest import build_world, world_once_per_module
from .conftest import make_online

ROLES = ["operator", "manager", "resident_member", "outsider"]


def _alert(op) -> PaymentAlert:
    return PaymentAlert.objects.create(
        organization_id=op.organization_id, resident=op.resident, house_id=op.house_id, online_payment=op,
        kind=PaymentAlert.Kind.DISPUTE, reference=f"dp_{op.pk}", amount=op.amount, currency=op.currency,
    )  # fmt: skip


def _world(operator, **made):
    world = build_world(operator=operator, **made)
    own = make_online(world["member"], intent="pi_own_access")
    other = make_online(world["other_resident"], intent="pi_other_access")
    settlement = deposit_settle(actor=operator, stay=world["departed_stay"], on=date(2026, 5, 2))
    return {**world, "own_online": own, "other_online": other, "own_alert": _alert(own), "other_alert": _alert(other),
            "settlement": settlement}  # fmt: skip


# Billing's world made once for the module: each test gets its own copy, and its writes roll back.
globals().update(world_once_per_module(_world))


@pytest.fixture
def online_world(world, stripe_stand_in):
    return world


REFUND = {"amount": "10.00", "note": "Overpaid"}
HANDLED = {"note": "Evidence sent"}
OPERATORS = {"operator": 200, "manager": 403, "resident_member": 403, "outsider": 200}
RESIDENT_ONLY = {"operator": 403, "manager": 403, "resident_member": 200, "outsider": 403}
STAFF_OWN = {"operator": 200, "manager": 200, "resident_member": 403, "outsider": 404}
STAFF_OTHER = {"operator": 200, "manager": 404, "resident_member": 403, "outsider": 404}

# (method, path template, body, expected status per role)
MATRIX = [
    # A settled deposit of a resident who has left Maple House: not the member's own.
    ("get", "/api/v1/billing/deposit-settlements/{settlement}/", None, {"operator": 200, "manager": 200, "resident_member": 404, "outsider": 404}),
    ("get", "/api/v1/organization/payments/", None, OPERATORS),
    # Connect is off in the tests' deployment: an operator reaches the service, which says so (400).
    ("post", "/api/v1/organization/payments/connect/", {}, {"operator": 400, "manager": 403, "resident_member": 403, "outsider": 400}),
    ("get", "/api/v1/payments/autopay/", None, RESIDENT_ONLY),
    ("post", "/api/v1/payments/autopay/", {"consent": False}, {"operator": 403, "manager": 403, "resident_member": 400, "outsider": 403}),
    ("post", "/api/v1/payments/online/{own_online}/refund/", REFUND, {"operator": 201, "manager": 403, "resident_member": 403, "outsider": 404}),
    ("post", "/api/v1/payments/online/{other_online}/refund/", REFUND, {"operator": 201, "manager": 403, "resident_member": 403, "outsider": 404}),
    ("get", "/api/v1/payments/alerts/", None, {"operator": 200, "manager": 200, "resident_member": 403, "outsider": 200}),
    ("get", "/api/v1/payments/alerts/{own_alert}/", None, STAFF_OWN),
    ("get", "/api/v1/payments/alerts/{other_alert}/", None, STAFF_OTHER),
    ("post", "/api/v1/payments/alerts/{own_alert}/handled/", HANDLED, STAFF_OWN),
    ("post", "/api/v1/payments/alerts/{other_alert}/handled/", HANDLED, STAFF_OTHER),
]  # fmt: skip


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(("method", "path", "body", "expected"), MATRIX, ids=[f"{m} {p}" for m, p, _b, _e in MATRIX])
def test_each_role_gets_exactly_its_access(request, api, online_world, role, method, path, body, expected):
    member = request.getfixturevalue(role)
    response = request_as(api(member), method, path, body, online_world)
    assert response.status_code == expected[role], response.content


RECEIPT_OWN = {"operator": 200, "manager": 200, "resident_member": 200, "outsider": 404}
RECEIPT_OTHER = {"operator": 200, "manager": 404, "resident_member": 404, "outsider": 404}
STATEMENT = {"operator": 404, "manager": 404, "resident_member": 200, "outsider": 404}  # the resident's own page
STAFF_OTHER_WRITE = {"operator": 302, "manager": 404, "resident_member": 403, "outsider": 404}

# The billing pages: (path template, expected status per role), each opened by every role.
PAGES = [
    ("/billing/receipts/{own_payment}/", RECEIPT_OWN),
    ("/billing/receipts/{other_payment}/", RECEIPT_OTHER),
    ("/billing/receipts/{own_payment}/pdf/", RECEIPT_OWN),
    ("/billing/receipts/{other_payment}/pdf/", RECEIPT_OTHER),
    ("/billing/statement/", STATEMENT),
    ("/billing/statement/pdf/", STATEMENT),
    ("/billing/alerts/{own_alert}/", STAFF_OWN),
    ("/billing/alerts/{other_alert}/", STAFF_OTHER),
    ("/portal/pay/", RESIDENT_ONLY),
    ("/portal/pay/return/", {**RESIDENT_ONLY, "resident_member": 302}),
    ("/portal/pay/autopay/", RESIDENT_ONLY),
    ("/portal/pay/autopay/return/", {**RESIDENT_ONLY, "resident_member": 302}),
    ("/portal/pay/reminders/", RESIDENT_ONLY),
]  # fmt: skip


@pytest.mark.parametrize(("path", "expected"), PAGES, ids=[path for path, _ in PAGES])
def test_each_role_gets_exactly_its_access_to_each_billing_page(request, page, online_world, path, expected):
    url = path.format(**{name: getattr(value, "pk", value) for name, value in online_world.items()})
    seen = {role: page(request.getfixturevalue(role)).get(url).status_code for role in ROLES}
    assert seen == expected


# Writes by each role: (path, body, expected status per role).
WRITES = [
    ("/billing/residents/{other_resident}/payments/", {"method": "cash", "amount": "5.00", "received_on": "2026-06-15"}, STAFF_OTHER_WRITE),
    ("/billing/residents/{other_resident}/charges/", {"kind": "fine", "amount": "5.00", "memo": "Late", "effective_on": "2026-06-15"}, STAFF_OTHER_WRITE),
    ("/billing/online-payments/{other_online}/refund/", {"amount": "10.00", "note": "Overpaid"}, {"operator": 302, "manager": 403, "resident_member": 403, "outsider": 404}),
    ("/portal/pay/autopay/off/", {}, {**RESIDENT_ONLY, "resident_member": 302}),
]  # fmt: skip


@pytest.mark.parametrize(("path", "body", "expected"), WRITES, ids=[path for path, _, _ in WRITES])
def test_each_role_gets_exactly_its_access_to_each_billing_write(request, page, online_world, path, body, expected):
    url = path.format(**{name: getattr(value, "pk", value) for name, value in online_world.items()})
    seen = {role: page(request.getfixturevalue(role)).post(url, body).status_code for role in ROLES}
    assert seen == expected
