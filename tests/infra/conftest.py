"""One mock-engine run per stack, shared by every infra test of a worker."""

from __future__ import annotations

import json
from typing import Any

import pytest

from engine.inventory import Inventory, ResourceRecord
from engine.run import run_program

STACKS = ("dev", "qas", "prd")


@pytest.fixture(scope="session")
def inventories() -> dict[str, Inventory]:
    return {stack: run_program(stack) for stack in STACKS}


@pytest.fixture(params=STACKS)
def inventory(request: pytest.FixtureRequest, inventories: dict[str, Inventory]) -> Inventory:
    return inventories[request.param]


def only(inventory: Inventory, resource_type: str) -> ResourceRecord:
    (record,) = inventory.of_type(resource_type)
    return record


def provider_of(inventory: Inventory, record: ResourceRecord) -> ResourceRecord:
    assert record.provider is not None, f"{record.name} uses the default provider"
    return inventory.by_urn(record.provider.rsplit("::", 1)[0])


def policy_statements(document: Any) -> list[dict[str, Any]]:
    parsed = json.loads(document) if isinstance(document, str) else document
    statements = parsed["Statement"]
    return statements if isinstance(statements, list) else [statements]
