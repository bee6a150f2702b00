"""The assembled pack, served over gRPC exactly as ``pulumi preview --policy-pack`` runs it.

Starts ``policies/`` the way the Pulumi CLI's Python analyzer does (``python -m
pulumi.policy <engine> <pack dir>``, which runs ``__main__.py`` with the pack directory
first on ``sys.path``), reads the port the pack prints, and talks the analyzer protocol
to it on 127.0.0.1: the pack lists every rule with its config schema, accepts a stack's
config file, and reports a violation with the configured level.
"""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import grpc  # type: ignore[import-untyped]
import pytest
from google.protobuf import empty_pb2, struct_pb2  # type: ignore[import-untyped]
from pulumi.runtime.proto import analyzer_pb2, analyzer_pb2_grpc

from policies.offline import CONFIG_DIR
from policies.rules import ALL_RULES, PACK_NAME
from tests.policies.samples import API, DELETE, TABLE, api, table, with_

PACK_DIR = Path(__file__).resolve().parents[2] / "policies"
LEVELS = {0: "advisory", 1: "mandatory", 2: "disabled", 3: "remediate"}


@pytest.fixture(scope="module")
def analyzer() -> Iterator[analyzer_pb2_grpc.AnalyzerStub]:
    process = subprocess.Popen(
        [sys.executable, "-u", "-m", "pulumi.policy", "127.0.0.1:0", str(PACK_DIR)],
        cwd=PACK_DIR,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert process.stdout is not None
        port = process.stdout.readline().strip()
        assert port.isdigit(), (
            f"the pack did not start: {port!r} {process.stderr.read() if process.stderr else ''}"
        )
        channel = grpc.insecure_channel(f"127.0.0.1:{port}")
        grpc.channel_ready_future(channel).result(timeout=20)
        yield analyzer_pb2_grpc.AnalyzerStub(channel)
        channel.close()
    finally:
        process.kill()
        process.wait(timeout=10)


def _struct(values: dict[str, object]) -> struct_pb2.Struct:
    message = struct_pb2.Struct()
    message.update(values)
    return message


def _configure(stub: analyzer_pb2_grpc.AnalyzerStub, stack: str) -> None:
    document = json.loads((CONFIG_DIR / f"{stack}.json").read_text())
    levels = {
        "advisory": analyzer_pb2.EnforcementLevel.ADVISORY,
        "mandatory": analyzer_pb2.EnforcementLevel.MANDATORY,
        "disabled": analyzer_pb2.EnforcementLevel.DISABLED,
    }
    stub.Configure(
        analyzer_pb2.ConfigureAnalyzerRequest(
            policyConfig={
                name: analyzer_pb2.PolicyConfig(
                    enforcementLevel=levels[entry["enforcementLevel"]],
                    properties=_struct({k: v for k, v in entry.items() if k != "enforcementLevel"}),
                )
                for name, entry in document.items()
            }
        )
    )


def _analyze(stub, resource_type: str, props: dict[str, object]) -> list[tuple[str, str, str]]:
    response = stub.Analyze(
        analyzer_pb2.AnalyzeRequest(
            type=resource_type,
            properties=_struct(props),
            urn=f"urn:pulumi:prd::booking-platform::{resource_type}::subject",
            name="subject",
        )
    )
    return [(d.policyName, LEVELS[d.enforcementLevel], d.message) for d in response.diagnostics]


def test_the_pack_serves_every_rule_with_its_config_schema(analyzer):
    info = analyzer.GetAnalyzerInfo(empty_pb2.Empty())
    assert info.name == PACK_NAME
    assert info.supportsConfig
    assert [policy.name for policy in info.policies] == [rule.name for rule in ALL_RULES]
    schemas = {policy.name: policy.configSchema for policy in info.policies}
    assert "allowedOrigins" in schemas["cors-origins"].properties


def test_a_prd_violation_comes_back_mandatory_with_the_resource_and_property(analyzer):
    _configure(analyzer, "prd")
    found = _analyze(analyzer, TABLE, with_(table(), pointInTimeRecovery__enabled=False))
    assert [(name, level) for name, level, _ in found] == [("table-pitr", "mandatory")]
    assert "'subject': pointInTimeRecovery.enabled" in found[0][2]


def test_the_dev_config_turns_the_same_violation_advisory_and_its_values_reach_the_rules(analyzer):
    _configure(analyzer, "dev")
    found = _analyze(analyzer, TABLE, with_(table(), pointInTimeRecovery__enabled=False))
    assert [(name, level) for name, level, _ in found] == [("table-pitr", "advisory")]
    dev_origins = json.loads((CONFIG_DIR / "dev.json").read_text())["cors-origins"]["allowedOrigins"]
    compliant = with_(api(), corsConfiguration__allowOrigins=dev_origins)
    assert _analyze(analyzer, API, compliant) == []
    assert [
        name for name, _, _ in _analyze(analyzer, API, with_(compliant, corsConfiguration__maxAge=DELETE))
    ] == ["cors-max-age"]


def test_stack_analysis_reports_a_function_without_an_error_alarm_against_its_urn(analyzer):
    _configure(analyzer, "prd")
    function_urn = "urn:pulumi:prd::booking-platform::aws:lambda/function:Function::bookings"
    response = analyzer.AnalyzeStack(
        analyzer_pb2.AnalyzeStackRequest(
            resources=[
                analyzer_pb2.AnalyzerResource(
                    type="aws:lambda/function:Function",
                    name="bookings",
                    urn=function_urn,
                    properties=_struct({"name": "booking-bookings", "tracingConfig": {"mode": "Active"}}),
                )
            ]
        )
    )
    assert [(d.policyName, d.urn) for d in response.diagnostics] == [("function-error-alarms", function_urn)]
