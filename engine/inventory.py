"""What a run of the program under Pulumi's mock engine registered.

Produced by the offline preview (``bookingctl preview --json``) and by the devstack's
deployment; read by the policy pack's offline evaluation and by the devstack gateway.
``inputs`` use the engine's camelCase property names, as the policy ``props`` do.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any


@dataclass(frozen=True)
class ResourceRecord:
    urn: str
    type: str  # e.g. "aws:apigatewayv2/api:Api"
    name: str  # the logical name
    parent: str | None  # the parent's URN (None for the stack itself)
    provider: str | None  # "<provider urn>::<provider id>" when explicit, else None
    inputs: dict[str, Any]
    id: str = ""
    outputs: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Inventory:
    project: str
    stack: str
    resources: list[ResourceRecord]
    stack_outputs: dict[str, Any] = field(default_factory=dict)

    def of_type(self, resource_type: str) -> list[ResourceRecord]:
        return [record for record in self.resources if record.type == resource_type]

    def by_urn(self, urn: str) -> ResourceRecord:
        for record in self.resources:
            if record.urn == urn:
                return record
        raise KeyError(urn)

    def to_json(self) -> str:
        return json.dumps(asdict(self), indent=2, sort_keys=True, default=str)

    @classmethod
    def from_json(cls, text: str) -> Inventory:
        data = json.loads(text)
        return cls(
            project=data["project"],
            stack=data["stack"],
            resources=[ResourceRecord(**record) for record in data["resources"]],
            stack_outputs=data.get("stack_outputs", {}),
        )

    @classmethod
    def load(cls, path: Path) -> Inventory:
        return cls.from_json(path.read_text(encoding="utf-8"))
