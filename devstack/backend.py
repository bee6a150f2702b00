"""``EmulatorBackend``: the mock engine's resource backend that deploys into moto.

``engine.run.run_program(stack, backend)`` calls ``create(record)`` for every
resource the program registers and ``call(token, args, provider)`` for every invoke.
Each AWS type with an adapter becomes the real thing in the emulator, and the program
sees the emulator's ids, names and ARNs. Types without an adapter are recorded (their
inputs kept, outputs derived so the program can go on) and listed by
``not_emulated()``, with the types that are created but not fully emulated
(``LIMITS``); nothing is dropped silently.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from dataclasses import dataclass, field, replace
from typing import Any

from devstack.adapters import ADAPTERS, Adapter
from devstack.adapters.base import Created, EmulatorContext, state
from devstack.adapters.invokes import INVOKES
from engine.inventory import ResourceRecord

# Component namespaces of this repository (``booking:<area>:<Name>``): logical
# groupings with no cloud counterpart.
COMPONENT_PACKAGES = frozenset({"booking"})

# Types the devstack deliberately records rather than creates, and why.
RECORDED_REASONS: dict[str, str] = {
    "aws:lambda/eventSourceMapping:EventSourceMapping": (
        "moto would run the function in Docker on every write; the devstack's stream pump delivers "
        "the table stream to the function instead"
    ),
}
# Types the devstack creates in the emulator that it does not fully emulate, and what
# is missing: listed beside the recorded ones.
LIMITS: dict[str, str] = {
    "aws:wafv2/webAcl:WebAcl": (
        "created in the emulator with its rules checked; the emulated distribution does not apply "
        "them (no managed rule groups, no rate limit)"
    ),
}


@dataclass(frozen=True)
class RecordedResource:
    type: str
    name: str
    reason: str
    # True: created in the emulator, but ``reason`` is what it does not do.
    created: bool = False


@dataclass
class EmulatorBackend:
    """Implements ``engine.run.ResourceBackend`` against the running emulator."""

    context: EmulatorContext
    adapters: dict[str, Adapter] = field(default_factory=lambda: dict(ADAPTERS))
    recorded: list[RecordedResource] = field(default_factory=list)
    recorded_invokes: list[str] = field(default_factory=list)
    # Explicit providers (e.g. ``aws.Provider(region="us-east-1")`` for WAF): URN → region.
    _provider_regions: dict[str, str] = field(default_factory=dict)
    _contexts: dict[str, EmulatorContext] = field(default_factory=dict)

    def create(self, record: ResourceRecord) -> tuple[str, dict[str, Any]]:
        package = record.type.split(":", 1)[0]
        if record.type.startswith("pulumi:providers:"):
            if record.inputs.get("region"):
                self._provider_regions[record.urn] = str(record.inputs["region"])
            return f"{record.name}-provider", dict(record.inputs)
        if package in COMPONENT_PACKAGES or record.type == "pulumi:pulumi:Stack":
            return "", {}
        record = replace(record, inputs=_integral_numbers(record.inputs))
        adapter = self.adapters.get(record.type)
        if adapter is None:
            return self._record(record)
        created: Created = adapter(self._context_for(record), record)
        if record.type in LIMITS:
            limit = LIMITS[record.type]
            self.recorded.append(RecordedResource(record.type, record.name, limit, created=True))
        return created

    def call(self, token: str, args: dict[str, Any], provider: str | None = None) -> dict[str, Any]:
        invoke = INVOKES.get(token)
        if invoke is None:
            self.recorded_invokes.append(token)
            return {}
        return invoke(self._context_for_provider(provider), args)

    def not_emulated(self) -> dict[str, list[RecordedResource]]:
        """Recorded resources (and created ones with limits) by type, for the start-up banner."""
        grouped: dict[str, list[RecordedResource]] = defaultdict(list)
        for recorded in self.recorded:
            grouped[recorded.type].append(recorded)
        return dict(grouped)

    def _record(self, record: ResourceRecord) -> tuple[str, dict[str, Any]]:
        reason = RECORDED_REASONS.get(record.type, "the emulator has no adapter for this type")
        self.recorded.append(RecordedResource(record.type, record.name, reason))
        context = self._context_for(record)
        resource_id = f"{record.name}-{hashlib.sha256(record.urn.encode()).hexdigest()[:8]}"
        service = record.type.split(":")[1].split("/")[0] if ":" in record.type else "unknown"
        derived = {
            "id": resource_id,
            "arn": context.arn(service, f"{record.name}/{resource_id}"),
            **_recorded_outputs(record.type, resource_id, context),
        }
        outputs = state(record, **derived)
        return resource_id, outputs

    def _context_for(self, record: ResourceRecord) -> EmulatorContext:
        region = record.inputs.get("region")
        if isinstance(region, str) and region:
            return self._context_in(region)
        return self._context_for_provider(record.provider)

    def _context_for_provider(self, provider: str | None) -> EmulatorContext:
        if provider:
            urn = provider.rsplit("::", 1)[0]
            if urn in self._provider_regions:
                return self._context_in(self._provider_regions[urn])
        return self.context

    def _context_in(self, region: str) -> EmulatorContext:
        if region == self.context.region:
            return self.context
        if region not in self._contexts:
            self._contexts[region] = replace(self.context, region=region, _clients={})
        return self._contexts[region]


def _integral_numbers(value: Any) -> Any:
    """The engine's numbers are doubles (``1209600.0``); AWS's integer parameters
    reject those, and a whole double means the program wrote an int."""
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, dict):
        return {key: _integral_numbers(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_integral_numbers(item) for item in value]
    return value


def _recorded_outputs(resource_type: str, resource_id: str, ctx: EmulatorContext) -> dict[str, Any]:
    """Outputs a program commonly reads from types that are recorded, shaped like AWS's."""
    if resource_type == "aws:lambda/eventSourceMapping:EventSourceMapping":
        return {"uuid": resource_id, "state": "Enabled"}
    return {}
