"""What the handlers talk to: the real adapters in Lambda, fakes in tests.

Built once per container on first use (boto3 clients are created lazily by the
adapters, so tests can start moto first). Tests call ``use(...)`` to inject their own,
and ``reset()`` to rebuild the real ones (e.g. inside a fresh ``mock_aws``).
"""

from __future__ import annotations

import functools
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime

from booking.domain.ports import (
    BookingRepository,
    CatalogRepository,
    Clock,
    IdGenerator,
    UserDirectory,
    UserRepository,
)
from booking.settings import FUNCTIONS, FunctionSettings, UsersSettings


class SystemClock:
    def now(self) -> datetime:
        return datetime.now(UTC)


class RandomIds:
    """Random 128-bit ids: unguessable, so an id never reveals another tenant's data."""

    def new_id(self) -> str:
        return uuid.uuid4().hex


@dataclass(frozen=True)
class Dependencies:
    catalog: CatalogRepository
    bookings: BookingRepository
    users: UserRepository
    clock: Clock
    ids: IdGenerator
    directory: UserDirectory | None = None  # only the users function has the pool


_injected: Dependencies | None = None


def use(dependencies: Dependencies | None) -> None:
    """Replace the real adapters (tests); ``None`` goes back to them."""
    global _injected  # one process-wide wiring, as a Lambda container has
    _injected = dependencies


@functools.cache
def settings(function: str) -> FunctionSettings:
    """The function's environment, validated once (at cold start, on first use)."""
    return FUNCTIONS[function].settings()


def current(function: str) -> Dependencies:
    if _injected is not None:
        return _injected
    return _real(function)


def reset() -> None:
    """Forget the settings and adapters built so far (tests that change the environment
    or start a new AWS mock)."""
    settings.cache_clear()
    _real.cache_clear()


@functools.cache
def _real(function: str) -> Dependencies:
    """The DynamoDB and Cognito adapters for ``function``. Imported here, not at module
    level, so importing a handler stays cheap and boto3 loads on the first request."""
    from booking.adapters.cognito import CognitoUserDirectory
    from booking.adapters.dynamodb_bookings import DynamoBookingRepository
    from booking.adapters.dynamodb_catalog import DynamoCatalogRepository
    from booking.adapters.dynamodb_table import DynamoTable
    from booking.adapters.dynamodb_users import DynamoUserRepository

    config = settings(function)
    table = DynamoTable(config.table_name)
    clock = SystemClock()
    return Dependencies(
        catalog=DynamoCatalogRepository(table),
        bookings=DynamoBookingRepository(table, now=clock.now),
        users=DynamoUserRepository(table),
        clock=clock,
        ids=RandomIds(),
        directory=CognitoUserDirectory(config.user_pool_id) if isinstance(config, UsersSettings) else None,
    )
