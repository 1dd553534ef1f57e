# ruff: noqa: E501
"""Every house-rule endpoint, tried by every role, on its own organization's objects and on another's.

Roles: the operator; a manager who runs ``house`` but not ``other_house``; a resident living in ``house``;
an operator of another organization (``outsider``). A forbidden object answers 404, as if it did not exist.
"""

from datetime import date

import pytest

from residents.models import HouseRule
from tests.access import request_as, world_once_per_module
from tests.factories import admit

from .rules_factories import current_set, house_rule, publish_defaults, sign

ROLES = ["operator", "manager", "resident_member", "outsider"]


def _world(house, other_house, foreign_house, operator, manager, resident_member, outsider, **_made):
    default = publish_defaults(operator)[0]
    resident = resident_member.resident
    own_old_ack = sign(resident, house)  # version 1, then the house's rules change
    own_rule = house_rule(manager, house)
    other_rule = house_rule(operator, other_house)
    neighbour = admit(house, on=date(2026, 1, 10), actor=operator).resident
    neighbour_ack = sign(neighbour, house)
    publish_defaults(outsider, note="Elsewhere's rules")
    return {
        "default": default,
        "house_rule": own_rule,
        "other_house_rule": other_rule,
        "house": house,
        "other_house": other_house,
        "house_set": current_set(house),
        "other_house_set": current_set(other_house),
        "own_ack": own_old_ack,
        "neighbour_ack": neighbour_ack,
        "signature": resident.legal_name,
    }


# Made once for the module (tests/access.py): each test gets its own copy, and its writes roll back.
globals().update(
    world_once_per_module(
        _world, ["house", "other_house", "foreign_house", "operator", "manager", "resident_member", "outsider"]
    )
)


NEW_RULE = {"category": "guests", "text": "Guests leave by 9 pm.", "consequence": "Guest privileges paused."}

# (method, path template, body, expected status per role)
MATRIX = [
    ("get", "/api/v1/house-rules/", None, {"operator": 200, "manager": 200, "resident_member": 403, "outsider": 200}),
    ("get", "/api/v1/house-rules/{default}/", None, {"operator": 200, "manager": 200, "resident_member": 403, "outsider": 404}),
    ("get", "/api/v1/house-rules/{other_house_rule}/", None, {"operator": 200, "manager": 404, "resident_member": 403, "outsider": 404}),
    ("post", "/api/v1/house-rules/", {**NEW_RULE, "house": None}, {"operator": 201, "manager": 403, "resident_member": 403, "outsider": 201}),
    ("post", "/api/v1/house-rules/", {**NEW_RULE, "house": "{house}"}, {"operator": 201, "manager": 201, "resident_member": 403, "outsider": 400}),
    ("post", "/api/v1/house-rules/", {**NEW_RULE, "house": "{other_house}"}, {"operator": 201, "manager": 400, "resident_member": 403, "outsider": 400}),
    ("post", "/api/v1/house-rules/", {**NEW_RULE, "house": "{house}", "overrides": "{default}"}, {"operator": 201, "manager": 201, "resident_member": 403, "outsider": 400}),
    ("patch", "/api/v1/house-rules/{default}/", {"text": "Changed"}, {"operator": 200, "manager": 403, "resident_member": 403, "outsider": 404}),
    ("patch", "/api/v1/house-rules/{house_rule}/", {"text": "Changed"}, {"operator": 200, "manager": 200, "resident_member": 403, "outsider": 404}),
    ("patch", "/api/v1/house-rules/{other_house_rule}/", {"text": "Changed"}, {"operator": 200, "manager": 404, "resident_member": 403, "outsider": 404}),
    ("put", "/api/v1/house-rules/{house_rule}/", NEW_RULE, {"operator": 405, "manager": 405, "resident_member": 405, "outsider": 405}),
    ("delete", "/api/v1/house-rules/{default}/", None, {"operator": 204, "manager": 403, "resident_member": 403, "outsider": 404}),
    ("delete", "/api/v1/house-rules/{house_rule}/", None, {"operator": 204, "manager": 204, "resident_member": 403, "outsider": 404}),
    ("get", "/api/v1/rule-sets/", None, {"operator": 200, "manager": 200, "resident_member": 200, "outsider": 200}),
    ("get", "/api/v1/rule-sets/{house_set}/", None, {"operator": 200, "manager": 200, "resident_member": 200, "outsider": 404}),
    ("get", "/api/v1/rule-sets/{other_house_set}/", None, {"operator": 200, "manager": 404, "resident_member": 404, "outsider": 404}),
    ("post", "/api/v1/rule-sets/publish/", {"changes": [{**NEW_RULE, "house": "{house}"}]}, {"operator": 201, "manager": 201, "resident_member": 403, "outsider": 400}),
    ("post", "/api/v1/rule-sets/publish/", {"changes": [NEW_RULE]}, {"operator": 201, "manager": 403, "resident_member": 403, "outsider": 201}),
    ("post", "/api/v1/rule-sets/publish/", {"changes": [{"rule": "{default}", "retire": True}]}, {"operator": 201, "manager": 403, "resident_member": 403, "outsider": 400}),
    ("get", "/api/v1/houses/{house}/rule-set/", None, {"operator": 200, "manager": 200, "resident_member": 200, "outsider": 404}),
    ("get", "/api/v1/houses/{other_house}/rule-set/", None, {"operator": 200, "manager": 404, "resident_member": 404, "outsider": 404}),
    ("get", "/api/v1/houses/{house}/rule-set/unsigned/", None, {"operator": 200, "manager": 200, "resident_member": 403, "outsider": 404}),
    ("get", "/api/v1/houses/{other_house}/rule-set/unsigned/", None, {"operator": 200, "manager": 404, "resident_member": 403, "outsider": 404}),
    ("get", "/api/v1/rule-acknowledgements/", None, {"operator": 200, "manager": 200, "resident_member": 200, "outsider": 200}),
    ("get", "/api/v1/rule-acknowledgements/{own_ack}/", None, {"operator": 200, "manager": 200, "resident_member": 200, "outsider": 404}),
    ("get", "/api/v1/rule-acknowledgements/{neighbour_ack}/", None, {"operator": 200, "manager": 200, "resident_member": 404, "outsider": 404}),
    ("post", "/api/v1/rule-acknowledgements/", {"rule_set": "{house_set}", "signature": "{signature}"}, {"operator": 403, "manager": 403, "resident_member": 201, "outsider": 403}),
    ("post", "/api/v1/rule-acknowledgements/", {"rule_set": "{other_house_set}", "signature": "{signature}"}, {"operator": 403, "manager": 403, "resident_member": 400, "outsider": 403}),
    ("delete", "/api/v1/rule-acknowledgements/{own_ack}/", None, {"operator": 405, "manager": 405, "resident_member": 405, "outsider": 405}),
]  # fmt: skip


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(("method", "path", "body", "expected"), MATRIX, ids=[f"{m} {p} {b}" for m, p, b, _e in MATRIX])
def test_each_role_gets_exactly_its_access(request, api, world, role, method, path, body, expected):
    member = request.getfixturevalue(role)
    response = request_as(api(member), method, path, body, world)
    assert response.status_code == expected[role], response.content


@pytest.mark.parametrize("role", ROLES)
def test_the_rule_list_shows_only_what_each_role_may_see(request, api, world, role):
    member = request.getfixturevalue(role)
    response = api(member).get("/api/v1/house-rules/?page_size=200")
    if role == "resident_member":
        assert response.status_code == 403
        return
    houses = {row["house_name"] for row in response.json()["results"]}
    expected = {
        "operator": {None, "Maple House", "Willow House"},
        "manager": {None, "Maple House"},
        "outsider": {None},
    }[role]
    assert houses == expected


@pytest.mark.parametrize("role", ROLES)
def test_the_rule_set_list_shows_only_the_houses_each_role_may_see(request, api, world, role):
    member = request.getfixturevalue(role)
    rows = api(member).get("/api/v1/rule-sets/?page_size=200").json()["results"]
    expected = {
        "operator": {"Maple House", "Willow House"},
        "manager": {"Maple House"},
        "resident_member": {"Maple House"},
        "outsider": {"Aspen House"},
    }[role]
    assert {row["house_name"] for row in rows} == expected


@pytest.mark.parametrize("role", ROLES)
def test_the_signature_list_shows_only_what_each_role_may_see(request, api, world, role):
    member = request.getfixturevalue(role)
    ids = {row["id"] for row in api(member).get("/api/v1/rule-acknowledgements/").json()["results"]}
    expected = {
        "operator": {world["own_ack"].pk, world["neighbour_ack"].pk},
        "manager": {world["own_ack"].pk, world["neighbour_ack"].pk},
        "resident_member": {world["own_ack"].pk},
        "outsider": set(),
    }[role]
    assert ids == expected


def test_a_manager_sees_the_defaults_that_apply_in_their_houses(api, world, manager):
    response = api(manager).get(f"/api/v1/house-rules/{world['default'].pk}/")
    assert response.json()["organization_wide"] is True


def test_a_resident_cannot_read_an_unpublished_rule_directly(api, world, resident_member):
    assert api(resident_member).get(f"/api/v1/house-rules/{world['house_rule'].pk}/").status_code == 403


def test_an_anonymous_caller_is_refused_everywhere(client, world):
    house = world["house"].pk
    for path in ["/api/v1/house-rules/", "/api/v1/rule-sets/", "/api/v1/rule-acknowledgements/",
                 f"/api/v1/houses/{house}/rule-set/", f"/api/v1/houses/{house}/rule-set/unsigned/"]:  # fmt: skip
        assert client.get(path).status_code in (401, 403)


def test_the_outsider_cannot_override_another_organizations_default(api, world, outsider):
    aspen = outsider.organization.houses.get()
    body = {**NEW_RULE, "house": aspen.pk, "overrides": world["default"].pk}
    response = api(outsider).post("/api/v1/house-rules/", body, format="json")
    assert response.status_code == 400
    assert "overrides" in response.json()
    assert not HouseRule.objects.filter(house=aspen).exists()
