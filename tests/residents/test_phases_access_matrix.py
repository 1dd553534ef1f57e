# ruff: noqa: E501  (one row per endpoint reads best as a table)
"""Every phase, sign-out and pass endpoint, tried by every role, on its own organization's objects and on another's.

Roles: the operator; a manager who runs ``house`` but not ``other_house``; a resident living in ``house``
(``own_*`` objects are theirs; ``peer_*`` belong to a housemate); an operator of another organization
(``outsider``). A forbidden object answers 404; a role not allowed on an endpoint 403; an id out of scope in a
body 400 (does not exist).
"""

from datetime import datetime, time, timedelta

import pytest

from tests.access import world_once_per_module

from .phases_factories import build_world

ROLES = ["operator", "manager", "resident_member", "outsider"]


def _world(
    organization,
    other_organization,
    house,
    other_house,
    foreign_house,
    operator,
    manager,
    resident_member,
    outsider,
    **_made,
):
    return build_world(
        organization=organization, other_organization=other_organization, house=house, other_house=other_house,
        foreign_house=foreign_house, operator=operator, manager=manager, resident_member=resident_member,
        outsider=outsider,
    )  # fmt: skip


# Made once for the module (tests/access.py): each test gets its own copy, and its writes roll back.
globals().update(
    world_once_per_module(
        _world,
        [
            "organization",
            "other_organization",
            "house",
            "other_house",
            "foreign_house",
            "operator",
            "manager",
            "resident_member",
            "outsider",
        ],
    )
)


SOON = "{soon}"
LATER = "{later}"
SOON_AT = "{soon_at}"

# (method, path template, body, expected status per role)
MATRIX = [
    ("get", "/api/v1/phases/", None, {"operator": 200, "manager": 200, "resident_member": 200, "outsider": 200}),
    ("get", "/api/v1/phases/{phase}/", None, {"operator": 200, "manager": 200, "resident_member": 200, "outsider": 404}),
    ("post", "/api/v1/phases/", {"order": 5, "name": "Graduate"}, {"operator": 201, "manager": 403, "resident_member": 403, "outsider": 201}),
    ("patch", "/api/v1/phases/{phase}/", {"passes_per_month": 1}, {"operator": 200, "manager": 403, "resident_member": 403, "outsider": 404}),
    ("delete", "/api/v1/phases/{alumni}/", None, {"operator": 204, "manager": 403, "resident_member": 403, "outsider": 404}),
    ("delete", "/api/v1/phases/{phase}/", None, {"operator": 409, "manager": 403, "resident_member": 403, "outsider": 404}),
    ("get", "/api/v1/phase-changes/", None, {"operator": 200, "manager": 200, "resident_member": 200, "outsider": 200}),
    ("get", "/api/v1/phase-changes/{own_change}/", None, {"operator": 200, "manager": 200, "resident_member": 200, "outsider": 404}),
    ("get", "/api/v1/phase-changes/{other_change}/", None, {"operator": 200, "manager": 404, "resident_member": 404, "outsider": 404}),
    ("post", "/api/v1/phase-changes/", {"stay": "{own_stay}"}, {"operator": 405, "manager": 405, "resident_member": 405, "outsider": 405}),
    ("patch", "/api/v1/phase-changes/{own_change}/", {"reason": "x"}, {"operator": 405, "manager": 405, "resident_member": 405, "outsider": 405}),
    ("post", "/api/v1/phase-changes/promote/", {"stay": "{own_stay}"}, {"operator": 201, "manager": 201, "resident_member": 403, "outsider": 400}),
    ("post", "/api/v1/phase-changes/promote/", {"stay": "{other_stay}"}, {"operator": 201, "manager": 400, "resident_member": 403, "outsider": 400}),
    ("post", "/api/v1/phase-changes/promote/", {"stay": "{foreign_stay}"}, {"operator": 400, "manager": 400, "resident_member": 403, "outsider": 201}),
    ("post", "/api/v1/phase-changes/demote/", {"stay": "{peer_stay}", "reason": "Curfew"}, {"operator": 201, "manager": 201, "resident_member": 403, "outsider": 400}),
    ("post", "/api/v1/phase-changes/start/", {"stay": "{unphased_stay}"}, {"operator": 201, "manager": 201, "resident_member": 403, "outsider": 400}),
    ("get", "/api/v1/resident-phases/", None, {"operator": 200, "manager": 200, "resident_member": 200, "outsider": 200}),
    ("get", "/api/v1/resident-phases/{own_stay}/", None, {"operator": 200, "manager": 200, "resident_member": 200, "outsider": 404}),
    ("get", "/api/v1/resident-phases/{other_stay}/", None, {"operator": 200, "manager": 404, "resident_member": 404, "outsider": 404}),
    ("get", "/api/v1/phase-compliance/", None, {"operator": 200, "manager": 200, "resident_member": 200, "outsider": 200}),
    ("get", "/api/v1/phase-compliance/?house={other_house}", None, {"operator": 200, "manager": 400, "resident_member": 400, "outsider": 400}),
    ("get", "/api/v1/sign-outs/", None, {"operator": 200, "manager": 200, "resident_member": 200, "outsider": 200}),
    ("get", "/api/v1/sign-outs/{own_sign_out}/", None, {"operator": 200, "manager": 200, "resident_member": 200, "outsider": 404}),
    ("get", "/api/v1/sign-outs/{other_sign_out}/", None, {"operator": 200, "manager": 404, "resident_member": 404, "outsider": 404}),
    ("post", "/api/v1/sign-outs/", {"stay": "{own_stay}", "destination": "Work", "expected_return_at": SOON_AT}, {"operator": 201, "manager": 201, "resident_member": 201, "outsider": 400}),
    ("post", "/api/v1/sign-outs/", {"stay": "{other_stay}", "destination": "Work", "expected_return_at": SOON_AT}, {"operator": 201, "manager": 400, "resident_member": 400, "outsider": 400}),
    ("post", "/api/v1/sign-outs/", {"stay": "{peer_stay}", "destination": "Work", "expected_return_at": SOON_AT}, {"operator": 409, "manager": 409, "resident_member": 400, "outsider": 400}),
    ("post", "/api/v1/sign-outs/sign-in/", {"stay": "{peer_stay}"}, {"operator": 200, "manager": 200, "resident_member": 400, "outsider": 400}),
    ("patch", "/api/v1/sign-outs/{own_sign_out}/", {"destination": "x"}, {"operator": 405, "manager": 405, "resident_member": 405, "outsider": 405}),
    ("delete", "/api/v1/sign-outs/{own_sign_out}/", None, {"operator": 405, "manager": 405, "resident_member": 405, "outsider": 405}),
    ("get", "/api/v1/passes/", None, {"operator": 200, "manager": 200, "resident_member": 200, "outsider": 200}),
    ("get", "/api/v1/passes/{own_pass}/", None, {"operator": 200, "manager": 200, "resident_member": 200, "outsider": 404}),
    ("get", "/api/v1/passes/{other_pass}/", None, {"operator": 200, "manager": 404, "resident_member": 404, "outsider": 404}),
    ("post", "/api/v1/passes/", {"stay": "{own_stay}", "leave_on": SOON, "return_on": LATER, "destination": "Home", "contact_phone": "555"}, {"operator": 201, "manager": 201, "resident_member": 201, "outsider": 400}),
    ("post", "/api/v1/passes/", {"stay": "{other_stay}", "leave_on": SOON, "return_on": LATER, "destination": "Home", "contact_phone": "555"}, {"operator": 201, "manager": 400, "resident_member": 400, "outsider": 400}),
    ("post", "/api/v1/passes/{own_pass}/approve/", {"override": True, "reason": "Family emergency"}, {"operator": 200, "manager": 200, "resident_member": 403, "outsider": 404}),
    ("post", "/api/v1/passes/{other_pass}/approve/", {"override": True, "reason": "Family emergency"}, {"operator": 200, "manager": 404, "resident_member": 403, "outsider": 404}),
    ("post", "/api/v1/passes/{own_pass}/deny/", {"reason": "Curfew last week"}, {"operator": 200, "manager": 200, "resident_member": 403, "outsider": 404}),
    ("post", "/api/v1/passes/{own_pass}/cancel/", None, {"operator": 200, "manager": 200, "resident_member": 200, "outsider": 404}),
    ("post", "/api/v1/passes/{other_pass}/cancel/", None, {"operator": 200, "manager": 404, "resident_member": 404, "outsider": 404}),
    ("post", "/api/v1/passes/{peer_pass}/return/", None, {"operator": 200, "manager": 200, "resident_member": 404, "outsider": 404}),
    ("delete", "/api/v1/passes/{own_pass}/", None, {"operator": 405, "manager": 405, "resident_member": 405, "outsider": 405}),
    ("get", "/api/v1/houses/{house}/curfew-violations/", None, {"operator": 200, "manager": 200, "resident_member": 403, "outsider": 404}),
    ("get", "/api/v1/houses/{other_house}/curfew-violations/", None, {"operator": 200, "manager": 404, "resident_member": 403, "outsider": 404}),
    ("get", "/api/v1/houses/{foreign_house}/curfew-violations/", None, {"operator": 404, "manager": 404, "resident_member": 403, "outsider": 200}),
]  # fmt: skip


def _evening(organization, day):
    """6 p.m. on ``day`` in the house's time zone, with its UTC offset (the API refuses a time without one)."""
    return datetime.combine(day, time(18), tzinfo=organization.tzinfo).isoformat()


def _fill(value, world, organization):
    today = organization.today()
    if value == SOON:
        return (today + timedelta(days=20)).isoformat()
    if value == SOON_AT:
        return _evening(organization, today + timedelta(days=20))
    if value == LATER:
        return (today + timedelta(days=21)).isoformat()
    if isinstance(value, str) and value.startswith("{") and value.endswith("}"):
        return world[value[1:-1]].pk
    if isinstance(value, dict):
        return {key: _fill(item, world, organization) for key, item in value.items()}
    return value


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(("method", "path", "body", "expected"), MATRIX, ids=[f"{m} {p} {b}" for m, p, b, _e in MATRIX])
def test_each_role_gets_exactly_its_access(request, api, world, organization, role, method, path, body, expected):
    member = request.getfixturevalue(role)
    url = path.format(**{name: obj.pk for name, obj in world.items()})
    response = getattr(api(member), method)(url, _fill(body, world, organization), format="json")
    assert response.status_code == expected[role], response.content


LISTS = {
    "/api/v1/phase-changes/": "resident",
    "/api/v1/resident-phases/": "resident",
    "/api/v1/sign-outs/": "resident",
    "/api/v1/passes/": "resident",
    "/api/v1/phase-compliance/": "resident",
}


@pytest.mark.parametrize("path", list(LISTS))
@pytest.mark.parametrize(
    ("role", "houses"),
    [("operator", {"Maple House", "Willow House"}), ("manager", {"Maple House"}), ("outsider", {"Aspen House"})],
)
def test_staff_lists_show_only_the_houses_each_may_see(request, api, world, path, role, houses):
    member = request.getfixturevalue(role)
    rows = api(member).get(path).json()["results"]
    assert rows
    assert {row["house_name"] for row in rows} <= houses
    if role != "outsider":
        assert {row["house_name"] for row in rows} == houses


@pytest.mark.parametrize("path", list(LISTS))
def test_a_resident_lists_only_their_own_records(api, world, resident_member, path):
    rows = api(resident_member).get(path).json()["results"]
    assert rows
    assert {row[LISTS[path]] for row in rows} == {resident_member.resident.pk}


@pytest.mark.parametrize("name", ["peer_stay", "other_stay", "foreign_stay"])
def test_a_resident_guessing_another_residents_ids_finds_nothing(api, world, resident_member, name):
    stay = world[name]
    client = api(resident_member)
    assert client.get(f"/api/v1/resident-phases/{stay.pk}/").status_code == 404
    for change in stay.phase_changes.all():
        assert client.get(f"/api/v1/phase-changes/{change.pk}/").status_code == 404
    for sign_out in stay.sign_outs.all():
        assert client.get(f"/api/v1/sign-outs/{sign_out.pk}/").status_code == 404
    for pass_ in stay.overnight_passes.all():
        assert client.get(f"/api/v1/passes/{pass_.pk}/").status_code == 404
        assert client.post(f"/api/v1/passes/{pass_.pk}/cancel/").status_code == 404
        assert client.post(f"/api/v1/passes/{pass_.pk}/return/").status_code == 404


def test_a_resident_signs_out_and_in_without_naming_their_stay(api, world, resident_member, organization):
    client = api(resident_member)
    soon = _evening(organization, organization.today() + timedelta(days=1))
    response = client.post(
        "/api/v1/sign-outs/", {"destination": "AA meeting", "expected_return_at": soon}, format="json"
    )
    assert response.status_code == 201, response.content
    assert response.json()["stay"] == world["own_stay"].pk
    assert response.json()["expected_return_at"].startswith(soon)  # read and shown in the house's time zone
    assert client.post("/api/v1/sign-outs/sign-in/", {}, format="json").json()["is_open"] is False


def test_a_resident_asks_for_a_pass_without_naming_their_stay(api, world, resident_member, organization):
    leave = organization.today() + timedelta(days=30)
    body = {
        "leave_on": leave.isoformat(),
        "return_on": (leave + timedelta(days=2)).isoformat(),
        "destination": "Aunt's",
        "contact_phone": "(555) 010-1111",
    }
    response = api(resident_member).post("/api/v1/passes/", body, format="json")
    assert response.status_code == 201, response.content
    assert (response.json()["stay"], response.json()["status"], response.json()["nights"]) == (
        world["own_stay"].pk,
        "requested",
        2,
    )


def test_staff_must_name_the_stay_they_sign_out(api, world, manager, organization):
    response = api(manager).post(
        "/api/v1/sign-outs/", {"destination": "Work", "expected_return_at": "2099-01-01T10:00-06:00"}, format="json"
    )
    assert response.status_code == 400
    assert "stay" in response.json()


def test_a_resident_cannot_approve_their_own_pass(api, world, resident_member):
    response = api(resident_member).post(
        f"/api/v1/passes/{world['own_pass'].pk}/approve/", {"override": True, "reason": "Me"}, format="json"
    )
    assert response.status_code == 403
    world["own_pass"].refresh_from_db()
    assert world["own_pass"].status == "requested"
