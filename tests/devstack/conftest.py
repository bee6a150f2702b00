from __future__ import annotations

import itertools
from collections.abc import Callable, Iterator
from typing import Any

import pytest

from devstack.adapters.base import EmulatorContext
from devstack.emulator import Emulator
from stacks.inventory import ResourceRecord

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
