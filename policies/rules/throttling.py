"""Throttling on every HTTP API stage (``aws:apigatewayv2/stage:Stage``).

Two traps shape these rules: a ``defaultRouteSettings`` with only one of burst and
rate leaves the other at 0, so every request gets a 429 (pulumi/pulumi-aws#2363); and
a per-route ``routeSettings`` entry replaces the stage default for that route instead
of inheriting it, so an override must set both limits too.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from .base import Config, Props, ResourceRule, as_list, as_number, get_path, is_set, mappings
from .resource_types import STAGE


def _limits(settings: Mapping[str, Any] | None) -> tuple[float | None, float | None]:
    return (
        as_number(get_path(settings, "throttlingBurstLimit")),
        as_number(get_path(settings, "throttlingRateLimit")),
    )


def _missing_or_zero(where: str, burst: float | None, rate: float | None) -> list[str]:
    problems: list[str] = []
    for prop, value in (("throttlingBurstLimit", burst), ("throttlingRateLimit", rate)):
        if value is None:
            problems.append(
                f"{where}.{prop} is not set: set both throttlingBurstLimit and throttlingRateLimit "
                "(one without the other is 0 and API Gateway rejects every request with 429)"
            )
        elif value <= 0:
            problems.append(f"{where}.{prop} is {value:g}: set it above zero or every request gets 429")
    return problems


def check_stage_throttling(resource_type: str, props: Props, config: Config) -> list[str]:
    defaults = props.get("defaultRouteSettings")
    if not defaults:
        return [
            "defaultRouteSettings is not set: set throttlingBurstLimit and throttlingRateLimit "
            "from the stack config `throttle` (burstLimit, rateLimit) so a burst cannot "
            "exhaust the account's quota"
        ]
    burst, rate = _limits(defaults)
    problems = _missing_or_zero("defaultRouteSettings", burst, rate)
    bounds = (
        ("throttlingBurstLimit", burst, config["minBurstLimit"], config["maxBurstLimit"]),
        ("throttlingRateLimit", rate, config["minRateLimit"], config["maxRateLimit"]),
    )
    for prop, value, low, high in bounds:
        if value is not None and value > 0 and not float(low) <= value <= float(high):
            problems.append(
                f"defaultRouteSettings.{prop} is {value:g}, outside this stack's bounds "
                f"[{float(low):g}, {float(high):g}]: change the stack config `throttle`"
            )
    return problems


def check_route_throttling(resource_type: str, props: Props, config: Config) -> list[str]:
    stage_burst, stage_rate = _limits(props.get("defaultRouteSettings"))
    overrides = {str(item.get("routeKey")): item for item in mappings(props.get("routeSettings"))}
    problems: list[str] = []
    for route_key, settings in overrides.items():
        where = f"routeSettings[{route_key}]"
        burst, rate = _limits(settings)
        problems += _missing_or_zero(where, burst, rate)
        for prop, value, ceiling in (
            ("throttlingBurstLimit", burst, stage_burst),
            ("throttlingRateLimit", rate, stage_rate),
        ):
            if value is not None and ceiling is not None and value > ceiling:
                problems.append(
                    f"{where}.{prop} is {value:g}, above the stage default {ceiling:g}: a route "
                    "override may only be stricter than the stage"
                )
    for route_key in [str(key) for key in as_list(config["strictRoutes"])]:
        override = overrides.get(route_key)
        if override is None:
            problems.append(
                f"routeSettings has no entry for {route_key!r}: give this write route a stricter "
                "throttle (routes.py `throttle=`) than the stage default"
            )
            continue
        burst, rate = _limits(override)
        if burst is not None and rate is not None and (burst, rate) == (stage_burst, stage_rate):
            problems.append(
                f"routeSettings[{route_key}] repeats the stage default: lower its burst or rate limit"
            )
    return problems


def check_access_logs(resource_type: str, props: Props, config: Config) -> list[str]:
    settings = props.get("accessLogSettings")
    if not settings or not is_set(settings, "destinationArn"):
        return [
            "accessLogSettings.destinationArn is not set: send access logs to a log group with "
            "retention (the ApiGateway component's access log group)"
        ]
    log_format = str(get_path(settings, "format") or "")
    return [
        f"accessLogSettings.format lacks {field}: add it so a log line can be traced to its request"
        for field in as_list(config["requiredFields"])
        if str(field) not in log_format
    ]


STAGE_THROTTLING = ResourceRule(
    name="stage-throttling",
    description="Every HTTP API stage sets burst and rate limits above zero and within the stack's bounds.",
    resource_types=frozenset({STAGE}),
    check=check_stage_throttling,
    remediation="Set defaultRouteSettings.throttlingBurstLimit and throttlingRateLimit together.",
    config_schema={
        "minBurstLimit": {"type": "number", "default": 1, "minimum": 1},
        "maxBurstLimit": {"type": "number", "default": 5000, "minimum": 1},
        "minRateLimit": {"type": "number", "default": 1, "minimum": 0},
        "maxRateLimit": {"type": "number", "default": 10000, "minimum": 1},
    },
)

ROUTE_THROTTLING = ResourceRule(
    name="route-throttling",
    description="Write routes carry a stricter per-route throttle; no override exceeds the stage default.",
    resource_types=frozenset({STAGE}),
    check=check_route_throttling,
    remediation="Give each listed write route a routeSettings entry with lower burst/rate than the stage.",
    config_schema={
        "strictRoutes": {
            "type": "array",
            "items": {"type": "string"},
            "default": ["POST /bookings"],
            "description": "Route keys that must have a stricter override than the stage default.",
        },
    },
)

STAGE_ACCESS_LOGS = ResourceRule(
    name="stage-access-logs",
    description="Every HTTP API stage writes access logs that carry the request id.",
    resource_types=frozenset({STAGE}),
    check=check_access_logs,
    remediation="Set accessLogSettings.destinationArn to a log group; log $context.requestId.",
    config_schema={
        "requiredFields": {"type": "array", "items": {"type": "string"}, "default": ["$context.requestId"]},
    },
)

RULES = (STAGE_THROTTLING, ROUTE_THROTTLING, STAGE_ACCESS_LOGS)
