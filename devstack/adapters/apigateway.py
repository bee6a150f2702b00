"""API Gateway v2 (HTTP API): the API with its CORS, the JWT authorizer, integrations,
routes and the stage with throttling and access logs.

moto stores them (so ``apigatewayv2.get_routes`` answers what the program declared)
but does not serve them; the devstack gateway serves the API from the same records.
The API's endpoint and the stage's invoke URL are the gateway's loopback URL, so the
values the program wires (e.g. the SPA's ``config.json``) point at what serves them.
"""

from __future__ import annotations

from typing import Any

from devstack.adapters.base import Adapter, Created, EmulatorContext, compact, physical_name, state
from engine.inventory import ResourceRecord


def _execution_arn(ctx: EmulatorContext, api_id: str) -> str:
    return f"arn:aws:execute-api:{ctx.region}:{ctx.account_id}:{api_id}"


def create_api(ctx: EmulatorContext, record: ResourceRecord) -> Created:
    inputs = record.inputs
    request: dict[str, Any] = compact(
        {
            "Name": physical_name(record, max_length=128),
            "ProtocolType": inputs.get("protocolType", "HTTP"),
            "Description": inputs.get("description"),
            "DisableExecuteApiEndpoint": inputs.get("disableExecuteApiEndpoint"),
            "RouteSelectionExpression": inputs.get("routeSelectionExpression"),
            "Tags": dict(inputs["tags"]) if inputs.get("tags") else None,
        }
    )
    cors = inputs.get("corsConfiguration") or {}
    if cors:
        request["CorsConfiguration"] = compact(
            {
                "AllowCredentials": cors.get("allowCredentials"),
                "AllowHeaders": cors.get("allowHeaders"),
                "AllowMethods": cors.get("allowMethods"),
                "AllowOrigins": cors.get("allowOrigins"),
                "ExposeHeaders": cors.get("exposeHeaders"),
                "MaxAge": cors.get("maxAge"),
            }
        )
    api = ctx.client("apigatewayv2").create_api(**request)
    api_id = api["ApiId"]
    return api_id, state(
        record,
        name=api["Name"],
        apiEndpoint=ctx.api_url,
        arn=f"arn:aws:apigateway:{ctx.region}::/apis/{api_id}",
        executionArn=_execution_arn(ctx, api_id),
        routeSelectionExpression=api.get("RouteSelectionExpression"),
        apiKeySelectionExpression=api.get("ApiKeySelectionExpression"),
    )


def create_authorizer(ctx: EmulatorContext, record: ResourceRecord) -> Created:
    inputs = record.inputs
    request: dict[str, Any] = compact(
        {
            "ApiId": inputs["apiId"],
            "AuthorizerType": inputs["authorizerType"],
            "Name": physical_name(record, max_length=128),
            "IdentitySource": inputs.get("identitySources"),
            "AuthorizerUri": inputs.get("authorizerUri"),
            "AuthorizerPayloadFormatVersion": inputs.get("authorizerPayloadFormatVersion"),
            "AuthorizerResultTtlInSeconds": inputs.get("authorizerResultTtlInSeconds"),
            "EnableSimpleResponses": inputs.get("enableSimpleResponses"),
        }
    )
    jwt = inputs.get("jwtConfiguration") or {}
    if jwt:
        request["JwtConfiguration"] = compact({"Audience": jwt.get("audiences"), "Issuer": jwt.get("issuer")})
    authorizer = ctx.client("apigatewayv2").create_authorizer(**request)
    return authorizer["AuthorizerId"], state(record, name=authorizer["Name"])


def create_integration(ctx: EmulatorContext, record: ResourceRecord) -> Created:
    inputs = record.inputs
    request: dict[str, Any] = compact(
        {
            "ApiId": inputs["apiId"],
            "IntegrationType": inputs["integrationType"],
            "IntegrationUri": inputs.get("integrationUri"),
            "IntegrationMethod": inputs.get("integrationMethod"),
            "PayloadFormatVersion": inputs.get("payloadFormatVersion"),
            "TimeoutInMillis": inputs.get("timeoutMilliseconds"),
            "Description": inputs.get("description"),
            "ConnectionType": inputs.get("connectionType"),
            "CredentialsArn": inputs.get("credentialsArn"),
        }
    )
    integration = ctx.client("apigatewayv2").create_integration(**request)
    return integration["IntegrationId"], state(
        record,
        integrationResponseSelectionExpression=integration.get("IntegrationResponseSelectionExpression"),
    )


def create_route(ctx: EmulatorContext, record: ResourceRecord) -> Created:
    inputs = record.inputs
    request: dict[str, Any] = compact(
        {
            "ApiId": inputs["apiId"],
            "RouteKey": inputs["routeKey"],
            "Target": inputs.get("target"),
            "AuthorizationType": inputs.get("authorizationType"),
            "AuthorizerId": inputs.get("authorizerId"),
            "AuthorizationScopes": inputs.get("authorizationScopes"),
            "OperationName": inputs.get("operationName"),
            "ApiKeyRequired": inputs.get("apiKeyRequired"),
        }
    )
    route = ctx.client("apigatewayv2").create_route(**request)
    return route["RouteId"], state(record)


def _route_settings(settings: dict[str, Any]) -> dict[str, Any]:
    return compact(
        {
            "ThrottlingBurstLimit": settings.get("throttlingBurstLimit"),
            "ThrottlingRateLimit": settings.get("throttlingRateLimit"),
            "DetailedMetricsEnabled": settings.get("detailedMetricsEnabled"),
            "DataTraceEnabled": settings.get("dataTraceEnabled"),
            "LoggingLevel": settings.get("loggingLevel"),
        }
    )


def create_stage(ctx: EmulatorContext, record: ResourceRecord) -> Created:
    inputs = record.inputs
    name = inputs.get("name") or "$default"
    request: dict[str, Any] = compact(
        {
            "ApiId": inputs["apiId"],
            "StageName": name,
            "AutoDeploy": inputs.get("autoDeploy"),
            "Description": inputs.get("description"),
            "StageVariables": inputs.get("stageVariables"),
            "DeploymentId": inputs.get("deploymentId"),
            "Tags": dict(inputs["tags"]) if inputs.get("tags") else None,
        }
    )
    if inputs.get("defaultRouteSettings"):
        request["DefaultRouteSettings"] = _route_settings(inputs["defaultRouteSettings"])
    if inputs.get("routeSettings"):
        request["RouteSettings"] = {
            settings["routeKey"]: _route_settings(settings) for settings in inputs["routeSettings"]
        }
    logs = inputs.get("accessLogSettings") or {}
    if logs:
        request["AccessLogSettings"] = compact(
            {"DestinationArn": logs.get("destinationArn"), "Format": logs.get("format")}
        )
    ctx.client("apigatewayv2").create_stage(**request)
    invoke_url = ctx.api_url if name == "$default" else f"{ctx.api_url}/{name}"
    return name, state(
        record,
        name=name,
        arn=f"arn:aws:apigateway:{ctx.region}::/apis/{inputs['apiId']}/stages/{name}",
        executionArn=f"{_execution_arn(ctx, inputs['apiId'])}/{name}",
        invokeUrl=invoke_url,
    )


ADAPTERS: dict[str, Adapter] = {
    "aws:apigatewayv2/api:Api": create_api,
    "aws:apigatewayv2/authorizer:Authorizer": create_authorizer,
    "aws:apigatewayv2/integration:Integration": create_integration,
    "aws:apigatewayv2/route:Route": create_route,
    "aws:apigatewayv2/stage:Stage": create_stage,
}
