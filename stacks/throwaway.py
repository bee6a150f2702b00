"""Throwaway stacks: a developer's own (``dev-<user>``) or a pull request's (``pr-<n>``).

Their configuration derives from dev's (``Pulumi.dev.yaml``, validated by
:class:`stacks.config.StackConfig`) with what a stack that lives for hours needs:
names of its own where AWS wants them unique (the hosted-UI domain, the SES identity),
no point-in-time recovery and no deletion protection (it must go away whole), low
throttling and short log retention. Every such stack carries an expiry
(:data:`EXPIRES_TAG`, ISO 8601 in UTC); ``bookingctl stack gc`` removes the expired ones
and never touches anything that is not a throwaway stack (dev, qas, prd).

Pure functions: no Pulumi, no AWS. ``bookingctl stack`` drives them through
:mod:`engine.automation`.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from engine.stack_file import config_string
from stacks.config import NAMESPACE, StackConfig, validate_stack_config

BASE_STACK = "dev"
# The policy pack's settings a throwaway stack is deployed with (relative to the project).
BASE_POLICY_CONFIG = Path("policies") / "config" / f"{BASE_STACK}.json"
PERMANENT_STACKS = frozenset({"dev", "qas", "prd"})
EXPIRES_TAG = "bookingctl:expires-at"
# The longest physical name is the notifications function's role,
# booking-<stack>-notifications-role (IAM: 64 characters): room for a 24-character user.
MAX_USER_LENGTH = 24
DEVELOPER_PREFIX, PULL_REQUEST_PREFIX = "dev-", "pr-"
THROWAWAY_NAME = re.compile(r"^(dev-[a-z0-9]+(-[a-z0-9]+)*|pr-[1-9][0-9]{0,6})$")
# What a throwaway stack runs with, whatever dev runs with.
THROWAWAY_SETTINGS: dict[str, Any] = {
    "pointInTimeRecovery": False,
    "deletionProtection": False,
    "logRetentionDays": 1,
    "throttle": {"burstLimit": 10, "rateLimit": 5},
    "reservedConcurrency": {},
}
TTL_PATTERN = re.compile(r"^\s*(\d+)\s*([mhd])\s*$")
TTL_UNITS = {"m": timedelta(minutes=1), "h": timedelta(hours=1), "d": timedelta(days=1)}
MAX_TTL = timedelta(days=14)


class ThrowawayStackError(ValueError):
    """A user name, pull request number, stack name or duration that cannot be used."""


def developer_stack(user: str) -> str:
    """``dev-<user>``: the user name lower-cased, runs of anything but letters and digits
    turned into one ``-``, cut to :data:`MAX_USER_LENGTH`."""
    cleaned = re.sub(r"[^a-z0-9]+", "-", user.lower()).strip("-")[:MAX_USER_LENGTH].strip("-")
    if not cleaned:
        raise ThrowawayStackError(f"user {user!r} has no letters or digits to name a stack after")
    return f"{DEVELOPER_PREFIX}{cleaned}"


def pull_request_stack(number: int) -> str:
    if not 1 <= number <= 9_999_999:
        raise ThrowawayStackError(f"pull request number {number} is not a positive number of up to 7 digits")
    return f"{PULL_REQUEST_PREFIX}{number}"


def short_name(stack: str) -> str:
    """The stack's own name in a fully qualified ``org/project/stack`` (Pulumi Cloud)."""
    return stack.rsplit("/", 1)[-1]


def is_throwaway(stack: str) -> bool:
    name = short_name(stack)
    return name not in PERMANENT_STACKS and THROWAWAY_NAME.match(name) is not None


def parse_ttl(text: str) -> timedelta:
    """``30m``, ``8h``, ``2d``: a whole number of minutes, hours or days, up to 14 days."""
    match = TTL_PATTERN.match(text)
    if not match:
        raise ThrowawayStackError(
            f"--ttl {text!r}: expected a whole number and a unit m, h or d (e.g. 30m, 8h, 2d)"
        )
    ttl = int(match.group(1)) * TTL_UNITS[match.group(2)]
    if not timedelta(0) < ttl <= MAX_TTL:
        raise ThrowawayStackError(f"--ttl {text!r}: must be more than 0 and at most {MAX_TTL.days}d")
    return ttl


def expiry_tag(now: datetime, ttl: timedelta) -> str:
    """The tag's value: the expiry in UTC, to the second (``2026-12-02T17:30:00Z``)."""
    return (now.astimezone(UTC) + ttl).replace(microsecond=0).strftime("%Y-%m-%dT%H:%M:%SZ")


def parse_expiry(value: str | None) -> datetime | None:
    """The expiry a tag says, or None when it is absent or unreadable (never expired)."""
    if not value:
        return None
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


@dataclass(frozen=True)
class StackExpiry:
    """One stack as ``list`` shows it and ``gc`` judges it."""

    name: str
    expires_at: datetime | None

    @property
    def throwaway(self) -> bool:
        return is_throwaway(self.name)

    def expired(self, now: datetime) -> bool:
        return self.throwaway and self.expires_at is not None and self.expires_at <= now

    def state(self, now: datetime) -> str:
        if not self.throwaway:
            return "permanent: never collected"
        if self.expires_at is None:
            return f"no readable {EXPIRES_TAG} tag: never collected"
        return "expired" if self.expired(now) else f"expires in {_left(self.expires_at - now)}"


def stack_expiries(tags_by_stack: Mapping[str, Mapping[str, str]]) -> list[StackExpiry]:
    return [
        StackExpiry(name, parse_expiry(tags.get(EXPIRES_TAG))) for name, tags in sorted(tags_by_stack.items())
    ]


def choose_expired(stacks: Iterable[StackExpiry], now: datetime) -> list[str]:
    """The stacks ``gc`` destroys: throwaway stacks whose expiry has passed, nothing else."""
    return [stack.name for stack in stacks if stack.expired(now)]


def _left(remaining: timedelta) -> str:
    minutes = int(remaining.total_seconds() // 60)
    hours, minutes = divmod(minutes, 60)
    return f"{hours}h{minutes:02d}m" if hours else f"{minutes}m"


def derive_config(stack: str, dev_values: Mapping[str, str]) -> dict[str, Any]:
    """The throwaway stack's ``config:`` (structured values, as a stack file holds them),
    from dev's raw config map (:func:`engine.stack_file.read_stack_config`).

    Validated through :class:`StackConfig` before it is returned: what the program
    would refuse is refused here, naming the key."""
    if not is_throwaway(stack):
        raise ThrowawayStackError(f"{stack!r} is not a throwaway stack name (dev-<user> or pr-<number>)")
    dev = validate_stack_config(dict(dev_values))
    settings = dev.model_dump(mode="json", by_alias=True, exclude_none=True)
    region = settings.pop("region")
    settings.update(THROWAWAY_SETTINGS)
    settings["auth"] = {**settings["auth"], "domainPrefix": f"booking-{stack}-auth"}
    # SES keeps one identity of a name per account and region, and the program makes one
    # for the sender's domain and one per allowed recipient: each gets the stack's name
    # (recipients by plus-addressing: the same mailboxes, identities of their own).
    identity = f"{stack}.{dev.email.identity.split('@')[-1]}"
    allowlist = [_plus_address(address, stack) for address in dev.email.allowlist]
    settings["email"] = {"identity": identity, "sender": f"no-reply@{identity}", "allowlist": allowlist}
    # No alarm recipient: a throwaway stack pages nobody (and dev's may be a secret).
    settings["alarms"] = {key: value for key, value in settings.get("alarms", {}).items() if key != "email"}
    derived = validate_stack_config(_as_values(settings, region))
    config = {key: value for key, value in dev_values.items() if not key.startswith(f"{NAMESPACE}:")}
    config.update(_config_document(derived))
    return {key: _structured(value) for key, value in config.items()}


def _plus_address(address: str, tag: str) -> str:
    local, _, domain = address.partition("@")
    return f"{local.split('+')[0]}+{tag}@{domain}"


def _as_values(settings: Mapping[str, Any], region: str) -> dict[str, str]:
    values = {f"{NAMESPACE}:{key}": config_string(value) for key, value in settings.items()}
    return {**values, "aws:region": region}


def _config_document(config: StackConfig) -> dict[str, Any]:
    settings = config.model_dump(mode="json", by_alias=True, exclude_none=True)
    region = settings.pop("region")
    return {"aws:region": region, **{f"{NAMESPACE}:{key}": value for key, value in settings.items()}}


def _structured(value: Any) -> Any:
    """dev's raw values are strings (JSON for structured ones): back to what YAML holds."""
    if not isinstance(value, str):
        return value
    try:
        return json.loads(value)
    except ValueError:
        return value
