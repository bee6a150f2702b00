"""Compliant camelCase props for each checked resource type (pulumi-aws 7 names).

Each test table starts from one of these and breaks one thing, so compliant and
violating props sit side by side.
"""

from __future__ import annotations

import copy
import json
from collections.abc import Callable
from typing import Any

API = "aws:apigatewayv2/api:Api"
STAGE = "aws:apigatewayv2/stage:Stage"
TABLE = "aws:dynamodb/table:Table"
BUCKET = "aws:s3/bucket:Bucket"
PUBLIC_ACCESS_BLOCK = "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock"
DISTRIBUTION = "aws:cloudfront/distribution:Distribution"
OAC = "aws:cloudfront/originAccessControl:OriginAccessControl"
WEB_ACL = "aws:wafv2/webAcl:WebAcl"
HEADERS_POLICY = "aws:cloudfront/responseHeadersPolicy:ResponseHeadersPolicy"
FUNCTION = "aws:lambda/function:Function"
LOG_GROUP = "aws:cloudwatch/logGroup:LogGroup"
ROLE_POLICY = "aws:iam/rolePolicy:RolePolicy"
IAM_POLICY = "aws:iam/policy:Policy"
USER_POOL = "aws:cognito/userPool:UserPool"
USER_POOL_CLIENT = "aws:cognito/userPoolClient:UserPoolClient"
ALARM = "aws:cloudwatch/metricAlarm:MetricAlarm"

SPA_ORIGIN = "https://app.example.com"
WEB_ACL_ARN = "arn:aws:wafv2:us-east-1:123456789012:global/webacl/booking/abc"
HEADERS_POLICY_ID = "rhp-app-1"
APP_CSP = (
    "default-src 'none'; script-src 'self' 'sha256-abc='; style-src 'self'; "
    "connect-src 'self' https://auth.example.com; frame-ancestors 'none'"
)

Props = dict[str, Any]


def api() -> Props:
    return {
        "protocolType": "HTTP",
        "corsConfiguration": {
            "allowOrigins": [SPA_ORIGIN],
            "allowMethods": ["GET", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"],
            "allowHeaders": ["Authorization", "Content-Type", "Idempotency-Key"],
            "allowCredentials": False,
            "maxAge": 3600,
        },
    }


def stage() -> Props:
    return {
        "apiId": "api-1",
        "name": "$default",
        "autoDeploy": True,
        "defaultRouteSettings": {"throttlingBurstLimit": 100, "throttlingRateLimit": 50},
        "routeSettings": [
            {"routeKey": "POST /bookings", "throttlingBurstLimit": 20, "throttlingRateLimit": 10},
        ],
        "accessLogSettings": {
            "destinationArn": "arn:aws:logs:us-east-1:123456789012:log-group:/booking/api",
            "format": json.dumps({"requestId": "$context.requestId", "status": "$context.status"}),
        },
    }


def table() -> Props:
    return {
        "billingMode": "PAY_PER_REQUEST",
        "hashKey": "pk",
        "rangeKey": "sk",
        "pointInTimeRecovery": {"enabled": True},
        "deletionProtectionEnabled": True,
        "serverSideEncryption": {"enabled": True},
    }


def public_access_block() -> Props:
    return {
        "bucket": "spa-bucket",
        "blockPublicAcls": True,
        "blockPublicPolicy": True,
        "ignorePublicAcls": True,
        "restrictPublicBuckets": True,
    }


def distribution() -> Props:
    return {
        "enabled": True,
        "webAclId": WEB_ACL_ARN,
        "origins": [
            {
                "originId": "spa",
                "domainName": "spa-bucket.s3.us-east-1.amazonaws.com",
                "originAccessControlId": "oac-1",
            },
            {
                "originId": "api",
                "domainName": "api-1.execute-api.us-east-1.amazonaws.com",
                "customOriginConfig": {"originProtocolPolicy": "https-only"},
            },
        ],
        "defaultCacheBehavior": {
            "targetOriginId": "spa",
            "viewerProtocolPolicy": "redirect-to-https",
            "responseHeadersPolicyId": HEADERS_POLICY_ID,
        },
        "orderedCacheBehaviors": [
            {"pathPattern": "/api/*", "targetOriginId": "api", "viewerProtocolPolicy": "https-only"},
        ],
        "viewerCertificate": {
            "acmCertificateArn": "arn:aws:acm:us-east-1:123456789012:certificate/1",
            "sslSupportMethod": "sni-only",
            "minimumProtocolVersion": "TLSv1.2_2021",
        },
    }


def headers_policy() -> Props:
    return {
        "name": "booking-app-headers",
        "securityHeadersConfig": {
            "contentSecurityPolicy": {"contentSecurityPolicy": APP_CSP, "override": True},
            "contentTypeOptions": {"override": True},
        },
    }


def origin_access_control() -> Props:
    return {"originAccessControlOriginType": "s3", "signingBehavior": "always", "signingProtocol": "sigv4"}


def function() -> Props:
    return {
        "name": "booking-bookings",
        "runtime": "python3.12",
        "architectures": ["arm64"],
        "tracingConfig": {"mode": "Active"},
        "loggingConfig": {"logFormat": "JSON", "logGroup": "/booking/bookings"},
    }


def log_group() -> Props:
    return {"name": "/booking/bookings", "retentionInDays": 30}


def role_policy() -> Props:
    document = {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Sid": "Table",
                "Effect": "Allow",
                "Action": ["dynamodb:GetItem", "dynamodb:TransactWriteItems"],
                "Resource": ["arn:aws:dynamodb:us-east-1:123456789012:table/booking"],
            },
            {
                "Sid": "Traces",
                "Effect": "Allow",
                "Action": ["xray:PutTraceSegments", "xray:PutTelemetryRecords"],
                "Resource": "*",
            },
        ],
    }
    return {"role": "bookings-role", "policy": json.dumps(document)}


def user_pool() -> Props:
    return {
        "passwordPolicy": {
            "minimumLength": 12,
            "requireLowercase": True,
            "requireUppercase": True,
            "requireNumbers": True,
            "requireSymbols": False,
        }
    }


def user_pool_client() -> Props:
    return {
        "writeAttributes": ["email", "name", "phone_number"],
        "readAttributes": ["email", "custom:tenant_id"],
    }


def error_alarm(function_name: str = "booking-bookings") -> Props:
    return {
        "namespace": "AWS/Lambda",
        "metricName": "Errors",
        "dimensions": {"FunctionName": function_name},
        "comparisonOperator": "GreaterThanThreshold",
        "threshold": 0,
        "evaluationPeriods": 1,
    }


def changed(base: Props, change: Callable[[Props], object]) -> Props:
    """A deep copy of ``base`` with ``change`` applied (the change may return anything)."""
    props = copy.deepcopy(base)
    change(props)
    return props


def set_path(props: Props, path: str, value: Any) -> None:
    """``props["a"]["b"] = value`` for ``"a.b"``; ``value=DELETE`` removes the key."""
    *parents, last = path.split(".")
    target: Any = props
    for key in parents:
        target = target[int(key)] if isinstance(target, list) else target[key]
    if value is DELETE:
        del target[last]
    elif isinstance(target, list):
        target[int(last)] = value
    else:
        target[last] = value


DELETE = object()


def with_(base: Props, **paths: Any) -> Props:
    """``with_(api(), corsConfiguration__maxAge=DELETE)``: a copy with paths set or removed."""
    props = copy.deepcopy(base)
    for dunder_path, value in paths.items():
        set_path(props, dunder_path.replace("__", "."), value)
    return props
