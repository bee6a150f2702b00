"""What the handlers talk to: the real adapters in Lambda, fakes in tests.

Built once per container on first use (boto3 clients are created lazily by the
adapters, so tests can start moto first). Tests call ``use(...)`` to inject their own.
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
from booking.settings import FUNCTIONS, FunctionSettings


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


@functools.cache
def _real(function: str) -> Dependencies:
    settings(function)
    raise RuntimeError("the DynamoDB and Cognito adapters are not wired yet")
