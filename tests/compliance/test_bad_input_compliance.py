"""Bad input to the certification endpoints: a 4xx JSON answer naming the field, and nothing written."""

from datetime import timedelta

import pytest
from django.utils import timezone

from compliance.models import CorrectiveAction, Drill, Inspection, InspectionLine
from compliance.services import inspections as inspection_services


@pytest.fixture
def client(api, manager):
    return api(manager)


@pytest.fixture
def inspection(manager, house):
    return inspection_services.inspection_start(actor=manager, house=house)


def test_an_inspection_of_a_house_the_manager_cannot_see_is_a_400_naming_house(client, other_house):
    response = client.post("/api/v1/inspections/start/", {"house": other_house.pk}, format="json")
    assert response.status_code == 400
    assert "house" in response.json()
    assert not Inspection.objects.exists()


def test_an_inspection_dated_in_the_future_is_named(client, house, today):
    response = client.post(
        "/api/v1/inspections/start/", {"house": house.pk, "inspected_on": str(today + timedelta(days=2))}, format="json"
    )
    assert response.status_code == 400
    assert "inspected_on" in response.json()
    assert not Inspection.objects.exists()


def test_a_second_inspection_in_progress_is_a_409_naming_house(client, house, inspection):
    response = client.post("/api/v1/inspections/start/", {"house": house.pk}, format="json")
    assert response.status_code == 409
    assert "house" in response.json()
    assert Inspection.objects.count() == 1


def test_completing_with_unanswered_lines_is_a_400_naming_lines(client, inspection):
    response = client.post(f"/api/v1/inspections/{inspection.pk}/complete/", {}, format="json")
    assert response.status_code == 400
    assert "lines" in response.json()
    inspection.refresh_from_db()
    assert inspection.status == "in_progress"


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"result": "maybe"}, "result"),
        ({"result": "fail", "note": ""}, "note"),
        ({"result": "fail", "note": "x", "due_on": "2020-01-01"}, "due_on"),
        ({"result": "pass", "quantity": 2}, "quantity"),
        ({"result": "pass", "mood": "fine"}, "mood"),
    ],
    ids=["unknown-result", "fail-without-note", "due-before-inspection", "fact-on-wrong-line", "unknown-field"],
)
def test_bad_line_answers_are_named_and_change_nothing(client, inspection, body, field):
    line = inspection.lines.get(item="exits_clear")
    response = client.post(f"/api/v1/inspection-lines/{line.pk}/record/", body, format="json")
    assert response.status_code == 400
    assert field in response.json(), response.json()
    line.refresh_from_db()
    assert line.result == ""
    assert not CorrectiveAction.objects.exists()


def test_a_failed_line_through_the_api_opens_its_corrective_action(client, inspection, today):
    line = inspection.lines.get(item="exits_clear")
    response = client.post(
        f"/api/v1/inspection-lines/{line.pk}/record/", {"result": "fail", "note": "Bikes"}, format="json"
    )
    assert response.status_code == 200
    assert response.json()["result"] == "fail"
    assert CorrectiveAction.objects.get(line=line).due_on == today + timedelta(days=7)


def test_a_fix_without_a_note_is_named(client, inspection):
    line = inspection.lines.get(item="exits_clear")
    client.post(f"/api/v1/inspection-lines/{line.pk}/record/", {"result": "fail", "note": "Bikes"}, format="json")
    action = CorrectiveAction.objects.get(line=line)
    response = client.post(f"/api/v1/corrective-actions/{action.pk}/fix/", {}, format="json")
    assert response.status_code == 400
    assert "note" in response.json()
    action.refresh_from_db()
    assert action.is_open


def test_fixing_twice_is_a_409(client, inspection):
    line = inspection.lines.get(item="exits_clear")
    client.post(f"/api/v1/inspection-lines/{line.pk}/record/", {"result": "fail", "note": "Bikes"}, format="json")
    action = CorrectiveAction.objects.get(line=line)
    assert (
        client.post(f"/api/v1/corrective-actions/{action.pk}/fix/", {"note": "Moved"}, format="json").status_code == 200
    )
    assert (
        client.post(f"/api/v1/corrective-actions/{action.pk}/fix/", {"note": "Again"}, format="json").status_code == 409
    )


def _drill(**overrides):
    body = {
        "held_at": (timezone.now() - timedelta(hours=1)).isoformat(), "residents_present": 6,
        "evacuation_minutes": "2.5",
    }  # fmt: skip
    body.update(overrides)
    return body


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"held_at": (timezone.now() + timedelta(days=1)).isoformat()}, "held_at"),
        ({"evacuation_minutes": "0"}, "evacuation_minutes"),
        ({"evacuation_minutes": "-2"}, "evacuation_minutes"),
        ({"residents_present": -1}, "residents_present"),
        ({"held_at": "yesterday"}, "held_at"),
        ({"kind": "earthquake"}, "kind"),
    ],
    ids=["future", "zero-minutes", "negative-minutes", "negative-residents", "bad-time", "bad-kind"],
)
def test_bad_drills_are_named_and_not_stored(client, house, overrides, field):
    response = client.post("/api/v1/drills/", {"house": house.pk, **_drill(**overrides)}, format="json")
    assert response.status_code == 400
    assert field in response.json(), response.json()
    assert not Drill.objects.exists()


def test_a_drill_for_a_house_the_manager_cannot_see_is_named(client, other_house):
    response = client.post("/api/v1/drills/", {"house": other_house.pk, **_drill()}, format="json")
    assert response.status_code == 400
    assert "house" in response.json()
    assert not Drill.objects.exists()


@pytest.mark.parametrize(
    "query",
    ["status=done", "overdue=perhaps", "due_before=someday", "colour=red", "ordering=password"],
)
def test_bad_corrective_action_filters_are_named(client, query):
    response = client.get(f"/api/v1/corrective-actions/?{query}")
    assert response.status_code == 400
    assert query.split("=")[0] in response.json()


def test_line_filters_work(client, inspection):
    line = inspection.lines.get(item="exits_clear")
    client.post(f"/api/v1/inspection-lines/{line.pk}/record/", {"result": "fail", "note": "Bikes"}, format="json")
    assert client.get(f"/api/v1/inspection-lines/?inspection={inspection.pk}&answered=true").json()["count"] == 1
    assert client.get("/api/v1/inspection-lines/?result=fail").json()["count"] == 1
    total = InspectionLine.objects.filter(inspection=inspection).count()
    assert client.get("/api/v1/inspection-lines/?answered=false").json()["count"] == total - 1
    assert client.get("/api/v1/corrective-actions/?status=open&overdue=false").json()["count"] == 1
    assert client.get("/api/v1/inspections/?status=in_progress&ordering=-inspected_on").json()["count"] == 1
