"""The HTTP edge shared by every API function: routes, principal, parsing, errors.

Each function module declares one operation per route of ``routes.routes_for(name)``
and ``HttpFunction.build()`` registers them on a Powertools ``APIGatewayHttpResolver``
from the route table itself (paths are never re-typed), refusing to start if a route
lacks an operation or an operation lacks a route. Around every operation:

- the caller is the verified JWT's claims (``custom:tenant_id``, ``cognito:groups``,
  ``sub``, ``email``); the role is checked against the route before anything is parsed;
- an explicit ``tenantId`` (body, query, ``x-tenant-id`` header) must be the caller's;
- body and query go through the route's pydantic models: bad JSON is 400
  ``MALFORMED_JSON``, wrong types or unknown fields are 422 ``VALIDATION_ERROR`` with
  the fields named;
- a ``DomainError`` becomes the error envelope with its status; anything else is a
  logged 500 ``INTERNAL`` (never for bad input), and every response carries
  ``x-request-id``, the API Gateway request id.
"""

from __future__ import annotations

import base64
import binascii
import json
import os
import warnings
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, TypeVar

from aws_lambda_powertools import Logger, Metrics, Tracer
from aws_lambda_powertools.event_handler import APIGatewayHttpResolver, Response
from aws_lambda_powertools.logging import correlation_paths
from aws_lambda_powertools.utilities.typing import LambdaContext
from pydantic import BaseModel, ValidationError

from booking import bootstrap
from booking.domain.access import ensure_own_tenant
from booking.domain.errors import (
    BadRequest,
    DomainError,
    Forbidden,
    InternalError,
    InvalidValue,
    NotFound,
    Unauthorized,
)
from booking.domain.principal import Principal
from booking.domain.roles import Role
from booking.routes import Route, routes_for
from booking.schemas import ErrorBody, ErrorDetail, ErrorEnvelope

JSON = "application/json"
REQUEST_ID_HEADER = "x-request-id"
TENANT_HEADER = "x-tenant-id"
# Highest privilege first: a user in several groups acts with the strongest role.
ROLE_PRECEDENCE: tuple[Role, ...] = (Role.OWNER, Role.ADMIN, Role.DENTIST, Role.RECEPTION, Role.PATIENT)

ModelT = TypeVar("ModelT", bound=BaseModel)

# Most requests add no business metric; Powertools would warn about it on every one.
warnings.filterwarnings("ignore", message="No application metrics to publish", category=UserWarning)


@dataclass(frozen=True)
class Call:
    """One parsed request, as an operation sees it."""

    route: Route
    principal: Principal | None
    path: Mapping[str, str]
    body: Any
    query: Any
    headers: Mapping[str, str]
    request_id: str

    @property
    def caller(self) -> Principal:
        if self.principal is None:  # only public routes have no principal
            raise Unauthorized("this route needs a signed-in caller")
        return self.principal

    def body_as(self, model: type[ModelT]) -> ModelT:
        assert isinstance(self.body, model), f"{self.route.route_key} declares no {model.__name__} body"
        return self.body

    def query_as(self, model: type[ModelT]) -> ModelT:
        assert isinstance(self.query, model), f"{self.route.route_key} declares no {model.__name__} query"
        return self.query


@dataclass(frozen=True)
class Reply:
    body: BaseModel | None
    status: int | None = None  # default: the route's success status
    headers: Mapping[str, str] = field(default_factory=dict)


Operation = Callable[[Call], Reply | BaseModel | None]


def parse_groups(raw: Any) -> list[str]:
    """``cognito:groups`` arrives as a JSON list, or (HTTP API JWT authorizer) as a string
    like ``"[Admin Patient]"``; tolerate commas and quotes as well."""
    if isinstance(raw, list):
        return [str(item) for item in raw]
    if not isinstance(raw, str):
        return []
    text = raw.strip()
    if text.startswith("[") and text.endswith("]"):
        text = text[1:-1]
    return [part.strip("\"' ") for part in text.replace(",", " ").split() if part.strip("\"' ")]


def principal_from_event(event: Mapping[str, Any]) -> Principal:
    """The caller, from the claims API Gateway's JWT authorizer verified."""
    authorizer = (event.get("requestContext") or {}).get("authorizer") or {}
    claims = (authorizer.get("jwt") or {}).get("claims")
    if not isinstance(claims, Mapping) or not claims.get("sub"):
        raise Unauthorized("a valid bearer token is required")
    tenant_id = claims.get("custom:tenant_id")
    if not isinstance(tenant_id, str) or not tenant_id:
        raise Forbidden("the token carries no tenant", code="NO_TENANT")
    groups = set(parse_groups(claims.get("cognito:groups")))
    roles = [role for role in ROLE_PRECEDENCE if role.value in groups]
    if not roles:
        raise Forbidden("the token carries no role group", code="NO_ROLE")
    email = claims.get("email")
    return Principal(
        user_id=str(claims["sub"]),
        tenant_id=tenant_id,
        role=roles[0],
        email=email if isinstance(email, str) else None,
    )


def _validation_error(error: ValidationError, where: str) -> InvalidValue:
    details = [
        ErrorDetail(
            field=".".join(str(part) for part in item["loc"]) or where,
            message=item["msg"],
            type=item["type"],
        )
        for item in error.errors(include_url=False)
    ]
    return InvalidValue(f"the {where} is invalid", code="VALIDATION_ERROR", details=details)


def _without_tenant(data: dict[str, Any], principal: Principal | None) -> dict[str, Any]:
    """Drop an explicit ``tenantId`` after checking it is the caller's own."""
    if "tenantId" not in data:
        return data
    value = data.pop("tenantId")
    if principal is not None:
        ensure_own_tenant(principal, value if isinstance(value, str) else repr(value))
    return data


def parse_body(
    raw: str | None, base64_encoded: bool, model: type[BaseModel], principal: Principal | None
) -> Any:
    text = raw or ""
    try:
        if base64_encoded and text:
            text = base64.b64decode(text, validate=True).decode("utf-8")
        data = json.loads(text) if text.strip() else {}
    except (ValueError, binascii.Error) as error:  # JSONDecodeError and UnicodeDecodeError are ValueErrors
        raise BadRequest(f"the body is not valid JSON: {error}", code="MALFORMED_JSON") from error
    if not isinstance(data, dict):
        raise InvalidValue(
            "the body must be a JSON object",
            code="VALIDATION_ERROR",
            details=[ErrorDetail(field="body", message="must be a JSON object", type="dict_type")],
        )
    try:
        return model.model_validate(_without_tenant(data, principal))
    except ValidationError as error:
        raise _validation_error(error, "body") from error


def parse_query(
    params: Mapping[str, str] | None, model: type[BaseModel] | None, principal: Principal | None
) -> Any:
    data = _without_tenant(dict(params or {}), principal)
    if model is None:
        if data:
            raise InvalidValue(
                "this route takes no query parameters",
                code="VALIDATION_ERROR",
                details=[
                    ErrorDetail(field=name, message="unexpected", type="extra_forbidden") for name in data
                ],
            )
        return None
    try:
        return model.model_validate(data)
    except ValidationError as error:
        raise _validation_error(error, "query") from error


def json_response(
    status: int, body: Any, request_id: str, headers: Mapping[str, str] | None = None
) -> Response[str]:
    all_headers = {REQUEST_ID_HEADER: request_id, **(headers or {})}
    if body is None:
        return Response(status_code=status, headers=all_headers, body="")
    return Response(status_code=status, content_type=JSON, body=json.dumps(body), headers=all_headers)


def error_response(error: DomainError, request_id: str) -> Response[str]:
    details = [
        item if isinstance(item, ErrorDetail) else ErrorDetail.model_validate(item)
        for item in error.details or []
        if isinstance(item, ErrorDetail | Mapping)
    ]
    envelope = ErrorEnvelope(
        error=ErrorBody(
            code=error.code, message=error.message, request_id=request_id, details=details or None
        )
    )
    return json_response(
        error.status, envelope.model_dump(by_alias=True, mode="json", exclude_none=True), request_id
    )


def powertools_path(path: str) -> str:
    """``/bookings/{id}`` (API Gateway) is ``/bookings/<id>`` to the Powertools resolver."""
    return path.replace("{", "<").replace("}", ">")


class HttpFunction:
    """One API function: its observability tools, its operations and its resolver."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.routes = routes_for(name)
        # POWERTOOLS_SERVICE_NAME (declared in settings.py) names the service when set.
        service = os.environ.get("POWERTOOLS_SERVICE_NAME") or name
        self.logger = Logger(service=service)
        self.tracer = Tracer(service=service)
        self.metrics = Metrics(service=service)
        self.operations: dict[str, Operation] = {}
        self.app = APIGatewayHttpResolver()

    def operation(self, operation_id: str) -> Callable[[Operation], Operation]:
        def register(function: Operation) -> Operation:
            if operation_id in self.operations:
                raise ValueError(f"{operation_id} is registered twice")
            # Each operation is its own X-Ray subsegment (a no-op when tracing is off).
            self.operations[operation_id] = self.tracer.capture_method(function)
            return function

        return register

    def build(self) -> Callable[[dict[str, Any], LambdaContext], dict[str, Any]]:
        """Register every declared route on the resolver; return the Lambda handler."""
        declared = {route.operation_id for route in self.routes}
        if declared != set(self.operations):
            raise RuntimeError(
                f"{self.name}: routes without an operation {sorted(declared - set(self.operations))}, "
                f"operations without a route {sorted(set(self.operations) - declared)}"
            )
        for route in self.routes:
            self.app.route(powertools_path(route.path), method=route.method)(self._endpoint(route))
        self.app.not_found(self._not_found)
        self.app.exception_handler(Exception)(self._unexpected)

        @self.logger.inject_lambda_context(
            correlation_id_path=correlation_paths.API_GATEWAY_HTTP, clear_state=True
        )
        @self.tracer.capture_lambda_handler
        @self.metrics.log_metrics
        def handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
            # The function's environment is validated by its settings model once, on the
            # first invocation of the container: a misconfigured function fails loudly.
            bootstrap.settings(self.name)
            return self.app.resolve(event, context)

        return handler

    def _request_id(self) -> str:
        return str(self.app.current_event.request_context.request_id or "")

    def _endpoint(self, route: Route) -> Callable[..., Response[str]]:
        operation = self.operations[route.operation_id]

        def endpoint(**path: str) -> Response[str]:
            event = self.app.current_event
            request_id = self._request_id()
            self.logger.append_keys(request_id=request_id, route=route.route_key)
            try:
                principal = None if route.public else principal_from_event(event.raw_event)
                if principal is not None:
                    self.logger.append_keys(tenant_id=principal.tenant_id, role=str(principal.role))
                    self.tracer.put_annotation(key="tenant_id", value=principal.tenant_id)
                    if principal.role not in route.roles:
                        raise Forbidden(
                            f"role {principal.role} may not {route.operation_id}", code="ROLE_NOT_ALLOWED"
                        )
                    ensure_own_tenant(principal, event.headers.get(TENANT_HEADER))
                query = parse_query(event.query_string_parameters, route.query, principal)
                body = (
                    parse_body(event.body, bool(event.is_base64_encoded), route.body, principal)
                    if route.body is not None
                    else None
                )
                call = Call(route, principal, path, body, query, dict(event.headers), request_id)
                return self._respond(route, operation(call), request_id)
            except DomainError as error:
                self.logger.info(
                    "refused", extra={"code": error.code, "status": error.status, "route": route.route_key}
                )
                return error_response(error, request_id)

        endpoint.__name__ = route.operation_id
        return endpoint

    @staticmethod
    def _respond(route: Route, result: Reply | BaseModel | None, request_id: str) -> Response[str]:
        reply = result if isinstance(result, Reply) else Reply(result)
        status = reply.status or route.success_status
        body = None if reply.body is None else reply.body.model_dump(by_alias=True, mode="json")
        return json_response(status, body if status != 204 else None, request_id, reply.headers)

    def _not_found(self, _: Exception) -> Response[str]:
        return error_response(NotFound("no such route", code="ROUTE_NOT_FOUND"), self._request_id())

    def _unexpected(self, error: Exception) -> Response[str]:
        self.logger.exception("unexpected error")
        return error_response(
            InternalError("internal error; quote the request id when reporting it"), self._request_id()
        )
