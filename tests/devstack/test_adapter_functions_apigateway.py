import hashlib
import json
import zipfile
from base64 import b64encode
from io import BytesIO
from pathlib import Path

import booking

from devstack.adapters.apigateway import (
    create_api,
    create_authorizer,
    create_integration,
    create_route,
    create_stage,
)
from devstack.adapters.assets import zip_of_tree
from devstack.adapters.functions import create_function, create_layer_version, create_permission
from devstack.adapters.iam import create_role

TRUST = json.dumps(
    {
        "Version": "2012-10-17",
        "Statement": [
            {"Effect": "Allow", "Principal": {"Service": "lambda.amazonaws.com"}, "Action": "sts:AssumeRole"}
        ],
    }
)


def _function(ctx, make_record, tmp_path):
    role = make_record("aws:iam/role:Role", "fn-role", assumeRolePolicy=TRUST)
    _, role_outputs = create_role(ctx, role)
    layer_arn, _ = create_layer_version(
        ctx,
        make_record(
            "aws:lambda/layerVersion:LayerVersion",
            "deps",
            layerName="booking-deps",
            compatibleRuntimes=["python3.12"],
            code={"path": str(tmp_path / "not-built.zip")},
        ),
    )
    name, outputs = create_function(
        ctx,
        make_record(
            "aws:lambda/function:Function",
            "bookings",
            role=role_outputs["arn"],
            runtime="python3.12",
            handler="booking.handlers.bookings.handler",
            architectures=["arm64"],
            memorySize=512,
            timeout=10,
            layers=[layer_arn],
            tracingConfig={"mode": "Active"},
            environment={"variables": {"TABLE_NAME": "t-1", "STAGE": "dev"}},
            reservedConcurrentExecutions=5,
        ),
    )
    return name, outputs


def test_a_function_holds_the_programs_environment_role_layer_and_code(ctx, make_record, tmp_path):
    name, outputs = _function(ctx, make_record, tmp_path)

    client = ctx.client("lambda")
    described = client.get_function(FunctionName=name)
    config = described["Configuration"]
    assert config["Environment"]["Variables"] == {"TABLE_NAME": "t-1", "STAGE": "dev"}
    assert config["Handler"] == "booking.handlers.bookings.handler"
    assert config["TracingConfig"] == {"Mode": "Active"}
    assert described["Concurrency"]["ReservedConcurrentExecutions"] == 5
    assert outputs["arn"] == config["FunctionArn"]
    assert outputs["invokeArn"].endswith(f"functions/{config['FunctionArn']}/invocations")
    # The archive was not built: the function holds the working tree's booking package.
    expected = zip_of_tree(Path(booking.__file__).parent, "booking/")
    assert "booking/routes.py" in zipfile.ZipFile(BytesIO(expected)).namelist()
    assert config["CodeSha256"] == b64encode(hashlib.sha256(expected).digest()).decode()


def test_a_built_code_archive_is_what_the_function_holds(ctx, make_record, tmp_path):
    archive = tmp_path / "code.zip"
    with zipfile.ZipFile(archive, "w") as built:
        built.writestr("booking/marker.py", "BUILT = True\n")
    _role, role_outputs = create_role(ctx, make_record("aws:iam/role:Role", "r", assumeRolePolicy=TRUST))
    _name, outputs = create_function(
        ctx,
        make_record(
            "aws:lambda/function:Function",
            "catalogs",
            role=role_outputs["arn"],
            runtime="python3.12",
            handler="booking.handlers.catalogs.handler",
            code={"path": str(archive)},
        ),
    )
    assert outputs["sourceCodeSize"] == archive.stat().st_size


def test_the_http_api_stores_cors_authorizer_integration_routes_and_throttled_stage(
    ctx, make_record, tmp_path
):
    function_name, function = _function(ctx, make_record, tmp_path)
    api_id, api = create_api(
        ctx,
        make_record(
            "aws:apigatewayv2/api:Api",
            "http",
            protocolType="HTTP",
            corsConfiguration={
                "allowOrigins": ["http://localhost:5173"],
                "allowMethods": ["GET", "POST"],
                "allowHeaders": ["authorization", "content-type"],
                "maxAge": 600,
            },
        ),
    )
    authorizer_id, _ = create_authorizer(
        ctx,
        make_record(
            "aws:apigatewayv2/authorizer:Authorizer",
            "jwt",
            apiId=api_id,
            authorizerType="JWT",
            identitySources=["$request.header.Authorization"],
            jwtConfiguration={
                "audiences": ["client-1"],
                "issuer": "https://cognito-idp.us-east-1.amazonaws.com/p",
            },
        ),
    )
    integration_id, _ = create_integration(
        ctx,
        make_record(
            "aws:apigatewayv2/integration:Integration",
            "bookings",
            apiId=api_id,
            integrationType="AWS_PROXY",
            integrationUri=function["invokeArn"],
            payloadFormatVersion="2.0",
        ),
    )
    create_route(
        ctx,
        make_record(
            "aws:apigatewayv2/route:Route",
            "post-bookings",
            apiId=api_id,
            routeKey="POST /bookings",
            target=f"integrations/{integration_id}",
            authorizationType="JWT",
            authorizerId=authorizer_id,
        ),
    )
    create_permission(
        ctx,
        make_record(
            "aws:lambda/permission:Permission",
            "apigw",
            function=function_name,
            action="lambda:InvokeFunction",
            principal="apigateway.amazonaws.com",
            sourceArn=f"{api['executionArn']}/*/*",
        ),
    )
    stage_name, stage = create_stage(
        ctx,
        make_record(
            "aws:apigatewayv2/stage:Stage",
            "default",
            apiId=api_id,
            name="$default",
            autoDeploy=True,
            defaultRouteSettings={"throttlingBurstLimit": 100, "throttlingRateLimit": 50},
            routeSettings=[
                {"routeKey": "POST /bookings", "throttlingBurstLimit": 20, "throttlingRateLimit": 10}
            ],
        ),
    )

    apigw = ctx.client("apigatewayv2")
    assert apigw.get_api(ApiId=api_id)["CorsConfiguration"]["AllowOrigins"] == ["http://localhost:5173"]
    [route] = apigw.get_routes(ApiId=api_id)["Items"]
    assert (route["RouteKey"], route["AuthorizationType"], route["AuthorizerId"]) == (
        "POST /bookings",
        "JWT",
        authorizer_id,
    )
    assert apigw.get_authorizer(ApiId=api_id, AuthorizerId=authorizer_id)["JwtConfiguration"]["Audience"] == [
        "client-1"
    ]
    described_stage = apigw.get_stage(ApiId=api_id, StageName=stage_name)
    assert described_stage["DefaultRouteSettings"]["ThrottlingBurstLimit"] == 100
    assert described_stage["RouteSettings"]["POST /bookings"]["ThrottlingRateLimit"] == 10
    policy = json.loads(ctx.client("lambda").get_policy(FunctionName=function_name)["Policy"])
    assert policy["Statement"][0]["Principal"] == {"Service": "apigateway.amazonaws.com"}
    assert api["apiEndpoint"] == ctx.api_url
    assert stage["invokeUrl"] == ctx.api_url
