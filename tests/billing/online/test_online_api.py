"""The online payment list: every role on its own and another organization's payments, filters, constant queries."""

from datetime import date

import pytest

from billing.services.ledger import charge_post
from tests.factories import admit, operator_of

from ..conftest import build_world, world_once_per_module
from .conftest import CHECKOUT, ONLINE, make_online

ROLES = ["operator", "manager", "resident_member", "outsider"]
ONLINE_PAYMENTS = ("own", "other", "foreign")


def _world(**made):
    """Billing's world, with a card payment of the member (Maple House), one of a Willow House resident the manager
    does not run, and one in another organization."""
    world = build_world(**made)
    return {
        **world,
        "own": make_online(world["member"], intent="pi_own"),
        "other": make_online(world["other_resident"], intent="pi_other"),
        "foreign": make_online(world["foreign_resident"], intent="pi_foreign"),
    }


# Billing's world made once for the module: each test gets its own copy, and its writes roll back.
globals().update(world_once_per_module(_world))


@pytest.fixture
def online_world(world):
    return {name: world[name] for name in ONLINE_PAYMENTS}


# (method, path, body, expected status per role)
MATRIX = [
    ("get", ONLINE, None, {"operator": 200, "manager": 200, "resident_member": 200, "outsider": 200}),
    ("get", ONLINE + "{own}/", None, {"operator": 200, "manager": 200, "resident_member": 200, "outsider": 404}),
    ("get", ONLINE + "{other}/", None, {"operator": 200, "manager": 404, "resident_member": 404, "outsider": 404}),
    ("get", ONLINE + "{foreign}/", None, {"operator": 404, "manager": 404, "resident_member": 404, "outsider": 200}),
    ("post", ONLINE, {"amount": "5.00"}, {"operator": 405, "manager": 405, "resident_member": 405, "outsider": 405}),
    ("patch", ONLINE + "{own}/", {}, {"operator": 405, "manager": 405, "resident_member": 405, "outsider": 405}),
    ("delete", ONLINE + "{own}/", None, {"operator": 405, "manager": 405, "resident_member": 405, "outsider": 405}),
    ("get", CHECKOUT, None, {"operator": 403, "manager": 403, "resident_member": 200, "outsider": 403}),
    ("post", CHECKOUT, {"amount": "5.00"}, {"operator": 403, "manager": 403, "resident_member": 201, "outsider": 403}),
]  # fmt: skip


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(("method", "path", "body", "expected"), MATRIX, ids=[f"{m} {p}" for m, p, _b, _e in MATRIX])
def test_each_role_gets_exactly_its_access(
    request, api, online_world, stripe_stand_in, role, method, path, body, expected
):
    member = request.getfixturevalue(role)
    owner = online_world["own"].resident  # in credit: 450.00 after this fine they owe 550.00
    charge_post(
        actor=operator_of(owner.organization), resident=owner, kind="fine", amount="1000", effective_on=date(2026, 6, 1)
    )
    url = path.format(**{name: op.pk for name, op in online_world.items()})
    response = getattr(api(member), method)(url, body, format="json")
    assert response.status_code == expected[role], response.content


@pytest.mark.parametrize("role", ROLES)
def test_the_list_shows_only_what_each_role_may_see(request, api, online_world, role):
    member = request.getfixturevalue(role)
    seen = {row["id"] for row in api(member).get(ONLINE).json()["results"]}
    expected = {
        "operator": {"own", "other"},
        "manager": {"own"},
        "resident_member": {"own"},
        "outsider": {"foreign"},
    }[role]
    assert seen == {online_world[name].pk for name in expected}


def test_a_resident_guessing_a_neighbours_online_payment_gets_404(api, resident_member, house, online_world):
    neighbour = admit(house, date(2026, 2, 1)).resident
    theirs = make_online(neighbour, intent="pi_neighbour")
    assert api(resident_member).get(f"{ONLINE}{theirs.pk}/").status_code == 404


def test_an_online_payment_reads_with_its_status_method_and_receipt(api, resident_member, online_world):
    own = online_world["own"]
    body = api(resident_member).get(f"{ONLINE}{own.pk}/").json()
    assert body["status"] == "succeeded"
    assert body["status_label"] == "Paid"
    assert body["method_label"] == "Card"
    assert body["amount"] == "100.00"
    assert body["currency"] == "usd"
    assert body["house_name"] == "Maple House"
    assert body["payment"] == own.payment_id
    assert body["receipt_number"] == own.payment.receipt_number
    assert body["receipt_url"] == f"/billing/receipts/{own.payment_id}/"
    assert body["payment_intent_id"] == "pi_own"


def test_the_online_payment_shows_in_the_payment_list_as_a_card_payment(api, operator, online_world):
    rows = api(operator).get("/api/v1/billing/payments/?method=card").json()["results"]
    assert {row["id"] for row in rows} == {online_world["own"].payment_id, online_world["other"].payment_id}
    assert {row["method_label"] for row in rows} == {"Card (online)"}


def test_the_list_filters_by_status_and_resident(api, operator, world, online_world):
    pending = make_online(world["member"], intent="pi_pending", state="pending")
    rows = api(operator).get(f"{ONLINE}?status=pending").json()["results"]
    assert [row["id"] for row in rows] == [pending.pk]
    rows = api(operator).get(f"{ONLINE}?resident={world['other_resident'].pk}").json()["results"]
    assert [row["id"] for row in rows] == [online_world["other"].pk]
    rows = api(operator).get(f"{ONLINE}?search=pi_other").json()["results"]
    assert [row["id"] for row in rows] == [online_world["other"].pk]


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("status=lost", "status"),
        ("resident=abc", "resident"),
        ("started_after=soon", "started_after"),
        ("ordering=payload", "ordering"),
        ("colour=red", "colour"),
        ("page_size=1000", "page_size"),
    ],
)
def test_a_bad_query_parameter_is_named(api, operator, online_world, query, field):
    response = api(operator).get(f"{ONLINE}?{query}")
    assert response.status_code == 400
    assert field in response.json()


def _grow(organization, manager, world, size: int):
    """``size`` more residents of Maple House, each with a paid, a pending and a refunded online payment."""
    from tests.factories import HouseFactory

    for n in range(size):
        house = HouseFactory(organization=organization, beds=2)
        manager.houses.add(house)
        resident = admit(house, date(2026, 2, 1)).resident
        tag = f"{organization.pk}_{house.pk}_{n}"
        make_online(resident, intent=f"pi_paid_{tag}")
        make_online(resident, intent=f"pi_pending_{tag}", state="pending")
        make_online(resident, intent=f"pi_refunded_{tag}", state="refunded")
    for n in range(size):
        make_online(world["member"], "1.00", intent=f"pi_member_{organization.pk}_{size}_{n}")


@pytest.mark.parametrize("role", ["operator", "manager", "resident_member"])
def test_the_online_payment_list_runs_a_constant_number_of_queries(
    request, api, world, online_world, manager, role, django_assert_max_num_queries
):
    client = api(request.getfixturevalue(role))
    organization = world["house"].organization
    _grow(organization, manager, world, 2)
    with django_assert_max_num_queries(10) as small:
        response = client.get(f"{ONLINE}?page_size=200")
    small_count = len(small.captured_queries)
    assert response.status_code == 200
    _grow(organization, manager, world, 8)
    with django_assert_max_num_queries(small_count):
        response = client.get(f"{ONLINE}?page_size=200")
    assert response.status_code == 200
    assert len(response.json()["results"]) > 10
