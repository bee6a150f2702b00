"""The policy pack, evaluated over a mock-engine inventory instead of a Pulumi engine.

``bookingctl preview`` and ``bookingctl policy check`` use this module: the same rule
functions the CrossGuard pack registers run here, with the per-stack config file read
the way ``pulumi preview --policy-pack-config`` reads it (an ``all`` entry, per-policy
``enforcementLevel`` or a bare level string, and each policy's configuration values,
checked against the policy's JSON schema). Resource rules see a resource's inputs, as
``Analyze`` does; stack rules see every resource's outputs, as ``AnalyzeStack`` does.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import jsonschema

from engine.inventory import Inventory, ResourceRecord
from policies.rules import ALL_RULES, RULES_BY_NAME
from policies.rules.base import ResourceRule, Rule, StackResource, describe

CONFIG_DIR = Path(__file__).resolve().parent / "config"
LEVELS = ("mandatory", "advisory", "remediate", "disabled")
# Without a config file every policy keeps the pack's default level.
DEFAULT_LEVEL = "mandatory"
# Reported levels, most severe first ("remediate" is reported as mandatory, as the engine does).
REPORTED_LEVELS = ("mandatory", "advisory")


class PolicyConfigError(ValueError):
    """The policy config file does not fit the pack (unknown policy, bad level or value)."""


@dataclass(frozen=True)
class PolicyConfig:
    """Enforcement level and configuration values of every policy for one stack."""

    levels: Mapping[str, str] = field(default_factory=dict)
    values: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)
    source: str = "the pack's defaults"

    def level(self, rule: Rule) -> str:
        return self.levels.get(rule.name, DEFAULT_LEVEL)

    def config(self, rule: Rule) -> Mapping[str, Any]:
        return self.values.get(rule.name, {})

    @classmethod
    def from_mapping(cls, document: Mapping[str, Any], source: str = "<mapping>") -> PolicyConfig:
        if not isinstance(document, Mapping):
            raise PolicyConfigError(f"{source}: the policy config must be a JSON object")
        levels: dict[str, str] = {}
        values: dict[str, dict[str, Any]] = {}
        everything = document.get("all")
        if everything is not None:
            all_level, _ = _entry(source, "all", everything, allow_values=False)
            levels = {rule.name: all_level for rule in ALL_RULES if all_level}
        for name, entry in document.items():
            if name == "all":
                continue
            rule = RULES_BY_NAME.get(name)
            if rule is None:
                raise PolicyConfigError(
                    f"{source}: unknown policy {name!r}; the pack has {sorted(RULES_BY_NAME)}"
                )
            level, properties = _entry(source, name, entry, allow_values=True)
            if level:
                levels[name] = level
            if properties:
                _validate(source, rule, properties)
                values[name] = properties
        return cls(levels=levels, values=values, source=source)

    @classmethod
    def load(cls, path: Path) -> PolicyConfig:
        try:
            document = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, json.JSONDecodeError) as error:
            raise PolicyConfigError(f"{path}: cannot read the policy config: {error}") from error
        return cls.from_mapping(document, source=_shown(path))

    @classmethod
    def for_stack(cls, stack: str, override: Path | None = None) -> PolicyConfig:
        """``override`` if given, else ``policies/config/<stack>.json``, else the defaults."""
        if override is not None:
            return cls.load(override)
        path = CONFIG_DIR / f"{stack}.json"
        return cls.load(path) if path.is_file() else cls()


def _shown(path: Path) -> str:
    """The path as a reader would type it: relative to the working directory when inside it."""
    try:
        return str(path.resolve().relative_to(Path.cwd()))
    except ValueError:
        return str(path)


def _entry(source: str, name: str, entry: Any, *, allow_values: bool) -> tuple[str | None, dict[str, Any]]:
    level: Any
    if isinstance(entry, str):
        level, properties = entry, {}
    elif isinstance(entry, Mapping):
        properties = {key: value for key, value in entry.items() if key != "enforcementLevel"}
        level = entry.get("enforcementLevel")
        if properties and not allow_values:
            raise PolicyConfigError(f"{source}: {name!r} takes only an enforcementLevel")
    else:
        raise PolicyConfigError(f"{source}: {name!r} must be a level string or an object")
    if level is not None and level not in LEVELS:
        raise PolicyConfigError(f"{source}: {name!r} has enforcementLevel {level!r}; use one of {LEVELS}")
    return (str(level) if level is not None else None), properties


def _validate(source: str, rule: Rule, properties: Mapping[str, Any]) -> None:
    schema = {"type": "object", "properties": dict(rule.config_schema), "additionalProperties": False}
    try:
        jsonschema.validate(dict(properties), schema)
    except jsonschema.ValidationError as error:
        where = ".".join(str(part) for part in error.absolute_path) or "(config)"
        raise PolicyConfigError(f"{source}: {rule.name}.{where}: {error.message}") from error


# --------------------------------------------------------------------------- evaluation


@dataclass(frozen=True)
class Finding:
    rule: str
    level: str
    message: str
    urn: str | None


@dataclass(frozen=True)
class Report:
    stack: str
    config_source: str
    findings: list[Finding]
    # rule name -> number of resources it looked at (rules that ran only)
    evaluated: dict[str, int]
    disabled: list[str]

    def at_level(self, level: str) -> list[Finding]:
        return [finding for finding in self.findings if finding.level == level]

    @property
    def exit_code(self) -> int:
        """1 when any mandatory policy is violated (what blocks ``pulumi up``), else 0."""
        return 1 if self.at_level("mandatory") else 0

    def render(self) -> str:
        lines = [f"Policies ({len(self.evaluated)} evaluated, config: {self.config_source}):"]
        for name, count in self.evaluated.items():
            lines.append(f"  {name:<36} {count:>3} resource{'s' if count != 1 else ''}")
        if self.disabled:
            lines.append(f"  disabled: {', '.join(self.disabled)}")
        for level in REPORTED_LEVELS:
            found = self.at_level(level)
            lines.append(f"{level.capitalize()} violations: {len(found)}")
            lines += [f"  [{finding.rule}] {finding.message}" for finding in found]
        verdict = "FAILED: mandatory policies are violated" if self.exit_code else "passed"
        lines.append(f"Policy check of stack {self.stack!r} {verdict}.")
        return "\n".join(lines)


def _stack_resource(record: ResourceRecord) -> StackResource:
    return StackResource(
        type=record.type,
        name=record.name,
        urn=record.urn,
        props=record.outputs or record.inputs,
        id=record.id,
    )


def evaluate(inventory: Inventory, config: PolicyConfig | None = None) -> Report:
    """Every enabled policy over ``inventory``, with levels and values from ``config``."""
    chosen = config if config is not None else PolicyConfig()
    findings: list[Finding] = []
    evaluated: dict[str, int] = {}
    disabled: list[str] = []
    stack_resources = [_stack_resource(record) for record in inventory.resources]
    for rule in ALL_RULES:
        level = chosen.level(rule)
        if level == "disabled":
            disabled.append(rule.name)
            continue
        reported = "mandatory" if level == "remediate" else level
        values = chosen.config(rule)
        if isinstance(rule, ResourceRule):
            subjects = [record for record in inventory.resources if rule.applies_to(record.type)]
            for record in subjects:
                findings += [
                    Finding(rule.name, reported, describe(record.type, record.name, message), record.urn)
                    for message in rule.evaluate(record.type, record.inputs, values)
                ]
        else:
            subjects = [record for record in inventory.resources if record.type in rule.resource_types]
            findings += [
                Finding(rule.name, reported, violation.message, violation.urn)
                for violation in rule.evaluate(stack_resources, values)
            ]
        evaluated[rule.name] = len(subjects)
    return Report(inventory.stack, chosen.source, findings, evaluated, disabled)


def check(inventory: Inventory, config_path: Path | None = None) -> Report:
    """The stack's own config file (or ``config_path``) applied to ``inventory``."""
    return evaluate(inventory, PolicyConfig.for_stack(inventory.stack, config_path))
