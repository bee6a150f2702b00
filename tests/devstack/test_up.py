"""``local up`` in this process: the real program deployed onto the emulator and served.

These runs take seconds (the program itself, then one container per function), so the
module starts one devstack for its tests and one more for the component-change proof.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
from datetime import UTC, datetime, timedelta

import booking.routes
import booking.settings
import boto3
import pytest
import requests

from bookingctl.commands import local_tick
from devstack.up import UpOptions, start_devstack
from stacks.inventory import Inventory

pytestmark = pytest.mark.slow


def _client(outputs, service):
    return boto3.client(
        service,
        endpoint_url=outputs["awsEndpointUrl"],
        region_name=outputs["region"],
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
    )


@pytest.fixture(scope="module")
def devstack(tmp_path_factory):
    state_dir = tmp_path_factory.mktemp("up") / ".devstack"
    printed: list[str] = []
    running = start_devstack(UpOptions(stack="dev", port=0, state_dir=state_dir), printer=printed.append)
    try:
        yield running, state_dir, "\n".join(printed)
    finally:
        running.stop()


def test_outputs_json_tells_where_everything_is_and_who_can_sign_in(devstack):
    running, state_dir, _ = devstack
    outputs = json.loads((state_dir / "outputs.json").read_text())

    assert outputs["apiUrl"] == running.gateway.url
    assert outputs["awsEndpointUrl"] == running.emulator.endpoint_url
    assert outputs["region"] == "us-east-1"
    table = _client(outputs, "dynamodb").describe_table(TableName=outputs["tableName"])["Table"]
    assert table["StreamSpecification"]["StreamEnabled"] is True
    assert sorted(user["role"] for user in outputs["demoUsers"]) == sorted(
        ["Owner", "Admin", "Dentist", "Reception", "Patient"]
    )
    patient = next(user for user in outputs["demoUsers"] if user["role"] == "Patient")
    signed_in = _client(outputs, "cognito-idp").admin_initiate_auth(
        UserPoolId=outputs["userPoolId"],
        ClientId=outputs["userPoolClientId"],
        AuthFlow="ADMIN_USER_PASSWORD_AUTH",
        AuthParameters={"USERNAME": patient["email"], "PASSWORD": patient["password"]},
    )
    assert signed_in["AuthenticationResult"]["IdToken"]
    assert patient["tenantId"] == "demo-clinic"


def test_every_value_the_program_wired_is_the_emulators(devstack):
    running, state_dir, _ = devstack
    outputs = running.outputs
    inventory = Inventory.load(state_dir / "inventory.json")
    lambda_client = _client(outputs, "lambda")

    for record in inventory.of_type("aws:lambda/function:Function"):
        config = lambda_client.get_function_configuration(FunctionName=record.id)
        variables = config["Environment"]["Variables"]
        assert variables["TABLE_NAME"] == outputs["tableName"]
        assert lambda_client.meta.region_name in config["FunctionArn"]
    users = lambda_client.get_function_configuration(FunctionName="booking-dev-users")
    assert users["Environment"]["Variables"]["USER_POOL_ID"] == outputs["userPoolId"]
    notifications = lambda_client.get_function_configuration(FunctionName="booking-dev-notifications")
    role_arn = notifications["Environment"]["Variables"]["SCHEDULER_ROLE_ARN"]
    _client(outputs, "iam").get_role(RoleName=role_arn.rsplit("/", 1)[1])  # a real role in the emulator
    assert outputs["stackOutputs"]["apiUrl"] == outputs["apiUrl"]


def test_the_banner_shows_how_to_start_and_lists_what_is_recorded_not_emulated(devstack):
    running, _, printed = devstack
    assert running.outputs["apiUrl"] in printed
    assert "bookingctl local token --email patient@demo-clinic.test" in printed
    assert printed.count("curl ") == 2
    assert "Recorded, not emulated:" in printed
    for item in running.outputs["notEmulated"]:
        assert item["type"] in printed
    assert {item["type"] for item in running.outputs["notEmulated"]} >= {"aws:wafv2/webAcl:WebAcl"}


def test_the_gateway_serves_the_deployed_api(devstack):
    running, _, _ = devstack
    unknown = requests.get(f"{running.outputs['apiUrl']}/no-such-route", timeout=10)
    unauthenticated = requests.get(f"{running.outputs['apiUrl']}/professionals", timeout=10)
    assert unknown.status_code == 404
    assert unauthenticated.status_code == 401


def test_tick_fires_a_due_reminder_at_its_function_and_deletes_it(devstack, capsys):
    running, state_dir, _ = devstack
    outputs = running.outputs
    scheduler = _client(outputs, "scheduler")
    lambda_client = _client(outputs, "lambda")
    function_arn = lambda_client.get_function_configuration(FunctionName="booking-dev-notifications")[
        "FunctionArn"
    ]
    variables = lambda_client.get_function_configuration(FunctionName="booking-dev-notifications")[
        "Environment"
    ]["Variables"]
    due = datetime.now(UTC) + timedelta(days=2)
    scheduler.create_schedule(
        GroupName=variables["SCHEDULE_GROUP_NAME"],
        Name="reminder-test",
        ScheduleExpression=f"at({due.strftime('%Y-%m-%dT%H:%M:%S')})",
        ScheduleExpressionTimezone="UTC",
        FlexibleTimeWindow={"Mode": "OFF"},
        ActionAfterCompletion="DELETE",
        Target={
            "Arn": function_arn,
            "RoleArn": variables["SCHEDULER_ROLE_ARN"],
            "Input": json.dumps({"probe": 1}),
        },
    )
    args = argparse.Namespace(now=due + timedelta(minutes=1), state_dir=state_dir)

    local_tick.run(args)

    printed = capsys.readouterr().out
    assert "1 schedule(s) fired" in printed
    assert f"reminder-test due {due.replace(microsecond=0).isoformat()} -> {function_arn}" in printed
    assert scheduler.list_schedules(GroupName=variables["SCHEDULE_GROUP_NAME"])["Schedules"] == []


def test_changing_a_component_changes_what_the_devstack_deploys_and_serves(tmp_path, monkeypatch):
    """The proof that the devstack deploys the program, not a copy of it."""
    import stacks.program

    health = booking.routes.find_route("GET", "/health")
    moved = tuple(
        dataclasses.replace(route, path="/healthz") if route is health else route
        for route in booking.routes.ROUTES
    )
    monkeypatch.setattr(booking.routes, "ROUTES", moved)
    monkeypatch.setattr(stacks.program, "ROUTES", moved)

    class CatalogsWithGreeting(booking.settings.CatalogsSettings):
        greeting_text: str = "hola"

    spec = booking.settings.FUNCTIONS["catalogs"]
    monkeypatch.setitem(
        booking.settings.FUNCTIONS, "catalogs", dataclasses.replace(spec, settings=CatalogsWithGreeting)
    )

    running = start_devstack(
        UpOptions(stack="dev", port=0, state_dir=tmp_path / ".devstack", seed=False), printer=lambda _t: None
    )
    try:
        outputs = running.outputs
        api_id = running.inventory.of_type("aws:apigatewayv2/api:Api")[0].id
        route_keys = {
            route["RouteKey"] for route in _client(outputs, "apigatewayv2").get_routes(ApiId=api_id)["Items"]
        }
        assert "GET /healthz" in route_keys
        assert "GET /health" not in route_keys
        catalogs = _client(outputs, "lambda").get_function_configuration(FunctionName="booking-dev-catalogs")
        assert catalogs["Environment"]["Variables"]["GREETING_TEXT"] == "hola"
        served = running.gateway.api
        assert any(route.route_key == "GET /healthz" for route in served.routes)
        assert requests.get(f"{outputs['apiUrl']}/health", timeout=10).status_code == 404
        assert requests.get(f"{outputs['apiUrl']}/healthz", timeout=30).status_code != 404
    finally:
        running.stop()
