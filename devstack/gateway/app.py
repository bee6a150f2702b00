"""The devstack's API Gateway: serves the HTTP API a program declared.

A werkzeug WSGI application in front of :class:`devstack.functions.FunctionRuntime`:
route matching (``{param}`` and ``{proxy+}`` paths, ``ANY``, ``$default``), CORS
preflight and headers, throttling, the JWT authorizer and payload 2.0 events, with
API Gateway's own answers (``{"message": ...}``) for what it refuses itself.

Run alone against an inventory and a running emulator::

    python -m devstack.gateway.app --inventory inventory.json --endpoint-url http://127.0.0.1:5000
"""

from __future__ import annotations

import argparse
import contextlib
import json
import logging
import re
import threading
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from werkzeug.exceptions import NotFound
from werkzeug.routing import Map, Rule
from werkzeug.serving import BaseWSGIServer, WSGIRequestHandler, make_server
from werkzeug.wrappers import Request, Response

from devstack.functions.definitions import DEFAULT_ACCOUNT_ID
from devstack.functions.runtime import FunctionError, Invoker
from devstack.gateway import cors as cors_rules
from devstack.gateway.authorizer import (
    AuthorizerContext,
    Forbidden,
    JwtVerifier,
    Unauthorized,
    bearer_token,
    emulator_jwks_resolver,
)
from devstack.gateway.events import EventInputs, MalformedResponse, build_event, map_result, new_request_id
from devstack.gateway.model import ServedApi, ServedRoute
from devstack.gateway.throttling import Throttles

logger = logging.getLogger("devstack.gateway")

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8080
_PARAMETER = re.compile(r"\{([^}]+)\}")


@dataclass(frozen=True)
class _Compiled:
    rule_path: str
    names: dict[str, str]  # werkzeug variable -> API Gateway parameter name


def _compile_path(path: str) -> _Compiled:
    """``/bookings/{id}`` → ``/bookings/<p0>``; ``{proxy+}`` is greedy (``<path:p1>``)."""
    names: dict[str, str] = {}

    def replace(match: re.Match[str]) -> str:
        variable = f"p{len(names)}"
        parameter = match.group(1)
        if parameter.endswith("+"):
            names[variable] = parameter[:-1]
            return f"<path:{variable}>"
        names[variable] = parameter
        return f"<{variable}>"

    return _Compiled(_PARAMETER.sub(replace, path), names)


class RouteTable:
    """Picks the route as API Gateway does: the exact method before ``ANY``, the
    most specific path first (werkzeug orders static parts before variables), and
    ``$default`` when nothing else matches."""

    def __init__(self, routes: Iterable[ServedRoute]) -> None:
        by_method: dict[str, list[Rule]] = {}
        self._names: dict[str, dict[str, str]] = {}
        self._default: ServedRoute | None = None
        self._routes: dict[str, ServedRoute] = {}
        for route in routes:
            self._routes[route.route_key] = route
            if route.route_key == "$default":
                self._default = route
                continue
            compiled = _compile_path(route.path)
            self._names[route.route_key] = compiled.names
            by_method.setdefault(route.method, []).append(
                Rule(compiled.rule_path, endpoint=route.route_key, strict_slashes=False, merge_slashes=False)
            )
        self._maps = {method: Map(rules, strict_slashes=False) for method, rules in by_method.items()}

    def match(self, method: str, path: str) -> tuple[ServedRoute, dict[str, str]] | None:
        for key in (method, "ANY"):
            routing = self._maps.get(key)
            if routing is None:
                continue
            try:
                route_key, variables = routing.bind("localhost").match(path, method=None)
            except NotFound:
                continue
            names = self._names[str(route_key)]
            return self._routes[str(route_key)], {
                names[name]: str(value) for name, value in variables.items()
            }
        if self._default is not None:
            return self._default, {}
        return None


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


class _QuietHandler(WSGIRequestHandler):
    """The gateway logs each request itself (with its request id)."""

    def log_request(self, code: int | str = "-", size: int | str = "-") -> None:
        return


class GatewayServer:
    """The gateway on a threaded HTTP server, in a background thread."""

    def __init__(self, gateway: Gateway, host: str = DEFAULT_HOST, port: int = DEFAULT_PORT) -> None:
        self.gateway = gateway
        self._server: BaseWSGIServer = make_server(
            host, port, gateway, threaded=True, request_handler=_QuietHandler
        )
        self.host = host
        self.port = self._server.server_port
        self._thread: threading.Thread | None = None

    @property
    def url(self) -> str:
        """The API's invoke URL (with the stage for a named stage)."""
        return f"http://{self.host}:{self.port}{self.gateway.api.base_path}"

    def start(self) -> GatewayServer:
        self._thread = threading.Thread(
            target=self._server.serve_forever, name="devstack-gateway", daemon=True
        )
        self._thread.start()
        return self

    def serve_forever(self) -> None:
        self._server.serve_forever()

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()
        if self._thread is not None:
            self._thread.join(timeout=5)

    def __enter__(self) -> GatewayServer:
        return self.start()

    def __exit__(self, *_exc: object) -> None:
        self.stop()


def main(argv: Sequence[str] | None = None) -> int:
    from devstack.functions import EmulatorEnvironment, FunctionRuntime
    from devstack.gateway.model import build_served_api
    from engine.inventory import Inventory

    parser = argparse.ArgumentParser(description="Serve a program's HTTP API from its inventory.")
    parser.add_argument("--inventory", required=True, help="inventory JSON of a mock-engine run")
    parser.add_argument("--endpoint-url", required=True, help="the AWS emulator the functions and JWKS use")
    parser.add_argument("--region", default="us-east-1")
    parser.add_argument("--host", default=DEFAULT_HOST)
    parser.add_argument("--port", type=int, default=DEFAULT_PORT)
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(message)s")
    from pathlib import Path

    api = build_served_api(Inventory.load(Path(args.inventory)), region=args.region)
    with FunctionRuntime(api.functions, EmulatorEnvironment(args.endpoint_url, args.region)) as runtime:
        runtime.warm()
        server = GatewayServer(
            Gateway(api, runtime, emulator_jwks_resolver(args.endpoint_url)), args.host, args.port
        )
        print(f"serving {api.name} on {server.url}")
        with contextlib.suppress(KeyboardInterrupt):
            server.serve_forever()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
