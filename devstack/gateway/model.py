"""The HTTP API a program declared, as the devstack gateway serves it.

Built only from the inventory of a mock-engine run: the ``aws:apigatewayv2`` Api
(CORS), Authorizers (JWT issuer, audiences, identity source), Integrations (which
Lambda), Routes (route key, target, authorization) and the Stage (throttling), and
the ``aws:lambda`` Functions the integrations point at. Nothing here is typed by
hand, so a route path, an environment variable or an authorizer setting changed in a
component changes what the devstack serves.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from devstack.functions.definitions import LambdaFunction, find_function, functions_from_inventory
from engine.inventory import Inventory, ResourceRecord

API_TYPE = "aws:apigatewayv2/api:Api"
AUTHORIZER_TYPE = "aws:apigatewayv2/authorizer:Authorizer"
INTEGRATION_TYPE = "aws:apigatewayv2/integration:Integration"
ROUTE_TYPE = "aws:apigatewayv2/route:Route"
STAGE_TYPE = "aws:apigatewayv2/stage:Stage"

DEFAULT_STAGE = "$default"
# API Gateway's account-level limits, what a stage without settings gets.
ACCOUNT_RATE_LIMIT = 10_000.0
ACCOUNT_BURST_LIMIT = 5_000


@dataclass(frozen=True)
class Throttle:
    """A token bucket's settings: ``rate`` tokens per second, at most ``burst`` saved."""

    rate_limit: float
    burst_limit: int


@dataclass(frozen=True)
class Cors:
    """An HTTP API's ``corsConfiguration``."""

    allow_origins: tuple[str, ...] = ()
    allow_methods: tuple[str, ...] = ()
    allow_headers: tuple[str, ...] = ()
    expose_headers: tuple[str, ...] = ()
    allow_credentials: bool = False
    max_age: int | None = None


@dataclass(frozen=True)
class JwtAuthorizer:
    id: str
    name: str
    issuer: str
    audiences: tuple[str, ...]
    identity_sources: tuple[str, ...] = ("$request.header.Authorization",)


@dataclass(frozen=True)
class ServedRoute:
    route_key: str  # "GET /bookings/{id}", "ANY /x" or "$default"
    function: LambdaFunction
    throttle: Throttle
    authorizer: JwtAuthorizer | None = None
    authorization_scopes: tuple[str, ...] = ()
    timeout_ms: int = 30_000

    @property
    def method(self) -> str:
        return "ANY" if self.route_key == "$default" else self.route_key.split(" ", 1)[0]

    @property
    def path(self) -> str:
        return "/{proxy+}" if self.route_key == "$default" else self.route_key.split(" ", 1)[1]


@dataclass(frozen=True)
class ServedApi:
    api_id: str
    name: str
    stage: str
    routes: tuple[ServedRoute, ...]
    cors: Cors | None = None
    stage_variables: dict[str, str] = field(default_factory=dict)
    functions: dict[str, LambdaFunction] = field(default_factory=dict)

    @property
    def base_path(self) -> str:
        """Where the stage is served: the root for ``$default``, else ``/<stage>``."""
        return "" if self.stage == DEFAULT_STAGE else f"/{self.stage}"

    def route(self, route_key: str) -> ServedRoute:
        for route in self.routes:
            if route.route_key == route_key:
                return route
        raise KeyError(route_key)


def _props(record: ResourceRecord) -> dict[str, Any]:
    return {**record.inputs, **record.outputs}


def _strings(value: Any) -> tuple[str, ...]:
    return tuple(str(item) for item in value or ())


def throttle_of(settings: dict[str, Any] | None) -> Throttle:
    """Settings that name only one limit leave the other at 0, as API Gateway does
    (and then every request is throttled: pulumi/pulumi-aws#2363)."""
    if not settings:
        return Throttle(ACCOUNT_RATE_LIMIT, ACCOUNT_BURST_LIMIT)
    return Throttle(
        rate_limit=float(settings.get("throttlingRateLimit") or 0),
        burst_limit=int(settings.get("throttlingBurstLimit") or 0),
    )


def cors_of(config: dict[str, Any] | None) -> Cors | None:
    if not config:
        return None
    max_age = config.get("maxAge")
    return Cors(
        allow_origins=_strings(config.get("allowOrigins")),
        allow_methods=tuple(method.upper() for method in _strings(config.get("allowMethods"))),
        allow_headers=tuple(header.lower() for header in _strings(config.get("allowHeaders"))),
        expose_headers=_strings(config.get("exposeHeaders")),
        allow_credentials=bool(config.get("allowCredentials")),
        max_age=int(max_age) if max_age is not None else None,
    )


def _pick_api(inventory: Inventory, api_name: str | None) -> ResourceRecord:
    apis = [
        record
        for record in inventory.of_type(API_TYPE)
        if _props(record).get("protocolType", "HTTP") == "HTTP"
        and (api_name is None or api_name in {record.name, _props(record).get("name")})
    ]
    if len(apis) != 1:
        names = [record.name for record in apis]
        raise ValueError(
            f"expected exactly one HTTP API{f' named {api_name!r}' if api_name else ''}, found {names}"
        )
    return apis[0]


def _pick_stage(inventory: Inventory, api_id: str) -> ResourceRecord | None:
    stages = [record for record in inventory.of_type(STAGE_TYPE) if _props(record).get("apiId") == api_id]
    for stage in stages:
        if _props(stage).get("name") == DEFAULT_STAGE:
            return stage
    return stages[0] if stages else None


def _authorizers(inventory: Inventory, api_id: str) -> dict[str, JwtAuthorizer]:
    authorizers: dict[str, JwtAuthorizer] = {}
    for record in inventory.of_type(AUTHORIZER_TYPE):
        props = _props(record)
        if props.get("apiId") != api_id:
            continue
        if props.get("authorizerType") != "JWT":
            raise ValueError(f"authorizer {record.name!r}: only JWT authorizers are emulated")
        jwt_configuration = props.get("jwtConfiguration") or {}
        authorizers[record.id] = JwtAuthorizer(
            id=record.id,
            name=str(props.get("name") or record.name),
            issuer=str(jwt_configuration.get("issuer") or ""),
            audiences=_strings(jwt_configuration.get("audiences")),
            identity_sources=_strings(props.get("identitySources")) or ("$request.header.Authorization",),
        )
    return authorizers


def build_served_api(
    inventory: Inventory, *, region: str = "us-east-1", api_name: str | None = None
) -> ServedApi:
    """The API to serve: each route resolved to its function, authorizer and limits."""
    api = _pick_api(inventory, api_name)
    api_props = _props(api)
    functions = functions_from_inventory(inventory, region)
    authorizers = _authorizers(inventory, api.id)
    integrations = {
        record.id: _props(record)
        for record in inventory.of_type(INTEGRATION_TYPE)
        if _props(record).get("apiId") == api.id
    }

    stage = _pick_stage(inventory, api.id)
    stage_props = _props(stage) if stage else {}
    default_throttle = throttle_of(stage_props.get("defaultRouteSettings"))
    # Per-route settings replace the stage defaults for that route; they do not
    # inherit them (terraform-aws-modules/terraform-aws-apigateway-v2#78).
    route_throttles = {
        str(settings["routeKey"]): throttle_of(settings)
        for settings in stage_props.get("routeSettings") or ()
    }

    routes: list[ServedRoute] = []
    for record in inventory.of_type(ROUTE_TYPE):
        props = _props(record)
        if props.get("apiId") != api.id:
            continue
        route_key = str(props["routeKey"])
        target = str(props.get("target") or "")
        if not target.startswith("integrations/"):
            raise ValueError(f"route {route_key!r} has no integration target ({target!r})")
        integration = integrations[target.removeprefix("integrations/")]
        if integration.get("integrationType", "AWS_PROXY") != "AWS_PROXY":
            raise ValueError(f"route {route_key!r}: only Lambda proxy integrations are emulated")
        if str(integration.get("payloadFormatVersion") or "2.0") != "2.0":
            raise ValueError(f"route {route_key!r}: only payload format 2.0 is emulated")
        authorizer: JwtAuthorizer | None = None
        if props.get("authorizationType", "NONE") == "JWT":
            authorizer = authorizers[str(props["authorizerId"])]
        routes.append(
            ServedRoute(
                route_key=route_key,
                function=find_function(functions, str(integration["integrationUri"])),
                throttle=route_throttles.get(route_key, default_throttle),
                authorizer=authorizer,
                authorization_scopes=_strings(props.get("authorizationScopes")),
                timeout_ms=int(integration.get("timeoutMilliseconds") or 30_000),
            )
        )
    return ServedApi(
        api_id=api.id,
        name=str(api_props.get("name") or api.name),
        stage=str(stage_props.get("name") or DEFAULT_STAGE),
        routes=tuple(routes),
        cors=cors_of(api_props.get("corsConfiguration")),
        stage_variables={
            str(key): str(value) for key, value in (stage_props.get("stageVariables") or {}).items()
        },
        functions=functions,
    )
