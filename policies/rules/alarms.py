"""Every Lambda function has an alarm on its errors (a stack-level rule).

An alarm covers a function when it watches ``AWS/Lambda`` ``Errors`` with the
function's name as ``FunctionName`` dimension, either directly or in one of the
metric queries of an error-rate expression (errors / invocations).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from .base import Config, StackResource, StackRule, StackViolation, known, mappings
from .resource_types import ALARM, FUNCTION


def _watched_functions(alarm: Mapping[str, Any], metric_names: set[str]) -> set[str]:
    """Function names whose error metric this alarm (props) watches."""
    metrics: list[Mapping[str, Any]] = [alarm]
    metrics += [
        query["metric"]
        for query in mappings(known(alarm, "metricQueries"))
        if isinstance(known(query, "metric"), Mapping)
    ]
    return {
        str(known(metric, "dimensions.FunctionName"))
        for metric in metrics
        if known(metric, "namespace") == "AWS/Lambda"
        and known(metric, "metricName") in metric_names
        and known(metric, "dimensions.FunctionName")
    }


def check_error_alarms(resources: Sequence[StackResource], config: Config) -> list[StackViolation]:
    metric_names = {str(name) for name in config["metricNames"]}
    watched: set[str] = set()
    dependency_urns: set[str] = set()
    for alarm in resources:
        if alarm.type == ALARM:
            watched |= _watched_functions(alarm.props, metric_names)
            dependency_urns |= {urn for urns in alarm.property_dependencies.values() for urn in urns}
    violations: list[StackViolation] = []
    for function in resources:
        if function.type != FUNCTION:
            continue
        names = {function.id, str(known(function.props, "name") or "")} - {""}
        if names & watched:
            continue
        # During a real preview a new function's name may still be unknown; an alarm
        # whose dimensions were computed from this function then covers it.
        if not names and function.urn in dependency_urns:
            continue
        violations.append(
            StackViolation(
                f"{FUNCTION} '{function.name}': no {ALARM} watches AWS/Lambda Errors with "
                "dimensions.FunctionName = this function: add an error(-rate) alarm for it "
                "(Observability component)",
                function.urn,
            )
        )
    return violations


FUNCTION_ERROR_ALARMS = StackRule(
    name="function-error-alarms",
    description="Every Lambda function has a CloudWatch alarm on its errors.",
    resource_types=frozenset({FUNCTION, ALARM}),
    check=check_error_alarms,
    remediation="Add a MetricAlarm on AWS/Lambda Errors (or an error-rate expression) per function.",
    config_schema={
        "metricNames": {"type": "array", "items": {"type": "string"}, "default": ["Errors"]},
    },
)

RULES = (FUNCTION_ERROR_ALARMS,)
