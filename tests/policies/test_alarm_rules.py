"""Every function has an error alarm: a stack-level rule."""

from __future__ import annotations

import pytest

from tests.policies.harness import UNKNOWN, Resource, policies_by_name, validate_stack
from tests.policies.samples import ALARM, FUNCTION, error_alarm, function


def _function(name: str) -> Resource:
    return Resource(FUNCTION, name, {**function(), "name": f"booking-{name}"})


def _rate_alarm(function_name: str) -> dict[str, object]:
    """An error-rate alarm: a metric math expression over Errors and Invocations."""
    metric = {
        "namespace": "AWS/Lambda",
        "dimensions": {"FunctionName": function_name},
        "period": 60,
        "stat": "Sum",
    }
    return {
        "metricQueries": [
            {"id": "errors", "metric": {**metric, "metricName": "Errors"}},
            {"id": "invocations", "metric": {**metric, "metricName": "Invocations"}},
            {"id": "rate", "expression": "100 * errors / invocations", "returnData": True},
        ],
        "threshold": 1,
    }


@pytest.mark.parametrize(
    ("resources", "uncovered"),
    [
        pytest.param(
            [_function("bookings"), Resource(ALARM, "bookings-errors", error_alarm("booking-bookings"))],
            [],
            id="direct-errors-alarm",
        ),
        pytest.param(
            [_function("bookings"), Resource(ALARM, "bookings-error-rate", _rate_alarm("booking-bookings"))],
            [],
            id="error-rate-expression",
        ),
        pytest.param([_function("bookings")], ["bookings"], id="no-alarm"),
        pytest.param(
            [
                _function("bookings"),
                _function("users"),
                Resource(ALARM, "bookings-errors", error_alarm("booking-bookings")),
            ],
            ["users"],
            id="one-of-two-uncovered",
        ),
        pytest.param(
            [
                _function("bookings"),
                Resource(ALARM, "throttles", {**error_alarm("booking-bookings"), "metricName": "Throttles"}),
            ],
            ["bookings"],
            id="throttle-alarm-is-not-an-error-alarm",
        ),
    ],
)
def test_every_function_has_an_error_alarm(resources, uncovered):
    violations = validate_stack(policies_by_name()["function-error-alarms"], resources)
    assert [v.urn for v in violations] == [r.urn for r in resources if r.name in uncovered]
    assert all("dimensions.FunctionName" in v.message and "add an error" in v.message for v in violations)


def test_a_function_whose_name_is_unknown_is_covered_by_an_alarm_computed_from_it():
    unnamed = Resource(FUNCTION, "bookings", {**function(), "name": UNKNOWN})
    alarm = Resource(ALARM, "bookings-errors", error_alarm(UNKNOWN), depends={"dimensions": ("bookings",)})
    assert validate_stack(policies_by_name()["function-error-alarms"], [unnamed, alarm]) == []
    assert len(validate_stack(policies_by_name()["function-error-alarms"], [unnamed])) == 1
