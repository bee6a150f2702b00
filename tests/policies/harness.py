"""A reusable harness for CrossGuard policies written with ``pulumi_policy``.

There is no official Python test harness, so this one builds the arguments the way
the analyzer servicer does for a real ``pulumi preview``:

- props and config go through a protobuf ``Struct`` and ``json_format.MessageToDict``
  (so integers arrive as floats, as they do from the engine), then through
  ``deserialize_properties`` and the ``unknown_checking_proxy``, so a rule that reads an
  unknown value raises ``UnknownValueError`` just as it would in a preview;
- stack validation gets ``PolicyResource`` objects with parents and property
  dependencies linked to the other resources;
- violations are collected by calling each policy's registered ``validate`` with a
  ``report_violation`` callback.

Pass :data:`UNKNOWN` anywhere in props to model a value that is unknown in a preview.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from google.protobuf import json_format, struct_pb2  # type: ignore[import-untyped]
from pulumi_policy import (
    Policy,
    PolicyCustomTimeouts,
    PolicyResource,
    PolicyResourceOptions,
    ResourceValidationArgs,
    ResourceValidationPolicy,
    StackValidationArgs,
    StackValidationPolicy,
)
from pulumi_policy.deserialize import deserialize_properties
from pulumi_policy.proxy import UNKNOWN_STRING_VALUE, unknown_checking_proxy

from policies.rules.pack import build_policies

UNKNOWN = UNKNOWN_STRING_VALUE
STACK_URN = "urn:pulumi:test::booking-platform::pulumi:pulumi:Stack::booking-platform-test"


def urn_of(resource_type: str, name: str) -> str:
    return f"urn:pulumi:test::booking-platform::{resource_type}::{name}"


def over_the_wire(values: Mapping[str, Any] | None) -> dict[str, Any]:
    """What a mapping looks like after the engine sent it as a protobuf ``Struct``."""
    message = struct_pb2.Struct()
    message.update(dict(values or {}))
    result: dict[str, Any] = json_format.MessageToDict(message)
    return result


def engine_props(props: Mapping[str, Any]) -> Mapping[str, Any]:
    return unknown_checking_proxy(deserialize_properties(over_the_wire(props)))


def _options(parent: str | None = None) -> PolicyResourceOptions:
    return PolicyResourceOptions(
        protect=False,
        ignore_changes=[],
        delete_before_replace=None,
        aliases=[],
        custom_timeouts=PolicyCustomTimeouts(0, 0, 0),
        additional_secret_outputs=[],
        parent=parent,
    )


def policies_by_name() -> dict[str, Policy]:
    return {policy.name: policy for policy in build_policies()}


@dataclass
class Violation:
    policy: str
    message: str
    urn: str | None


@dataclass
class Collector:
    """The ``report_violation`` callback, remembering what was reported."""

    policy: str
    violations: list[Violation] = field(default_factory=list)

    def __call__(self, message: str, urn: str | None = None) -> None:
        assert isinstance(message, str), "a violation message is a string"
        assert message, "a violation needs a message"
        self.violations.append(Violation(self.policy, message, urn))


def resource_args(
    resource_type: str,
    props: Mapping[str, Any],
    *,
    name: str = "subject",
    config: Mapping[str, Any] | None = None,
) -> ResourceValidationArgs:
    return ResourceValidationArgs(
        resource_type,
        engine_props(props),
        urn_of(resource_type, name),
        name,
        _options(STACK_URN),
        None,
        over_the_wire(config) if config else None,
    )


def validate_resource(
    policy: Policy,
    resource_type: str,
    props: Mapping[str, Any],
    *,
    name: str = "subject",
    config: Mapping[str, Any] | None = None,
) -> list[Violation]:
    if not isinstance(policy, ResourceValidationPolicy):
        return []
    collector = Collector(policy.name)
    policy.validate(resource_args(resource_type, props, name=name, config=config), collector)
    return collector.violations


@dataclass(frozen=True)
class Resource:
    """A resource of a stack under test; ``depends`` maps a property to resource names."""

    type: str
    name: str
    props: Mapping[str, Any]
    parent: str | None = None
    depends: Mapping[str, tuple[str, ...]] = field(default_factory=dict)

    @property
    def urn(self) -> str:
        return urn_of(self.type, self.name)


def stack_args(resources: Iterable[Resource], config: Mapping[str, Any] | None = None) -> StackValidationArgs:
    """``StackValidationArgs`` with parent and property-dependency links resolved to objects."""
    listed = list(resources)
    built = {
        resource.name: PolicyResource(
            resource.type,
            engine_props(resource.props),
            resource.urn,
            resource.name,
            _options(STACK_URN),
            None,
            None,
            [],
            {},
        )
        for resource in listed
    }
    for resource in listed:
        target = built[resource.name]
        if resource.parent is not None:
            target.parent = built[resource.parent]
        for prop, names in resource.depends.items():
            target.property_dependencies[prop] = [built[name] for name in names]
            target.dependencies.extend(built[name] for name in names)
    return StackValidationArgs(list(built.values()), over_the_wire(config) if config else None)


def validate_stack(
    policy: Policy, resources: Iterable[Resource], config: Mapping[str, Any] | None = None
) -> list[Violation]:
    if not isinstance(policy, StackValidationPolicy):
        return []
    collector = Collector(policy.name)
    policy.validate(stack_args(resources, config), collector)
    return collector.violations


def validate_everything(
    resources: Iterable[Resource], config: Mapping[str, Mapping[str, Any]] | None = None
) -> list[Violation]:
    """Every policy of the pack over every resource, as a preview would run them."""
    listed = list(resources)
    found: list[Violation] = []
    for name, policy in policies_by_name().items():
        policy_config = (config or {}).get(name)
        for resource in listed:
            found += validate_resource(
                policy, resource.type, resource.props, name=resource.name, config=policy_config
            )
        found += validate_stack(policy, listed, policy_config)
    return found


def resource_messages(
    policy_name: str,
    resource_type: str,
    props: Mapping[str, Any],
    config: Mapping[str, Any] | None = None,
    *,
    name: str = "subject",
) -> list[str]:
    """The messages one policy (by name) reports for one resource."""
    policy = policies_by_name()[policy_name]
    return [
        violation.message
        for violation in validate_resource(policy, resource_type, props, name=name, config=config)
    ]


def assert_reports(messages: list[str], expected: Iterable[str]) -> None:
    """Exactly one message per expected fragment, each fragment found in its message."""
    wanted = list(expected)
    assert len(messages) == len(wanted), f"expected {wanted}, got {messages}"
    remaining = list(messages)
    for fragment in wanted:
        match = next((message for message in remaining if fragment in message), None)
        assert match is not None, f"no message mentions {fragment!r}: {messages}"
        remaining.remove(match)
