"""What the devstack reads from a stack's configuration, and the one thing it changes.

The devstack deploys the stack's own configuration (``Pulumi.<stack>.yaml``); it only
reads the region from it, and widens SES's sandbox allow-list to the demo users.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

PROJECT_KEY = "booking-platform"


def stack_region(stack: str) -> str:
    from engine.stack_file import read_stack_config

    values, _ = read_stack_config(stack)
    return values.get("aws:region", "us-east-1")


def deployment_overrides(
    stack: str, *, demo_emails: Sequence[str], config_overrides: dict[str, Any]
) -> dict[str, Any]:
    """The config keys the devstack replaces: SES's allow-list widened to the seed's
    users (``demo_emails``: none when nothing is seeded), then the caller's own overrides."""
    return {**sandbox_overrides(stack, list(demo_emails)), **config_overrides}


def sandbox_overrides(stack: str, demo_emails: list[str]) -> dict[str, Any]:
    """Let SES's sandbox allow-list include the demo users, so the mail their bookings
    cause shows up in the outbox. The rest of the stack's configuration is unchanged."""
    from engine.stack_file import read_stack_config

    values, _ = read_stack_config(stack)
    key = f"{PROJECT_KEY}:email"
    if key not in values or not demo_emails:
        return {}
    email = json.loads(values[key])
    allowlist = list(email.get("allowlist") or [])
    if not allowlist:  # no sandbox: everything is delivered already
        return {}
    email["allowlist"] = allowlist + [address for address in demo_emails if address not in allowlist]
    return {key: email}
