"""Throwaway stacks: their names, their configuration derived from dev, their expiry and
which of them ``gc`` collects."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from engine.automation import config_entries
from engine.stack_file import read_stack_config
from stacks.config import StackConfig, validate_stack_config
from stacks.throwaway import (
    EXPIRES_TAG,
    StackExpiry,
    ThrowawayStackError,
    choose_expired,
    derive_config,
    developer_stack,
    expiry_tag,
    is_throwaway,
    parse_expiry,
    parse_ttl,
    pull_request_stack,
    stack_expiries,
)

NOW = datetime(2026, 12, 2, 9, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("user", "stack"),
    [
        ("alice", "dev-alice"),
        ("Alice.Smith", "dev-alice-smith"),
        ("  bob__jones  ", "dev-bob-jones"),
        ("DOMAIN\\carol", "dev-domain-carol"),
        ("josé", "dev-jos"),
        ("a-very-long-user-name-indeed-longer", "dev-a-very-long-user-name-in"),
        ("x" * 23 + "-y", "dev-" + "x" * 23),  # cut at 24, never ending in "-"
    ],
)
def test_a_developer_stack_is_dev_and_the_sanitised_user(user: str, stack: str):
    assert developer_stack(user) == stack
    assert is_throwaway(stack)


def test_a_user_name_without_letters_or_digits_is_refused():
    with pytest.raises(ThrowawayStackError, match="no letters or digits"):
        developer_stack("__--..")


def test_a_pull_request_stack_is_pr_and_the_number():
    assert pull_request_stack(42) == "pr-42"
    with pytest.raises(ThrowawayStackError, match="positive number"):
        pull_request_stack(0)


@pytest.mark.parametrize(
    ("name", "throwaway"),
    [
        ("dev", False),
        ("qas", False),
        ("prd", False),
        ("dev-alice", True),
        ("acme/booking-platform/dev-alice", True),
        ("acme/booking-platform/prd", False),
        ("pr-17", True),
        ("pr-017", False),
        ("pr-", False),
        ("dev-", False),
        ("prd-copy", False),
        ("staging", False),
        ("dev-Alice", False),
    ],
)
def test_only_dev_and_pr_stacks_are_throwaway(name: str, throwaway: bool):
    assert is_throwaway(name) is throwaway


@pytest.mark.parametrize(
    ("text", "ttl"),
    [
        ("30m", timedelta(minutes=30)),
        ("8h", timedelta(hours=8)),
        ("2d", timedelta(days=2)),
        (" 14d ", timedelta(days=14)),
    ],
)
def test_durations_are_minutes_hours_or_days(text: str, ttl: timedelta):
    assert parse_ttl(text) == ttl


@pytest.mark.parametrize(
    ("text", "complaint"),
    [
        ("8", "expected a whole number and a unit m, h or d"),
        ("8 hours", "expected a whole number"),
        ("1.5h", "expected a whole number"),
        ("-1h", "expected a whole number"),
        ("0m", "more than 0 and at most 14d"),
        ("15d", "more than 0 and at most 14d"),
    ],
)
def test_a_bad_duration_says_what_is_expected(text: str, complaint: str):
    with pytest.raises(ThrowawayStackError, match=complaint) as raised:
        parse_ttl(text)
    assert repr(text) in str(raised.value)


def test_the_expiry_tag_is_utc_to_the_second_and_reads_back():
    tag = expiry_tag(NOW.replace(microsecond=123), timedelta(hours=8))
    assert tag == "2026-12-02T17:00:00Z"
    assert parse_expiry(tag) == NOW + timedelta(hours=8)
    assert parse_expiry("next tuesday") is None
    assert parse_expiry(None) is None


def test_gc_chooses_expired_throwaway_stacks_and_nothing_else():
    past, future = expiry_tag(NOW, -timedelta(minutes=1)), expiry_tag(NOW, timedelta(hours=1))
    stacks = stack_expiries(
        {
            "dev": {EXPIRES_TAG: past},  # a permanent stack with an expiry tag: still never
            "prd": {EXPIRES_TAG: past},
            "staging-old": {EXPIRES_TAG: past},  # not a throwaway name
            "dev-alice": {EXPIRES_TAG: past},
            "pr-12": {EXPIRES_TAG: expiry_tag(NOW, timedelta(0))},  # expiring now counts
            "pr-13": {EXPIRES_TAG: future},
            "dev-bob": {},  # no expiry: kept
            "dev-carol": {EXPIRES_TAG: "soon"},  # unreadable: kept
        }
    )
    assert choose_expired(stacks, NOW) == ["dev-alice", "pr-12"]
    states = {stack.name: stack.state(NOW) for stack in stacks}
    assert states["prd"] == "permanent: never collected"
    assert states["pr-13"] == "expires in 1h00m"
    assert states["dev-bob"].startswith("no readable bookingctl:expires-at tag")
    assert StackExpiry("dev-x", NOW + timedelta(minutes=5)).state(NOW) == "expires in 5m"


@pytest.fixture(scope="module")
def dev_values() -> dict[str, str]:
    return read_stack_config("dev")[0]


def _validated(config: dict[str, Any]) -> StackConfig:
    """The derived config as the program reads it: every value a string, JSON when structured."""
    import json

    return validate_stack_config(
        {key: value if isinstance(value, str) else json.dumps(value) for key, value in config.items()}
    )


def test_the_derived_config_is_devs_with_what_a_throwaway_stack_needs(dev_values):
    dev = validate_stack_config(dev_values)
    config = derive_config("dev-alice", dev_values)
    derived = _validated(config)

    assert derived.environment == "dev"
    assert derived.region == dev.region
    assert derived.point_in_time_recovery is False
    assert derived.deletion_protection is False
    assert derived.log_retention_days == 1 < dev.log_retention_days
    assert (derived.throttle.burst_limit, derived.throttle.rate_limit) == (10, 5)
    assert derived.throttle.burst_limit < dev.throttle.burst_limit
    assert derived.reserved_concurrency == {}
    assert derived.alarms.email is None
    # What must be unique in an account: the hosted-UI domain and the SES identity.
    assert derived.auth.domain_prefix == "booking-dev-alice-auth" != dev.auth.domain_prefix
    assert derived.email.identity == f"dev-alice.{dev.email.identity}"
    assert derived.email.sender == f"no-reply@dev-alice.{dev.email.identity}"
    # The rest is dev's.
    assert derived.cors == dev.cors
    assert derived.waf == dev.waf
    assert derived.auth.callback_urls == dev.auth.callback_urls
    assert derived.email.allowlist == tuple(
        address.replace("@", "+dev-alice@") for address in dev.email.allowlist
    )
    assert derived.email.allowlist
    # Keys outside the project's namespace come along, structured as in the stack file.
    assert config["pulumi:disable-default-providers"] == ["*"]


def test_two_throwaway_stacks_never_share_a_unique_name(dev_values):
    alice, pr = (_validated(derive_config(stack, dev_values)) for stack in ("dev-alice", "pr-7"))
    assert alice.auth.domain_prefix != pr.auth.domain_prefix
    assert alice.email.identity != pr.email.identity
    assert not set(alice.email.allowlist) & set(pr.email.allowlist)


def test_only_a_throwaway_stack_gets_a_derived_config(dev_values):
    with pytest.raises(ThrowawayStackError, match="not a throwaway stack name"):
        derive_config("qas", dev_values)


def test_an_invalid_dev_config_is_refused_naming_the_key(dev_values):
    from stacks.config import StackConfigError

    broken = {**dev_values, "booking-platform:logRetentionDays": "8"}
    with pytest.raises(StackConfigError, match="booking-platform:logRetentionDays"):
        derive_config("dev-alice", broken)


def test_structured_config_becomes_pulumi_config_set_path_entries():
    entries = config_entries(
        {
            "pulumi:disable-default-providers": ["*"],
            "aws:region": "us-east-1",
            "booking-platform:throttle": {"burstLimit": 10, "rateLimit": 5.0},
            "booking-platform:deletionProtection": False,
            "booking-platform:cors": {"allowOrigins": ["https://a.example", "https://b.example"]},
            "booking-platform:reservedConcurrency": {},
        }
    )
    assert entries == {
        "pulumi:disable-default-providers[0]": "*",
        "aws:region": "us-east-1",
        "booking-platform:throttle.burstLimit": "10",
        "booking-platform:throttle.rateLimit": "5.0",
        "booking-platform:deletionProtection": "false",
        "booking-platform:cors.allowOrigins[0]": "https://a.example",
        "booking-platform:cors.allowOrigins[1]": "https://b.example",
    }
