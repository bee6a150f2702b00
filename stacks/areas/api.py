"""API: the HTTP API, one route per entry of ``ROUTES``, in front of the synchronous
functions, behind the Cognito JWT authorizer, with the stack's CORS and throttling."""

from __future__ import annotations

from booking.contract import FUNCTIONS, ROUTES

from components.api_gateway import ApiGateway, ApiGatewayArgs, RouteTarget
from components.booking_function import BookingFunction
from components.cognito import Cognito
from stacks.areas.context import StackContext


def build_api(context: StackContext, functions: dict[str, BookingFunction], identity: Cognito) -> ApiGateway:
    config = context.config
    return ApiGateway(
        "api",
        ApiGatewayArgs(
            api_name=f"{context.prefix}-api",
            routes=ROUTES,
            targets={
                key: RouteTarget(function_name=function.function_name, invoke_arn=function.invoke_arn)
                for key, function in functions.items()
                if FUNCTIONS[key].behind_api
            },
            jwt_issuer=identity.issuer,
            jwt_audience=identity.client_id,
            cors_allow_origins=config.cors.allow_origins,
            cors_allow_methods=config.cors.allow_methods,
            cors_allow_headers=config.cors.allow_headers,
            cors_max_age_seconds=config.cors.max_age_seconds,
            throttling_burst_limit=config.throttle.burst_limit,
            throttling_rate_limit=config.throttle.rate_limit,
            log_retention_days=config.log_retention_days,
        ),
        context.in_main,
    )
