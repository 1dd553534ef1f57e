"""The certification endpoints are in the OpenAPI schema with their filters and upload format."""

import pytest


@pytest.fixture
def schema(served_schema):
    return served_schema


def test_every_certification_path_is_documented(schema):
    for path in [
        "/api/v1/documents/", "/api/v1/documents/{id}/download/", "/api/v1/inspections/start/",
        "/api/v1/inspections/{id}/complete/", "/api/v1/inspection-lines/{id}/record/",
        "/api/v1/corrective-actions/{id}/fix/", "/api/v1/drills/", "/api/v1/drills/overdue/",
        "/api/v1/safety-policies/", "/api/v1/safety-equipment/", "/api/v1/houses/{id}/certification/",
        "/api/v1/houses/{id}/certification/pack/",
    ]:  # fmt: skip
        assert path in schema["paths"], path


def test_the_document_upload_is_multipart(schema):
    assert "multipart/form-data" in schema["paths"]["/api/v1/documents/"]["post"]["requestBody"]["content"]


def test_document_filters_search_and_ordering_are_documented(schema):
    params = {p["name"] for p in schema["paths"]["/api/v1/documents/"]["get"]["parameters"]}
    assert {"house", "kind", "current", "expires_before", "search", "ordering", "page_size"} <= params


def test_the_certification_response_is_described(schema):
    certification = schema["components"]["schemas"]["Certification"]["properties"]
    assert {"house", "level", "summary", "rules"} <= set(certification)
