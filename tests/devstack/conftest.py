from __future__ import annotations

import itertools
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from booking.domain.roles import Role

from devstack.adapters.base import EmulatorContext
from devstack.adapters.cognito import create_user_group, create_user_pool, create_user_pool_client
from devstack.adapters.dynamodb import create_table
from devstack.emulator import Emulator
from engine.inventory import ResourceRecord
from tests.devstack.test_adapter_dynamodb import _table_inputs

_counter = itertools.count()


@pytest.fixture(scope="session")
def emulator() -> Iterator[Emulator]:
    """One moto server for the session; it does not export AWS_ENDPOINT_URL, so tests of
    other directories that use ``mock_aws`` in the same worker are unaffected."""
    server = Emulator(export_environment=False).start()
    yield server
    server.stop()


@pytest.fixture
def ctx(emulator: Emulator) -> EmulatorContext:
    return EmulatorContext(endpoint_url=emulator.endpoint_url, region=emulator.region)


MakeRecord = Callable[..., ResourceRecord]


@pytest.fixture
def make_record() -> MakeRecord:
    """A registered resource as the engine hands it over (unique URN per call)."""

    def make(
        resource_type: str, logical: str, /, *, provider_ref: str | None = None, **inputs: Any
    ) -> ResourceRecord:
        unique = next(_counter)
        return ResourceRecord(
            urn=f"urn:pulumi:test::booking-platform::{resource_type}::{logical}-{unique}",
            type=resource_type,
            name=logical,
            parent=None,
            provider=provider_ref,
            inputs=inputs,
        )

    return make


@pytest.fixture
def deployed(ctx, make_record):
    """The table, pool, client and groups the program declares, made by the adapters."""
    table_name, _ = create_table(
        ctx, make_record("aws:dynamodb/table:Table", "seed-table", **_table_inputs())
    )
    pool_id, _ = create_user_pool(
        ctx,
        make_record(
            "aws:cognito/userPool:UserPool",
            "seed-pool",
            usernameAttributes=["email"],
            passwordPolicy={
                "minimumLength": 12,
                "requireLowercase": True,
                "requireUppercase": True,
                "requireNumbers": True,
                "requireSymbols": True,
            },
            schemas=[
                {
                    "name": "tenant_id",
                    "attributeDataType": "String",
                    "mutable": False,
                    "stringAttributeConstraints": {"minLength": "1", "maxLength": "64"},
                }
            ],
        ),
    )
    client_id, _ = create_user_pool_client(
        ctx, make_record("aws:cognito/userPoolClient:UserPoolClient", "seed-client", userPoolId=pool_id)
    )
    for role in Role:
        create_user_group(
            ctx,
            make_record("aws:cognito/userGroup:UserGroup", role.value, name=role.value, userPoolId=pool_id),
        )
    return table_name, pool_id, client_id
