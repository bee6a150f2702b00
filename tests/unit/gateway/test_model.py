"""The served API is read from the inventory, never typed by hand."""

from __future__ import annotations

import dataclasses

import pytest

from devstack.gateway.model import ACCOUNT_RATE_LIMIT, Throttle, build_served_api
from engine.inventory import Inventory
from tests.unit.gateway.inventory_factory import FakeProgram, standard_program


def _replace_inputs(
    inventory: Inventory, type_: str, match: dict[str, object], **changes: object
) -> Inventory:
    resources = []
    for record in inventory.resources:
        if record.type == type_ and all(record.inputs.get(key) == value for key, value in match.items()):
            record = dataclasses.replace(record, inputs={**record.inputs, **changes})
        resources.append(record)
    return dataclasses.replace(inventory, resources=resources)


def test_each_route_resolves_to_its_functions_handler_and_environment():
    api = build_served_api(standard_program().inventory())

    route = api.route("GET /items/{id}")
    assert route.function.name == "echo-fn"
    assert route.function.handler == "tests.unit.gateway.handlers.echo"
    assert route.function.environment == {"ECHO_SETTING": "echo-value", "TABLE_NAME": "echo-table"}
    assert route.function.timeout_seconds == 10
    assert route.function.memory_mb == 256
    assert api.route("GET /other").function.environment["OTHER_SETTING"] == "other-value"


def test_a_changed_route_path_in_the_program_changes_what_is_served():
    inventory = _replace_inputs(
        standard_program().inventory(),
        "aws:apigatewayv2/route:Route",
        {"routeKey": "GET /other"},
        routeKey="GET /renamed/{key}",
    )
    route_keys = {route.route_key for route in build_served_api(inventory).routes}

    assert "GET /renamed/{key}" in route_keys
    assert "GET /other" not in route_keys


def test_a_renamed_environment_variable_reaches_the_function_under_its_new_name():
    inventory = _replace_inputs(
        standard_program().inventory(),
        "aws:lambda/function:Function",
        {"name": "other-fn"},
        environment={"variables": {"RENAMED_SETTING": "x"}},
    )

    assert build_served_api(inventory).route("GET /other").function.environment == {"RENAMED_SETTING": "x"}


def test_jwt_routes_carry_the_authorizers_issuer_and_audiences_and_public_routes_none():
    program = standard_program(issuer="https://issuer.example/pool", audiences=["a", "b"])
    api = build_served_api(program.inventory())

    authorizer = api.route("GET /items/{id}").authorizer
    assert authorizer is not None
    assert authorizer.issuer == "https://issuer.example/pool"
    assert authorizer.audiences == ("a", "b")
    assert authorizer.identity_sources == ("$request.header.Authorization",)
    assert api.route("GET /health").authorizer is None


def test_route_settings_replace_the_stage_defaults_for_that_route_only():
    api = build_served_api(standard_program().inventory())

    assert api.route("GET /limited").throttle == Throttle(rate_limit=0.001, burst_limit=2)
    assert api.route("GET /health").throttle == Throttle(rate_limit=50, burst_limit=100)


def test_settings_naming_only_the_burst_leave_the_rate_at_zero():
    program = standard_program(default_route_settings={"throttlingBurstLimit": 10})

    assert build_served_api(program.inventory()).route("GET /health").throttle == Throttle(0, 10)


def test_a_stage_without_settings_gets_the_account_limits():
    program = standard_program(default_route_settings=None)

    assert (
        build_served_api(program.inventory()).route("GET /health").throttle.rate_limit == ACCOUNT_RATE_LIMIT
    )


def test_cors_configuration_is_read_from_the_api():
    cors = build_served_api(standard_program().inventory()).cors

    assert cors is not None
    assert cors.allow_origins == ("https://app.example.com",)
    assert "idempotency-key" in cors.allow_headers
    assert cors.max_age == 600


def test_a_named_stage_is_served_under_its_name():
    assert build_served_api(standard_program(stage_name="v1").inventory()).base_path == "/v1"
    assert build_served_api(standard_program().inventory()).base_path == ""


def test_an_integration_may_point_at_the_plain_function_arn():
    program = FakeProgram()
    invoke_arn = program.function("fn", "echo")
    arn = invoke_arn.split("/functions/", 1)[1].removesuffix("/invocations")
    program.route("GET /x", arn, jwt=False)

    assert build_served_api(program.inventory()).route("GET /x").function.name == "fn"


def test_an_integration_to_an_unknown_function_is_an_error_not_a_silent_drop():
    program = FakeProgram()
    program.route("GET /x", "arn:aws:lambda:us-east-1:123456789012:function:missing", jwt=False)

    with pytest.raises(KeyError, match="missing"):
        build_served_api(program.inventory())
