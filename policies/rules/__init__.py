"""Every rule of the booking platform's policy pack, in the order they are reported.

Importing this package never builds a ``PolicyPack`` (that starts a gRPC server), so
tests, ``bookingctl preview`` and ``bookingctl policy check`` can import it freely.
"""

from __future__ import annotations

from . import alarms, cors, edge, functions, iam, identity, origin, storage, throttling
from .base import ResourceRule, Rule, StackRule

ALL_RULES: tuple[Rule, ...] = (
    *cors.RULES,
    *throttling.RULES,
    *storage.RULES,
    *edge.RULES,
    *origin.RULES,
    *functions.RULES,
    *iam.RULES,
    *identity.RULES,
    *alarms.RULES,
)
RESOURCE_RULES: tuple[ResourceRule, ...] = tuple(rule for rule in ALL_RULES if isinstance(rule, ResourceRule))
STACK_RULES: tuple[StackRule, ...] = tuple(rule for rule in ALL_RULES if isinstance(rule, StackRule))
RULES_BY_NAME: dict[str, Rule] = {rule.name: rule for rule in ALL_RULES}

PACK_NAME = "booking-platform-guardrails"

__all__ = [
    "ALL_RULES",
    "PACK_NAME",
    "RESOURCE_RULES",
    "RULES_BY_NAME",
    "STACK_RULES",
    "ResourceRule",
    "StackRule",
]
