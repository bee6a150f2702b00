"""The devstack's API Gateway: the WSGI application for the HTTP API a program declared.

In front of :class:`devstack.functions.FunctionRuntime`: route matching
(``devstack.gateway.routing``), CORS preflight and headers, throttling, the JWT
authorizer and payload 2.0 events, with API Gateway's own answers
(``{"message": ...}``) for what it refuses itself. ``devstack.gateway.serving`` serves it.
"""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Callable, Iterable
from typing import Any

from werkzeug.wrappers import Request, Response

from devstack.functions import FunctionError, Invoker
from devstack.functions.definitions import DEFAULT_ACCOUNT_ID
from devstack.gateway import cors as cors_rules
from devstack.gateway.authorizer import (
    AuthorizerContext,
    Forbidden,
    JwtVerifier,
    Unauthorized,
    bearer_token,
)
from devstack.gateway.events import EventInputs, MalformedResponse, build_event, map_result, new_request_id
from devstack.gateway.model import ServedApi, ServedRoute
from devstack.gateway.routing import RouteTable
from devstack.gateway.throttling import Throttles

logger = logging.getLogger("devstack.gateway")


def _message(status: int, message: str) -> Response:
    return Response(json.dumps({"message": message}), status=status, content_type="application/json")


class Gateway:
    """The WSGI application. ``invoker`` runs functions; ``jwks_url_for`` says where
    an issuer's keys are (the emulator's Cognito for a devstack)."""

    def __init__(self, api: ServedApi, invoker: Invoker, jwks_url_for: Callable[[str], str]) -> None:
        self.api = api
        self._invoker = invoker
        self._table = RouteTable(api.routes)
        self._throttles = Throttles({route.route_key: route.throttle for route in api.routes})
        self._verifiers: dict[str, JwtVerifier] = {}
        for route in api.routes:
            if route.authorizer is not None and route.authorizer.id not in self._verifiers:
                self._verifiers[route.authorizer.id] = JwtVerifier(
                    route.authorizer, jwks_url_for(route.authorizer.issuer)
                )

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        request = Request(environ)
        request_id = new_request_id()
        started = time.perf_counter()
        response, route_key = self._respond(request, request_id)
        response.headers["apigw-requestid"] = request_id
        if "x-request-id" not in response.headers:
            response.headers["x-request-id"] = request_id
        logger.info(
            '%s "%s %s" %s %s %.1fms',
            request_id,
            request.method,
            request.full_path.rstrip("?"),
            route_key or "-",
            response.status_code,
            (time.perf_counter() - started) * 1000,
        )
        return response(environ, start_response)

    def _respond(self, request: Request, request_id: str) -> tuple[Response, str | None]:
        headers = {name.lower(): value for name, value in request.headers.items()}
        cors = self.api.cors
        if cors is not None and cors_rules.is_preflight(request.method, headers):
            # Answered by the gateway without invoking any function.
            return Response(status=204, headers=cors_rules.preflight_headers(cors, headers)), None

        path = request.path
        if self.api.base_path:
            if not (path == self.api.base_path or path.startswith(self.api.base_path + "/")):
                return _message(404, "Not Found"), None
            path = path[len(self.api.base_path) :] or "/"
        matched = self._table.match(request.method, path)
        if matched is None:
            return _message(404, "Not Found"), None
        route, path_parameters = matched
        response = self._through_route(request, request_id, route, path_parameters, headers)
        if cors is not None:
            # With CORS configured, API Gateway's CORS headers replace the function's.
            function_cors = {
                name for name, _ in response.headers.items() if name.lower().startswith("access-control-")
            }
            for name in function_cors:
                del response.headers[name]
            response.headers.update(cors_rules.response_headers(cors, headers.get("origin")))
        return response, route.route_key

    def _through_route(
        self,
        request: Request,
        request_id: str,
        route: ServedRoute,
        path_parameters: dict[str, str],
        headers: dict[str, str],
    ) -> Response:
        if not self._throttles.allow(route.route_key):
            return _message(429, "Too Many Requests")
        authorizer: AuthorizerContext | None = None
        if route.authorizer is not None:
            try:
                authorizer = self._authorize(route, headers)
            except Unauthorized as refusal:
                logger.info("%s 401: %s", request_id, refusal)
                return _message(401, "Unauthorized")
            except Forbidden:
                return _message(403, "Forbidden")
        event = build_event(
            request,
            EventInputs(
                route_key=route.route_key,
                request_id=request_id,
                api_id=self.api.api_id,
                stage=self.api.stage,
                account_id=_account_of(route.function.arn),
                path_parameters=path_parameters,
                stage_variables=self.api.stage_variables,
                authorizer=authorizer,
            ),
        )
        try:
            result = self._invoker.invoke(route.function.name, event)
        except FunctionError as error:
            logger.warning(
                "%s function %s failed: %s %s",
                request_id,
                error.function_name,
                error.error_type,
                error.message,
            )
            return _message(502, "Internal Server Error")
        try:
            mapped = map_result(result)
        except MalformedResponse as error:
            logger.warning("%s malformed response from %s: %s", request_id, route.function.name, error)
            return _message(500, "Internal Server Error")
        response = Response(mapped.body, status=mapped.status)
        response.headers.clear()
        for name, value in mapped.headers:
            response.headers.add(name, value)
        return response

    def _authorize(self, route: ServedRoute, headers: dict[str, str]) -> AuthorizerContext:
        assert route.authorizer is not None
        source = route.authorizer.identity_sources[0]
        header_name = source.removeprefix("$request.header.").lower()
        token = bearer_token(headers.get(header_name))
        return self._verifiers[route.authorizer.id].verify(token, route.authorization_scopes)


def _account_of(arn: str) -> str:
    parts = arn.split(":")
    return parts[4] if len(parts) > 4 and parts[4] else DEFAULT_ACCOUNT_ID
