"""The HTTP edge shared by every API function: one operation per route, around it the
caller, the parsing and the errors.

Before anything else, a request that did not come through the distribution is refused
(``origin.py``; a Powertools middleware, so unknown routes are covered too).

Each function module registers one operation per route of ``routes.routes_for(name)``,
by the route's action (``@function.operation(Action.CREATE_BOOKING)``), and
``HttpFunction.build()`` registers them on a Powertools ``APIGatewayHttpResolver`` from
the route table itself (paths are never re-typed), refusing to start if a route lacks an
operation or an operation lacks a route. Around every operation:

- the caller is the verified JWT's claims (``claims.py``); the role is checked against
  the permission table's row for the route's action before anything is parsed;
- an explicit ``tenantId`` (body, query, ``x-tenant-id`` header) must be the caller's;
- body and query go through the route's pydantic models (``parsing.py``);
- the caller is admitted (``domain.admission``: a disabled user or tenant, or a role
  changed since the token was issued, is refused even with an unexpired token), by the
  edge's own read, or, for an operation registered with ``admits_caller=True``, by its
  service in the read it makes anyway;
- a ``DomainError`` becomes the error envelope with its status (``responses.py``);
  anything else is a logged 500 ``INTERNAL`` (never for bad input), and every response
  carries ``x-request-id``, the API Gateway request id.
"""

from __future__ import annotations

import os
import warnings
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, TypeVar

from aws_lambda_powertools import Logger, Metrics
from aws_lambda_powertools.event_handler import APIGatewayHttpResolver, Response
from aws_lambda_powertools.logging import correlation_paths
from aws_lambda_powertools.utilities.typing import LambdaContext
from pydantic import BaseModel

from booking import bootstrap, correlation
from booking.domain.access import authorize, ensure_own_tenant
from booking.domain.errors import DomainError, InternalError, NotFound, Unauthorized
from booking.domain.principal import Principal
from booking.handlers.claims import principal_from_event
from booking.handlers.cold_start import ends_with_first_invocation
from booking.handlers.origin import check_origin
from booking.handlers.parsing import parse_body, parse_query
from booking.handlers.responses import error_response, json_response
from booking.handlers.tracing import LazyTracer
from booking.routes import routes_for
from booking.routing import OperationId, Route

if TYPE_CHECKING:  # its module costs milliseconds at import; the annotation is all we need
    from aws_lambda_powertools.event_handler.middlewares import NextMiddleware

TENANT_HEADER = "x-tenant-id"

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
        self.tracer = LazyTracer(service)  # X-Ray is set up by the first invocation
        self.metrics = Metrics(service=service)
        self.operations: dict[OperationId, Operation] = {}
        # Operations whose service admits the caller in its own first read.
        self.self_admitting: set[OperationId] = set()
        self.app = APIGatewayHttpResolver()

    def operation(
        self, operation: OperationId, *, admits_caller: bool = False
    ) -> Callable[[Operation], Operation]:
        """Register the function that performs ``operation`` (a route's action).
        ``admits_caller``: its service reads the caller with its own first read and
        refuses them there (``admission.admitted``), so the edge reads nothing."""

        def register(function: Operation) -> Operation:
            if operation in self.operations:
                raise ValueError(f"{operation} is registered twice")
            if admits_caller:
                self.self_admitting.add(operation)
            # Each operation is its own X-Ray subsegment (a no-op when tracing is off).
            self.operations[operation] = self.tracer.capture_method(function)
            return function

        return register

    def build(self) -> Callable[[dict[str, Any], LambdaContext], dict[str, Any]]:
        """Register every declared route on the resolver; return the Lambda handler."""
        declared: set[OperationId] = {route.operation for route in self.routes}
        if declared != set(self.operations):
            raise RuntimeError(
                f"{self.name}: routes without an operation {sorted(declared - set(self.operations))}, "
                f"operations without a route {sorted(set(self.operations) - declared)}"
            )
        self.app.use(middlewares=[self._through_the_distribution])
        for route in self.routes:
            self.app.route(powertools_path(route.path), method=route.method)(self._endpoint(route))
        self.app.not_found(self._not_found)
        self.app.exception_handler(Exception)(self._unexpected)

        @ends_with_first_invocation
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

    def _through_the_distribution(
        self, app: APIGatewayHttpResolver, next_middleware: NextMiddleware
    ) -> Response[str]:
        try:
            check_origin(app.current_event.headers, bootstrap.adapters(self.name).origin_secrets)
        except DomainError as error:
            self.logger.info(
                "refused", extra={"code": error.code, "status": error.status, "path": app.current_event.path}
            )
            return error_response(error, self._request_id())
        return next_middleware(app)

    def _endpoint(self, route: Route) -> Callable[..., Response[str]]:
        operation = self.operations[route.operation]

        def endpoint(**path: str) -> Response[str]:
            event = self.app.current_event
            request_id = self._request_id()
            self.logger.append_keys(request_id=request_id, route=route.route_key)
            try:
                principal: Principal | None = None
                if route.action is not None:  # a public route names no action: no caller
                    principal = principal_from_event(event.raw_event)
                    self.logger.append_keys(tenant_id=principal.tenant_id, role=str(principal.role))
                    self.tracer.put_annotation(key="tenant_id", value=principal.tenant_id)
                    authorize(principal, route.action)
                    ensure_own_tenant(principal, event.headers.get(TENANT_HEADER))
                query = parse_query(event.query_string_parameters, route.query, principal)
                body = (
                    parse_body(event.body, bool(event.is_base64_encoded), route.body, principal)
                    if route.body is not None
                    else None
                )
                if principal is not None and route.operation not in self.self_admitting:
                    bootstrap.gate(self.name).admit(principal)
                call = Call(route, principal, path, body, query, dict(event.headers), request_id)
                with correlation.serving(request_id):  # the booking items written carry it
                    result = operation(call)
                return self._respond(route, result, request_id)
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
