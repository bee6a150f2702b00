"""API Gateway HTTP API (payload 2.0) events, as the JWT authorizer hands them to Lambda."""

from __future__ import annotations

import itertools
import json
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from booking.domain.identity import GROUPS_CLAIM, TENANT_CLAIM
from booking.domain.roles import Role
from booking.routing import Route

_request_ids = itertools.count(1)


def claims(
    role: Role | str | list[str], tenant: str | None, sub: str, email: str | None = None
) -> dict[str, Any]:
    # A list, or the string form the HTTP API authorizer produces: "[Admin Patient]".
    groups = role if isinstance(role, list) or str(role).startswith("[") else f"[{role}]"
    values: dict[str, Any] = {"sub": sub, GROUPS_CLAIM: groups, "token_use": "id"}
    if tenant is not None:
        values[TENANT_CLAIM] = tenant
    if email is not None:
        values["email"] = email
    return values


def http_event(
    route: Route,
    path_parameters: dict[str, str] | None = None,
    token_claims: dict[str, Any] | None = None,
    body: Any = None,
    query: dict[str, str] | None = None,
    headers: dict[str, str] | None = None,
    raw_body: str | None = None,
    stage: str = "$default",
) -> dict[str, Any]:
    path = route.path
    for name, value in (path_parameters or {}).items():
        path = path.replace("{" + name + "}", value)
    raw_path = path if stage == "$default" else f"/{stage}{path}"
    request_id = f"req-{next(_request_ids)}"
    event: dict[str, Any] = {
        "version": "2.0",
        "routeKey": route.route_key,
        "rawPath": raw_path,
        "rawQueryString": urlencode(query or {}),
        "headers": {"content-type": "application/json", **(headers or {})},
        "requestContext": {
            "accountId": "123456789012",
            "apiId": "api1",
            "domainName": "api1.execute-api.us-east-1.amazonaws.com",
            "domainPrefix": "api1",
            "http": {
                "method": route.method,
                "path": raw_path,
                "protocol": "HTTP/1.1",
                "sourceIp": "127.0.0.1",
                "userAgent": "pytest",
            },
            "requestId": request_id,
            "routeKey": route.route_key,
            "stage": stage,
            "time": "03/Mar/2026:09:00:00 +0000",
            "timeEpoch": 1772528400000,
        },
        "isBase64Encoded": False,
    }
    if token_claims is not None:
        event["requestContext"]["authorizer"] = {"jwt": {"claims": token_claims, "scopes": None}}
    if query:
        event["queryStringParameters"] = query
    if path_parameters:
        event["pathParameters"] = path_parameters
    if raw_body is not None:
        event["body"] = raw_body
    elif body is not None:
        event["body"] = json.dumps(body)
    return event


@dataclass(frozen=True)
class LambdaContext:
    function_name: str = "booking-bookings"
    memory_limit_in_mb: int = 512
    invoked_function_arn: str = "arn:aws:lambda:us-east-1:123456789012:function:booking-bookings"
    aws_request_id: str = "lambda-request-1"

    @staticmethod
    def get_remaining_time_in_millis() -> int:
        return 10_000
