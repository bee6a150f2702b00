"""``bookingctl preview`` runs the pack on the previewed inventory; ``policy check`` agrees."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from engine.inventory import Inventory
from policies.offline import CONFIG_DIR
from policies.rules import ALL_RULES
from policies.rules.alarms import ALARM, FUNCTION
from tests.cli import bookingctl

pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("policy-mutations")]


def _violation_rows(output: str) -> list[str]:
    """The rows of the violations table (a level in the second column)."""
    return [line for line in output.splitlines() if line.split()[1:2] in (["mandatory"], ["advisory"])]


def test_preview_of_prd_evaluates_every_rule_and_passes(tmp_path: Path):
    result = bookingctl("preview", "--stack", "prd", "--json", str(tmp_path / "prd.json"))
    assert result.exit_code == 0
    inventory = Inventory.load(tmp_path / "prd.json")
    out = result.stdout
    assert f"Policies ({len(ALL_RULES)} evaluated, config:" in out
    # each row counts the resources its rule looked at: every function and alarm here
    looked_at = len(inventory.of_type(FUNCTION)) + len(inventory.of_type(ALARM))
    assert any(line.split() == ["function-error-alarms", str(looked_at)] for line in out.splitlines())
    assert "Mandatory violations: 0" in out
    assert "Policy check of stack 'prd' passed." in out


def test_preview_of_dev_prints_advisory_violations_without_failing():
    result = bookingctl("preview", "--stack", "dev")
    assert result.exit_code == 0
    out = result.stdout
    assert any(line.split() == ["table-deletion-protection", "disabled"] for line in out.splitlines())
    # dev runs without PITR: advisory
    assert any(
        row.split()[:3] == ["table-pitr", "advisory", "aws:dynamodb/table:Table"]
        for row in _violation_rows(out)
    )


def test_a_stricter_policy_config_fails_the_preview_and_policy_check_gives_the_same_verdict(tmp_path: Path):
    config = json.loads((CONFIG_DIR / "prd.json").read_text())
    config["cors-origins"]["allowedOrigins"] = ["https://other.example.com"]
    config["stage-throttling"]["maxBurstLimit"] = 100
    strict = tmp_path / "strict.json"
    strict.write_text(json.dumps(config))
    inventory = tmp_path / "prd-inventory.json"

    previewed = bookingctl(
        "preview", "--stack", "prd", "--json", str(inventory), "--policy-config", str(strict)
    )
    assert previewed.exit_code == 1
    assert "Mandatory violations: 2" in previewed.stdout
    assert [row.split()[0] for row in _violation_rows(previewed.stdout)] == [
        "cors-origins",
        "stage-throttling",
    ]
    assert (
        "defaultRouteSettings.throttlingBurstLimit is 500, outside this stack's bounds [50, 100]"
        in previewed.stdout
    )

    checked = bookingctl("policy", "check", str(inventory), "--policy-config", str(strict))
    assert checked.exit_code == 1
    assert _violation_rows(checked.stdout) == _violation_rows(previewed.stdout)


def test_a_policy_config_that_does_not_fit_the_pack_stops_the_preview_before_it_runs(tmp_path: Path):
    bad = tmp_path / "bad.json"
    bad.write_text('{"table-pitr": "sometimes"}')
    result = bookingctl("preview", "--stack", "qas", "--policy-config", str(bad))
    assert result.exit_code == 2
    assert "Invalid value for '--policy-config'" in result.stderr
    assert "enforcementLevel 'sometimes'" in result.stderr
    assert "Previewing" not in result.stdout
