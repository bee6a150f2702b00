"""The OpenAPI 3.1 document of the HTTP API, generated from ``routes.ROUTES`` and the
pydantic models, so the published contract cannot drift from what the handlers parse.

``docs/openapi.json`` is this document, written by ``bookingctl openapi --write``; a
test fails when the committed file is stale.
"""

from __future__ import annotations

import json
import re
from typing import Any

from pydantic import BaseModel
from pydantic.json_schema import JsonSchemaMode, models_json_schema

from booking.domain.access import Action
from booking.domain.identity import TENANT_CLAIM
from booking.handlers.origin import REFUSED_CODE
from booking.routes import ROUTES
from booking.routing import Route
from booking.schemas import ErrorEnvelope

TITLE = "Booking platform API"
API_VERSION = "1.0.0"
REF = "#/components/schemas/{model}"
# Operations that take the Idempotency-Key header, and whether it is required (the
# domain enforces it).
IDEMPOTENT_OPERATIONS = {Action.CREATE_BOOKING: True, Action.RESCHEDULE_BOOKING: False}
ERROR_RESPONSES: dict[str, tuple[str, str]] = {
    "400": ("BadRequest", "Malformed request (e.g. MALFORMED_JSON, IDEMPOTENCY_KEY_REQUIRED)"),
    "401": ("Unauthorized", "No or invalid bearer token (API Gateway's authorizer answers it)"),
    "403": (
        "Forbidden",
        f"{REFUSED_CODE}: the request did not come through the site's /api (stacks that refuse "
        "calls to the API's own address, on every route, public ones included); on protected "
        "routes also a wrong role, a tenant id other than the caller's, or the caller no longer "
        "admitted (TENANT_DISABLED, USER_DISABLED, ROLE_CHANGED)",
    ),
    "404": ("NotFound", "No such resource in the caller's tenant"),
    "409": ("Conflict", "SLOT_TAKEN, IDEMPOTENCY_KEY_REUSED, CHANGE_WINDOW_CLOSED, LAST_OWNER, ..."),
    "422": ("UnprocessableEntity", "Invalid values (VALIDATION_ERROR with details, OFF_SLOT_GRID, ...)"),
    "429": ("TooManyRequests", "Throttled by the API stage or route (API Gateway answers it)"),
}
# API Gateway answers these statuses itself, before any function runs, with its own
# body: the authorizer's 401 and the stage's 429 are {"message": "..."}.
GATEWAY_ANSWERED = frozenset({"401", "429"})
GATEWAY_MESSAGE = {
    "type": "object",
    "required": ["message"],
    "properties": {"message": {"type": "string", "examples": ["Unauthorized", "Too Many Requests"]}},
    "description": "API Gateway's own answer (JWT authorizer, throttling)",
}
REQUEST_ID = {"x-request-id": {"description": "The API Gateway request id", "schema": {"type": "string"}}}


def _schemas(
    routes: tuple[Route, ...],
) -> tuple[dict[Any, Any], dict[str, Any]]:
    wanted: list[tuple[type[BaseModel], JsonSchemaMode]] = [(ErrorEnvelope, "serialization")]
    for route in routes:
        for model, mode in (
            (route.body, "validation"),
            (route.query, "validation"),
            (route.response, "serialization"),
        ):
            if model is not None and (model, mode) not in wanted:
                wanted.append((model, mode))  # type: ignore[arg-type]  # mode is one of the two literals
    key_map, definitions = models_json_schema(wanted, ref_template=REF, by_alias=True)
    return dict(key_map), dict(definitions.get("$defs", {}))


def _name(reference: dict[str, Any]) -> str:
    return str(reference["$ref"]).rsplit("/", 1)[-1]


def _query_parameters(schema: dict[str, Any]) -> list[dict[str, Any]]:
    required = set(schema.get("required", []))
    return [
        {
            "name": name,
            "in": "query",
            "required": name in required,
            "schema": {key: value for key, value in field.items() if key != "title"},
        }
        for name, field in schema.get("properties", {}).items()
    ]


def _operation(route: Route, key_map: dict[Any, Any], definitions: dict[str, Any]) -> dict[str, Any]:
    parameters: list[dict[str, Any]] = [
        {"name": name, "in": "path", "required": True, "schema": {"type": "string"}}
        for name in re.findall(r"\{([^}]+)\}", route.path)
    ]
    if route.query is not None:
        parameters += _query_parameters(definitions[_name(key_map[(route.query, "validation")])])
    if route.action in IDEMPOTENT_OPERATIONS:
        parameters.append(
            {
                "name": "Idempotency-Key",
                "in": "header",
                "required": IDEMPOTENT_OPERATIONS[route.action],
                "description": "Retries with the same key and body answer the booking as the first "
                "request did; another body is 409 IDEMPOTENCY_KEY_REUSED.",
                "schema": {"type": "string", "pattern": "^[A-Za-z0-9_.:-]{1,128}$"},
            }
        )
    success: dict[str, Any] = {"description": route.summary, "headers": REQUEST_ID}
    if route.response is not None and route.success_status != 204:
        success["content"] = {"application/json": {"schema": key_map[(route.response, "serialization")]}}
    operation: dict[str, Any] = {
        "operationId": route.operation_id,
        "summary": route.summary,
        "tags": [route.function],
        "parameters": parameters,
        "responses": {str(route.success_status): success},
        "security": [] if route.public else [{"bearerAuth": []}],
        "x-roles": [] if route.public else sorted(str(role) for role in route.roles),
    }
    if route.throttle is not None:
        operation["x-throttle"] = {
            "rateLimit": route.throttle.rate_limit,
            "burstLimit": route.throttle.burst_limit,
        }
    if route.body is not None:
        body_schema = definitions[_name(key_map[(route.body, "validation")])]
        operation["requestBody"] = {
            "required": bool(body_schema.get("required")),
            "content": {"application/json": {"schema": key_map[(route.body, "validation")]}},
        }
    # Every function refuses requests that skipped the distribution (403, handlers/origin.py),
    # public routes included.
    errors = ["400", "403", "429"] if route.public else list(ERROR_RESPONSES)
    for status in errors:
        operation["responses"][status] = {"$ref": f"#/components/responses/{ERROR_RESPONSES[status][0]}"}
    if not parameters:
        del operation["parameters"]
    return operation


def build_document(routes: tuple[Route, ...] = ROUTES) -> dict[str, Any]:
    key_map, definitions = _schemas(routes)
    paths: dict[str, dict[str, Any]] = {}
    for route in routes:
        paths.setdefault(route.path, {})[route.method.lower()] = _operation(route, key_map, definitions)
    # Query models became parameters; they are not bodies anyone sends.
    query_models = {
        _name(key_map[(route.query, "validation")]) for route in routes if route.query is not None
    }
    schemas = {name: definitions[name] for name in sorted(definitions) if name not in query_models}
    schemas["GatewayMessage"] = GATEWAY_MESSAGE
    envelope = key_map[(ErrorEnvelope, "serialization")]
    gateway_or_envelope = {"oneOf": [envelope, {"$ref": REF.format(model="GatewayMessage")}]}
    return {
        "openapi": "3.1.0",
        "info": {
            "title": TITLE,
            "version": API_VERSION,
            "description": "Multi-tenant dental appointments. The tenant is always the token's "
            f"{TENANT_CLAIM} claim; "
            'every error is {"error": {"code", "message", "requestId"}}.',
        },
        "paths": paths,
        "components": {
            "schemas": schemas,
            "securitySchemes": {
                "bearerAuth": {
                    "type": "http",
                    "scheme": "bearer",
                    "bearerFormat": "JWT",
                    "description": "A Cognito ID token of the stack's user pool",
                }
            },
            "responses": {
                name: {
                    "description": description,
                    "headers": REQUEST_ID,
                    "content": {
                        "application/json": {
                            "schema": gateway_or_envelope if status in GATEWAY_ANSWERED else envelope
                        }
                    },
                }
                for status, (name, description) in ERROR_RESPONSES.items()
            },
        },
    }


def render(document: dict[str, Any] | None = None) -> str:
    """The document as committed: stable key order, two-space indent, final newline."""
    return json.dumps(document or build_document(), indent=2, ensure_ascii=False) + "\n"
