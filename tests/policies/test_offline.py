"""The offline evaluation and ``bookingctl policy check`` over a hand-built inventory."""

from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path

import pytest

from engine.inventory import Inventory, ResourceRecord
from policies.offline import CONFIG_DIR, PolicyConfig, evaluate
from policies.rules import ALL_RULES
from tests.cli import bookingctl
from tests.policies import samples
from tests.policies.samples import DELETE, with_

PROJECT = "booking-platform"


def _record(
    resource_type: str, name: str, inputs: dict[str, object], resource_id: str = "", **computed: object
) -> ResourceRecord:
    urn = f"urn:pulumi:prd::{PROJECT}::{resource_type}::{name}"
    outputs = {**inputs, **computed, "id": resource_id or name}
    return ResourceRecord(urn, resource_type, name, None, None, inputs, resource_id or name, outputs)


def compliant_resources(stack: str = "prd") -> list[ResourceRecord]:
    """Compliant with the stack's config: its origins and a stricter override per write route."""
    config = PolicyConfig.load(CONFIG_DIR / f"{stack}.json")
    api = with_(
        samples.api(), corsConfiguration__allowOrigins=config.values["cors-origins"]["allowedOrigins"]
    )
    stage = with_(
        samples.stage(),
        routeSettings=[
            {"routeKey": key, "throttlingBurstLimit": 20, "throttlingRateLimit": 10}
            for key in config.values["route-throttling"]["strictRoutes"]
        ],
    )
    function = samples.function()
    return [
        ResourceRecord(
            f"urn:pulumi:prd::{PROJECT}::pulumi:pulumi:Stack::{PROJECT}-prd",
            "pulumi:pulumi:Stack",
            f"{PROJECT}-prd",
            None,
            None,
            {},
        ),
        _record("booking:api:ApiGateway", "api", {}),
        _record(samples.API, "http-api", api),
        _record(samples.STAGE, "stage", stage),
        _record(samples.TABLE, "table", samples.table()),
        _record(samples.BUCKET, "spa", {}, "spa-bucket", bucket="spa-bucket"),
        _record(samples.PUBLIC_ACCESS_BLOCK, "spa-pab", samples.public_access_block()),
        _record(samples.OAC, "spa-oac", samples.origin_access_control()),
        _record(samples.WEB_ACL, "edge-acl", {"scope": "CLOUDFRONT"}, arn=samples.WEB_ACL_ARN),
        _record(samples.HEADERS_POLICY, "app-headers", samples.headers_policy(), samples.HEADERS_POLICY_ID),
        _record(samples.DISTRIBUTION, "cdn", samples.distribution()),
        _record(samples.FUNCTION, "bookings", function, function["name"]),
        _record(samples.LOG_GROUP, "bookings-logs", samples.log_group()),
        _record(samples.ROLE_POLICY, "bookings-policy", samples.role_policy()),
        _record(samples.USER_POOL, "users", samples.user_pool()),
        _record(samples.ALARM, "bookings-errors", samples.error_alarm(function["name"])),
    ]


def inventory(stack: str = "prd", resources: list[ResourceRecord] | None = None) -> Inventory:
    return Inventory(PROJECT, stack, resources if resources is not None else compliant_resources(stack))


def broken(name: str, stack: str = "prd", **paths: object) -> list[ResourceRecord]:
    """The compliant resources with ``paths`` changed in the inputs of resource ``name``."""
    return [
        replace(record, inputs=with_(record.inputs, **paths), outputs=with_(record.outputs, **paths))
        if record.name == name
        else record
        for record in compliant_resources(stack)
    ]


PRD = PolicyConfig.load(CONFIG_DIR / "prd.json")


def test_a_compliant_inventory_passes_every_policy_of_prd():
    report = evaluate(inventory(), PRD)
    assert report.findings == []
    assert report.exit_code == 0


def test_the_report_says_which_rules_ran_on_how_many_resources():
    report = evaluate(inventory(), PRD)
    assert set(report.evaluated) == {rule.name for rule in ALL_RULES}
    assert report.evaluated["cors-origins"] == 1
    assert report.evaluated["s3-origin-access-control"] == 2  # the distribution and the OAC
    assert report.evaluated["function-error-alarms"] == 2  # one function, one alarm
    assert "cors-origins" in report.render()


def test_a_mandatory_violation_fails_and_names_rule_resource_and_property():
    report = evaluate(inventory(resources=broken("table", pointInTimeRecovery__enabled=False)), PRD)
    assert [(f.rule, f.level) for f in report.findings] == [("table-pitr", "mandatory")]
    assert report.exit_code == 1
    assert "aws:dynamodb/table:Table 'table': pointInTimeRecovery.enabled" in report.render()


def test_in_dev_the_same_violation_is_advisory_and_does_not_fail():
    dev = PolicyConfig.load(CONFIG_DIR / "dev.json")
    report = evaluate(inventory("dev", broken("table", "dev", pointInTimeRecovery__enabled=False)), dev)
    assert [(f.rule, f.level) for f in report.findings] == [("table-pitr", "advisory")]
    assert report.exit_code == 0
    assert "Advisory violations: 1" in report.render()


def test_a_disabled_policy_is_not_evaluated_and_is_listed_as_disabled():
    config = PolicyConfig.from_mapping({"table-pitr": "disabled"})
    report = evaluate(inventory(resources=broken("table", pointInTimeRecovery__enabled=False)), config)
    assert report.findings == []
    assert "table-pitr" not in report.evaluated
    assert report.disabled == ["table-pitr"]


def test_stack_rules_read_outputs_and_report_the_resource_urn():
    resources = [record for record in compliant_resources() if record.name != "bookings-errors"]
    report = evaluate(inventory(resources=resources), PRD)
    assert [(f.rule, f.urn) for f in report.findings] == [
        ("function-error-alarms", next(r.urn for r in resources if r.name == "bookings"))
    ]


@pytest.fixture
def saved(tmp_path: Path):
    def save(resources: list[ResourceRecord], stack: str = "prd") -> Path:
        path = tmp_path / f"{stack}.json"
        path.write_text(inventory(stack, resources).to_json())
        return path

    return save


def test_policy_check_passes_a_compliant_saved_inventory(saved):
    result = bookingctl("policy", "check", str(saved(compliant_resources())))
    assert result.exit_code == 0
    assert "Policy check of stack 'prd' passed." in result.stdout


def _violation_rows(output: str, rule: str) -> list[str]:
    """The rows of the violations table naming ``rule`` (the policies table has no level)."""
    return [
        line for line in output.splitlines() if line.split()[:2] in ([rule, "mandatory"], [rule, "advisory"])
    ]


def test_policy_check_exits_non_zero_on_a_mandatory_violation(saved):
    path = saved(broken("http-api", corsConfiguration__allowOrigins=["*"]))
    result = bookingctl("policy", "check", str(path))
    assert result.exit_code == 1
    out = result.stdout
    # the wildcard itself, and the difference from the configured origin list
    assert "Mandatory violations: 2" in out
    assert len(_violation_rows(out, "cors-origins")) == 2


def test_policy_check_applies_another_stacks_config_when_asked(saved):
    path = saved(broken("http-api", corsConfiguration__allowOrigins=["*"]))
    # dev tolerates a wildcard origin but still compares with its configured origin list
    result = bookingctl("policy", "check", str(path), "--stack", "dev")
    assert result.exit_code == 1
    assert "differs from the stack's configured origins" in result.stdout


def test_policy_check_takes_an_explicit_config_file(saved, tmp_path):
    relaxed = tmp_path / "relaxed.json"
    relaxed.write_text('{"function-tracing": "advisory"}')
    path = saved(broken("bookings", tracingConfig__mode="PassThrough"))
    result = bookingctl("policy", "check", str(path), "--policy-config", str(relaxed))
    assert result.exit_code == 0
    assert "Advisory violations: 1" in result.stdout


def test_policy_check_reports_an_unreadable_inventory_or_config_with_exit_2(saved, tmp_path):
    missing = bookingctl("policy", "check", str(tmp_path / "missing.json"))
    assert missing.exit_code == 2
    assert "cannot read the inventory" in missing.stderr
    bad = tmp_path / "bad.json"
    bad.write_text('{"no-such-policy": "mandatory"}')
    misfit = bookingctl("policy", "check", str(saved(compliant_resources())), "--policy-config", str(bad))
    assert misfit.exit_code == 2
    assert "unknown policy" in misfit.stderr


def test_a_violation_is_a_row_of_rule_level_resource_and_message(saved):
    path = saved(broken("table", pointInTimeRecovery__enabled=False))
    result = bookingctl("policy", "check", str(path))
    (row,) = _violation_rows(result.stdout, "table-pitr")
    rule, level, resource, message = (cell.strip() for cell in re.split(r"\s{2,}", row.strip()))
    assert (rule, level, resource) == ("table-pitr", "mandatory", "aws:dynamodb/table:Table 'table'")
    assert message.startswith("pointInTimeRecovery.enabled")
    assert result.stderr == ""


def test_removing_a_property_entirely_is_reported_like_a_wrong_value():
    report = evaluate(
        inventory(resources=broken("stage", defaultRouteSettings__throttlingBurstLimit=DELETE)), PRD
    )
    assert {f.rule for f in report.findings} == {"stage-throttling"}


def test_preview_evaluates_its_inventory_with_the_stacks_config_or_the_one_given(tmp_path):
    from io import StringIO

    from rich.console import Console

    from bookingctl.commands import policy

    relaxed = tmp_path / "relaxed.json"
    relaxed.write_text('{"table-pitr": "advisory"}')
    broken_inventory = inventory(resources=broken("table", pointInTimeRecovery__enabled=False))

    strict = policy.evaluate_pack(broken_inventory, None)
    lenient = policy.evaluate_pack(broken_inventory, relaxed)
    assert (strict.exit_code, lenient.exit_code) == (1, 0)
    shown = Console(file=StringIO(), record=True, width=1000)
    policy.show_report(strict, shown)
    policy.show_report(lenient, shown)
    text = shown.export_text()
    assert "Mandatory violations: 1" in text
    assert "Advisory violations: 1" in text
