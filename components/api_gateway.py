"""The HTTP API, generated from ``booking.contract.ROUTES``: one integration per function,
one route per declared route (JWT unless public), CORS, throttled ``$default`` stage with
access logs."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import pulumi
import pulumi_aws as aws
from booking.contract import Route

# The fields API Gateway substitutes into each access-log line (JSON, one per request).
ACCESS_LOG_FORMAT = json.dumps(
    {
        "requestId": "$context.requestId",
        "routeKey": "$context.routeKey",
        "status": "$context.status",
        "ip": "$context.identity.sourceIp",
        "requestTime": "$context.requestTime",
        "latencyMs": "$context.responseLatency",
        "integrationLatencyMs": "$context.integrationLatency",
        "integrationError": "$context.integrationErrorMessage",
        "authorizerError": "$context.authorizer.error",
        "userAgent": "$context.identity.userAgent",
    },
    sort_keys=True,
)


@dataclass(frozen=True)
class RouteTarget:
    """What a route's function exposes to the API."""

    function_name: pulumi.Input[str]
    invoke_arn: pulumi.Input[str]


@dataclass(frozen=True)
class ApiGatewayArgs:
    api_name: str
    routes: Sequence[Route]
    targets: Mapping[str, RouteTarget]  # settings.FUNCTIONS key -> function
    jwt_issuer: pulumi.Input[str]
    jwt_audience: pulumi.Input[str]
    cors_allow_origins: Sequence[str]
    cors_allow_methods: Sequence[str]
    cors_allow_headers: Sequence[str]
    cors_max_age_seconds: int
    throttling_burst_limit: int
    throttling_rate_limit: float
    log_retention_days: int


class ApiGateway(pulumi.ComponentResource):
    api_id: pulumi.Output[str]
    api_endpoint: pulumi.Output[str]
    execution_arn: pulumi.Output[str]
    stage_name: pulumi.Output[str]

    def __init__(self, name: str, args: ApiGatewayArgs, opts: pulumi.ResourceOptions | None = None) -> None:
        super().__init__("booking:api:ApiGateway", name, None, opts)
        child = pulumi.ResourceOptions(parent=self)
        self.api = aws.apigatewayv2.Api(
            f"{name}-http-api",
            name=args.api_name,
            protocol_type="HTTP",
            description="Booking platform HTTP API (generated from booking/routes.py)",
            cors_configuration=aws.apigatewayv2.ApiCorsConfigurationArgs(
                allow_origins=list(args.cors_allow_origins),
                allow_methods=list(args.cors_allow_methods),
                allow_headers=list(args.cors_allow_headers),
                expose_headers=["x-request-id"],
                allow_credentials=False,  # bearer tokens in a header, never cookies
                max_age=args.cors_max_age_seconds,
            ),
            opts=child,
        )
        self.authorizer = aws.apigatewayv2.Authorizer(
            f"{name}-jwt",
            api_id=self.api.id,
            name="cognito-jwt",
            authorizer_type="JWT",
            identity_sources=["$request.header.Authorization"],
            jwt_configuration=aws.apigatewayv2.AuthorizerJwtConfigurationArgs(
                issuer=args.jwt_issuer, audiences=[args.jwt_audience]
            ),
            opts=child,
        )
        used_functions = sorted({route.function for route in args.routes})
        missing = [function for function in used_functions if function not in args.targets]
        if missing:
            raise ValueError(f"routes name functions the API was not given: {missing}")
        self.integrations: dict[str, aws.apigatewayv2.Integration] = {}
        self.permissions: dict[str, aws.lambda_.Permission] = {}
        for function in used_functions:
            target = args.targets[function]
            self.integrations[function] = aws.apigatewayv2.Integration(
                f"{name}-{function}",
                api_id=self.api.id,
                integration_type="AWS_PROXY",
                integration_method="POST",
                integration_uri=target.invoke_arn,
                payload_format_version="2.0",
                timeout_milliseconds=29000,
                opts=child,
            )
            self.permissions[function] = aws.lambda_.Permission(
                f"{name}-{function}-invoke",
                action="lambda:InvokeFunction",
                function=target.function_name,
                principal="apigateway.amazonaws.com",
                source_arn=self.api.execution_arn.apply(lambda arn: f"{arn}/*/*"),
                opts=child,
            )
        self.routes: list[aws.apigatewayv2.Route] = []
        for route in args.routes:
            self.routes.append(
                aws.apigatewayv2.Route(
                    f"{name}-{route.operation_id}",
                    api_id=self.api.id,
                    route_key=route.route_key,
                    operation_name=route.operation_id,
                    target=self.integrations[route.function].id.apply(lambda i: f"integrations/{i}"),
                    authorization_type="NONE" if route.public else "JWT",
                    authorizer_id=None if route.public else self.authorizer.id,
                    opts=child,
                )
            )
        self.access_logs = aws.cloudwatch.LogGroup(
            f"{name}-access-logs",
            name=f"/aws/apigateway/{args.api_name}",
            retention_in_days=args.log_retention_days,
            opts=child,
        )
        self.stage = aws.apigatewayv2.Stage(
            f"{name}-stage",
            api_id=self.api.id,
            name="$default",
            auto_deploy=True,
            # Both limits, always: a stage with only one gets 0 for the other and
            # answers every request with 429 (pulumi/pulumi-aws#2363).
            default_route_settings=aws.apigatewayv2.StageDefaultRouteSettingsArgs(
                throttling_burst_limit=args.throttling_burst_limit,
                throttling_rate_limit=args.throttling_rate_limit,
                detailed_metrics_enabled=True,
            ),
            # Route settings replace the defaults for their route (they do not inherit),
            # so each override sets both limits too.
            route_settings=[
                aws.apigatewayv2.StageRouteSettingArgs(
                    route_key=route.route_key,
                    throttling_burst_limit=route.throttle.burst_limit,
                    throttling_rate_limit=route.throttle.rate_limit,
                    detailed_metrics_enabled=True,
                )
                for route in args.routes
                if route.throttle is not None
            ],
            access_log_settings=aws.apigatewayv2.StageAccessLogSettingsArgs(
                destination_arn=self.access_logs.arn, format=ACCESS_LOG_FORMAT
            ),
            # Route settings name routes that must exist first.
            opts=child.merge(pulumi.ResourceOptions(depends_on=list(self.routes))),
        )
        self.api_id = self.api.id
        self.api_endpoint = self.api.api_endpoint
        self.execution_arn = self.api.execution_arn
        self.stage_name = self.stage.name
        self.register_outputs(
            {"apiId": self.api_id, "apiEndpoint": self.api_endpoint, "stageName": self.stage_name}
        )
