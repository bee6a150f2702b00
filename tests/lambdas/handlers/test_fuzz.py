"""Schemathesis drives every documented operation with generated requests (valid and
invalid): the handlers never answer 5xx, and every answer carries the envelope rules."""

from __future__ import annotations

import base64
import json

import schemathesis
from booking.domain.roles import Role
from booking.openapi import build_document
from booking.routes import find_route
from hypothesis import HealthCheck, settings

from tests.factories import TENANT, principal
from tests.lambdas.events import claims, http_event
from tests.lambdas.handlers.conftest import invoke

schema = schemathesis.openapi.from_dict(build_document())


def _raw(body: object) -> str | None:
    if body is None:
        return None
    if isinstance(body, bytes):
        return base64.b64encode(body).decode()
    return json.dumps(body)


@schema.parametrize()
@settings(max_examples=10, deadline=None, suppress_health_check=list(HealthCheck))
def test_generated_requests_never_get_a_server_error(case, world):
    route = find_route(case.operation.method.upper(), case.operation.path)
    headers = {key.lower(): str(value) for key, value in (case.headers or {}).items()}
    body = case.body if not isinstance(case.body, schemathesis.core.NotSet) else None
    event = http_event(
        route,
        path_parameters={key: str(value) for key, value in (case.path_parameters or {}).items()},
        token_claims=None if route.public else claims(Role.OWNER, TENANT, principal(Role.OWNER).user_id),
        query={key: str(value) for key, value in (case.query or {}).items()},
        headers=headers,
        raw_body=_raw(body),
    )
    event["isBase64Encoded"] = isinstance(body, bytes)
    answer = invoke(event, route.function)
    assert answer.status < 500, answer.body
    assert answer.headers["x-request-id"] == event["requestContext"]["requestId"]
    if answer.status >= 400:
        assert set(answer.body["error"]) >= {"code", "message", "requestId"}
