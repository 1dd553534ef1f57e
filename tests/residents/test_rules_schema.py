"""The house-rule and grievance endpoints are documented, with their filters."""

import pytest


@pytest.fixture
def schema(served_schema):
    return served_schema


def test_the_schema_lists_every_rules_and_grievance_path(schema):
    for path in [
        "/api/v1/house-rules/", "/api/v1/house-rules/{id}/", "/api/v1/rule-sets/", "/api/v1/rule-sets/publish/",
        "/api/v1/houses/{house_pk}/rule-set/", "/api/v1/houses/{house_pk}/rule-set/unsigned/",
        "/api/v1/rule-acknowledgements/", "/api/v1/grievances/", "/api/v1/grievances/{id}/respond/",
        "/api/v1/grievances/{id}/close/",
    ]:  # fmt: skip
        assert path in schema["paths"], path


@pytest.mark.parametrize(
    ("path", "names"),
    [
        ("/api/v1/house-rules/", {"category", "house", "organization_wide", "is_active", "search", "ordering"}),
        ("/api/v1/grievances/", {"status", "house", "filed_after", "filed_before", "search", "ordering"}),
        ("/api/v1/houses/{house_pk}/rule-set/unsigned/", {"never_signed", "search", "ordering", "page_size"}),
    ],
)
def test_list_filters_are_documented(schema, path, names):
    assert names <= {p["name"] for p in schema["paths"][path]["get"]["parameters"]}


def test_writes_document_their_input_not_the_output(schema):
    body = schema["paths"]["/api/v1/house-rules/"]["post"]["requestBody"]["content"]["application/json"]["schema"]
    assert body["$ref"].endswith("/RuleAddInputRequest")
    respond = schema["paths"]["/api/v1/grievances/{id}/respond/"]["post"]["requestBody"]["content"]
    assert respond["application/json"]["schema"]["$ref"].endswith("/GrievanceRespondInputRequest")
