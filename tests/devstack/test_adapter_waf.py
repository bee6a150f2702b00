"""The web ACL is created in the emulator from the request AWS would get, so a rule AWS
would refuse fails here, and the distribution's association must name it."""

from __future__ import annotations

import copy
import itertools
from typing import Any

import pytest
from botocore.exceptions import ParamValidationError

from devstack.adapters.cloudfront import create_distribution
from devstack.adapters.waf import InvalidWebAcl, create_web_acl
from devstack.backend import EmulatorBackend

_names = itertools.count()


def _visibility(metric: str) -> dict[str, Any]:
    return {"cloudwatchMetricsEnabled": True, "metricName": metric, "sampledRequestsEnabled": True}


def program_inputs() -> dict[str, Any]:
    """The web ACL's inputs as the mock engine hands over the program's (components/waf.py)."""
    return {
        "name": f"edge-{next(_names)}",
        "scope": "CLOUDFRONT",
        "description": "Protects the distribution",
        "defaultAction": {"allow": {}},
        "visibilityConfig": _visibility("edge"),
        "rules": [
            {
                "name": "AWSManagedRulesCommonRuleSet",
                "priority": 0,
                "overrideAction": {"none": {}},
                "statement": {
                    "managedRuleGroupStatement": {"vendorName": "AWS", "name": "AWSManagedRulesCommonRuleSet"}
                },
                "visibilityConfig": _visibility("common"),
            },
            {
                "name": "rate-per-ip",
                "priority": 1,
                "action": {"block": {}},
                "statement": {
                    "rateBasedStatement": {"limit": 300, "aggregateKeyType": "IP", "evaluationWindowSec": 300}
                },
                "visibilityConfig": _visibility("rate-per-ip"),
            },
        ],
    }


def test_the_web_acl_and_its_rules_are_created_in_the_emulator(ctx, make_record):
    acl_id, acl = create_web_acl(ctx, make_record("aws:wafv2/webAcl:WebAcl", "edge", **program_inputs()))

    stored = ctx.client("wafv2").get_web_acl(Name=acl["name"], Id=acl_id, Scope="CLOUDFRONT")["WebACL"]
    assert acl["arn"] == stored["ARN"]
    assert ":global/webacl/" in acl["arn"]
    assert [rule["Name"] for rule in stored["Rules"]] == ["AWSManagedRulesCommonRuleSet", "rate-per-ip"]
    assert stored["Rules"][1]["Statement"]["RateBasedStatement"]["Limit"] == 300
    assert stored["Rules"][0]["OverrideAction"] == {"None": {}}


def _broken(change: Any) -> dict[str, Any]:
    inputs = copy.deepcopy(program_inputs())
    change(inputs)
    return inputs


@pytest.mark.parametrize(
    ("change", "error", "message"),
    [
        (  # a field the API does not have (a typo in the program)
            lambda acl: acl["rules"][1]["statement"]["rateBasedStatement"].update(limitPerIp=10),
            InvalidWebAcl,
            r"rules\[1\]\.statement\.rateBasedStatement\.limitPerIp: not a field of RateBasedStatement",
        ),
        (  # botocore's validation: a required member missing
            lambda acl: acl["rules"][0].pop("visibilityConfig"),
            ParamValidationError,
            r"Missing required parameter in Rules\[0\]: \"VisibilityConfig\"",
        ),
        (  # botocore's validation: below the API's minimum
            lambda acl: acl["rules"][1]["statement"]["rateBasedStatement"].update(limit=5),
            ParamValidationError,
            r"Rules\[1\]\.Statement\.RateBasedStatement\.Limit",
        ),
        (  # AWS refuses, moto does not
            lambda acl: acl["rules"][1].update(priority=0),
            InvalidWebAcl,
            r"two rules with the same priority: 0",
        ),
        (
            lambda acl: acl["rules"][0].update(action={"block": {}}),
            InvalidWebAcl,
            r"rules\.AWSManagedRulesCommonRuleSet: a rule group statement takes overrideAction",
        ),
    ],
    ids=["unknown field", "missing member", "below minimum", "same priority", "action on a rule group"],
)
def test_a_malformed_rule_is_refused_with_the_field_named(ctx, make_record, change, error, message):
    record = make_record("aws:wafv2/webAcl:WebAcl", "edge", **_broken(change))

    with pytest.raises(error, match=message):
        create_web_acl(ctx, record)


def test_the_distributions_web_acl_must_be_one_the_emulator_holds(ctx, make_record):
    _, acl = create_web_acl(ctx, make_record("aws:wafv2/webAcl:WebAcl", "edge", **program_inputs()))
    missing = acl["arn"].rsplit("/", 1)[0] + "/00000000-0000-0000-0000-000000000000"

    distribution_id, _ = create_distribution(
        ctx, make_record("aws:cloudfront/distribution:Distribution", "site", webAclId=acl["arn"])
    )
    with pytest.raises(InvalidWebAcl, match="is no CLOUDFRONT web ACL here"):
        create_distribution(
            ctx, make_record("aws:cloudfront/distribution:Distribution", "site", webAclId=missing)
        )
    assert distribution_id


def test_the_banner_lists_the_web_acl_as_created_but_not_applied(ctx, make_record):
    backend = EmulatorBackend(ctx)

    backend.create(make_record("aws:wafv2/webAcl:WebAcl", "edge", **program_inputs()))

    (listed,) = backend.not_emulated()["aws:wafv2/webAcl:WebAcl"]
    assert listed.created
    assert "does not apply" in listed.reason


@pytest.mark.slow
def test_a_rule_the_program_breaks_fails_the_deployment_onto_the_emulator(monkeypatch):
    """What ``make local`` does with the program, with one of its rules made malformed:
    the deployment stops at the web ACL, naming the field (not at a real deploy)."""
    import pulumi_aws as aws

    import components.waf
    from devstack.adapters.base import EmulatorContext
    from devstack.emulator import Emulator
    from engine.run import run_program

    def without_metric_name(metric: str) -> aws.wafv2.WebAclRuleVisibilityConfigArgs:
        return aws.wafv2.WebAclRuleVisibilityConfigArgs(
            cloudwatch_metrics_enabled=True, metric_name="", sampled_requests_enabled=True
        )

    monkeypatch.setattr(components.waf, "_visibility", without_metric_name)
    emulator = Emulator(export_environment=False).start()
    try:
        backend = EmulatorBackend(EmulatorContext(emulator.endpoint_url, emulator.region))
        with pytest.raises(Exception, match=r"Rules\[0\]\.VisibilityConfig\.MetricName") as failure:
            run_program("dev", backend)
    finally:
        emulator.stop()
    assert "Invalid length" in str(failure.value)
