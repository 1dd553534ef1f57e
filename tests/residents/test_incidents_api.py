"""The incident and resident-note API: audited, append-only notes, strict input, filters, constant queries."""

import pytest

from accounts.models import AuditEntry
from residents.conduct.services import incidents as services
from residents.models import Incident, ResidentNote
from tests.factories import admit

from .drug_tests_factories import days_ago, moment, record_incident

# Behaviour through the API


@pytest.fixture
def resident(operator, organization, house):
    return admit(house, on=days_ago(organization, 40), legal_last_name="Nakamura", actor=operator).resident


def _new_incident(where, involved, **overrides):
    body = {
        "house": where.pk,
        "residents": [person.pk for person in involved],
        "occurred_at": moment(where.organization, days_ago(where.organization, 3), hour=1).isoformat(),
        "category": "substance_use",
        "severity": "high",
        "what_happened": "Found with an open beer on the porch.",
        "rule_reference": "Rule 1: no alcohol or drugs on the property",
        "action": "fine",
        "fine_amount": "50.00",
    }
    body.update(overrides)
    return body


def test_staff_record_an_incident_with_a_fine(api, manager, house, resident):
    response = api(manager).post("/api/v1/incidents/", _new_incident(house, [resident]), format="json")
    assert response.status_code == 201, response.content
    data = response.json()
    assert (data["fine_amount"], data["resident_names"], data["reported_by"]) == (
        "50.00", [resident.display_name], manager.user.pk,
    )  # fmt: skip


def test_an_incident_update_changes_the_consequence(api, manager, organization, house, resident):
    incident = record_incident(manager, house, on=days_ago(organization, 3), residents=[resident])
    response = api(manager).patch(
        f"/api/v1/incidents/{incident.pk}/", {"action": "behaviour_contract", "severity": "medium"}, format="json"
    )
    assert response.status_code == 200, response.content
    incident.refresh_from_db()
    assert (incident.action, incident.severity) == ("behaviour_contract", "medium")


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"fine_amount": None}, "fine_amount"),
        ({"fine_amount": "-10.00"}, "fine_amount"),
        ({"fine_amount": "12.345"}, "fine_amount"),
        ({"fine_amount": "lots"}, "fine_amount"),
        ({"action": "warning"}, "fine_amount"),
        ({"residents": []}, "residents"),
        ({"residents": [999999]}, "residents"),
        ({"category": "vibes"}, "category"),
        ({"severity": "extreme"}, "severity"),
        ({"occurred_at": "2999-01-01T00:00:00Z"}, "occurred_at"),
        ({"occurred_at": "last night"}, "occurred_at"),
        ({"what_happened": ""}, "what_happened"),
        ({"follow_up_on": "2020-01-01"}, "follow_up_on"),
        ({"house": 999999}, "house"),
        ({"reported_by": 1}, "reported_by"),
        ({"mood": "bad"}, "mood"),
    ],
)
def test_bad_incident_input_is_a_400_naming_the_field(api, manager, house, resident, overrides, field):
    body = _new_incident(house, [resident])
    body.update(overrides)
    response = api(manager).post("/api/v1/incidents/", body, format="json")
    assert response.status_code == 400, response.content
    assert field in response.json(), response.json()
    assert not Incident.objects.exists()


def test_an_incident_involving_someone_not_living_there_is_a_400(api, operator, organization, house, other_house):
    elsewhere = admit(other_house, on=days_ago(organization, 30), actor=operator).resident
    response = api(operator).post("/api/v1/incidents/", _new_incident(house, [elsewhere]), format="json")
    assert response.status_code == 400
    assert "residents" in response.json()
    assert not Incident.objects.exists()


def test_a_bad_incident_update_changes_nothing(api, manager, organization, house, resident):
    incident = record_incident(manager, house, on=days_ago(organization, 3), residents=[resident])
    response = api(manager).patch(f"/api/v1/incidents/{incident.pk}/", {"action": "fine"}, format="json")
    assert response.status_code == 400
    assert "fine_amount" in response.json()
    incident.refresh_from_db()
    assert incident.action == "warning"
    assert not AuditEntry.objects.exists()


@pytest.mark.parametrize(("body", "field"), [({"body": ""}, "body"), ({"resident": 999999}, "resident"),
                                             ({"house": 1}, "house"), ({"author": 1}, "author")])  # fmt: skip
def test_bad_note_input_is_a_400_naming_the_field(api, manager, resident, body, field):
    response = api(manager).post("/api/v1/resident-notes/", {"resident": resident.pk, "body": "x", **body})
    assert response.status_code == 400
    assert field in response.json()
    assert not ResidentNote.objects.exists()


def test_incidents_filter_by_resident_category_and_day(api, operator, organization, house, resident):
    other = admit(house, on=days_ago(organization, 40), actor=operator).resident
    curfew = record_incident(operator, house, on=days_ago(organization, 10), residents=[resident, other])
    theft = record_incident(
        operator, house, on=days_ago(organization, 3), residents=[other], category="theft", severity="high"
    )
    client = api(operator)

    def ids(query):
        response = client.get(f"/api/v1/incidents/?{query}")
        assert response.status_code == 200, response.content
        return [row["id"] for row in response.json()["results"]]

    assert ids(f"resident={other.pk}") == [theft.pk, curfew.pk]
    assert ids(f"resident={resident.pk}") == [curfew.pk]
    assert ids("category=theft") == [theft.pk]
    assert ids("severity=high&action=warning") == [theft.pk]
    day = days_ago(organization, 10).isoformat()
    assert ids(f"occurred_from={day}&occurred_to={day}") == [curfew.pk]
    assert ids("search=nakamura") == [curfew.pk]
    assert ids("ordering=occurred_at") == [curfew.pk, theft.pk]


@pytest.mark.parametrize("query", ["category=vibes", "occurred_from=yesterday", "ordering=what_happened", "x=1"])
def test_a_bad_incident_filter_is_a_400_naming_it(api, operator, query):
    response = api(operator).get(f"/api/v1/incidents/?{query}")
    assert response.status_code == 400
    assert query.split("=")[0] in response.json()


# Audit


def test_incident_reads_and_changes_by_staff_are_audited(api, manager, organization, house, resident):
    client = api(manager)
    created = client.post("/api/v1/incidents/", _new_incident(house, [resident]), format="json").json()
    client.get("/api/v1/incidents/")
    client.get(f"/api/v1/incidents/{created['id']}/")
    client.patch(f"/api/v1/incidents/{created['id']}/", {"follow_up_on": organization.today().isoformat()})
    entries = list(AuditEntry.objects.order_by("pk").values_list("action", "object_type", "object_id", "detail"))
    pk = str(created["id"])
    assert entries == [
        ("create", "residents.incident", pk, ""),
        ("list", "residents.incident", "", pk),
        ("view", "residents.incident", pk, ""),
        ("update", "residents.incident", pk, "changed: follow_up_on"),
    ]
    for entry in AuditEntry.objects.all():
        assert (entry.actor, entry.organization, entry.ip_address) == (manager.user, organization, "127.0.0.1")
        assert entry.path.startswith("/api/v1/incidents/")


def test_note_reads_and_additions_by_staff_are_audited(api, operator, organization, resident):
    client = api(operator)
    created = client.post("/api/v1/resident-notes/", {"resident": resident.pk, "body": "Got his license back."}).json()
    client.get("/api/v1/resident-notes/")
    client.get(f"/api/v1/resident-notes/{created['id']}/")
    entries = list(AuditEntry.objects.order_by("pk").values_list("action", "object_type", "object_id", "actor"))
    pk = str(created["id"])
    assert entries == [
        ("create", "residents.residentnote", pk, operator.user.pk),
        ("list", "residents.residentnote", "", operator.user.pk),
        ("view", "residents.residentnote", pk, operator.user.pk),
    ]


def test_reading_incidents_in_the_admin_is_audited(admin_client, operator, organization, house, resident):
    incident = record_incident(operator, house, on=days_ago(organization, 3), residents=[resident])
    assert admin_client.get("/admin/residents/incident/").status_code == 200
    assert admin_client.get(f"/admin/residents/incident/{incident.pk}/change/").status_code == 200
    actions = list(AuditEntry.objects.order_by("pk").values_list("action", "object_type", "organization"))
    assert actions == [("list", "residents.incident", organization.pk), ("view", "residents.incident", organization.pk)]


# Constant queries


def _grow(operator, organization, house, size):
    for _n in range(size):
        people = [admit(house, on=days_ago(organization, 30), actor=operator).resident for _m in range(2)]
        record_incident(operator, house, on=days_ago(organization, 4), residents=people)
        for person in people:
            services.resident_note_add(actor=operator, resident=person, body="Weekly check-in went well.")


@pytest.mark.parametrize("path", ["/api/v1/incidents/", "/api/v1/resident-notes/", "/api/v1/incidents/?search=a"])
@pytest.mark.parametrize("role", ["operator", "manager"])
def test_a_list_runs_a_constant_number_of_queries(
    request, api, organization, house, operator, role, path, django_assert_max_num_queries
):
    client = api(request.getfixturevalue(role))
    separator = "&" if "?" in path else "?"
    _grow(operator, organization, house, 2)
    with django_assert_max_num_queries(10) as small:
        client.get(f"{path}{separator}page_size=200")
    _grow(operator, organization, house, 12)
    with django_assert_max_num_queries(len(small.captured_queries)):
        response = client.get(f"{path}{separator}page_size=200")
    assert response.status_code == 200
    assert response.json()["count"] >= 12


def test_schema_documents_the_new_paths(served_schema):
    paths = served_schema["paths"]
    for path in ["/api/v1/drug-tests/", "/api/v1/drug-tests/{id}/complete/", "/api/v1/test-requests/overdue/",
                 "/api/v1/drug-test-draws/{id}/replay/", "/api/v1/drug-test-policies/", "/api/v1/incidents/",
                 "/api/v1/resident-notes/", "/api/v1/audit-log/"]:  # fmt: skip
        assert path in paths, path
    params = {p["name"] for p in paths["/api/v1/drug-tests/"]["get"]["parameters"]}
    assert {"substance", "positive_for", "collected_from", "collected_to", "search", "ordering"} <= params
