"""Least privilege: no IAM policy grants ``*`` actions or ``*`` resources.

Each function's permissions are derived from the adapters it uses, so a wildcard is
always a mistake, except for the few actions AWS defines on no resource at all
(X-Ray segments, custom metrics, the SES account's quota), which
``wildcardResourceActions`` lists.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from .base import Config, Props, ResourceRule, as_list, mappings

POLICY_TYPES = frozenset(
    {"aws:iam/rolePolicy:RolePolicy", "aws:iam/policy:Policy", "aws:iam/userPolicy:UserPolicy"}
)


def _document(props: Props) -> Mapping[str, Any] | None:
    raw = props.get("policy")
    if isinstance(raw, Mapping):
        return raw
    if isinstance(raw, str) and raw:
        try:
            parsed = json.loads(raw)
        except json.JSONDecodeError:
            return None
        return parsed if isinstance(parsed, Mapping) else None
    return None


def _statement_problems(index: int, statement: Mapping[str, Any], config: Config) -> list[str]:
    if statement.get("Effect", "Allow") != "Allow":
        return []
    where = f"policy Statement[{statement.get('Sid') or index}]"
    problems: list[str] = []
    for key in ("NotAction", "NotResource"):
        if key in statement:
            problems.append(f"{where} allows {key}: grant an explicit Action and Resource list instead")
    actions = [str(action) for action in as_list(statement.get("Action"))]
    wildcard_actions = [action for action in actions if action == "*" or action.endswith(":*")]
    if wildcard_actions:
        problems.append(
            f"{where}.Action contains {wildcard_actions}: list the exact actions the function's "
            "adapters call (settings.FUNCTIONS)"
        )
    resources = [str(resource) for resource in as_list(statement.get("Resource"))]
    tolerated = {str(action) for action in as_list(config["wildcardResourceActions"])}
    if "*" in resources and not (actions and set(actions) <= tolerated):
        problems.append(
            f"{where}.Resource is '*' for {actions}: scope it to the table, index, identity, "
            "schedule group or pool ARNs"
        )
    return problems


def check_no_wildcards(resource_type: str, props: Props, config: Config) -> list[str]:
    document = _document(props)
    if document is None:
        return ["policy is not a JSON policy document: build it with json.dumps of a dict"]
    problems: list[str] = []
    statements = document.get("Statement")
    items = [statements] if isinstance(statements, Mapping) else mappings(statements)
    for index, statement in enumerate(items):
        problems += _statement_problems(index, statement, config)
    return problems


IAM_NO_WILDCARDS = ResourceRule(
    name="iam-no-wildcards",
    description="No IAM policy allows a '*' action or a '*' resource.",
    resource_types=POLICY_TYPES,
    check=check_no_wildcards,
    remediation="Grant only the actions and resource ARNs the function's adapters use.",
    config_schema={
        "wildcardResourceActions": {
            "type": "array",
            "items": {"type": "string"},
            "default": [
                "xray:PutTraceSegments",
                "xray:PutTelemetryRecords",
                "cloudwatch:PutMetricData",
                "ses:GetSendQuota",
            ],
            "description": "Actions that have no resource type and may therefore use Resource '*'.",
        },
    },
)

RULES = (IAM_NO_WILDCARDS,)
