"""docs/openapi.json is generated from the route table and the models, and is current."""

import json
from pathlib import Path

from booking.openapi import build_document, render
from booking.routes import ROUTES
from openapi_spec_validator import validate

from bookingctl.cli import main

COMMITTED = Path(__file__).resolve().parents[2] / "docs" / "openapi.json"


def test_the_committed_document_is_what_the_generator_produces_now():
    assert COMMITTED.read_text(encoding="utf-8") == render(), "run `bookingctl openapi --write`"


def test_the_document_is_valid_openapi_3_1():
    validate(build_document())


def test_every_route_is_documented_with_its_security_and_roles():
    paths = build_document()["paths"]
    for route in ROUTES:
        operation = paths[route.path][route.method.lower()]
        assert operation["operationId"] == route.operation_id
        assert operation["security"] == ([] if route.public else [{"bearerAuth": []}])
        assert set(operation["x-roles"]) == (
            {str(role) for role in route.roles} if not route.public else set()
        )
        assert str(route.success_status) in operation["responses"]
    assert sum(len(methods) for methods in paths.values()) == len(ROUTES)


def test_protected_routes_document_the_error_envelope_for_every_client_error():
    document = build_document()
    operation = document["paths"]["/bookings/{id}"]["put"]
    for status in ("400", "401", "403", "404", "409", "422", "429"):
        assert operation["responses"][status]["$ref"].startswith("#/components/responses/")
    envelope = document["components"]["schemas"]["ErrorEnvelope"]
    assert envelope["properties"]["error"]["$ref"] == "#/components/schemas/ErrorBody"
    assert set(document["components"]["schemas"]["ErrorBody"]["required"]) == {"code", "message", "requestId"}


def test_every_route_documents_the_refusal_of_requests_that_skipped_the_distribution():
    document = build_document()
    forbidden = document["components"]["responses"]["Forbidden"]
    assert "ORIGIN_REFUSED" in forbidden["description"]
    for route in ROUTES:
        responses = document["paths"][route.path][route.method.lower()]["responses"]
        assert responses["403"] == {"$ref": "#/components/responses/Forbidden"}, route.operation_id


def test_creating_a_booking_requires_the_idempotency_key_header():
    parameters = build_document()["paths"]["/bookings"]["post"]["parameters"]
    assert [(p["name"], p["in"], p["required"]) for p in parameters] == [("Idempotency-Key", "header", True)]


def test_query_models_become_query_parameters_with_their_wire_names():
    parameters = build_document()["paths"]["/availability"]["get"]["parameters"]
    assert [(p["name"], p["in"], p["required"]) for p in parameters] == [
        ("professionalId", "query", True),
        ("treatmentId", "query", True),
        ("from", "query", True),
        ("to", "query", True),
    ]


def test_bookingctl_check_fails_on_a_stale_file_and_write_repairs_it(tmp_path, capsys):
    target = tmp_path / "openapi.json"
    target.write_text(json.dumps({"openapi": "3.1.0"}))
    assert main(["openapi", "--check", "--path", str(target)]) == 1
    assert main(["openapi", "--write", "--path", str(target)]) == 0
    assert main(["openapi", "--check", "--path", str(target)]) == 0
    assert target.read_text() == render()
