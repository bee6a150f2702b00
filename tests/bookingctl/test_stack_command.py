"""``bookingctl stack up|destroy|list|gc`` against a recording fake of the Automation API
boundary (no Pulumi CLI here), and the real boundary's answer when there is no CLI."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from bookingctl.commands import stack as stack_command
from engine.automation import Output, StackOperationFailed
from stacks.throwaway import EXPIRES_TAG, expiry_tag, parse_expiry
from tests.cli import bookingctl


class RecordingBackend:
    """The :class:`engine.automation.StackBackend` calls, recorded; stacks and their tags
    kept in memory as a Pulumi backend would keep them."""

    def __init__(
        self, stacks: dict[str, dict[str, str]] | None = None, failing: frozenset[str] = frozenset()
    ):
        self.stacks = stacks or {}
        self.failing = failing
        self.calls: list[tuple[Any, ...]] = []

    def stack_names(self) -> list[str]:
        self.calls.append(("stack_names",))
        return list(self.stacks)

    def tags(self, stack: str) -> dict[str, str]:
        self.calls.append(("tags", stack))
        return dict(self.stacks[stack])

    def up(
        self, stack: str, config: Mapping[str, Any], tags: Mapping[str, str], output: Output
    ) -> dict[str, Any]:
        self.calls.append(("up", stack, dict(config), dict(tags)))
        self.stacks.setdefault(stack, {}).update(tags)
        output(f"Updating ({stack})\n")
        if stack in self.failing:
            raise StackOperationFailed(f"pulumi up of {stack}: error: resource failed")
        return {
            "apiUrl": f"https://{stack}.execute-api.example",
            "siteUrl": f"https://{stack}.cloudfront.example",
        }

    def destroy(self, stack: str, output: Output) -> None:
        self.calls.append(("destroy", stack))
        output(f"Destroying ({stack})\n")
        if stack in self.failing:
            raise StackOperationFailed(f"pulumi destroy of {stack}: error: still in use")
        del self.stacks[stack]

    def destroyed(self) -> list[str]:
        return [call[1] for call in self.calls if call[0] == "destroy"]


@pytest.fixture
def backend(monkeypatch: pytest.MonkeyPatch) -> RecordingBackend:
    fake = RecordingBackend()
    monkeypatch.setattr(stack_command, "make_backend", lambda: fake)
    return fake


def _tag(hours: float) -> str:
    return expiry_tag(datetime.now(UTC), timedelta(hours=hours))


def test_up_deploys_the_users_stack_from_devs_config_with_an_expiry(backend: RecordingBackend):
    before = datetime.now(UTC).replace(microsecond=0)
    result = bookingctl("stack", "up", "--user", "Alice.Smith", "--ttl", "30m")

    assert result.exit_code == 0, result.output
    ((call, stack, config, tags),) = backend.calls
    assert (call, stack) == ("up", "dev-alice-smith")
    assert config["booking-platform:auth"]["domainPrefix"] == "booking-dev-alice-smith-auth"
    assert config["booking-platform:deletionProtection"] is False
    expires = parse_expiry(tags[EXPIRES_TAG])
    assert expires is not None
    assert before + timedelta(minutes=30) <= expires <= datetime.now(UTC) + timedelta(minutes=30)
    assert f"dev-alice-smith is up; expires {tags[EXPIRES_TAG]}" in result.stdout
    assert "apiUrl: https://dev-alice-smith.execute-api.example" in result.stdout
    assert "Updating (dev-alice-smith)" in result.stderr


def test_up_names_a_pull_requests_stack_and_defaults_to_eight_hours(backend: RecordingBackend):
    result = bookingctl("stack", "up", "--pr", "12")

    assert result.exit_code == 0, result.output
    ((_, stack, _, tags),) = backend.calls
    assert stack == "pr-12"
    expires = parse_expiry(tags[EXPIRES_TAG])
    assert expires is not None
    assert timedelta(hours=7, minutes=59) < expires - datetime.now(UTC) <= timedelta(hours=8)


def test_up_without_user_takes_the_os_user(backend: RecordingBackend, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setattr("getpass.getuser", lambda: "ci_runner")
    assert bookingctl("stack", "up").exit_code == 0
    assert backend.calls[0][1] == "dev-ci-runner"


@pytest.mark.parametrize(
    ("args", "complaint"),
    [
        (("--ttl", "eight hours"), "--ttl 'eight hours': expected a whole number and a unit m, h or d"),
        (("--ttl", "30d"), "at most 14d"),
        (("--user", "alice", "--pr", "3"), "give one of them"),
        (("--user", "!!!"), "no letters or digits"),
        (("--pr", "0"), "positive number"),
    ],
)
def test_up_refuses_bad_options_with_exit_2_before_touching_pulumi(backend, args, complaint):
    result = bookingctl("stack", "up", *args)

    assert result.exit_code == 2
    assert complaint in result.stderr
    assert backend.calls == []


def test_a_failed_deploy_exits_1_and_says_the_stack_still_expires(monkeypatch: pytest.MonkeyPatch):
    fake = RecordingBackend(failing=frozenset({"pr-5"}))
    monkeypatch.setattr(stack_command, "make_backend", lambda: fake)
    result = bookingctl("stack", "up", "--pr", "5")

    assert result.exit_code == 1
    assert "pr-5 failed" in result.stderr
    assert "`gc` removes it" in result.stderr
    assert EXPIRES_TAG in fake.stacks["pr-5"], "the expiry is set before the deploy"


def test_destroy_destroys_and_removes_the_named_stack(backend: RecordingBackend):
    backend.stacks["pr-9"] = {EXPIRES_TAG: _tag(3)}
    result = bookingctl("stack", "destroy", "--pr", "9")

    assert result.exit_code == 0, result.output
    assert backend.destroyed() == ["pr-9"]
    assert "pr-9" not in backend.stacks
    assert "pr-9 destroyed and removed" in result.stdout


def test_list_shows_every_stack_with_its_expiry(backend: RecordingBackend):
    backend.stacks.update({"dev": {}, "dev-alice": {EXPIRES_TAG: _tag(-1)}, "pr-3": {EXPIRES_TAG: _tag(2)}})
    result = bookingctl("stack", "list")

    assert result.exit_code == 0, result.output
    lines = {line.split()[0]: line for line in result.stdout.splitlines()[2:]}
    assert "permanent: never collected" in lines["dev"]
    assert lines["dev-alice"].rstrip().endswith("expired")
    assert "expires in 1h59m" in lines["pr-3"]  # the tag is cut to the second
    assert not backend.destroyed()


def test_gc_destroys_only_expired_throwaway_stacks(backend: RecordingBackend):
    backend.stacks.update(
        {
            "dev": {EXPIRES_TAG: _tag(-5)},
            "qas": {},
            "prd": {EXPIRES_TAG: _tag(-5)},
            "dev-alice": {EXPIRES_TAG: _tag(-1)},
            "pr-3": {EXPIRES_TAG: _tag(-0.1)},
            "pr-4": {EXPIRES_TAG: _tag(1)},
            "dev-bob": {},
        }
    )
    result = bookingctl("stack", "gc")

    assert result.exit_code == 0, result.output
    assert backend.destroyed() == ["dev-alice", "pr-3"]
    assert sorted(backend.stacks) == ["dev", "dev-bob", "pr-4", "prd", "qas"]
    assert "destroyed dev-alice (expired)" in result.stdout
    assert "destroyed pr-3 (expired)" in result.stdout


def test_gc_dry_run_destroys_nothing(backend: RecordingBackend):
    backend.stacks.update({"pr-3": {EXPIRES_TAG: _tag(-1)}})
    result = bookingctl("stack", "gc", "--dry-run")

    assert result.exit_code == 0
    assert "would destroy pr-3 (expired)" in result.stdout
    assert backend.destroyed() == []


def test_gc_goes_on_past_a_failed_destroy_and_exits_1(monkeypatch: pytest.MonkeyPatch):
    fake = RecordingBackend(
        {"pr-1": {EXPIRES_TAG: _tag(-1)}, "pr-2": {EXPIRES_TAG: _tag(-1)}}, failing=frozenset({"pr-1"})
    )
    monkeypatch.setattr(stack_command, "make_backend", lambda: fake)
    result = bookingctl("stack", "gc")

    assert result.exit_code == 1
    assert fake.destroyed() == ["pr-1", "pr-2"]
    assert "destroying pr-1 failed: pulumi destroy of pr-1: error: still in use" in result.stderr
    assert sorted(fake.stacks) == ["pr-1"]


@pytest.mark.parametrize("args", [("up", "--pr", "3"), ("destroy", "--pr", "3"), ("list",), ("gc",)])
def test_without_the_pulumi_cli_every_subcommand_says_so_and_exits_2(args, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("PATH", "/nonexistent")
    result = bookingctl("stack", *args)

    assert result.exit_code == 2
    assert "the Pulumi CLI is not on PATH" in result.stderr
    assert "https://www.pulumi.com/docs/install/" in result.stderr
