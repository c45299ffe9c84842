"""The OpenAPI schema served at /api/openapi.json is valid and documents the API."""

from typing import Any

import pytest
from django.test import Client
from openapi_spec_validator import validate

pytestmark = pytest.mark.django_db

ENDPOINTS = {
    ("post", "/api/auth/token"),
    ("get", "/api/health"),
    ("get", "/api/cases/"),
    ("post", "/api/cases/search"),
    ("get", "/api/cases/{case_id}"),
    ("get", "/api/cases/{case_id}/timeline"),
    ("post", "/api/cases/{case_id}/assess"),
    ("post", "/api/cases/{case_id}/approve-assessment"),
    ("post", "/api/cases/{case_id}/consent"),
    ("post", "/api/cases/{case_id}/assign"),
    ("post", "/api/cases/{case_id}/referrals"),
    ("post", "/api/cases/{case_id}/follow-ups"),
    ("post", "/api/cases/{case_id}/start-monitoring"),
    ("post", "/api/cases/{case_id}/request-closure"),
    ("post", "/api/cases/{case_id}/approve-closure"),
    ("post", "/api/cases/{case_id}/reject-closure"),
    ("post", "/api/identifications"),
    ("post", "/api/identifications/preview"),
    ("get", "/api/providers"),
    ("get", "/api/referrals/"),
    ("get", "/api/referrals/{referral_id}"),
    ("post", "/api/referrals/{referral_id}/accept"),
    ("post", "/api/referrals/{referral_id}/refuse"),
    ("post", "/api/referrals/{referral_id}/deliver"),
    ("get", "/api/dashboard"),
    ("get", "/api/inspection/establishments/"),
    ("post", "/api/inspection/establishments/"),
    ("post", "/api/inspection/establishments/search"),
    ("get", "/api/inspection/establishments/{establishment_id}"),
    ("get", "/api/inspection/visits/"),
    ("post", "/api/inspection/visits/"),
    ("get", "/api/inspection/visits/{visit_id}"),
    ("post", "/api/inspection/visits/{visit_id}/record"),
    ("post", "/api/inspection/visits/{visit_id}/children"),
    ("post", "/api/inspection/visits/{visit_id}/notice"),
    ("post", "/api/inspection/visits/{visit_id}/follow-up"),
    ("post", "/api/inspection/visits/{visit_id}/report"),
    ("get", "/api/inspection/documents/{document_id}.pdf"),
}


@pytest.fixture
def schema(client: Client) -> Any:
    response = client.get("/api/openapi.json")
    assert response.status_code == 200
    return response.json()


def test_the_schema_is_valid(schema: Any) -> None:
    validate(schema)


def test_every_endpoint_is_documented_with_a_summary_and_a_tag(schema: Any) -> None:
    found = {(method, path) for path, item in schema["paths"].items() for method in item}
    assert found == ENDPOINTS
    for path, item in schema["paths"].items():
        for method, operation in item.items():
            assert operation.get("summary") and operation.get("tags"), (method, path)
            public = (method, path) in {("post", "/api/auth/token"), ("get", "/api/health")}
            assert bool(operation.get("security")) != public, (method, path)


def test_no_name_in_a_query_string(schema: Any) -> None:
    for path, item in schema["paths"].items():
        for operation in item.values():
            names = {p["name"] for p in operation.get("parameters", []) if p["in"] == "query"}
            assert not names & {"q", "name", "first_name", "family_name"}, path


def test_the_bearer_scheme_is_declared(schema: Any) -> None:
    schemes = schema["components"]["securitySchemes"]
    assert schemes["ApiTokenAuth"] == {"type": "http", "scheme": "bearer"}
