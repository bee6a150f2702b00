"""Lambda's event filtering: which records of a batch an event-source mapping delivers."""

from __future__ import annotations

from typing import Any


def matches(pattern: Any, value: Any) -> bool:
    """Lambda event filtering (the EventBridge pattern subset programs use: exact values,
    ``prefix``, ``exists``, ``anything-but``, ``equals-ignore-case``)."""
    if isinstance(pattern, dict):
        if not isinstance(value, dict):
            return False
        for key, sub_pattern in pattern.items():
            if isinstance(sub_pattern, list) and any(
                isinstance(rule, dict) and "exists" in rule for rule in sub_pattern
            ):
                exists = next(
                    rule["exists"] for rule in sub_pattern if isinstance(rule, dict) and "exists" in rule
                )
                if (key in value) != bool(exists):
                    return False
                continue
            if key not in value or not matches(sub_pattern, value[key]):
                return False
        return True
    if isinstance(pattern, list):
        return any(_matches_rule(rule, value) for rule in pattern)
    return bool(pattern == value)


def _matches_rule(rule: Any, value: Any) -> bool:
    if isinstance(rule, dict):
        if "prefix" in rule:
            return isinstance(value, str) and value.startswith(rule["prefix"])
        if "equals-ignore-case" in rule:
            return isinstance(value, str) and value.lower() == str(rule["equals-ignore-case"]).lower()
        if "anything-but" in rule:
            excluded = rule["anything-but"]
            excluded = excluded if isinstance(excluded, list) else [excluded]
            return value not in excluded
        return matches(rule, value)
    return bool(rule == value)
