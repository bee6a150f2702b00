"""What every adapter shares: the emulator's clients, physical names, result shape.

An adapter turns one registered resource (type token, camelCase inputs with
dependencies resolved) into the real thing in the emulator and answers the id and
the outputs the program will see, named as pulumi_aws names them (camelCase).
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from botocore.config import Config

from devstack.access import emulator_client
from engine.inventory import ResourceRecord

Created = tuple[str, dict[str, Any]]


@dataclass
class EmulatorContext:
    """The emulator an adapter writes to, with lazily created, cached boto3 clients."""

    endpoint_url: str
    region: str
    account_id: str = "123456789012"
    # Where the devstack gateway serves the HTTP API (the API's and stage's endpoint).
    api_url: str = "http://127.0.0.1:8080"
    # Where the devstack serves the distribution (its domain) and the user pools'
    # managed login (their endpoint, the OIDC issuer's discovery document).
    web_url: str = "http://127.0.0.1:8081"
    login_url: str = "http://127.0.0.1:8082"
    _clients: dict[str, Any] = field(default_factory=dict, repr=False)

    def client(self, service: str) -> Any:
        if service not in self._clients:
            self._clients[service] = emulator_client(
                service,
                endpoint_url=self.endpoint_url,
                region=self.region,
                config=Config(retries={"max_attempts": 2, "mode": "standard"}),
            )
        return self._clients[service]

    def arn(self, service: str, resource: str, *, region: bool = True) -> str:
        return f"arn:aws:{service}:{self.region if region else ''}:{self.account_id}:{resource}"


Adapter = Callable[[EmulatorContext, ResourceRecord], Created]


def physical_name(
    record: ResourceRecord,
    key: str = "name",
    *,
    max_length: int = 64,
    allowed: str = r"[^A-Za-z0-9_.-]",
    lower: bool = False,
) -> str:
    """The name the program gave, else Pulumi's auto-name: logical name plus a suffix.

    Pulumi adds 7 random hex characters; a hash of the URN is as unique and the same
    on every run, which keeps the devstack's names stable across restarts.
    """
    given = record.inputs.get(key)
    if isinstance(given, str) and given:
        return given
    suffix = hashlib.sha256(record.urn.encode()).hexdigest()[:7]
    logical = record.name.lower() if lower else record.name
    base = re.sub(allowed, "-", logical)[: max_length - 8]
    return f"{base}-{suffix}"


def tag_list(tags: Mapping[str, str] | None, key: str = "Key", value: str = "Value") -> list[dict[str, str]]:
    return [{key: k, value: str(v)} for k, v in (tags or {}).items()]


def as_json_text(value: Any) -> str:
    """Policies arrive as JSON text or (from ``Output.json_dumps`` in mocks) as objects."""
    return value if isinstance(value, str) else json.dumps(value)


def compact(values: Mapping[str, Any]) -> dict[str, Any]:
    """Drop absent arguments: boto3 rejects ``None`` where AWS expects an omission."""
    return {key: value for key, value in values.items() if value is not None}


def state(record: ResourceRecord, **computed: Any) -> dict[str, Any]:
    """The resource's state: its inputs, plus what the emulator computed."""
    return {**record.inputs, **compact(computed)}
