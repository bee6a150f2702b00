"""Functions, log groups, IAM and Cognito: compliant and violating props side by side."""

from __future__ import annotations

import json

import pytest

from tests.policies.harness import UNKNOWN, assert_reports, resource_messages
from tests.policies.samples import (
    DELETE,
    FUNCTION,
    IAM_POLICY,
    LOG_GROUP,
    ROLE_POLICY,
    USER_POOL,
    USER_POOL_CLIENT,
    function,
    log_group,
    role_policy,
    user_pool,
    user_pool_client,
    with_,
)


@pytest.mark.parametrize(
    ("policy", "props", "expected"),
    [
        pytest.param("function-tracing", function(), [], id="active"),
        pytest.param(
            "function-tracing", with_(function(), tracingConfig__mode="PassThrough"), ["'PassThrough'"]
        ),
        pytest.param(
            "function-tracing", with_(function(), tracingConfig=DELETE), ["tracingConfig.mode is None"]
        ),
        pytest.param("function-log-group", function(), [], id="own-log-group"),
        pytest.param(
            "function-log-group", with_(function(), loggingConfig=DELETE), ["loggingConfig.logGroup"]
        ),
    ],
)
def test_functions_are_traced_and_log_to_their_own_group(policy, props, expected):
    assert_reports(resource_messages(policy, FUNCTION, props), expected)


@pytest.mark.parametrize(
    ("props", "config", "expected"),
    [
        pytest.param(log_group(), None, [], id="thirty-days"),
        pytest.param(with_(log_group(), retentionInDays=DELETE), None, ["never expire"], id="unset"),
        pytest.param(with_(log_group(), retentionInDays=0), None, ["never expire"], id="zero"),
        pytest.param(with_(log_group(), retentionInDays=10), None, ["not a value CloudWatch accepts"]),
        pytest.param(log_group(), {"minimumDays": 90}, ["below this stack's minimum of 90"], id="below-min"),
    ],
)
def test_log_groups_expire_after_the_stack_retention(props, config, expected):
    assert_reports(resource_messages("log-group-retention", LOG_GROUP, props, config), expected)


def _policy(*statements: dict[str, object]) -> dict[str, str]:
    return {"policy": json.dumps({"Version": "2012-10-17", "Statement": list(statements)})}


TABLE_ARN = "arn:aws:dynamodb:us-east-1:123456789012:table/booking"


@pytest.mark.parametrize(
    ("resource_type", "props", "expected"),
    [
        pytest.param(ROLE_POLICY, role_policy(), [], id="scoped-plus-xray"),
        pytest.param(
            ROLE_POLICY,
            _policy({"Effect": "Allow", "Action": "*", "Resource": TABLE_ARN}),
            ["Action contains ['*']"],
        ),
        pytest.param(
            IAM_POLICY,
            _policy({"Effect": "Allow", "Action": "dynamodb:*", "Resource": TABLE_ARN}),
            ["['dynamodb:*']"],
        ),
        pytest.param(
            ROLE_POLICY,
            _policy({"Sid": "Table", "Effect": "Allow", "Action": ["dynamodb:GetItem"], "Resource": "*"}),
            ["Statement[Table].Resource is '*'"],
        ),
        pytest.param(
            ROLE_POLICY,
            _policy({"Effect": "Deny", "Action": "*", "Resource": "*"}),
            [],
            id="deny-wildcard-is-fine",
        ),
        pytest.param(
            ROLE_POLICY,
            _policy({"Effect": "Allow", "NotAction": "iam:*", "Resource": TABLE_ARN}),
            ["allows NotAction"],
        ),
        pytest.param(ROLE_POLICY, {"policy": "not json"}, ["not a JSON policy document"]),
        pytest.param(
            ROLE_POLICY,
            {"policy": json.dumps({"Statement": {"Effect": "Allow", "Action": "s3:*", "Resource": "*"}})},
            ["Action contains ['s3:*']", "Resource is '*'"],
            id="single-statement-object",
        ),
    ],
)
def test_iam_policies_grant_no_wildcards(resource_type, props, expected):
    assert_reports(resource_messages("iam-no-wildcards", resource_type, props), expected)


@pytest.mark.parametrize(
    ("props", "expected"),
    [
        pytest.param(user_pool(), [], id="twelve-mixed"),
        pytest.param(with_(user_pool(), passwordPolicy__minimumLength=6), ["minimumLength is 6"]),
        pytest.param(
            with_(user_pool(), passwordPolicy__requireUppercase=False), ["requireUppercase is not true"]
        ),
        pytest.param(with_(user_pool(), passwordPolicy=DELETE), ["passwordPolicy is not set"]),
    ],
)
def test_user_pools_require_long_mixed_passwords(props, expected):
    assert_reports(resource_messages("cognito-password-policy", USER_POOL, props), expected)


@pytest.mark.parametrize(
    ("props", "expected"),
    [
        pytest.param(user_pool_client(), [], id="own-details-only"),
        pytest.param(
            with_(user_pool_client(), writeAttributes=["email", "custom:tenant_id"]),
            ["writeAttributes includes ['custom:tenant_id']"],
            id="tenant-writable",
        ),
        pytest.param(
            with_(user_pool_client(), writeAttributes=DELETE),
            ["writeAttributes is not set"],
            id="everything-writable",
        ),
        pytest.param(with_(user_pool_client(), writeAttributes=[]), [], id="nothing-writable"),
    ],
)
def test_app_clients_cannot_write_the_tenant_attribute(props, expected):
    assert_reports(resource_messages("cognito-client-write-attributes", USER_POOL_CLIENT, props), expected)


def test_a_log_group_name_still_unknown_in_a_preview_counts_as_set():
    props = with_(function(), loggingConfig__logGroup=UNKNOWN)
    assert resource_messages("function-log-group", FUNCTION, props) == []
