"""What a deployment tells its readers: the program's own exports where it has them,
else the ids of the resources it registered (both are the emulator's values)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from devstack.adapters.base import EmulatorContext
from devstack.backend import EmulatorBackend
from devstack.outputs import DemoUser, DevstackOutputs, NotEmulated
from devstack.seed import Seed
from devstack.seed.apply import SeedReport, apply_seed
from devstack.state import StateDir
from engine.inventory import Inventory

USER_POOL_TYPE = "aws:cognito/userPool:UserPool"
USER_POOL_CLIENT_TYPE = "aws:cognito/userPoolClient:UserPoolClient"
TABLE_TYPE = "aws:dynamodb/table:Table"


def _single(inventory: Inventory, resource_type: str) -> dict[str, Any]:
    records = inventory.of_type(resource_type)
    if len(records) != 1:
        raise RuntimeError(f"expected one {resource_type} in the program, found {len(records)}")
    return {**records[0].inputs, **records[0].outputs, "id": records[0].id}


@dataclass(frozen=True)
class DeployedIdentityAndData:
    """The table and the user pool (with its client) of a deployment: what the seed
    writes to and what a person signs in to."""

    table_name: str
    user_pool_id: str
    user_pool_client_id: str

    @classmethod
    def of(cls, inventory: Inventory) -> DeployedIdentityAndData:
        exported = inventory.stack_outputs
        pool = _single(inventory, USER_POOL_TYPE)
        client = _single(inventory, USER_POOL_CLIENT_TYPE)
        table = _single(inventory, TABLE_TYPE)
        return cls(
            table_name=str(exported.get("tableName") or table["name"]),
            user_pool_id=str(exported.get("userPoolId") or pool["id"]),
            user_pool_client_id=str(exported.get("userPoolClientId") or client["id"]),
        )


def seed_deployment(seed: Seed, inventory: Inventory, context: EmulatorContext) -> SeedReport:
    """Load ``seed`` into the deployment's table and user pool."""
    deployed = DeployedIdentityAndData.of(inventory)
    return apply_seed(
        seed,
        table_name=deployed.table_name,
        user_pool_id=deployed.user_pool_id,
        dynamodb=context.client("dynamodb"),
        cognito=context.client("cognito-idp"),
    )


def build_outputs(
    inventory: Inventory,
    *,
    api_url: str,
    web_url: str,
    sign_in_url: str,
    endpoint_url: str,
    region: str,
    demo_users: list[DemoUser],
    backend: EmulatorBackend,
    state: StateDir,
) -> DevstackOutputs:
    deployed = DeployedIdentityAndData.of(inventory)
    return DevstackOutputs(
        stack=inventory.stack,
        api_url=api_url,
        web_url=web_url,
        sign_in_url=sign_in_url,
        aws_endpoint_url=endpoint_url,
        region=region,
        user_pool_id=deployed.user_pool_id,
        user_pool_client_id=deployed.user_pool_client_id,
        table_name=deployed.table_name,
        demo_users=tuple(demo_users),
        outbox=state.outbox.resolve(),
        stack_outputs=inventory.stack_outputs,
        not_emulated=tuple(
            NotEmulated(type=item.type, name=item.name, reason=item.reason, created=item.created)
            for item in backend.recorded
        ),
        not_emulated_invokes=tuple(sorted(set(backend.recorded_invokes))),
    )
