# ruff: noqa: E501 - one row per endpoint reads best as a table
"""Every meetings endpoint, tried by every role, on its own organization's objects and on another's.

Roles: the operator; a manager who runs ``house`` but not ``other_house``; a resident living in ``house``;
an operator of another organization (``outsider``). A forbidden object answers 404, as if it did not exist.
"""

from datetime import timedelta

import pytest

from tests.access import request_as, world_once_per_module
from tests.factories import admit

from .chores_factories import house_meeting, log_attendance

ROLES = ["operator", "manager", "resident_member", "outsider"]


def _world(house, other_house, foreign_house, operator, manager, resident_member, outsider, **_made):
    today = house.organization.today()
    member_resident = resident_member.resident
    neighbour = admit(other_house, on=today - timedelta(days=30))
    return {
        "house": house,
        "other_house": other_house,
        "member_resident": member_resident,
        "neighbour": neighbour.resident,
        "meeting": house_meeting(house, attendees=[member_resident]),
        "other_meeting": house_meeting(other_house, attendees=[neighbour.resident]),
        "attendance": log_attendance(member_resident.stays.get(), attended_on=today - timedelta(days=2)),
        "other_attendance": log_attendance(neighbour, attended_on=today - timedelta(days=2)),
        "yesterday": str(today - timedelta(days=1)),
        "yesterday_evening": f"{today - timedelta(days=1)}T19:00:00-06:00",
    }


# Made once for the module (tests/access.py): each test gets its own copy, and its writes roll back.
globals().update(
    world_once_per_module(
        _world, ["house", "other_house", "foreign_house", "operator", "manager", "resident_member", "outsider"]
    )
)


# (method, path template, body, expected status per role)
MATRIX = [
    ("get", "/api/v1/house-meetings/", None, {"operator": 200, "manager": 200, "resident_member": 403, "outsider": 200}),
    ("get", "/api/v1/house-meetings/{meeting}/", None, {"operator": 200, "manager": 200, "resident_member": 403, "outsider": 404}),
    ("get", "/api/v1/house-meetings/{other_meeting}/", None, {"operator": 200, "manager": 404, "resident_member": 403, "outsider": 404}),
    ("post", "/api/v1/house-meetings/", {"house": "{house}", "held_at": "{yesterday_evening}", "facilitator_name": "Dave", "attendees": ["{member_resident}"]}, {"operator": 201, "manager": 201, "resident_member": 403, "outsider": 400}),
    ("post", "/api/v1/house-meetings/", {"house": "{other_house}", "held_at": "{yesterday_evening}", "facilitator_name": "Dave", "attendees": ["{neighbour}"]}, {"operator": 201, "manager": 400, "resident_member": 403, "outsider": 400}),
    ("patch", "/api/v1/house-meetings/{meeting}/", {"minutes": "Corrected."}, {"operator": 200, "manager": 200, "resident_member": 403, "outsider": 404}),
    ("patch", "/api/v1/house-meetings/{other_meeting}/", {"minutes": "Corrected."}, {"operator": 200, "manager": 404, "resident_member": 403, "outsider": 404}),
    ("delete", "/api/v1/house-meetings/{meeting}/", None, {"operator": 405, "manager": 405, "resident_member": 405, "outsider": 405}),
    ("get", "/api/v1/recovery-meetings/", None, {"operator": 200, "manager": 200, "resident_member": 200, "outsider": 200}),
    ("get", "/api/v1/recovery-meetings/{attendance}/", None, {"operator": 200, "manager": 200, "resident_member": 200, "outsider": 404}),
    ("get", "/api/v1/recovery-meetings/{other_attendance}/", None, {"operator": 200, "manager": 404, "resident_member": 404, "outsider": 404}),
    ("post", "/api/v1/recovery-meetings/", {"resident": "{member_resident}", "attended_on": "{yesterday}", "meeting_type": "aa"}, {"operator": 201, "manager": 201, "resident_member": 201, "outsider": 400}),
    ("post", "/api/v1/recovery-meetings/", {"resident": "{neighbour}", "attended_on": "{yesterday}", "meeting_type": "aa"}, {"operator": 201, "manager": 400, "resident_member": 400, "outsider": 400}),
    ("post", "/api/v1/recovery-meetings/{attendance}/verify/", None, {"operator": 200, "manager": 200, "resident_member": 403, "outsider": 404}),
    ("post", "/api/v1/recovery-meetings/{other_attendance}/verify/", None, {"operator": 200, "manager": 404, "resident_member": 403, "outsider": 404}),
    ("patch", "/api/v1/recovery-meetings/{attendance}/", {"name": "Changed"}, {"operator": 405, "manager": 405, "resident_member": 405, "outsider": 405}),
    ("delete", "/api/v1/recovery-meetings/{attendance}/", None, {"operator": 405, "manager": 405, "resident_member": 405, "outsider": 405}),
]  # fmt: skip


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(("method", "path", "body", "expected"), MATRIX, ids=[f"{m} {p}" for m, p, _b, _e in MATRIX])
def test_each_role_gets_exactly_its_access(request, api, world, role, method, path, body, expected):
    member = request.getfixturevalue(role)
    response = request_as(api(member), method, path, body, world)
    assert response.status_code == expected[role], response.content


@pytest.mark.parametrize("role", ROLES)
def test_each_list_shows_only_what_each_role_may_see(request, api, world, role):
    member = request.getfixturevalue(role)
    client = api(member)
    attendance = {row["id"] for row in client.get("/api/v1/recovery-meetings/").json()["results"]}
    expected = {
        "operator": {world["attendance"].pk, world["other_attendance"].pk},
        "manager": {world["attendance"].pk},
        "resident_member": {world["attendance"].pk},
        "outsider": set(),
    }[role]
    assert attendance == expected
    meetings = client.get("/api/v1/house-meetings/")
    if role == "resident_member":
        assert meetings.status_code == 403
        return
    expected_meetings = {
        "operator": {world["meeting"].pk, world["other_meeting"].pk},
        "manager": {world["meeting"].pk},
        "outsider": set(),
    }[role]
    assert {row["id"] for row in meetings.json()["results"]} == expected_meetings


def test_an_anonymous_caller_is_refused_everywhere(client, world):
    for path in ["/api/v1/house-meetings/", "/api/v1/recovery-meetings/"]:
        assert client.get(path).status_code in (401, 403)
