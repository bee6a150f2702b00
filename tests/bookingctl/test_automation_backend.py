"""The real Automation API boundary (:class:`engine.automation.AutomationBackend`) drives
``pulumi.automation`` against a stand-in Pulumi CLI (``fake_pulumi_cli.py``): which CLI
commands it makes ``pulumi.automation`` run, and what it reads back."""

from __future__ import annotations

import json
import stat
import sys
from pathlib import Path

import pytest

from engine.automation import AutomationBackend, StackOperationFailed
from engine.stack_file import PROJECT_ROOT

FAKE_CLI = Path(__file__).with_name("fake_pulumi_cli.py")


@pytest.fixture
def cli(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """``pulumi`` on PATH is the stand-in; returns its log of argument lists."""
    tools = tmp_path / "bin"
    tools.mkdir()
    pulumi = tools / "pulumi"
    pulumi.write_text(
        f"#!{sys.executable}\nimport runpy\nrunpy.run_path({str(FAKE_CLI)!r}, run_name='__main__')\n"
    )
    pulumi.chmod(pulumi.stat().st_mode | stat.S_IEXEC)
    log = tmp_path / "pulumi.log"
    monkeypatch.setenv("PATH", f"{tools}:/usr/bin:/bin")
    monkeypatch.setenv("FAKE_PULUMI_LOG", str(log))
    monkeypatch.setenv("FAKE_PULUMI_STATE", str(tmp_path / "state.json"))
    return log


def _calls(log: Path) -> list[list[str]]:
    """Every command run, without the flag ``pulumi.automation`` puts before each one."""
    calls = [json.loads(line) for line in log.read_text().splitlines()]
    return [[arg for arg in call if arg != "--non-interactive"] for call in calls]


def _ran(log: Path, *words: str) -> list[list[str]]:
    return [call for call in _calls(log) if call[: len(words)] == list(words)]


def test_up_tags_configures_and_deploys_with_the_policy_pack_then_lists_and_destroys(cli: Path):
    backend = AutomationBackend()
    printed: list[str] = []
    config = {
        "aws:region": "us-east-1",
        "pulumi:disable-default-providers": ["*"],
        "booking-platform:throttle": {"burstLimit": 10, "rateLimit": 5},
    }
    outputs = backend.up("pr-7", config, {"bookingctl:expires-at": "2026-12-02T17:00:00Z"}, printed.append)

    assert outputs == {"apiUrl": "https://pr-7.example"}
    assert any("Updating (pr-7)" in line for line in printed)
    (tag,) = _ran(cli, "stack", "tag", "set")
    assert tag[3:5] == ["bookingctl:expires-at", "2026-12-02T17:00:00Z"]
    (set_all,) = _ran(cli, "config", "set-all")
    assert "--path" in set_all
    assert {"pulumi:disable-default-providers[0]=*", "booking-platform:throttle.burstLimit=10"} <= set(
        set_all
    )
    (up,) = _ran(cli, "up")
    assert up[up.index("--policy-pack") + 1] == str(PROJECT_ROOT / "policies")
    assert up[up.index("--policy-pack-config") + 1] == str(PROJECT_ROOT / "policies" / "config" / "dev.json")
    order = [call[:3] for call in _calls(cli)]
    assert order.index(["stack", "tag", "set"]) < order.index(up[:3]), "tagged before the deploy"

    assert backend.stack_names() == ["pr-7"]
    assert backend.tags("pr-7") == {"bookingctl:expires-at": "2026-12-02T17:00:00Z"}

    backend.destroy("pr-7", printed.append)
    assert backend.stack_names() == []


def test_a_second_up_replaces_the_whole_configuration(cli: Path):
    backend = AutomationBackend()
    backend.up("dev-alice", {"booking-platform:logRetentionDays": 1, "booking-platform:old": "x"}, {}, print)
    backend.up("dev-alice", {"booking-platform:logRetentionDays": 3}, {}, print)

    (remove,) = _ran(cli, "config", "rm-all")
    assert {"booking-platform:logRetentionDays", "booking-platform:old"} <= set(remove)


def test_a_failing_cli_command_becomes_a_stack_operation_failure(cli: Path):
    with pytest.raises(StackOperationFailed, match="pulumi destroy of pr-404"):
        AutomationBackend().destroy("pr-404", print)
