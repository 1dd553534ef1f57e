"""Residents, stays, applications, bed board and waitlist, tried by every role on its own and another organization."""

from datetime import date

import pytest

from residents.core.services.applications import application_create
from residents.core.services.stays import stay_admit
from tests.access import world_once_per_module
from tests.factories import ResidentFactory

ROLES = ["operator", "manager", "resident_member", "outsider"]


def _world(house, other_house, operator, manager, resident_member, outsider, **_made):
    def resident_factory(**fields):
        return ResidentFactory(organization=house.organization, **fields)

    neighbour = resident_factory(legal_first_name="Neighbour")
    stay_admit(actor=operator, resident=neighbour, bed=house.beds.last(), on=date(2026, 2, 1))
    elsewhere = resident_factory(legal_first_name="Elsewhere")
    stay_admit(actor=operator, resident=elsewhere, bed=other_house.beds.first(), on=date(2026, 2, 1))
    own = resident_member.resident
    return {
        "house": house,
        "other_house": other_house,
        "own_resident": own,
        "own_stay": own.stays.get(),
        "neighbour": neighbour,
        "neighbour_stay": neighbour.stays.get(),
        "elsewhere": elsewhere,
        "elsewhere_stay": elsewhere.stays.get(),
        "application": application_create(
            actor=operator,
            first_name="Ada",
            last_name="Lane",
            phone="1",
            applied_on=date(2026, 2, 2),
            preferred_house=house,
        ),
        "other_application": application_create(
            actor=operator,
            first_name="Bo",
            last_name="Ray",
            phone="1",
            applied_on=date(2026, 2, 2),
            preferred_house=other_house,
        ),
    }


# Made once for the module (tests/access.py): each test gets its own copy, and its writes roll back.
globals().update(
    world_once_per_module(_world, ["house", "other_house", "operator", "manager", "resident_member", "outsider"])
)


MATRIX = [
    ("get", "/api/v1/residents/{own_resident}/", None, {"operator": 200, "manager": 200, "resident_member": 200, "outsider": 404}),
    ("get", "/api/v1/residents/{neighbour}/", None, {"operator": 200, "manager": 200, "resident_member": 404, "outsider": 404}),
    ("get", "/api/v1/residents/{elsewhere}/", None, {"operator": 200, "manager": 404, "resident_member": 404, "outsider": 404}),
    ("patch", "/api/v1/residents/{neighbour}/", {"phone": "555"}, {"operator": 200, "manager": 200, "resident_member": 403, "outsider": 404}),
    ("patch", "/api/v1/residents/{elsewhere}/", {"phone": "555"}, {"operator": 200, "manager": 404, "resident_member": 403, "outsider": 404}),
    ("post", "/api/v1/residents/", {"legal_first_name": "N", "legal_last_name": "W"}, {"operator": 201, "manager": 201, "resident_member": 403, "outsider": 201}),
    ("get", "/api/v1/stays/{own_stay}/", None, {"operator": 200, "manager": 200, "resident_member": 200, "outsider": 404}),
    ("get", "/api/v1/stays/{neighbour_stay}/", None, {"operator": 200, "manager": 200, "resident_member": 404, "outsider": 404}),
    ("get", "/api/v1/stays/{elsewhere_stay}/", None, {"operator": 200, "manager": 404, "resident_member": 404, "outsider": 404}),
    ("post", "/api/v1/stays/{elsewhere_stay}/discharge/", {"on": "2026-03-01", "reason": "voluntary"}, {"operator": 200, "manager": 404, "resident_member": 403, "outsider": 404}),
    ("post", "/api/v1/stays/{neighbour_stay}/transfer/", {"bed": "{free_bed}", "on": "2026-03-01"}, {"operator": 200, "manager": 200, "resident_member": 403, "outsider": 404}),
    ("get", "/api/v1/applications/{application}/", None, {"operator": 200, "manager": 200, "resident_member": 403, "outsider": 404}),
    ("get", "/api/v1/applications/{other_application}/", None, {"operator": 200, "manager": 404, "resident_member": 403, "outsider": 404}),
    ("post", "/api/v1/applications/{application}/move/", {"status": "screening"}, {"operator": 200, "manager": 200, "resident_member": 403, "outsider": 404}),
    ("get", "/api/v1/houses/{house}/bed-board/", None, {"operator": 200, "manager": 200, "resident_member": 403, "outsider": 404}),
    ("get", "/api/v1/houses/{other_house}/bed-board/", None, {"operator": 200, "manager": 404, "resident_member": 403, "outsider": 404}),
    ("get", "/api/v1/houses/{house}/waitlist/", None, {"operator": 200, "manager": 200, "resident_member": 403, "outsider": 404}),
    ("get", "/api/v1/houses/{other_house}/waitlist/", None, {"operator": 200, "manager": 404, "resident_member": 403, "outsider": 404}),
]  # fmt: skip


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(("method", "path", "body", "expected"), MATRIX, ids=[f"{m} {p}" for m, p, _b, _e in MATRIX])
def test_each_role_gets_exactly_its_access(request, api, world, house, role, method, path, body, expected):
    member = request.getfixturevalue(role)
    ids = {name: obj.pk for name, obj in world.items()}
    ids["free_bed"] = house.beds.order_by("pk")[1].pk
    url = path.format(**ids)
    if body:
        body = {key: ids[value[1:-1]] if str(value).startswith("{") else value for key, value in body.items()}
    response = getattr(api(member), method)(url, body, format="json")
    assert response.status_code == expected[role], response.content
