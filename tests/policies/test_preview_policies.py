"""``bookingctl preview`` runs the pack on the previewed inventory; ``policy check`` agrees."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bookingctl.cli import main
from policies.offline import CONFIG_DIR
from policies.rules import ALL_RULES

pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("policy-mutations")]


def _policy_lines(output: str) -> list[str]:
    return [line for line in output.splitlines() if line.startswith("  [")]


def test_preview_of_prd_evaluates_every_rule_and_passes(capsys):
    assert main(["preview", "--stack", "prd"]) == 0
    out = capsys.readouterr().out
    assert f"Policies ({len(ALL_RULES)} evaluated, config:" in out
    assert "function-error-alarms                 21 resources" in out
    assert "Mandatory violations: 0" in out
    assert "Policy check of stack 'prd' passed." in out


def test_preview_of_dev_prints_advisory_violations_without_failing(capsys):
    assert main(["preview", "--stack", "dev"]) == 0
    out = capsys.readouterr().out
    assert "disabled: table-deletion-protection" in out
    assert "[table-pitr] aws:dynamodb/table:Table" in out  # dev runs without PITR: advisory


def test_a_stricter_policy_config_fails_the_preview_and_policy_check_gives_the_same_verdict(
    tmp_path: Path, capsys
):
    config = json.loads((CONFIG_DIR / "prd.json").read_text())
    config["cors-origins"]["allowedOrigins"] = ["https://other.example.com"]
    config["stage-throttling"]["maxBurstLimit"] = 100
    strict = tmp_path / "strict.json"
    strict.write_text(json.dumps(config))
    inventory = tmp_path / "prd-inventory.json"

    assert main(["preview", "--stack", "prd", "--json", str(inventory), "--policy-config", str(strict)]) == 1
    previewed = capsys.readouterr().out
    assert "Mandatory violations: 2" in previewed
    assert "[cors-origins]" in previewed
    assert (
        "defaultRouteSettings.throttlingBurstLimit is 500, outside this stack's bounds [50, 100]" in previewed
    )

    assert main(["policy", "check", str(inventory), "--policy-config", str(strict)]) == 1
    checked = capsys.readouterr().out
    assert _policy_lines(checked) == _policy_lines(previewed)


def test_a_policy_config_that_does_not_fit_the_pack_stops_the_preview_before_it_runs(tmp_path: Path, capsys):
    bad = tmp_path / "bad.json"
    bad.write_text('{"table-pitr": "sometimes"}')
    with pytest.raises(SystemExit) as stopped:
        main(["preview", "--stack", "qas", "--policy-config", str(bad)])
    assert stopped.value.code == 2
    captured = capsys.readouterr()
    assert "argument --policy-config" in captured.err
    assert "enforcementLevel 'sometimes'" in captured.err
    assert "Previewing" not in captured.out
