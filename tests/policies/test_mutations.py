"""Mutation tests on the real program: break one property, exactly one rule fires.

The inventory comes from the offline preview (``run_program``) of the unmodified
stacks, one run per stack for the whole session. Each case changes one thing the way
a careless edit would (a wildcard origin, a missing burst limit, PITR off, the WAF
detached, an IAM ``*``…) in the resource's inputs and outputs, evaluates the pack with
the stack's own config file, and asserts that the rule meant to catch it, and only
that rule, reports it at the stack's configured level.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Any

import pytest

from engine.inventory import Inventory, ResourceRecord
from engine.run import run_program
from policies.offline import PolicyConfig, Report, evaluate
from policies.rules import ALL_RULES
from tests.policies.samples import API, DELETE, DISTRIBUTION, FUNCTION, STAGE, TABLE, with_

pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("policy-mutations")]

STACKS = ("dev", "qas", "prd")
_INVENTORIES: dict[str, Inventory] = {}


@pytest.fixture(scope="session")
def inventories() -> Callable[[str], Inventory]:
    """The offline preview of a stack, run once per stack for the whole session."""

    def of(stack: str) -> Inventory:
        if stack not in _INVENTORIES:
            _INVENTORIES[stack] = run_program(stack)
        return _INVENTORIES[stack]

    return of


Change = Callable[[Inventory], Inventory]


def _only(inventory: Inventory, resource_type: str, name_part: str = "") -> ResourceRecord:
    matches = [r for r in inventory.of_type(resource_type) if name_part in r.name]
    assert matches, f"the program registers no {resource_type} named *{name_part}*"
    return matches[0]


def _swap(inventory: Inventory, old: ResourceRecord, new: ResourceRecord | None) -> Inventory:
    resources = [
        record if record.urn != old.urn else new
        for record in inventory.resources
        if record.urn != old.urn or new is not None
    ]
    return replace(inventory, resources=[record for record in resources if record is not None])


def set_props(resource_type: str, name_part: str = "", **paths: Any) -> Change:
    """Change ``paths`` (``a__b=value`` or ``DELETE``) in one resource's inputs and outputs."""

    def change(inventory: Inventory) -> Inventory:
        record = _only(inventory, resource_type, name_part)
        return _swap(
            inventory,
            record,
            replace(record, inputs=with_(record.inputs, **paths), outputs=with_(record.outputs, **paths)),
        )

    return change


def edit_props(resource_type: str, name_part: str, edit: Callable[[dict[str, Any]], None]) -> Change:
    def change(inventory: Inventory) -> Inventory:
        record = _only(inventory, resource_type, name_part)
        inputs, outputs = json.loads(json.dumps(record.inputs)), json.loads(json.dumps(record.outputs))
        edit(inputs)
        edit(outputs)
        return _swap(inventory, record, replace(record, inputs=inputs, outputs=outputs))

    return change


def remove(resource_type: str, name_part: str = "") -> Change:
    def change(inventory: Inventory) -> Inventory:
        return _swap(inventory, _only(inventory, resource_type, name_part), None)

    return change


def _grant_everything(props: dict[str, Any]) -> None:
    document = json.loads(props["policy"])
    document["Statement"][0]["Action"] = "*"
    props["policy"] = json.dumps(document)


def _allow_inline_scripts(props: dict[str, Any]) -> None:
    csp = props["securityHeadersConfig"]["contentSecurityPolicy"]
    csp["contentSecurityPolicy"] = csp["contentSecurityPolicy"].replace(
        "script-src 'self'", "script-src 'self' 'unsafe-inline'"
    )


def _no_origin_header(props: dict[str, Any]) -> None:
    for origin in props["origins"]:
        origin.pop("customHeaders", None)


def _forget_origin_secret(props: dict[str, Any]) -> None:
    props["environment"]["variables"].pop("ORIGIN_SECRET_ARN")


def _wildcard_with_credentials(props: dict[str, Any]) -> None:
    cors = props["corsConfiguration"]
    cors["allowOrigins"] = [*cors["allowOrigins"], "*"]
    cors["allowCredentials"] = True


@dataclass(frozen=True)
class Mutation:
    rule: str
    change: Change
    stack: str = "prd"


MUTATIONS = {
    "wildcard origin": Mutation("cors-origins", set_props(API, corsConfiguration__allowOrigins=["*"])),
    "wildcard headers": Mutation(
        "cors-methods-and-headers", set_props(API, corsConfiguration__allowHeaders=["*"])
    ),
    # dev tolerates a wildcard origin, so there only the credentials rule can object
    "credentials with a wildcard (dev)": Mutation(
        "cors-credentials", edit_props(API, "", _wildcard_with_credentials), stack="dev"
    ),
    "no preflight max age": Mutation("cors-max-age", set_props(API, corsConfiguration__maxAge=DELETE)),
    "missing burst limit": Mutation(
        "stage-throttling", set_props(STAGE, defaultRouteSettings__throttlingBurstLimit=DELETE)
    ),
    "route override above the stage": Mutation(
        "route-throttling", set_props(STAGE, routeSettings__0__throttlingRateLimit=100000)
    ),
    "no access logs": Mutation("stage-access-logs", set_props(STAGE, accessLogSettings=DELETE)),
    "PITR off": Mutation("table-pitr", set_props(TABLE, pointInTimeRecovery__enabled=False)),
    "deletion protection off": Mutation(
        "table-deletion-protection", set_props(TABLE, deletionProtectionEnabled=False)
    ),
    "table encryption off": Mutation("table-encryption", set_props(TABLE, serverSideEncryption=DELETE)),
    "public bucket": Mutation(
        "bucket-public-access-block",
        set_props("aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock", blockPublicPolicy=False),
    ),
    "public access block removed": Mutation(
        "buckets-have-public-access-block", remove("aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock")
    ),
    "WAF detached": Mutation("distribution-waf", set_props(DISTRIBUTION, webAclId=DELETE)),
    "web ACL not in the stack": Mutation("distribution-web-acl-exists", remove("aws:wafv2/webAcl:WebAcl")),
    "plain HTTP viewers": Mutation(
        "distribution-viewer-https",
        set_props(DISTRIBUTION, defaultCacheBehavior__viewerProtocolPolicy="allow-all"),
    ),
    "TLS1 minimum": Mutation(
        "distribution-viewer-tls", set_props(DISTRIBUTION, viewerCertificate__minimumProtocolVersion="TLSv1")
    ),
    "default behaviour without the CSP": Mutation(
        "distribution-csp", set_props(DISTRIBUTION, defaultCacheBehavior__responseHeadersPolicyId=DELETE)
    ),
    "CSP allowing inline scripts": Mutation(
        "distribution-csp",
        edit_props("aws:cloudfront/responseHeadersPolicy:ResponseHeadersPolicy", "", _allow_inline_scripts),
    ),
    "API origin without the origin header": Mutation(
        "api-origin-verified", edit_props(DISTRIBUTION, "", _no_origin_header)
    ),
    "an API function not given the origin secret (qas)": Mutation(
        "api-origin-verified", edit_props(FUNCTION, "bookings", _forget_origin_secret), stack="qas"
    ),
    "unsigned origin access": Mutation(
        "s3-origin-access-control",
        set_props("aws:cloudfront/originAccessControl:OriginAccessControl", signingBehavior="never"),
    ),
    "tracing PassThrough": Mutation(
        "function-tracing", set_props(FUNCTION, "bookings", tracingConfig__mode="PassThrough")
    ),
    "function without its log group": Mutation(
        "function-log-group", set_props(FUNCTION, "bookings", loggingConfig__logGroup=DELETE)
    ),
    "log retention missing": Mutation(
        "log-group-retention", set_props("aws:cloudwatch/logGroup:LogGroup", "", retentionInDays=DELETE)
    ),
    "IAM *": Mutation(
        "iam-no-wildcards", edit_props("aws:iam/rolePolicy:RolePolicy", "bookings", _grant_everything)
    ),
    "password length 6": Mutation(
        "cognito-password-policy",
        set_props("aws:cognito/userPool:UserPool", passwordPolicy__minimumLength=6),
    ),
    "the app client may write the tenant": Mutation(
        "cognito-client-write-attributes",
        edit_props(
            "aws:cognito/userPoolClient:UserPoolClient",
            "",
            lambda props: props["writeAttributes"].append("custom:tenant_id"),
        ),
    ),
    "an error alarm removed": Mutation(
        "function-error-alarms", remove("aws:cloudwatch/metricAlarm:MetricAlarm", "bookings-errors")
    ),
}


def _report(inventory: Inventory) -> Report:
    return evaluate(inventory, PolicyConfig.for_stack(inventory.stack))


def test_every_rule_of_the_pack_has_a_mutation():
    assert {mutation.rule for mutation in MUTATIONS.values()} == {rule.name for rule in ALL_RULES}


@pytest.mark.parametrize("stack", STACKS)
def test_the_unmodified_stack_has_no_mandatory_violation(inventories, stack):
    report = _report(inventories(stack))
    assert report.at_level("mandatory") == [], report.render()
    assert report.exit_code == 0


@pytest.mark.parametrize("mutation", MUTATIONS.values(), ids=MUTATIONS.keys())
def test_breaking_one_property_fires_exactly_its_rule(inventories, mutation):
    original = inventories(mutation.stack)
    before = {(finding.rule, finding.message) for finding in _report(original).findings}
    report = _report(mutation.change(original))
    new = [finding for finding in report.findings if (finding.rule, finding.message) not in before]
    assert {finding.rule for finding in new} == {mutation.rule}, report.render()
    level = PolicyConfig.for_stack(mutation.stack).level(
        next(r for r in ALL_RULES if r.name == mutation.rule)
    )
    assert {finding.level for finding in new} == {level}
    if level == "mandatory":
        assert report.exit_code == 1
