"""The gateway serves what the real program declares (run under the mock engine):
change the program and what is served changes with it."""

from __future__ import annotations

import dataclasses

import pytest
from booking.routes import ROUTES
from booking.settings import FUNCTIONS

from devstack.gateway.model import ServedApi, Throttle, build_served_api
from engine.run import run_program

STAGE_THROTTLE = {"burstLimit": 33, "rateLimit": 7}
ORIGIN = "https://e2e-origin.example"


def _serve(**overrides: object) -> ServedApi:
    config = {
        "booking-platform:throttle": STAGE_THROTTLE,
        "booking-platform:cors": {"allowOrigins": [ORIGIN]},
        **overrides,
    }
    return build_served_api(run_program("dev", config_overrides=config))


@pytest.fixture(scope="module")
def api() -> ServedApi:
    return _serve()


def test_every_declared_route_is_served_by_its_functions_handler(api):
    served = {route.route_key: route for route in api.routes}

    assert set(served) == {route.route_key for route in ROUTES}
    for route in ROUTES:
        assert served[route.route_key].function.handler == FUNCTIONS[route.function].handler
        assert (served[route.route_key].authorizer is None) == route.public


def test_each_function_gets_the_environment_its_settings_model_declares(api):
    for route in api.routes:
        spec = next(spec for spec in FUNCTIONS.values() if spec.handler == route.function.handler)
        required = {name.upper() for name, field in spec.settings.model_fields.items() if field.is_required()}
        assert required <= set(route.function.environment), route.route_key
        assert set(route.function.environment) <= spec.settings.environment_names() | {
            "POWERTOOLS_SERVICE_NAME"
        }


def test_throttling_comes_from_the_stack_config_and_the_routes_overrides(api):
    for route in ROUTES:
        expected = (
            Throttle(route.throttle.rate_limit, route.throttle.burst_limit)
            if route.throttle
            else Throttle(STAGE_THROTTLE["rateLimit"], STAGE_THROTTLE["burstLimit"])
        )
        assert api.route(route.route_key).throttle == expected, route.route_key


def test_cors_origins_come_from_the_stack_config(api):
    assert api.cors is not None
    assert api.cors.allow_origins == (ORIGIN,)


def test_a_route_path_changed_in_the_route_table_changes_what_is_served(monkeypatch):
    renamed = tuple(
        dataclasses.replace(route, path="/appointments") if route.route_key == "POST /bookings" else route
        for route in ROUTES
    )
    monkeypatch.setattr("stacks.areas.api.ROUTES", renamed)

    route_keys = {route.route_key for route in _serve().routes}

    assert "POST /appointments" in route_keys
    assert "POST /bookings" not in route_keys


def test_a_config_value_changed_in_the_stack_reaches_the_functions_environment():
    api = _serve(**{"booking-platform:logLevel": "WARNING"})

    assert {route.function.environment["LOG_LEVEL"] for route in api.routes} == {"WARNING"}
