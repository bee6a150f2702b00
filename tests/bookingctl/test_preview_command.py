"""``bookingctl preview``: tree, summary, inventory JSON, the policy verdict, exit codes."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from booking.contract import FUNCTIONS
from typer.testing import Result

from bookingctl.commands import policy
from engine.inventory import Inventory
from engine.stack_file import PROJECT_ROOT
from policies.offline import CONFIG_DIR, Finding, Report
from policies.rules import ALL_RULES
from tests.cli import bookingctl

pytestmark = pytest.mark.xdist_group("infra-program")


@pytest.fixture(scope="module")
def dev_preview(tmp_path_factory: pytest.TempPathFactory) -> tuple[Result, Path]:
    target = tmp_path_factory.mktemp("preview") / "out" / "dev.json"
    return bookingctl("preview", "--stack", "dev", "--json", str(target)), target


def test_preview_prints_the_tree_and_summary_and_writes_the_inventory(dev_preview: tuple[Result, Path]):
    result, target = dev_preview
    assert result.exit_code == 0
    printed = result.stdout
    assert "pulumi:pulumi:Stack" in printed
    assert "├─ booking:api:ApiGateway" in printed
    assert "aws:wafv2/webAcl:WebAcl" in printed
    assert "to create" in printed
    inventory = Inventory.load(target)
    assert inventory.stack == "dev"
    assert len(inventory.of_type("aws:lambda/function:Function")) == len(FUNCTIONS)
    assert f"+ {len(inventory.resources)} to create" in printed
    # the summary table: one row per type, with how many are to be created
    assert any(
        line.split() == ["aws:lambda/function:Function", str(len(FUNCTIONS))] for line in printed.splitlines()
    )


def test_progress_goes_to_stderr_and_the_results_to_stdout(dev_preview: tuple[Result, Path]):
    result, _ = dev_preview
    assert "ran the program of stack dev" in result.stderr
    dev_config = json.loads((CONFIG_DIR / "dev.json").read_text())
    enabled = [rule for rule in ALL_RULES if dev_config[rule.name]["enforcementLevel"] != "disabled"]
    assert len(enabled) < len(ALL_RULES)  # dev turns some off
    assert f"evaluated {len(enabled)} policies (policies/config/dev.json)" in result.stderr
    assert "ran the program" not in result.stdout
    assert "✓" not in result.stdout
    assert "pulumi:pulumi:Stack" not in result.stderr


def test_the_policy_pack_with_the_given_config_decides_the_exit_status(tmp_path: Path, monkeypatch):
    seen: list[tuple[str, Path | None]] = []
    violated = Report(
        "qas", "strict", [Finding("table-pitr", "mandatory", "no PITR", None)], {"table-pitr": 1}, []
    )

    def evaluate_pack(inventory: Inventory, config_path: Path | None) -> Report:
        seen.append((inventory.stack, config_path))
        return violated

    monkeypatch.setattr(policy, "evaluate_pack", evaluate_pack)
    strict = tmp_path / "strict.json"
    strict.write_text('{"table-pitr": "mandatory"}')
    result = bookingctl("preview", "--stack", "qas", "--policy-config", str(strict))
    assert result.exit_code == 1
    assert seen == [("qas", strict)]
    assert "Policy check of stack 'qas' FAILED" in result.stdout


def test_an_invalid_stack_configuration_exits_2_naming_the_key(tmp_path: Path):
    text = (PROJECT_ROOT / "Pulumi.qas.yaml").read_text().replace("rateLimit: 50", "rateLimit: -5")
    (tmp_path / "Pulumi.qas.yaml").write_text(text)
    result = bookingctl("preview", "--stack", "qas", "--project-root", str(tmp_path))
    assert result.exit_code == 2
    assert "booking-platform:throttle.rateLimit" in result.stderr


def test_a_stack_without_a_configuration_file_exits_2():
    result = bookingctl("preview", "--stack", "nosuchstack")
    assert result.exit_code == 2
    assert "Pulumi.nosuchstack.yaml" in result.stderr


def test_secrets_are_named_but_never_shown(tmp_path: Path):
    ciphertext = "v1:ZmFrZWNpcGhlcnRleHQ="
    text = (PROJECT_ROOT / "Pulumi.prd.yaml").read_text()
    text = text.replace("    email: oncall@booking.example.com", f"    email:\n      secure: {ciphertext}")
    (tmp_path / "Pulumi.prd.yaml").write_text(text)
    result = bookingctl("preview", "--stack", "prd", "--project-root", str(tmp_path))
    assert result.exit_code == 0
    assert (
        "Secrets previewed with placeholders (not decrypted offline): booking-platform:alarms"
        in result.stdout
    )
    assert ciphertext not in result.stdout + result.stderr


def test_component_types_are_printed_as_written_not_as_emoji(dev_preview: tuple[Result, Path]):
    # Rich reads ``:email:`` as an emoji code unless told not to.
    result, _ = dev_preview
    assert "booking:email:Email" in result.stdout
