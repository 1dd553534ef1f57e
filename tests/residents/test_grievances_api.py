# ruff: noqa: E501
"""Grievances through the API: residents file and follow theirs, operators answer, managers see nothing."""

from datetime import timedelta

import pytest
from django.utils import timezone

from residents.conduct.services import grievances as services
from residents.models import Grievance
from tests.access import fill, request_as

from .rules_factories import file_grievance, resident_with_login

ROLES = ["operator", "manager", "resident_member", "outsider"]


@pytest.fixture
def world(house, other_house, operator, manager, resident_member, outsider):
    neighbour = resident_with_login(operator, house)
    return {
        "own": file_grievance(resident_member, subject="Broken washer"),
        "neighbours": file_grievance(neighbour.membership, subject="Noise at night"),
        "manager": manager,
    }


FILE = {"subject": "Heating is off", "details": "No heat upstairs since Sunday.", "about": "house"}

MATRIX = [
    ("get", "/api/v1/grievances/", None, {"operator": 200, "manager": 403, "resident_member": 200, "outsider": 200}),
    ("get", "/api/v1/grievances/{own}/", None, {"operator": 200, "manager": 403, "resident_member": 200, "outsider": 404}),
    ("get", "/api/v1/grievances/{neighbours}/", None, {"operator": 200, "manager": 403, "resident_member": 404, "outsider": 404}),
    ("post", "/api/v1/grievances/", FILE, {"operator": 403, "manager": 403, "resident_member": 201, "outsider": 403}),
    ("post", "/api/v1/grievances/", {**FILE, "about": "staff", "staff_member": "{manager}"}, {"operator": 403, "manager": 403, "resident_member": 201, "outsider": 403}),
    ("post", "/api/v1/grievances/{own}/respond/", {"response": "On it."}, {"operator": 200, "manager": 403, "resident_member": 403, "outsider": 404}),
    ("post", "/api/v1/grievances/{own}/close/", {"response": "Fixed."}, {"operator": 200, "manager": 403, "resident_member": 403, "outsider": 404}),
    ("patch", "/api/v1/grievances/{own}/", {"subject": "Changed"}, {"operator": 405, "manager": 405, "resident_member": 405, "outsider": 405}),
    ("delete", "/api/v1/grievances/{own}/", None, {"operator": 405, "manager": 405, "resident_member": 405, "outsider": 405}),
]  # fmt: skip


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(("method", "path", "body", "expected"), MATRIX, ids=[f"{m} {p} {b}" for m, p, b, _e in MATRIX])
def test_each_role_gets_exactly_its_access(request, api, world, role, method, path, body, expected):
    member = request.getfixturevalue(role)
    response = request_as(api(member), method, path, body, world)
    assert response.status_code == expected[role], response.content


def test_another_residents_grievance_answers_404(api, world, resident_member):
    response = api(resident_member).get(f"/api/v1/grievances/{world['neighbours'].pk}/")
    assert response.status_code == 404
    assert "Noise" not in response.content.decode()


def test_a_manager_cannot_list_or_read_grievances_even_about_their_own_house(api, world, manager):
    assert api(manager).get("/api/v1/grievances/").status_code == 403
    assert api(manager).get(f"/api/v1/grievances/{world['own'].pk}/").status_code == 403


def test_a_resident_lists_only_their_own_grievances(api, world, resident_member):
    rows = api(resident_member).get("/api/v1/grievances/").json()["results"]
    assert [row["subject"] for row in rows] == ["Broken washer"]


def test_a_resident_sees_the_status_and_the_answer_of_their_grievance(api, world, operator, resident_member):
    api(operator).post(f"/api/v1/grievances/{world['own'].pk}/respond/", {"response": "Repair booked Monday."})
    body = api(resident_member).get(f"/api/v1/grievances/{world['own'].pk}/").json()
    assert body["status"] == "responded"
    assert body["response"] == "Repair booked Monday."
    assert body["responded_at"] is not None
    assert "resident" not in body


def test_the_operator_sees_who_filed_and_who_answered(api, world, operator):
    api(operator).post(f"/api/v1/grievances/{world['own'].pk}/close/", {"response": "Fixed."})
    body = api(operator).get(f"/api/v1/grievances/{world['own'].pk}/").json()
    assert body["resident_name"] == world["own"].resident.display_name
    assert body["responded_by"] == operator.user.full_name
    assert body["closed_by"] == operator.user.full_name
    assert body["status"] == "closed"


def test_a_filed_grievance_belongs_to_the_resident_and_their_house(api, world, resident_member, house):
    response = api(resident_member).post("/api/v1/grievances/", FILE, format="json")
    grievance = Grievance.objects.get(pk=response.json()["id"])
    assert (grievance.resident, grievance.house) == (resident_member.resident, house)


def test_operators_filter_grievances_by_status_house_and_dates(api, world, operator, house, other_house):
    services.grievance_respond(actor=operator, grievance=world["neighbours"], response="Spoke to the house.")
    Grievance.objects.filter(pk=world["own"].pk).update(filed_at=timezone.now() - timedelta(days=40))
    client = api(operator)
    subjects = lambda query: [r["subject"] for r in client.get("/api/v1/grievances/?" + query).json()["results"]]  # noqa: E731
    assert subjects("status=open") == ["Broken washer"]
    assert subjects("status=responded") == ["Noise at night"]
    assert subjects(f"house={house.pk}&ordering=filed_at") == ["Broken washer", "Noise at night"]
    assert subjects(f"house={other_house.pk}") == []
    ten_days_ago = (operator.organization.today() - timedelta(days=10)).isoformat()
    assert subjects(f"filed_after={ten_days_ago}") == ["Noise at night"]
    assert subjects(f"filed_before={ten_days_ago}") == ["Broken washer"]
    assert subjects("search=washer") == ["Broken washer"]


# Bad input


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({**FILE, "subject": ""}, "subject"),
        ({**FILE, "details": "  "}, "details"),
        ({**FILE, "about": "weather"}, "about"),
        ({"subject": "x", "details": "y"}, "about"),
        ({**FILE, "staff_member": "{manager}"}, "staff_member"),
        ({**FILE, "about": "staff", "staff_member": 999999}, "staff_member"),
        ({**FILE, "status": "closed"}, "status"),
    ],
)
def test_a_bad_grievance_is_a_400_naming_the_field(api, world, resident_member, body, field):
    before = Grievance.objects.count()
    response = api(resident_member).post("/api/v1/grievances/", fill(body, world), format="json")
    assert response.status_code == 400
    assert field in response.json()
    assert Grievance.objects.count() == before


def test_naming_a_resident_as_staff_is_refused(api, world, operator, resident_member):
    neighbour = world["neighbours"].resident.membership
    body = {**FILE, "about": "staff", "staff_member": neighbour.pk}
    response = api(resident_member).post("/api/v1/grievances/", body, format="json")
    assert response.status_code == 400
    assert "staff_member" in response.json()


def test_responding_to_a_closed_grievance_is_a_409_naming_status(api, world, operator):
    url = f"/api/v1/grievances/{world['own'].pk}/"
    api(operator).post(url + "respond/", {"response": "Done.", "close": True}, format="json")
    response = api(operator).post(url + "respond/", {"response": "Again."}, format="json")
    assert response.status_code == 409
    assert "status" in response.json()
    world["own"].refresh_from_db()
    assert world["own"].response == "Done."


@pytest.mark.parametrize(
    ("action", "body", "field"),
    [
        ("respond", {}, "response"),
        ("respond", {"response": ""}, "response"),
        ("respond", {"response": "ok", "close": "sometimes"}, "close"),
        ("close", {}, "response"),
        ("close", {"response": "   "}, "response"),
        ("respond", {"response": "ok", "mood": "calm"}, "mood"),
    ],
)
def test_a_bad_answer_is_a_400_naming_the_field(api, world, operator, action, body, field):
    response = api(operator).post(f"/api/v1/grievances/{world['own'].pk}/{action}/", body, format="json")
    assert response.status_code == 400
    assert field in response.json()
    world["own"].refresh_from_db()
    assert (world["own"].status, world["own"].response) == ("open", "")


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("status=lost", "status"),
        ("filed_after=soon", "filed_after"),
        ("ordering=details", "ordering"),
        ("mood=1", "mood"),
    ],
)
def test_a_bad_grievance_filter_is_a_400_naming_it(api, world, operator, query, field):
    response = api(operator).get("/api/v1/grievances/?" + query)
    assert response.status_code == 400
    assert field in response.json()


# Constant queries


def _grow(operator, house, size):
    for number in range(size):
        resident = resident_with_login(operator, house)
        grievance = file_grievance(resident.membership, subject=f"Grievance {number}")
        if number % 2:
            services.grievance_respond(actor=operator, grievance=grievance, response="Answered.", close=True)
        file_grievance(resident.membership, about="staff", staff_member=operator)


@pytest.mark.parametrize("role", ["operator", "resident_member"])
def test_the_grievance_list_runs_a_constant_number_of_queries(
    request, api, world, operator, house, role, django_assert_max_num_queries
):
    member = request.getfixturevalue(role)
    client = api(member)
    _grow(operator, house, 1)
    with django_assert_max_num_queries(8) as small:
        assert client.get("/api/v1/grievances/?page_size=200").status_code == 200
    _grow(operator, house, 2)
    for number in range(5):
        file_grievance(
            member if role == "resident_member" else world["own"].resident.membership, subject=f"More {number}"
        )
    with django_assert_max_num_queries(len(small.captured_queries)):
        response = client.get("/api/v1/grievances/?page_size=200")
    assert response.status_code == 200
    assert response.json()["count"] >= 6
