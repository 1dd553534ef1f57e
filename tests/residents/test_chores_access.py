# ruff: noqa: E501 - one row per endpoint reads best as a table
"""Every chores endpoint, tried by every role, on its own organization's objects and on another's.

Roles: the operator; a manager who runs ``house`` but not ``other_house``; a resident living in ``house``;
an operator of another organization (``outsider``). A forbidden object answers 404, as if it did not exist.
"""

import pytest

from residents.chores import services
from residents.models import ChoreAssignment
from tests.access import request_as, world_once_per_module
from tests.factories import admit

from .chores_factories import ChoreFactory, this_monday

ROLES = ["operator", "manager", "resident_member", "outsider"]


def _world(house, other_house, foreign_house, operator, manager, resident_member, outsider, **_made):
    monday = this_monday(house)
    today = house.organization.today()
    admit(other_house, on=monday)
    chore = ChoreFactory(house=house, name="Kitchen")
    other_chore = ChoreFactory(house=other_house, name="Kitchen")
    for place in (house, other_house):
        services.chore_rotation_generate(actor=None, house=place, week_start=monday)
    return {
        "house": house,
        "other_house": other_house,
        "chore": chore,
        "other_chore": other_chore,
        "spare_chore": ChoreFactory(house=house, name="Garage", is_active=False),
        "assignment": ChoreAssignment.objects.get(chore=chore, due_date=today),
        "other_assignment": ChoreAssignment.objects.get(chore=other_chore, due_date=today),
        "monday": monday.isoformat(),
    }


# Made once for the module (tests/access.py): each test gets its own copy, and its writes roll back.
globals().update(
    world_once_per_module(
        _world, ["house", "other_house", "foreign_house", "operator", "manager", "resident_member", "outsider"]
    )
)


# (method, path template, body, expected status per role)
MATRIX = [
    ("get", "/api/v1/chores/", None, {"operator": 200, "manager": 200, "resident_member": 403, "outsider": 200}),
    ("get", "/api/v1/chores/{chore}/", None, {"operator": 200, "manager": 200, "resident_member": 403, "outsider": 404}),
    ("get", "/api/v1/chores/{other_chore}/", None, {"operator": 200, "manager": 404, "resident_member": 403, "outsider": 404}),
    ("post", "/api/v1/chores/", {"house": "{house}", "name": "Yard", "frequency": "weekly", "weekdays": ["sat"]}, {"operator": 201, "manager": 201, "resident_member": 403, "outsider": 400}),
    ("post", "/api/v1/chores/", {"house": "{other_house}", "name": "Yard", "frequency": "daily"}, {"operator": 201, "manager": 400, "resident_member": 403, "outsider": 400}),
    ("patch", "/api/v1/chores/{chore}/", {"description": "Wipe the counters"}, {"operator": 200, "manager": 200, "resident_member": 403, "outsider": 404}),
    ("patch", "/api/v1/chores/{other_chore}/", {"description": "Wipe the counters"}, {"operator": 200, "manager": 404, "resident_member": 403, "outsider": 404}),
    ("delete", "/api/v1/chores/{chore}/", None, {"operator": 409, "manager": 409, "resident_member": 403, "outsider": 404}),
    ("delete", "/api/v1/chores/{spare_chore}/", None, {"operator": 204, "manager": 204, "resident_member": 403, "outsider": 404}),
    ("get", "/api/v1/chore-assignments/", None, {"operator": 200, "manager": 200, "resident_member": 200, "outsider": 200}),
    ("get", "/api/v1/chore-assignments/{assignment}/", None, {"operator": 200, "manager": 200, "resident_member": 200, "outsider": 404}),
    ("get", "/api/v1/chore-assignments/{other_assignment}/", None, {"operator": 200, "manager": 404, "resident_member": 404, "outsider": 404}),
    ("post", "/api/v1/chore-assignments/generate/", {"house": "{house}", "week_start": "{monday}"}, {"operator": 200, "manager": 200, "resident_member": 403, "outsider": 400}),
    ("post", "/api/v1/chore-assignments/generate/", {"house": "{other_house}", "week_start": "{monday}"}, {"operator": 200, "manager": 400, "resident_member": 403, "outsider": 400}),
    ("post", "/api/v1/chore-assignments/{assignment}/mark/", {"status": "done"}, {"operator": 200, "manager": 200, "resident_member": 403, "outsider": 404}),
    ("post", "/api/v1/chore-assignments/{other_assignment}/mark/", {"status": "done"}, {"operator": 200, "manager": 404, "resident_member": 403, "outsider": 404}),
    ("patch", "/api/v1/chore-assignments/{assignment}/", {"status": "done"}, {"operator": 405, "manager": 405, "resident_member": 405, "outsider": 405}),
    ("delete", "/api/v1/chore-assignments/{assignment}/", None, {"operator": 405, "manager": 405, "resident_member": 405, "outsider": 405}),
]  # fmt: skip


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(("method", "path", "body", "expected"), MATRIX, ids=[f"{m} {p}" for m, p, _b, _e in MATRIX])
def test_each_role_gets_exactly_its_access(request, api, world, role, method, path, body, expected):
    member = request.getfixturevalue(role)
    response = request_as(api(member), method, path, body, world)
    assert response.status_code == expected[role], response.content


@pytest.mark.parametrize("role", ROLES)
def test_the_assignment_list_shows_only_what_each_role_may_see(request, api, world, role, resident_member):
    member = request.getfixturevalue(role)
    rows = api(member).get("/api/v1/chore-assignments/?page_size=200").json()["results"]
    houses = {row["house_name"] for row in rows}
    expected = {
        "operator": {"Maple House", "Willow House"},
        "manager": {"Maple House"},
        "resident_member": {"Maple House"},
        "outsider": set(),
    }[role]
    assert houses == expected
    if role == "resident_member":
        assert {row["resident"] for row in rows} == {resident_member.resident.pk}


@pytest.mark.parametrize("role", ROLES)
def test_the_chore_list_shows_only_chores_of_visible_houses(request, api, world, role):
    member = request.getfixturevalue(role)
    response = api(member).get("/api/v1/chores/")
    expected = {"operator": 3, "manager": 2, "resident_member": None, "outsider": 0}[role]
    if expected is None:
        assert response.status_code == 403
    else:
        assert response.json()["count"] == expected


def test_an_anonymous_caller_is_refused_everywhere(client, world):
    for path in ["/api/v1/chores/", "/api/v1/chore-assignments/"]:
        assert client.get(path).status_code in (401, 403)
