"""``.devstack/outputs.json``: where a running devstack is and who can sign in to it.

One typed model, written by ``devstack.up`` and read by everyone else (``bookingctl
local token|tick``, the tests, the benchmarks): nobody re-reads the file by hand.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict
from pydantic.alias_generators import to_camel

from devstack.access import emulator_client
from devstack.state import StateDir


class _Output(BaseModel):
    model_config = ConfigDict(alias_generator=to_camel, populate_by_name=True, frozen=True, extra="forbid")


class DemoUser(_Output):
    """A seeded user with a known, permanent password (a ``demoUsers`` entry)."""

    email: str
    password: str
    role: str
    tenant_id: str
    user_id: str


class NotEmulated(_Output):
    """A resource the program declared that the emulator lacks (recorded, not made), or
    made but not fully emulated (``created``; ``reason`` says what is missing)."""

    type: str
    name: str
    reason: str
    created: bool = False


class OutputsNotFound(FileNotFoundError):
    """No devstack has written its outputs there (none is running, or not yet)."""


class DevstackOutputs(_Output):
    """The emulator's own values for everything the program wired (ids, URLs), the demo
    users, and what the emulator could not do."""

    stack: str
    api_url: str
    # The app as the distribution serves it (its API at <web_url>/api) and the user
    # pool's managed login (sign-in page, token, logout, OIDC discovery).
    web_url: str
    sign_in_url: str
    aws_endpoint_url: str
    region: str
    user_pool_id: str
    user_pool_client_id: str
    table_name: str
    demo_users: tuple[DemoUser, ...]
    outbox: Path
    # The program's own exports, as it exported them.
    stack_outputs: dict[str, Any]
    not_emulated: tuple[NotEmulated, ...]
    # Data-source invokes the emulator could not answer (the program got nothing).
    not_emulated_invokes: tuple[str, ...]

    def demo_user(self, email: str) -> DemoUser | None:
        """The demo user with this email (emails are case-insensitive), if any."""
        return next((user for user in self.demo_users if user.email.lower() == email.lower()), None)

    def demo_user_with_role(self, role: str) -> DemoUser:
        for user in self.demo_users:
            if user.role == role:
                return user
        raise LookupError(f"no demo user has the role {role}")

    def client(self, service: str) -> Any:
        """A boto3 client of this devstack's emulator (its dummy credentials, its region)."""
        return emulator_client(service, endpoint_url=self.aws_endpoint_url, region=self.region)

    def to_json(self) -> str:
        return json.dumps(self.model_dump(mode="json", by_alias=True), indent=2)

    def save(self, state: StateDir) -> Path:
        """Write ``outputs.json`` whole or not at all: whoever waits for it reads it as
        soon as it exists."""
        path = state.outputs
        partial = path.with_suffix(".json.partial")
        partial.write_text(self.to_json(), encoding="utf-8")
        os.replace(partial, path)
        return path

    @classmethod
    def load(cls, path: Path) -> DevstackOutputs:
        if not path.is_file():
            raise OutputsNotFound(f"{path} not found: start the devstack first (bookingctl local up)")
        return cls.model_validate_json(path.read_text(encoding="utf-8"))


def read_outputs(state: StateDir | None = None) -> DevstackOutputs:
    """The outputs of the devstack whose state directory is ``state`` (by default
    ``.devstack/`` here, where ``bookingctl local up`` writes them)."""
    return DevstackOutputs.load((state or StateDir()).outputs)
