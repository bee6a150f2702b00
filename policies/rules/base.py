"""The shape of a rule, shared by the CrossGuard pack and the offline evaluation.

A rule is a pure function. Resource rules take ``(resource_type, props, config)`` and
return violation messages; stack rules take the stack's resources and the config and
return messages tied to a resource URN. Neither knows about gRPC, the Pulumi engine or
the inventory: :mod:`policies.rules.pack` wraps them as ``pulumi_policy`` policies and
:mod:`policies.offline` runs them over a mock-engine inventory, so both paths execute the
very same code.

``props`` may be the engine's unknown-checking proxy (a ``Mapping`` / ``Sequence``, not
a ``dict`` / ``list``), so the helpers below test for the abstract types only.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from pulumi_policy.proxy import UnknownValueError

Props = Mapping[str, Any]
Config = Mapping[str, Any]
# JSON Schema of each config property, with a ``default`` the rule falls back to.
ConfigSchema = Mapping[str, Mapping[str, Any]]

ResourceCheck = Callable[[str, Props, Config], list[str]]


@dataclass(frozen=True)
class StackResource:
    """One resource as a stack rule sees it (the engine's ``PolicyResource``, simplified).

    ``props`` are the resource's outputs (inputs plus what the provider computed), as in
    ``AnalyzeStack``; ``property_dependencies`` maps a property to the URNs it was
    computed from, which is how a stack rule links resources whose ids are still unknown
    during a preview.
    """

    type: str
    name: str
    urn: str
    props: Props
    id: str = ""
    property_dependencies: Mapping[str, Sequence[str]] = field(default_factory=dict)


@dataclass(frozen=True)
class StackViolation:
    message: str
    urn: str | None = None


StackCheck = Callable[[Sequence[StackResource], Config], list[StackViolation]]


@dataclass(frozen=True)
class ResourceRule:
    """A rule evaluated once per resource of one of ``resource_types``."""

    name: str
    description: str
    resource_types: frozenset[str]
    check: ResourceCheck
    remediation: str
    config_schema: ConfigSchema = field(default_factory=dict)

    def applies_to(self, resource_type: str) -> bool:
        return resource_type in self.resource_types

    def evaluate(self, resource_type: str, props: Props, config: Config | None = None) -> list[str]:
        """Messages for one resource; empty when compliant or not of a checked type."""
        if not self.applies_to(resource_type):
            return []
        return self.check(resource_type, props, with_defaults(self.config_schema, config))


@dataclass(frozen=True)
class StackRule:
    """A rule over the whole stack; ``resource_types`` are the types it looks at."""

    name: str
    description: str
    resource_types: frozenset[str]
    check: StackCheck
    remediation: str
    config_schema: ConfigSchema = field(default_factory=dict)

    def evaluate(
        self, resources: Sequence[StackResource], config: Config | None = None
    ) -> list[StackViolation]:
        return self.check(resources, with_defaults(self.config_schema, config))


Rule = ResourceRule | StackRule


def with_defaults(schema: ConfigSchema, config: Config | None) -> dict[str, Any]:
    """The schema's defaults overlaid by the configured values.

    The engine passes only what the config file sets; the defaults in the schema are
    what the rule means when nothing is set, so both paths apply them here.
    """
    merged = {key: spec["default"] for key, spec in schema.items() if "default" in spec}
    merged.update(config or {})
    return merged


def describe(resource_type: str, name: str, message: str) -> str:
    """A violation message that names the resource first."""
    return f"{resource_type} '{name}': {message}"


# --------------------------------------------------------------------------- prop helpers


def get_path(props: Props | None, path: str) -> Any:
    """``props["a"]["b"]`` for ``"a.b"``, or ``None`` when any step is missing."""
    current: Any = props
    for key in path.split("."):
        if not isinstance(current, Mapping) or key not in current:
            return None
        current = current[key]
    return current


def known(props: Props | None, path: str) -> Any:
    """``get_path``, with ``None`` for a value that is still unknown in a preview."""
    try:
        return get_path(props, path)
    except UnknownValueError:
        return None


def is_set(props: Props | None, path: str) -> bool:
    """Whether the property has a value, counting one that is still unknown in a preview.

    References to resources created in the same update (a log group's ARN, the web
    ACL's ARN) are unknown until they exist; "attached" is all these rules need to know.
    """
    try:
        return bool(get_path(props, path))
    except UnknownValueError:
        return True


def as_list(value: Any) -> list[Any]:
    """A list from a list-like property (a plain string is one item, ``None`` none)."""
    if value is None:
        return []
    if isinstance(value, str):
        return [value]
    if isinstance(value, Sequence):
        return list(value)
    return [value]


def as_number(value: Any) -> float | None:
    """Numbers arrive as floats through the engine's protobuf structs; ``None`` if unset."""
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, int | float):
        return float(value)
    return None


def mappings(value: Any) -> list[Mapping[str, Any]]:
    """The mapping items of a list-of-objects property (``orderedCacheBehaviors``, …)."""
    return [item for item in as_list(value) if isinstance(item, Mapping)]


def refers_to(source: StackResource, prop: str, target: StackResource, *target_props: str) -> bool:
    """Whether ``source.props[prop]`` points at ``target``.

    First by the engine's property dependencies (which work while ids are unknown in a
    preview), then by value: the target's id or any of ``target_props`` (``arn``,
    ``name``, ``bucket``…).
    """
    if target.urn in source.property_dependencies.get(prop, ()):
        return True
    try:
        value = get_path(source.props, prop)
    except UnknownValueError:
        return False  # unknown and not computed from target: it names something else
    if not isinstance(value, str) or not value:
        return False
    candidates = {target.id} | {get_path(target.props, key) for key in target_props}
    return value in {candidate for candidate in candidates if candidate}
