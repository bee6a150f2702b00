"""HTTP API payload format 2.0: the event a Lambda integration receives and how its
result becomes the HTTP response."""

from __future__ import annotations

import base64
import datetime as dt
import json
import os
import secrets
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qsl

from werkzeug.wrappers import Request

from devstack.gateway.authorizer import AuthorizerContext

# Bodies of these types reach the function as text; anything else is base64.
TEXT_TYPES = (
    "text/",
    "application/json",
    "application/xml",
    "application/javascript",
    "application/x-www-form-urlencoded",
    "application/problem+json",
)


def new_request_id() -> str:
    """An id shaped like API Gateway's (``apigw-requestid``), e.g. ``JKJaXmPLvHcESHA=``."""
    return base64.b64encode(os.urandom(10)).decode()


def _trace_id(epoch_seconds: int) -> str:
    return f"Root=1-{epoch_seconds:08x}-{secrets.token_hex(12)}"


def _is_text(content_type: str) -> bool:
    lowered = content_type.lower()
    return not lowered or lowered.startswith(TEXT_TYPES) or "+json" in lowered or "+xml" in lowered


def _joined(pairs: list[tuple[str, str]]) -> dict[str, str]:
    """Repeated names joined with commas, as payload 2.0 does for headers and queries."""
    joined: dict[str, str] = {}
    for name, value in pairs:
        joined[name] = f"{joined[name]},{value}" if name in joined else value
    return joined


@dataclass(frozen=True)
class EventInputs:
    route_key: str
    request_id: str
    api_id: str
    stage: str
    account_id: str
    path_parameters: dict[str, str] = field(default_factory=dict)
    stage_variables: dict[str, str] = field(default_factory=dict)
    authorizer: AuthorizerContext | None = None


def build_event(request: Request, inputs: EventInputs, now: dt.datetime | None = None) -> dict[str, Any]:
    """The 2.0 event for ``request``, matching what API Gateway sends a Lambda."""
    now = now or dt.datetime.now(dt.UTC)
    environ = request.environ
    raw_uri = str(environ.get("RAW_URI") or environ.get("REQUEST_URI") or request.path)
    raw_path = raw_uri.split("?", 1)[0]
    raw_query = request.query_string.decode("latin-1")
    host = request.host or "127.0.0.1"
    source_ip = request.remote_addr or "127.0.0.1"

    header_pairs = [
        (name.lower(), value) for name, value in request.headers.items() if name.lower() != "cookie"
    ]
    headers = _joined(header_pairs)
    headers.setdefault("x-forwarded-for", source_ip)
    headers.setdefault("x-forwarded-proto", request.scheme)
    headers.setdefault("x-forwarded-port", str(environ.get("SERVER_PORT", "")))
    headers.setdefault("x-amzn-trace-id", _trace_id(int(now.timestamp())))
    cookies = [
        cookie.strip()
        for value in request.headers.getlist("Cookie")
        for cookie in value.split(";")
        if cookie.strip()
    ]

    event: dict[str, Any] = {
        "version": "2.0",
        "routeKey": inputs.route_key,
        "rawPath": raw_path,
        "rawQueryString": raw_query,
        "headers": headers,
    }
    if cookies:
        event["cookies"] = cookies
    if raw_query:
        event["queryStringParameters"] = _joined(parse_qsl(raw_query, keep_blank_values=True))
    if inputs.path_parameters:
        event["pathParameters"] = dict(inputs.path_parameters)
    if inputs.stage_variables:
        event["stageVariables"] = dict(inputs.stage_variables)

    request_context: dict[str, Any] = {
        "accountId": inputs.account_id,
        "apiId": inputs.api_id,
        "domainName": host,
        "domainPrefix": host.split(".", 1)[0],
        "http": {
            "method": request.method,
            "path": raw_path,
            "protocol": str(environ.get("SERVER_PROTOCOL", "HTTP/1.1")),
            "sourceIp": source_ip,
            "userAgent": request.headers.get("User-Agent", ""),
        },
        "requestId": inputs.request_id,
        "routeKey": inputs.route_key,
        "stage": inputs.stage,
        "time": now.strftime("%d/%b/%Y:%H:%M:%S +0000"),
        "timeEpoch": int(now.timestamp() * 1000),
    }
    if inputs.authorizer is not None:
        request_context["authorizer"] = inputs.authorizer.to_event()
    event["requestContext"] = request_context

    body = request.get_data(cache=True)
    if body:
        if _is_text(request.content_type or ""):
            try:
                event["body"] = body.decode("utf-8")
                event["isBase64Encoded"] = False
            except UnicodeDecodeError:
                event["body"] = base64.b64encode(body).decode()
                event["isBase64Encoded"] = True
        else:
            event["body"] = base64.b64encode(body).decode()
            event["isBase64Encoded"] = True
    else:
        event["isBase64Encoded"] = False
    return event


@dataclass(frozen=True)
class HttpResponse:
    status: int
    headers: list[tuple[str, str]]
    body: bytes


class MalformedResponse(ValueError):
    """The function's result is not a valid 2.0 response: API Gateway answers 500."""


def map_result(result: Any) -> HttpResponse:
    """A function's result as the HTTP response API Gateway would send.

    With ``statusCode`` it is a structured response (headers, ``multiValueHeaders``,
    ``cookies``, body, ``isBase64Encoded``); without, API Gateway infers 200 with
    the result as a JSON body.
    """
    if not (isinstance(result, dict) and "statusCode" in result):
        inferred = result if isinstance(result, str) else json.dumps(result)
        return HttpResponse(200, [("content-type", "application/json")], inferred.encode())
    status = result["statusCode"]
    if not isinstance(status, int) or isinstance(status, bool) or not 100 <= status <= 599:
        raise MalformedResponse(f"bad statusCode {status!r}")
    headers: list[tuple[str, str]] = [
        (str(name).lower(), str(value)) for name, value in (result.get("headers") or {}).items()
    ]
    single = {name for name, _ in headers}
    for name, values in (result.get("multiValueHeaders") or {}).items():
        if str(name).lower() not in single:
            headers.extend((str(name).lower(), str(value)) for value in values or ())
    headers.extend(("set-cookie", str(cookie)) for cookie in result.get("cookies") or ())
    raw_body = result.get("body")
    body: bytes
    if raw_body is None:
        body = b""
    elif not isinstance(raw_body, str):
        raise MalformedResponse("body must be a string")
    elif result.get("isBase64Encoded"):
        body = base64.b64decode(raw_body)
    else:
        body = raw_body.encode("utf-8")
    return HttpResponse(status, headers, body)
