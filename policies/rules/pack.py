"""The rules as ``pulumi_policy`` policies, exactly as the Pulumi engine calls them.

Kept apart from ``__main__`` so the policies can be built (and their ``validate``
callables exercised) without constructing the ``PolicyPack`` and its gRPC server.
"""

from __future__ import annotations

from pulumi_policy import (
    EnforcementLevel,
    Policy,
    PolicyConfigSchema,
    PolicyResource,
    ReportViolation,
    ResourceValidationArgs,
    ResourceValidationPolicy,
    StackValidationArgs,
    StackValidationPolicy,
)

from . import ALL_RULES
from .base import ResourceRule, StackResource, StackRule, describe

# Without a config file every rule blocks; the per-stack files lower what dev tolerates.
DEFAULT_LEVEL = EnforcementLevel.MANDATORY


def _schema(rule: ResourceRule | StackRule) -> PolicyConfigSchema | None:
    if not rule.config_schema:
        return None
    return PolicyConfigSchema(properties={key: dict(spec) for key, spec in rule.config_schema.items()})


def resource_policy(rule: ResourceRule) -> ResourceValidationPolicy:
    def validate(args: ResourceValidationArgs, report_violation: ReportViolation) -> None:
        for message in rule.evaluate(args.resource_type, args.props, args.get_config()):
            report_violation(describe(args.resource_type, args.name, message), None)

    return ResourceValidationPolicy(
        name=rule.name,
        description=rule.description,
        validate=validate,
        enforcement_level=DEFAULT_LEVEL,
        config_schema=_schema(rule),
        remediation_steps=rule.remediation,
    )


def stack_resource(resource: PolicyResource) -> StackResource:
    """The engine's view of a resource, reduced to what stack rules read."""
    return StackResource(
        type=resource.resource_type,
        name=resource.name,
        urn=resource.urn,
        props=resource.props,
        property_dependencies={
            prop: [dependency.urn for dependency in dependencies]
            for prop, dependencies in resource.property_dependencies.items()
        },
    )


def stack_policy(rule: StackRule) -> StackValidationPolicy:
    def validate(args: StackValidationArgs, report_violation: ReportViolation) -> None:
        resources = [stack_resource(resource) for resource in args.resources]
        for violation in rule.evaluate(resources, args.get_config()):
            report_violation(violation.message, violation.urn)

    return StackValidationPolicy(
        name=rule.name,
        description=rule.description,
        validate=validate,
        enforcement_level=DEFAULT_LEVEL,
        config_schema=_schema(rule),
        remediation_steps=rule.remediation,
    )


def build_policies() -> list[Policy]:
    """One ``pulumi_policy`` policy per rule, in report order."""
    return [
        resource_policy(rule) if isinstance(rule, ResourceRule) else stack_policy(rule) for rule in ALL_RULES
    ]
