"""Stage throttling, route overrides and access logs: compliant and violating side by side."""

from __future__ import annotations

import pytest

from tests.policies.harness import UNKNOWN, assert_reports, resource_messages
from tests.policies.samples import DELETE, STAGE, stage, with_

BOOKINGS = "POST /bookings"


@pytest.mark.parametrize(
    ("props", "config", "expected"),
    [
        pytest.param(stage(), None, [], id="both limits within bounds"),
        pytest.param(
            with_(stage(), defaultRouteSettings=DELETE), None, ["defaultRouteSettings is not set"], id="none"
        ),
        pytest.param(
            with_(stage(), defaultRouteSettings__throttlingBurstLimit=DELETE),
            None,
            ["throttlingBurstLimit is not set"],
            id="rate-without-burst",
        ),
        pytest.param(
            with_(stage(), defaultRouteSettings__throttlingRateLimit=DELETE),
            None,
            ["throttlingRateLimit is not set"],
            id="burst-without-rate",
        ),
        pytest.param(
            with_(stage(), defaultRouteSettings__throttlingRateLimit=0),
            None,
            ["throttlingRateLimit is 0"],
            id="zero-rate",
        ),
        pytest.param(
            stage(),
            {"maxBurstLimit": 50, "maxRateLimit": 1000},
            ["throttlingBurstLimit is 100, outside this stack's bounds [1, 50]"],
            id="burst-above-stack-bound",
        ),
        pytest.param(
            stage(),
            {"minRateLimit": 100},
            ["throttlingRateLimit is 50, outside this stack's bounds [100, 10000]"],
            id="rate-below-stack-bound",
        ),
    ],
)
def test_stage_throttling_sets_both_limits_within_the_stack_bounds(props, config, expected):
    assert_reports(resource_messages("stage-throttling", STAGE, props, config), expected)


def _override(burst: int | None = 20, rate: int | None = 10, key: str = BOOKINGS) -> dict[str, object]:
    entry = {"routeKey": key, "throttlingBurstLimit": burst, "throttlingRateLimit": rate}
    return {k: v for k, v in entry.items() if v is not None}


@pytest.mark.parametrize(
    ("props", "config", "expected"),
    [
        pytest.param(stage(), None, [], id="stricter write override passes"),
        pytest.param(with_(stage(), routeSettings=[]), None, ["no entry for 'POST /bookings'"], id="missing"),
        pytest.param(
            with_(stage(), routeSettings=[_override(burst=None)]),
            None,
            ["routeSettings[POST /bookings].throttlingBurstLimit is not set"],
            id="override-without-burst",
        ),
        pytest.param(
            with_(stage(), routeSettings=[_override(rate=500)]),
            None,
            ["throttlingRateLimit is 500, above the stage default 50"],
            id="override-above-stage",
        ),
        pytest.param(
            with_(stage(), routeSettings=[_override(burst=100, rate=50)]),
            None,
            ["repeats the stage default"],
            id="override-not-stricter",
        ),
        pytest.param(
            with_(stage(), routeSettings=[_override(), _override(key="GET /tenant", burst=500, rate=10)]),
            None,
            ["routeSettings[GET /tenant].throttlingBurstLimit is 500, above the stage default 100"],
            id="read-override-above-stage",
        ),
        pytest.param(
            stage(),
            {"strictRoutes": [BOOKINGS, "PUT /bookings/{id}"]},
            ["no entry for 'PUT /bookings/{id}'"],
            id="configured-write-route-missing",
        ),
    ],
)
def test_write_routes_carry_a_stricter_override_and_none_exceeds_the_stage(props, config, expected):
    assert_reports(resource_messages("route-throttling", STAGE, props, config), expected)


@pytest.mark.parametrize(
    ("props", "expected"),
    [
        pytest.param(stage(), [], id="json access log with request id passes"),
        pytest.param(with_(stage(), accessLogSettings=DELETE), ["destinationArn is not set"], id="none"),
        pytest.param(
            with_(stage(), accessLogSettings__format='{"status":"$context.status"}'),
            ["format lacks $context.requestId"],
            id="no-request-id",
        ),
    ],
)
def test_stage_writes_access_logs_with_the_request_id(props, expected):
    assert_reports(resource_messages("stage-access-logs", STAGE, props), expected)


def test_integer_limits_arrive_as_floats_like_from_the_engine_and_still_compare():
    messages = resource_messages(
        "stage-throttling", STAGE, stage(), {"maxBurstLimit": 100, "maxRateLimit": 50}
    )
    assert messages == []


def test_an_access_log_destination_still_unknown_in_a_preview_counts_as_set():
    props = with_(stage(), accessLogSettings__destinationArn=UNKNOWN)
    assert resource_messages("stage-access-logs", STAGE, props) == []
