"""Every incident and resident-note endpoint, tried by every role, on its own organization's objects and another's.

Incidents and notes are staff records: residents get 403 everywhere, even for incidents they were involved in.
"""

# ruff: noqa: E501 (one row per endpoint reads best as a table)

import pytest

from accounts.models import AuditEntry
from residents.conduct.services import incidents as services
from tests.access import request_as, world_once_per_module
from tests.factories import admit

from .drug_tests_factories import days_ago, moment, record_incident

ROLES = ["operator", "manager", "resident_member", "outsider"]


def _world(organization, house, other_house, foreign_house, operator, manager, resident_member, outsider, **_made):
    mine = resident_member.resident
    neighbour = admit(other_house, on=days_ago(organization, 60), actor=operator).resident
    day = days_ago(organization, 2)
    objects = {
        "resident": mine,
        "other_resident": neighbour,
        "house": house,
        "other_house": other_house,
        "incident": record_incident(operator, house, on=day, residents=[mine]),
        "other_incident": record_incident(operator, other_house, on=day, residents=[neighbour]),
        "note": services.resident_note_add(actor=operator, resident=mine, body="Doing well at work."),
        "other_note": services.resident_note_add(actor=operator, resident=neighbour, body="Missed a meeting."),
    }
    values = {name: obj.pk for name, obj in objects.items()}
    values["when"] = moment(organization, day).isoformat()
    return values


# Made once for the module (tests/access.py): each test gets its own copy, and its writes roll back.
globals().update(
    world_once_per_module(
        _world,
        ["organization", "house", "other_house", "foreign_house", "operator", "manager", "resident_member", "outsider"],
    )
)


NEW_INCIDENT = {"occurred_at": "{when}", "category": "conduct", "severity": "low", "what_happened": "Shouting match."}

MATRIX = [
    ("get", "/api/v1/incidents/", None, {"operator": 200, "manager": 200, "resident_member": 403, "outsider": 200}),
    ("get", "/api/v1/incidents/{incident}/", None, {"operator": 200, "manager": 200, "resident_member": 403, "outsider": 404}),
    ("get", "/api/v1/incidents/{other_incident}/", None, {"operator": 200, "manager": 404, "resident_member": 403, "outsider": 404}),
    ("post", "/api/v1/incidents/", {"house": "{house}", "residents": ["{resident}"], **NEW_INCIDENT}, {"operator": 201, "manager": 201, "resident_member": 403, "outsider": 400}),
    ("post", "/api/v1/incidents/", {"house": "{other_house}", **NEW_INCIDENT}, {"operator": 201, "manager": 400, "resident_member": 403, "outsider": 400}),
    ("patch", "/api/v1/incidents/{incident}/", {"severity": "medium"}, {"operator": 200, "manager": 200, "resident_member": 403, "outsider": 404}),
    ("patch", "/api/v1/incidents/{other_incident}/", {"severity": "medium"}, {"operator": 200, "manager": 404, "resident_member": 403, "outsider": 404}),
    ("delete", "/api/v1/incidents/{incident}/", None, {"operator": 405, "manager": 405, "resident_member": 405, "outsider": 405}),
    ("get", "/api/v1/resident-notes/", None, {"operator": 200, "manager": 200, "resident_member": 403, "outsider": 200}),
    ("get", "/api/v1/resident-notes/{note}/", None, {"operator": 200, "manager": 200, "resident_member": 403, "outsider": 404}),
    ("get", "/api/v1/resident-notes/{other_note}/", None, {"operator": 200, "manager": 404, "resident_member": 403, "outsider": 404}),
    ("post", "/api/v1/resident-notes/", {"resident": "{resident}", "body": "Paid up."}, {"operator": 201, "manager": 201, "resident_member": 403, "outsider": 400}),
    ("post", "/api/v1/resident-notes/", {"resident": "{other_resident}", "body": "Paid up."}, {"operator": 201, "manager": 400, "resident_member": 403, "outsider": 400}),
    ("patch", "/api/v1/resident-notes/{note}/", {"body": "Edited"}, {"operator": 405, "manager": 405, "resident_member": 405, "outsider": 405}),
    ("put", "/api/v1/resident-notes/{note}/", {"body": "Edited"}, {"operator": 405, "manager": 405, "resident_member": 405, "outsider": 405}),
    ("delete", "/api/v1/resident-notes/{note}/", None, {"operator": 405, "manager": 405, "resident_member": 405, "outsider": 405}),
]  # fmt: skip


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(("method", "path", "body", "expected"), MATRIX, ids=[f"{m} {p}" for m, p, _b, _e in MATRIX])
def test_each_role_gets_exactly_its_access(request, api, world, role, method, path, body, expected):
    member = request.getfixturevalue(role)
    response = request_as(api(member), method, path, body, world)
    assert response.status_code == expected[role], response.content


@pytest.mark.parametrize(
    ("role", "expected"),
    [("operator", {"incident", "other_incident"}), ("manager", {"incident"}), ("outsider", set())],
)
def test_the_incident_list_shows_only_what_each_role_may_see(request, api, world, role, expected):
    ids = {row["id"] for row in api(request.getfixturevalue(role)).get("/api/v1/incidents/").json()["results"]}
    assert ids == {world[name] for name in expected}


@pytest.mark.parametrize(
    ("role", "expected"), [("operator", {"note", "other_note"}), ("manager", {"note"}), ("outsider", set())]
)
def test_the_note_list_shows_only_what_each_role_may_see(request, api, world, role, expected):
    ids = {row["id"] for row in api(request.getfixturevalue(role)).get("/api/v1/resident-notes/").json()["results"]}
    assert ids == {world[name] for name in expected}


def test_a_resident_cannot_read_an_incident_they_were_involved_in(api, world, resident_member):
    assert api(resident_member).get(f"/api/v1/incidents/{world['incident']}/").status_code == 403
    assert api(resident_member).get("/api/v1/incidents/").status_code == 403
    assert not AuditEntry.objects.exists()
