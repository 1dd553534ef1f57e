"""Every foundation endpoint, tried by every role, on its own organization's objects and on another's.

Roles: the operator; a manager who runs ``house`` but not ``other_house``; a resident living in ``house``;
an operator of another organization (``outsider``). A forbidden object answers 404, as if it did not exist.
"""

import pytest

from houses import services
from tests.access import request_as, world_once_per_module

ROLES = ["operator", "manager", "resident_member", "outsider"]


def _world(house, other_house, foreign_house, operator, manager, resident_member, outsider, **_made):
    room = house.rooms.first()
    return {
        "house": house,
        "other_house": other_house,
        "room": room,
        "other_room": other_house.rooms.first(),
        "bed": room.beds.first(),
        "other_bed": other_house.rooms.first().beds.first(),
        # In service from tonight: it has served no night yet, so it may still be deleted.
        "new_bed": services.bed_create(
            actor=operator, room=other_house.rooms.first(), label="New", in_service_from=house.organization.today()
        ),
        "membership": manager,
        "foreign_house": foreign_house,
    }


# Made once for the module (tests/access.py): each test gets its own copy, and its writes roll back.
globals().update(world_once_per_module(_world, ["house", "other_house", "foreign_house", *ROLES]))


# (method, path template, body, expected status per role)
MATRIX = [
    ("get", "/api/v1/houses/{house}/", None, {"operator": 200, "manager": 200, "resident_member": 200, "outsider": 404}),
    ("get", "/api/v1/houses/{other_house}/", None, {"operator": 200, "manager": 404, "resident_member": 404, "outsider": 404}),
    ("post", "/api/v1/houses/", {"name": "New House", "gender": "men"}, {"operator": 201, "manager": 403, "resident_member": 403, "outsider": 201}),
    ("patch", "/api/v1/houses/{house}/", {"phone": "555"}, {"operator": 200, "manager": 200, "resident_member": 403, "outsider": 404}),
    ("patch", "/api/v1/houses/{other_house}/", {"phone": "555"}, {"operator": 200, "manager": 404, "resident_member": 403, "outsider": 404}),
    ("delete", "/api/v1/houses/{house}/", None, {"operator": 405, "manager": 405, "resident_member": 405, "outsider": 405}),
    ("get", "/api/v1/rooms/{room}/", None, {"operator": 200, "manager": 200, "resident_member": 403, "outsider": 404}),
    ("get", "/api/v1/rooms/{other_room}/", None, {"operator": 200, "manager": 404, "resident_member": 403, "outsider": 404}),
    ("post", "/api/v1/rooms/", {"house": "{house}", "name": "Attic"}, {"operator": 201, "manager": 201, "resident_member": 403, "outsider": 400}),
    ("post", "/api/v1/rooms/", {"house": "{other_house}", "name": "Attic"}, {"operator": 201, "manager": 400, "resident_member": 403, "outsider": 400}),
    ("patch", "/api/v1/rooms/{room}/", {"notes": "Quiet room"}, {"operator": 200, "manager": 200, "resident_member": 403, "outsider": 404}),
    ("delete", "/api/v1/rooms/{other_room}/", None, {"operator": 409, "manager": 404, "resident_member": 403, "outsider": 404}),
    ("get", "/api/v1/beds/{bed}/", None, {"operator": 200, "manager": 200, "resident_member": 403, "outsider": 404}),
    ("get", "/api/v1/beds/{other_bed}/", None, {"operator": 200, "manager": 404, "resident_member": 403, "outsider": 404}),
    ("post", "/api/v1/beds/", {"room": "{room}", "label": "Cot"}, {"operator": 201, "manager": 201, "resident_member": 403, "outsider": 400}),
    ("post", "/api/v1/beds/", {"room": "{other_room}", "label": "Cot"}, {"operator": 201, "manager": 400, "resident_member": 403, "outsider": 400}),
    ("patch", "/api/v1/beds/{bed}/", {"label": "Window"}, {"operator": 200, "manager": 200, "resident_member": 403, "outsider": 404}),
    ("delete", "/api/v1/beds/{other_bed}/", None, {"operator": 409, "manager": 404, "resident_member": 403, "outsider": 404}),
    ("delete", "/api/v1/beds/{new_bed}/", None, {"operator": 204, "manager": 404, "resident_member": 403, "outsider": 404}),
    ("get", "/api/v1/memberships/", None, {"operator": 200, "manager": 403, "resident_member": 403, "outsider": 200}),
    ("get", "/api/v1/memberships/{membership}/", None, {"operator": 200, "manager": 403, "resident_member": 403, "outsider": 404}),
    ("patch", "/api/v1/memberships/{membership}/", {"houses": ["{other_house}"]}, {"operator": 200, "manager": 403, "resident_member": 403, "outsider": 404}),
    ("delete", "/api/v1/memberships/{membership}/", None, {"operator": 204, "manager": 403, "resident_member": 403, "outsider": 404}),
    ("post", "/api/v1/memberships/", {"email": "new@example.org", "role": "manager"}, {"operator": 201, "manager": 403, "resident_member": 403, "outsider": 201}),
    ("get", "/api/v1/me/", None, {"operator": 200, "manager": 200, "resident_member": 200, "outsider": 200}),
    ("get", "/api/v1/organization/", None, {"operator": 200, "manager": 200, "resident_member": 200, "outsider": 200}),
    ("patch", "/api/v1/organization/", {"name": "Renamed"}, {"operator": 200, "manager": 403, "resident_member": 403, "outsider": 200}),
]  # fmt: skip


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(("method", "path", "body", "expected"), MATRIX, ids=[f"{m} {p}" for m, p, _b, _e in MATRIX])
def test_each_role_gets_exactly_its_access(request, api, world, role, method, path, body, expected):
    member = request.getfixturevalue(role)
    response = request_as(api(member), method, path, body, world)
    assert response.status_code == expected[role], response.content


@pytest.mark.parametrize("role", ROLES)
def test_house_list_shows_only_what_each_role_may_see(request, api, world, role):
    member = request.getfixturevalue(role)
    names = {row["name"] for row in api(member).get("/api/v1/houses/").json()["results"]}
    expected = {
        "operator": {"Maple House", "Willow House"},
        "manager": {"Maple House"},
        "resident_member": {"Maple House"},
        "outsider": {"Aspen House"},
    }[role]
    assert names == expected


@pytest.mark.parametrize(("role", "count"), [("operator", 9), ("manager", 4), ("outsider", 2)])
def test_bed_list_shows_only_beds_of_visible_houses(request, api, world, role, count):
    member = request.getfixturevalue(role)
    assert api(member).get("/api/v1/beds/").json()["count"] == count


def test_a_resident_sees_only_public_facts_of_their_house(api, world, resident_member):
    body = api(resident_member).get(f"/api/v1/houses/{world['house'].pk}/").json()
    assert "staff" not in body
    assert "capacity" not in body
    assert body["name"] == "Maple House"


def test_an_anonymous_caller_is_refused_everywhere(client, world):
    for path in ["/api/v1/houses/", "/api/v1/rooms/", "/api/v1/beds/", "/api/v1/memberships/", "/api/v1/me/"]:
        assert client.get(path).status_code in (401, 403)
