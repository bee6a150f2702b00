"""Hand-made inventories shaped like what the program registers under the mock engine
(camelCase inputs, ids returned by the engine), for gateway tests."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from engine.inventory import Inventory, ResourceRecord

REGION = "us-east-1"
ACCOUNT = "123456789012"
HANDLERS = "tests.unit.gateway.handlers"


@dataclass
class FakeProgram:
    """Builds the records of one HTTP API with its functions, routes and stage."""

    issuer: str = "https://cognito-idp.us-east-1.amazonaws.com/us-east-1_pool"
    audiences: list[str] = field(default_factory=lambda: ["client-id"])
    cors: dict[str, Any] | None = field(
        default_factory=lambda: {
            "allowOrigins": ["https://app.example.com"],
            "allowMethods": ["GET", "POST", "PUT", "DELETE"],
            "allowHeaders": ["authorization", "content-type", "idempotency-key"],
            "exposeHeaders": ["x-request-id"],
            "maxAge": 600,
            "allowCredentials": False,
        }
    )
    default_route_settings: dict[str, Any] | None = field(
        default_factory=lambda: {"throttlingBurstLimit": 100, "throttlingRateLimit": 50}
    )
    route_settings: list[dict[str, Any]] = field(default_factory=list)
    stage_name: str = "$default"
    records: list[ResourceRecord] = field(default_factory=list)

    def _add(
        self, type_: str, name: str, id_: str, inputs: dict[str, Any], outputs: dict[str, Any] | None = None
    ) -> None:
        self.records.append(
            ResourceRecord(
                urn=f"urn:pulumi:dev::booking-platform::{type_}::{name}",
                type=type_,
                name=name,
                parent="urn:pulumi:dev::booking-platform::pulumi:pulumi:Stack::booking-platform-dev",
                provider=None,
                inputs=inputs,
                id=id_,
                outputs=outputs or {},
            )
        )

    def function(
        self, name: str, handler: str, variables: dict[str, str] | None = None, timeout: int = 10
    ) -> str:
        arn = f"arn:aws:lambda:{REGION}:{ACCOUNT}:function:{name}"
        invoke_arn = f"arn:aws:apigateway:{REGION}:lambda:path/2015-03-31/functions/{arn}/invocations"
        inputs = {
            "name": name,
            "handler": f"{HANDLERS}.{handler}",
            "runtime": "python3.12",
            "memorySize": 256,
            "timeout": timeout,
            "environment": {"variables": variables or {}},
        }
        self._add(
            "aws:lambda/function:Function",
            f"{name}-function",
            name,
            inputs,
            {"arn": arn, "invokeArn": invoke_arn},
        )
        return invoke_arn

    def route(self, route_key: str, function_uri: str, *, jwt: bool = True) -> None:
        integration_id = f"int-{len(self.records)}"
        self._add(
            "aws:apigatewayv2/integration:Integration",
            f"integration-{integration_id}",
            integration_id,
            {
                "apiId": "api-1",
                "integrationType": "AWS_PROXY",
                "integrationUri": function_uri,
                "payloadFormatVersion": "2.0",
            },
        )
        inputs: dict[str, Any] = {
            "apiId": "api-1",
            "routeKey": route_key,
            "target": f"integrations/{integration_id}",
        }
        if jwt:
            inputs |= {"authorizationType": "JWT", "authorizerId": "auth-1"}
        self._add("aws:apigatewayv2/route:Route", f"route-{route_key}", f"route-{len(self.records)}", inputs)

    def inventory(self) -> Inventory:
        api_inputs: dict[str, Any] = {"name": "booking-api", "protocolType": "HTTP"}
        if self.cors is not None:
            api_inputs["corsConfiguration"] = self.cors
        stage_inputs: dict[str, Any] = {"apiId": "api-1", "name": self.stage_name, "autoDeploy": True}
        if self.default_route_settings is not None:
            stage_inputs["defaultRouteSettings"] = self.default_route_settings
        if self.route_settings:
            stage_inputs["routeSettings"] = self.route_settings
        head: list[ResourceRecord] = []
        for type_, name, id_, inputs in (
            ("aws:apigatewayv2/api:Api", "api", "api-1", api_inputs),
            (
                "aws:apigatewayv2/authorizer:Authorizer",
                "authorizer",
                "auth-1",
                {
                    "apiId": "api-1",
                    "authorizerType": "JWT",
                    "identitySources": ["$request.header.Authorization"],
                    "name": "cognito",
                    "jwtConfiguration": {"issuer": self.issuer, "audiences": self.audiences},
                },
            ),
            ("aws:apigatewayv2/stage:Stage", "stage", "stage-1", stage_inputs),
        ):
            head.append(
                ResourceRecord(
                    urn=f"urn:pulumi:dev::booking-platform::{type_}::{name}",
                    type=type_,
                    name=name,
                    parent=None,
                    provider=None,
                    inputs=inputs,
                    id=id_,
                )
            )
        return Inventory(project="booking-platform", stack="dev", resources=head + self.records)


def standard_program(**overrides: Any) -> FakeProgram:
    """Two functions with distinct settings, public and JWT routes, one stricter route."""
    program = FakeProgram(**overrides)
    echo = program.function("echo-fn", "echo", {"ECHO_SETTING": "echo-value", "TABLE_NAME": "echo-table"})
    other = program.function(
        "other-fn", "echo", {"OTHER_SETTING": "other-value", "TABLE_NAME": "other-table"}
    )
    program.route("GET /health", echo, jwt=False)
    program.route("GET /items/{id}", echo)
    program.route("POST /items", echo)
    program.route("GET /other", other)
    program.route("GET /files/{proxy+}", echo, jwt=False)
    program.route("GET /shaped", program.function("shaped-fn", "shaped"), jwt=False)
    program.route("GET /plain", program.function("plain-fn", "plain"), jwt=False)
    program.route("GET /fail", program.function("fail-fn", "fail"), jwt=False)
    program.route("GET /crash", program.function("crash-fn", "crash"), jwt=False)
    program.route("GET /slow", program.function("slow-fn", "slow", timeout=1), jwt=False)
    program.route("GET /limited", echo, jwt=False)
    program.route_settings.append(
        {"routeKey": "GET /limited", "throttlingBurstLimit": 2, "throttlingRateLimit": 0.001}
    )
    return program
