"""Adapters against moto's in-process ``mock_aws``: one fresh table per test."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import boto3
import pytest
from booking.adapters.dynamodb_bookings import DynamoBookingRepository
from booking.adapters.dynamodb_catalog import DynamoCatalogRepository
from booking.adapters.dynamodb_table import DynamoTable
from booking.domain.cells import cells_for
from booking.domain.models import Booking
from booking.domain.ports import BookingRepository, IdempotencyRecord, LockCell
from moto import mock_aws

from tests.aws import TABLE_NAME, create_table, fake_credentials

NOW = datetime(2030, 3, 4, 12, 0, tzinfo=UTC)


@pytest.fixture
def aws(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    fake_credentials(monkeypatch)
    with mock_aws():
        yield


@pytest.fixture
def dynamodb(aws: None) -> Any:
    client = boto3.client("dynamodb")
    create_table(client)
    return client


@pytest.fixture
def table(dynamodb: Any) -> DynamoTable:
    # No client injected: the adapter must create its own lazily, inside the mock.
    return DynamoTable(TABLE_NAME)


@pytest.fixture
def catalog(table: DynamoTable) -> DynamoCatalogRepository:
    return DynamoCatalogRepository(table)


@pytest.fixture
def bookings(table: DynamoTable) -> DynamoBookingRepository:
    return DynamoBookingRepository(table, now=lambda: NOW)


def make_booking(
    booking_id: str,
    start: datetime,
    minutes: int = 30,
    *,
    professional_id: str = "pro-1",
    patient_id: str = "patient-1",
    tenant_id: str = "t1",
    before: int = 0,
    after: int = 0,
) -> Booking:
    end = start + timedelta(minutes=minutes)
    return Booking(
        id=booking_id,
        tenant_id=tenant_id,
        professional_id=professional_id,
        treatment_id="trt-1",
        patient_id=patient_id,
        start=start,
        end=end,
        blocked_start=start - timedelta(minutes=before),
        blocked_end=end + timedelta(minutes=after),
        created_by=patient_id,
        created_at=NOW,
        updated_at=NOW,
    )


def cells_of(booking: Booking) -> list[LockCell]:
    return cells_for(booking.tenant_id, booking.professional_id, booking.blocked_start, booking.blocked_end)


def idempotency_for(
    booking: Booking, key: str | None = None, expires_at: datetime | None = None
) -> IdempotencyRecord:
    return IdempotencyRecord(
        tenant_id=booking.tenant_id,
        key=key or f"key-{booking.id}",
        caller_id=booking.created_by,
        request_hash="hash-" + booking.id,
        booking_id=booking.id,
        expires_at=expires_at or NOW + timedelta(hours=24),
    )


def book(repository: BookingRepository, booking: Booking, key: str | None = None) -> Booking:
    repository.create(booking, cells_of(booking), idempotency_for(booking, key))
    return booking
