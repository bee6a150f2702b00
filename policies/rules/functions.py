"""Lambda functions are traced and log to a group that expires its logs."""

from __future__ import annotations

from .base import Config, Props, ResourceRule, as_number, get_path, is_set
from .resource_types import FUNCTION, LOG_GROUP

# The values CloudWatch Logs accepts for retentionInDays (0 or unset: never expire).
RETENTION_DAYS = frozenset(
    {1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653}
)


def check_tracing(resource_type: str, props: Props, config: Config) -> list[str]:
    mode = get_path(props, "tracingConfig.mode")
    if mode == "Active":
        return []
    return [
        f"tracingConfig.mode is {mode!r}: set it to 'Active' so every invocation is traced "
        "in X-Ray (an HTTP API cannot trace on its own)"
    ]


def check_function_log_group(resource_type: str, props: Props, config: Config) -> list[str]:
    if is_set(props, "loggingConfig.logGroup"):
        return []
    return [
        "loggingConfig.logGroup is not set: log to the function's own LogGroup (with retention) "
        "instead of the implicit /aws/lambda group that never expires"
    ]


def check_log_retention(resource_type: str, props: Props, config: Config) -> list[str]:
    days = as_number(props.get("retentionInDays"))
    minimum = float(config["minimumDays"])
    if not days:
        return [
            "retentionInDays is not set, so logs never expire: set it from the stack config "
            "`logRetentionDays`"
        ]
    if days not in RETENTION_DAYS:
        return [
            f"retentionInDays is {days:g}, not a value CloudWatch accepts: "
            f"use one of {sorted(RETENTION_DAYS)}"
        ]
    if days < minimum:
        return [f"retentionInDays is {days:g}, below this stack's minimum of {minimum:g}: raise it"]
    return []


FUNCTION_TRACING = ResourceRule(
    name="function-tracing",
    description="Every Lambda function has X-Ray active tracing.",
    resource_types=frozenset({FUNCTION}),
    check=check_tracing,
    remediation="Set tracingConfig.mode = 'Active'.",
)

FUNCTION_LOG_GROUP = ResourceRule(
    name="function-log-group",
    description="Every Lambda function logs to its own log group.",
    resource_types=frozenset({FUNCTION}),
    check=check_function_log_group,
    remediation="Set loggingConfig.logGroup to the name of a LogGroup with retentionInDays.",
)

LOG_GROUP_RETENTION = ResourceRule(
    name="log-group-retention",
    description="Every log group expires its logs after the stack's retention.",
    resource_types=frozenset({LOG_GROUP}),
    check=check_log_retention,
    remediation="Set retentionInDays (stack config `logRetentionDays`).",
    config_schema={"minimumDays": {"type": "number", "default": 7, "minimum": 1}},
)

RULES = (FUNCTION_TRACING, FUNCTION_LOG_GROUP, LOG_GROUP_RETENTION)
