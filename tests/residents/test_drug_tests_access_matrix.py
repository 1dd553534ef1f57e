"""Every drug-test endpoint, tried by every role, on its own organization's objects and on another's.

Roles: the operator; a manager who runs ``house`` but not ``other_house``; a resident living in ``house``;
an operator of another organization (``outsider``). A forbidden object answers 404, as if it did not exist.
"""

# ruff: noqa: E501 (one row per endpoint reads best as a table)

from datetime import timedelta

import pytest

from residents.models import DrugTestPolicy, TestRequest
from tests.access import request_as, world_once_per_module
from tests.factories import admit

from .drug_tests_factories import draw, moment, record_test, request_test, this_monday

ROLES = ["operator", "manager", "resident_member", "outsider"]


def _world(organization, house, other_house, foreign_house, operator, manager, resident_member, outsider, **_made):
    today = organization.today()
    yesterday = today - timedelta(days=1)
    mine = resident_member.resident
    neighbour = admit(other_house, on=today - timedelta(days=60), actor=operator).resident
    last_monday = this_monday(organization) - timedelta(days=7)
    objects = {
        "resident": mine,
        "other_resident": neighbour,
        "house": house,
        "other_house": other_house,
        "test": record_test(operator, mine, on=yesterday),
        "other_test": record_test(operator, neighbour, on=yesterday),
        "pending": record_test(operator, mine, on=yesterday, method="lab_urine", result="pending_lab"),
        "request": request_test(operator, mine, due_on=today + timedelta(days=5)),
        "other_request": request_test(operator, neighbour, due_on=today + timedelta(days=5)),
        "draw": draw(operator, house, week_start=last_monday - timedelta(days=7)),
        "other_draw": draw(operator, other_house, week_start=last_monday - timedelta(days=7)),
        "other_policy": DrugTestPolicy.objects.create(organization=organization, house=other_house),
    }
    values = {name: obj.pk for name, obj in objects.items()}
    values["yesterday_at"] = moment(organization, yesterday).isoformat()
    values["week"] = last_monday.isoformat()
    values["due"] = (today + timedelta(days=3)).isoformat()
    return values


# Made once for the module (tests/access.py): each test gets its own copy, and its writes roll back.
globals().update(
    world_once_per_module(
        _world,
        ["organization", "house", "other_house", "foreign_house", "operator", "manager", "resident_member", "outsider"],
    )
)


NEW_TEST = {
    "collected_at": "{yesterday_at}",
    "method": "urine_cup",
    "reason": "random",
    "panel": ["thc"],
    "result": "negative",
}

# (method, path template, body, expected status per role)
MATRIX = [
    ("get", "/api/v1/drug-tests/", None, {"operator": 200, "manager": 200, "resident_member": 200, "outsider": 200}),
    ("get", "/api/v1/drug-tests/{test}/", None, {"operator": 200, "manager": 200, "resident_member": 200, "outsider": 404}),
    ("get", "/api/v1/drug-tests/{other_test}/", None, {"operator": 200, "manager": 404, "resident_member": 404, "outsider": 404}),
    ("post", "/api/v1/drug-tests/", {"resident": "{resident}", **NEW_TEST}, {"operator": 201, "manager": 201, "resident_member": 403, "outsider": 400}),
    ("post", "/api/v1/drug-tests/", {"resident": "{other_resident}", **NEW_TEST}, {"operator": 201, "manager": 400, "resident_member": 403, "outsider": 400}),
    ("patch", "/api/v1/drug-tests/{test}/", {"notes": "Observed"}, {"operator": 200, "manager": 200, "resident_member": 403, "outsider": 404}),
    ("patch", "/api/v1/drug-tests/{other_test}/", {"notes": "Observed"}, {"operator": 200, "manager": 404, "resident_member": 403, "outsider": 404}),
    ("post", "/api/v1/drug-tests/{pending}/complete/", {"result": "negative"}, {"operator": 200, "manager": 200, "resident_member": 403, "outsider": 404}),
    ("put", "/api/v1/drug-tests/{test}/", {"notes": "x"}, {"operator": 405, "manager": 405, "resident_member": 405, "outsider": 405}),
    ("delete", "/api/v1/drug-tests/{test}/", None, {"operator": 405, "manager": 405, "resident_member": 405, "outsider": 405}),
    ("get", "/api/v1/test-requests/", None, {"operator": 200, "manager": 200, "resident_member": 200, "outsider": 200}),
    ("get", "/api/v1/test-requests/{request}/", None, {"operator": 200, "manager": 200, "resident_member": 200, "outsider": 404}),
    ("get", "/api/v1/test-requests/{other_request}/", None, {"operator": 200, "manager": 404, "resident_member": 404, "outsider": 404}),
    ("post", "/api/v1/test-requests/", {"resident": "{resident}", "reason": "for_cause", "due_on": "{due}"}, {"operator": 201, "manager": 201, "resident_member": 403, "outsider": 400}),
    ("post", "/api/v1/test-requests/", {"resident": "{other_resident}", "reason": "for_cause", "due_on": "{due}"}, {"operator": 201, "manager": 400, "resident_member": 403, "outsider": 400}),
    ("post", "/api/v1/test-requests/{request}/cancel/", {"reason": "Duplicate"}, {"operator": 200, "manager": 200, "resident_member": 403, "outsider": 404}),
    ("post", "/api/v1/test-requests/{other_request}/cancel/", {"reason": "Duplicate"}, {"operator": 200, "manager": 404, "resident_member": 403, "outsider": 404}),
    ("get", "/api/v1/test-requests/overdue/", None, {"operator": 200, "manager": 200, "resident_member": 403, "outsider": 200}),
    ("delete", "/api/v1/test-requests/{request}/", None, {"operator": 405, "manager": 405, "resident_member": 405, "outsider": 405}),
    ("get", "/api/v1/drug-test-draws/", None, {"operator": 200, "manager": 200, "resident_member": 403, "outsider": 200}),
    ("get", "/api/v1/drug-test-draws/{draw}/", None, {"operator": 200, "manager": 200, "resident_member": 403, "outsider": 404}),
    ("get", "/api/v1/drug-test-draws/{other_draw}/", None, {"operator": 200, "manager": 404, "resident_member": 403, "outsider": 404}),
    ("get", "/api/v1/drug-test-draws/{draw}/replay/", None, {"operator": 200, "manager": 200, "resident_member": 403, "outsider": 404}),
    ("post", "/api/v1/drug-test-draws/", {"house": "{house}", "week_start": "{week}"}, {"operator": 201, "manager": 201, "resident_member": 403, "outsider": 400}),
    ("post", "/api/v1/drug-test-draws/", {"house": "{other_house}", "week_start": "{week}"}, {"operator": 201, "manager": 400, "resident_member": 403, "outsider": 400}),
    ("delete", "/api/v1/drug-test-draws/{draw}/", None, {"operator": 405, "manager": 405, "resident_member": 405, "outsider": 405}),
    ("get", "/api/v1/drug-test-policies/", None, {"operator": 200, "manager": 200, "resident_member": 403, "outsider": 200}),
    ("get", "/api/v1/drug-test-policies/{other_policy}/", None, {"operator": 200, "manager": 404, "resident_member": 403, "outsider": 404}),
    ("post", "/api/v1/drug-test-policies/", {"house": "{house}", "percentage": 30}, {"operator": 201, "manager": 403, "resident_member": 403, "outsider": 400}),
    ("patch", "/api/v1/drug-test-policies/{other_policy}/", {"percentage": 30}, {"operator": 200, "manager": 403, "resident_member": 403, "outsider": 404}),
    ("delete", "/api/v1/drug-test-policies/{other_policy}/", None, {"operator": 405, "manager": 405, "resident_member": 405, "outsider": 405}),
]  # fmt: skip


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(("method", "path", "body", "expected"), MATRIX, ids=[f"{m} {p}" for m, p, _b, _e in MATRIX])
def test_each_role_gets_exactly_its_access(request, api, world, role, method, path, body, expected):
    member = request.getfixturevalue(role)
    response = request_as(api(member), method, path, body, world)
    assert response.status_code == expected[role], response.content


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        ("operator", {"test", "other_test", "pending"}),
        ("manager", {"test", "pending"}),
        ("resident_member", {"test", "pending"}),
        ("outsider", set()),
    ],
)
def test_the_drug_test_list_shows_only_what_each_role_may_see(request, api, world, role, expected):
    member = request.getfixturevalue(role)
    ids = {row["id"] for row in api(member).get("/api/v1/drug-tests/").json()["results"]}
    assert ids == {world[name] for name in expected}


@pytest.mark.parametrize("role", ROLES)
def test_the_request_list_shows_only_what_each_role_may_see(request, api, world, role, house, resident_member):
    member = request.getfixturevalue(role)
    ids = {row["id"] for row in api(member).get("/api/v1/test-requests/").json()["results"]}
    ours = TestRequest.objects.filter(organization=house.organization)  # the world's draws add requests too
    expected = {
        "operator": ours,
        "manager": ours.filter(house=house),
        "resident_member": ours.filter(resident__membership=resident_member),
        "outsider": ours.none(),
    }[role]
    assert ids == set(expected.values_list("pk", flat=True))
    assert (world["request"] in ids) == (role != "outsider")
    assert (world["other_request"] in ids) == (role == "operator")


def test_a_resident_sees_their_results_without_staff_notes(api, world, resident_member):
    body = api(resident_member).get(f"/api/v1/drug-tests/{world['test']}/").json()
    assert body["result"] == "negative"
    assert body["panel"]
    assert "notes" not in body
    assert "collected_by" not in body


@pytest.mark.parametrize("name", ["other_test", "other_request"])
def test_a_resident_guessing_another_residents_id_finds_nothing(api, world, resident_member, name):
    path = "drug-tests" if name.endswith("test") else "test-requests"
    for pk in [world[name], world[name] + 1000, 0]:
        assert api(resident_member).get(f"/api/v1/{path}/{pk}/").status_code == 404


def test_a_resident_filtering_by_another_resident_is_told_no_such_resident(api, world, resident_member):
    response = api(resident_member).get(f"/api/v1/drug-tests/?resident={world['other_resident']}")
    assert response.status_code == 400
    assert list(response.json()) == ["resident"]


def test_an_anonymous_caller_is_refused_everywhere(client, world):
    for path in ["/api/v1/drug-tests/", "/api/v1/test-requests/", "/api/v1/drug-test-draws/",
                 "/api/v1/drug-test-policies/", f"/api/v1/drug-tests/{world['test']}/"]:  # fmt: skip
        assert client.get(path).status_code in (401, 403)
