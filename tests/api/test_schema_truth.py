"""The OpenAPI schema says what the API answers: nullable names, HH:MM times, YYYY-MM months, a list that is not
paginated, an inspection line not answered yet, a resident's trimmed objects, and the 409 and 503 errors.

Real answers are checked with schemathesis' own response validation, the one ``.ci/fuzz`` runs over the whole API.
"""

import json

import pytest
import requests
import schemathesis
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.renderers import OpenApiJsonRenderer

from compliance.services import inspections as inspection_services
from compliance.services import safety as safety_services
from residents.conduct.services import grievances as grievance_services
from tests.residents.drug_tests_factories import record_test, request_test
from tests.residents.phases_factories import make_phases

WRITES = ("post", "put", "patch", "delete")


@pytest.fixture(scope="module")
def openapi():
    generated = SchemaGenerator().get_schema(request=None, public=True)
    return json.loads(OpenApiJsonRenderer().render(generated))


@pytest.fixture(scope="module")
def contract(openapi):
    return schemathesis.openapi.from_dict(openapi)


def properties(openapi, component):
    return openapi["components"]["schemas"][component]["properties"]


def assert_matches_schema(contract, response, path, method="GET"):
    """Fails, naming each mismatch, when ``response`` is not what the schema says ``method path`` answers."""
    operation = contract[path][method]
    url = "http://testserver" + response.wsgi_request.get_full_path()
    sent = requests.Request(method, url).prepare()
    headers = {name.lower(): [value] for name, value in response.headers.items()}
    answer = schemathesis.Response(
        status_code=response.status_code, headers=headers, content=response.content, request=sent, elapsed=0.0,
        verify=True,
    )  # fmt: skip
    operation.validate_response(answer)


@pytest.mark.parametrize(
    ("component", "name"),
    [
        ("Document", "house_name"),
        ("InspectionLine", "room_name"),
        ("Report", "house_name"),
        ("MonthClose", "report_status"),
        ("MonthClose", "report_sha256"),
        ("AuditEntry", "actor_name"),
        ("DrugTest", "collected_by_name"),
        ("Draw", "drawn_by_name"),
        ("Incident", "reported_by_name"),
        ("PhaseChange", "changed_by"),
        ("SignOut", "signed_out_by"),
        ("SignOut", "signed_in_by"),
        ("OvernightPass", "decided_by"),
    ],
)
def test_a_name_that_may_be_missing_is_declared_nullable(openapi, component, name):
    assert properties(openapi, component)[name].get("nullable") is True


@pytest.mark.parametrize(
    ("component", "name"), [("Phase", "weeknight_curfew"), ("Phase", "weekend_curfew"), ("CurfewViolation", "curfew")]
)
def test_a_curfew_is_declared_as_hh_mm_not_as_an_openapi_time(openapi, component, name):
    field = properties(openapi, component)[name]
    assert "format" not in field
    assert field["pattern"] == "^([01][0-9]|2[0-3]):[0-5][0-9]$"


def test_a_phase_with_curfews_matches_the_schema(api, operator, organization, contract):
    phase = make_phases(organization)[0]
    response = api(operator).get(f"/api/v1/phases/{phase.pk}/")
    assert response.json()["weeknight_curfew"] is not None
    assert_matches_schema(contract, response, "/api/v1/phases/{id}/")


@pytest.mark.parametrize("component", ["Report", "MonthClose"])
def test_a_reports_month_is_declared_as_yyyy_mm_not_as_a_date(openapi, component):
    month = properties(openapi, component)["month"]
    assert "format" not in month
    assert month["pattern"] == "^[0-9]{4}-(0[1-9]|1[0-2])$"


def test_overdue_drills_are_declared_as_the_plain_list_they_are(openapi):
    operation = openapi["paths"]["/api/v1/drills/overdue/"]["get"]
    assert operation["responses"]["200"]["content"]["application/json"]["schema"]["type"] == "array"
    assert not {p["name"] for p in operation.get("parameters", [])} & {"page", "page_size", "ordering"}


def test_overdue_drills_match_the_schema(api, operator, house, contract):
    house.narr_level = 2  # Level II houses hold drills; this one never has
    house.save(update_fields=["narr_level"])
    response = api(operator).get("/api/v1/drills/overdue/")
    assert [row["house"] for row in response.json()] == [house.pk]
    assert_matches_schema(contract, response, "/api/v1/drills/overdue/")


def test_an_inspection_not_answered_yet_matches_the_schema(api, operator, house, contract):
    inspection = inspection_services.inspection_start(actor=operator, house=house)
    response = api(operator).get(f"/api/v1/inspections/{inspection.pk}/")
    assert {line["result"] for line in response.json()["lines"]} == {""}
    assert_matches_schema(contract, response, "/api/v1/inspections/{id}/")


@pytest.fixture
def residents_records(resident_member, manager, house, organization):
    resident = resident_member.resident
    record_test(manager, resident, on=organization.today())
    request_test(manager, resident, due_on=organization.today())
    grievance_services.grievance_file(actor=resident_member, subject="Noise", details="Loud at night", about="house")
    return house


@pytest.mark.parametrize(
    ("url", "path"),
    [
        ("/api/v1/houses/{house}/", "/api/v1/houses/{id}/"),
        ("/api/v1/houses/", "/api/v1/houses/"),
        ("/api/v1/drug-tests/", "/api/v1/drug-tests/"),
        ("/api/v1/test-requests/", "/api/v1/test-requests/"),
        ("/api/v1/grievances/", "/api/v1/grievances/"),
    ],
)
def test_a_residents_trimmed_objects_match_the_schema(api, resident_member, residents_records, contract, url, path):
    response = api(resident_member).get(url.format(house=residents_records.pk))
    assert response.status_code == 200
    assert_matches_schema(contract, response, path)


@pytest.mark.parametrize(
    ("url", "path"),
    [
        ("/api/v1/houses/{house}/", "/api/v1/houses/{id}/"),
        ("/api/v1/drug-tests/", "/api/v1/drug-tests/"),
        ("/api/v1/test-requests/", "/api/v1/test-requests/"),
    ],
)
def test_staff_objects_match_the_schema_as_the_staff_shape(api, manager, residents_records, contract, url, path):
    response = api(manager).get(url.format(house=residents_records.pk))
    assert response.status_code == 200
    assert_matches_schema(contract, response, path)


def test_a_residents_trimmed_object_is_closed_so_a_staff_object_reads_as_one_shape_only(openapi):
    assert properties(openapi, "HousePublic").keys() < properties(openapi, "House").keys()
    assert openapi["components"]["schemas"]["HousePublic"]["additionalProperties"] is False


def test_every_write_documents_a_conflict(openapi):
    undocumented = [
        f"{method.upper()} {path}"
        for path, item in openapi["paths"].items()
        for method, operation in item.items()
        if method in WRITES and "409" not in operation["responses"]
    ]
    assert undocumented == []


def test_a_conflict_matches_the_schema(api, operator, house, contract):
    safety_services.safety_policy_create(actor=operator, house=house)
    response = api(operator).post("/api/v1/safety-policies/", {"house": house.pk})
    assert response.status_code == 409
    assert_matches_schema(contract, response, "/api/v1/safety-policies/", "POST")


@pytest.mark.parametrize(
    ("path", "method"),
    [
        ("/api/v1/payments/checkout/", "post"),
        ("/api/v1/payments/autopay/", "post"),
        ("/api/v1/payments/online/{id}/refund/", "post"),
        ("/api/v1/organization/payments/connect/", "post"),
    ],
)
def test_an_endpoint_that_needs_stripe_documents_its_503(openapi, path, method):
    assert "503" in openapi["paths"][path][method]["responses"]


def test_checkout_without_stripe_answers_the_documented_503(api, resident_member, contract, settings):
    settings.STRIPE_SECRET_KEY = ""
    response = api(resident_member).post("/api/v1/payments/checkout/", {}, format="json")
    assert response.status_code == 503
    assert_matches_schema(contract, response, "/api/v1/payments/checkout/", "POST")


def test_an_error_lists_each_field_at_fault_as_the_schema_says(api, operator, contract):
    response = api(operator).post("/api/v1/drills/", {"house": 0}, format="json")
    assert response.status_code == 400
    assert_matches_schema(contract, response, "/api/v1/drills/", "POST")
