"""``bookingctl preview``: tree, summary, inventory JSON and the checks extension point."""

from __future__ import annotations

import argparse
import sys
import types
from pathlib import Path

import pytest

from bookingctl.cli import main
from bookingctl.commands import preview
from engine.inventory import Inventory
from engine.stack_file import PROJECT_ROOT

pytestmark = pytest.mark.xdist_group("infra-program")


def test_preview_prints_the_tree_and_summary_and_writes_the_inventory(tmp_path: Path, capsys):
    target = tmp_path / "out" / "dev.json"
    assert main(["preview", "--stack", "dev", "--json", str(target)]) == 0
    printed = capsys.readouterr().out
    assert "pulumi:pulumi:Stack" in printed
    assert "├─ booking:api:ApiGateway" in printed
    assert "aws:wafv2/webAcl:WebAcl" in printed
    assert "to create" in printed
    inventory = Inventory.load(target)
    assert inventory.stack == "dev"
    assert len(inventory.of_type("aws:lambda/function:Function")) == 5
    assert f"+ {len(inventory.resources)} to create" in printed


def test_checks_plug_in_with_their_own_options_and_decide_the_exit_status(monkeypatch, capsys):
    seen: list[tuple[str, str]] = []
    check = types.ModuleType("fake_policy_check")

    def add_arguments(parser: argparse.ArgumentParser) -> None:
        parser.add_argument("--policy-config")

    def run_check(inventory: Inventory, args: argparse.Namespace) -> int:
        seen.append((inventory.stack, args.policy_config))
        return 1

    check.add_arguments = add_arguments  # type: ignore[attr-defined]
    check.check = run_check  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "fake_policy_check", check)
    monkeypatch.setattr(preview, "CHECK_MODULES", ("fake_policy_check",))
    assert main(["preview", "--stack", "qas", "--policy-config", "strict.yaml"]) == 1
    assert seen == [("qas", "strict.yaml")]
    capsys.readouterr()


def test_an_invalid_stack_configuration_exits_2_naming_the_key(tmp_path: Path, capsys):
    text = (PROJECT_ROOT / "Pulumi.qas.yaml").read_text().replace("rateLimit: 50", "rateLimit: -5")
    (tmp_path / "Pulumi.qas.yaml").write_text(text)
    assert main(["preview", "--stack", "qas", "--project-root", str(tmp_path)]) == 2
    assert "booking-platform:throttle.rateLimit" in capsys.readouterr().err


def test_a_stack_without_a_configuration_file_exits_2(capsys):
    assert main(["preview", "--stack", "nosuchstack"]) == 2
    assert "Pulumi.nosuchstack.yaml" in capsys.readouterr().err


def test_secrets_are_named_but_never_shown(tmp_path: Path, capsys):
    ciphertext = "v1:ZmFrZWNpcGhlcnRleHQ="
    text = (PROJECT_ROOT / "Pulumi.prd.yaml").read_text()
    text = text.replace("    email: oncall@booking.example.com", f"    email:\n      secure: {ciphertext}")
    (tmp_path / "Pulumi.prd.yaml").write_text(text)
    assert main(["preview", "--stack", "prd", "--project-root", str(tmp_path)]) == 0
    printed = capsys.readouterr()
    assert (
        "Secrets previewed with placeholders (not decrypted offline): booking-platform:alarms" in printed.out
    )
    assert ciphertext not in printed.out + printed.err
