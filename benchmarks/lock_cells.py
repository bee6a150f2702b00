"""The table's size per booking once bookings have ended: lock cells expire through TTL.

For N bookings (30 minutes plus 5/10-minute buffers, so 9 five-minute lock cells each,
each with its idempotency record, one in five cancelled, which releases its cells)
written to moto with the items ``DynamoBookingRepository`` writes (``dynamodb_items``'
builders; BatchWriteItem rather than one transaction each, because moto copies the
whole table for every transaction), the table is counted:

- **live**: while every booking is still ahead (the cells are what prevents overbooking);
- **ended, with TTL**: after the retention has passed and DynamoDB's TTL process has
  deleted every expired item (moto never deletes TTL items: ``ttl_sweep`` does what
  DynamoDB does, deleting the items whose ``expiresAt`` has passed);
- **ended, without TTL on cells** (the baseline, the table before this change): the
  same sweep, but lock items never expire (idempotency records did already).

Reported: items per booking for each N, and the ratio baseline / with TTL. Bounded means
the per-booking figure does not grow with N and stays at the booking item itself.
"""

from __future__ import annotations

import os
from collections import Counter
from datetime import UTC, datetime, timedelta
from typing import Any

import boto3
from booking.adapters import dynamodb_items as items
from booking.adapters import table_design
from booking.domain.cells import cells_for
from booking.domain.models import Booking, BookingStatus
from booking.domain.ports import IdempotencyRecord
from moto import mock_aws

from tests.aws import create_table

SIZES = tuple(int(size) for size in os.environ.get("LOCK_BENCH_SIZES", "250,1000").split(","))
RETENTION = timedelta(days=table_design.LOCK_RETENTION_DAYS)
FIRST = datetime(2030, 3, 4, 8, 0, tzinfo=UTC)
BLOCK = timedelta(minutes=45)  # 5 before + 30 + 10 after
CANCEL_EVERY = 5


def write_bookings(client: Any, table_name: str, count: int, booked_at: datetime) -> datetime:
    """``count`` back-to-back bookings (every fifth cancelled); the end of the last."""
    written: list[dict[str, Any]] = []
    for number in range(count):
        blocked_start = FIRST + number * BLOCK
        booking = Booking(
            id=f"b{number:05d}",
            tenant_id="bench",
            professional_id="pro-1",
            treatment_id="cleaning",
            patient_id="patient-1",
            start=blocked_start + timedelta(minutes=5),
            end=blocked_start + timedelta(minutes=35),
            blocked_start=blocked_start,
            blocked_end=blocked_start + BLOCK,
            created_by="patient-1",
            created_at=booked_at,
            updated_at=booked_at,
        )
        record = IdempotencyRecord(
            "bench", f"key-{number}", "patient-1", "hash", booking.id, booked_at + timedelta(hours=24)
        )
        written.append(items.idempotency_item(record))
        if number % CANCEL_EVERY == 0:  # released: the booking's new state, no cells
            written.append(items.booking_item(booking.model_copy(update={"status": BookingStatus.CANCELLED})))
            continue
        written.append(items.booking_item(booking))
        cells = cells_for("bench", "pro-1", booking.blocked_start, booking.blocked_end)
        written += [items.lock_item(cell, booking.id, RETENTION) for cell in cells]
    for chunk in range(0, len(written), 25):
        batch = [{"PutRequest": {"Item": item}} for item in written[chunk : chunk + 25]]
        client.batch_write_item(RequestItems={table_name: batch})
    return FIRST + count * BLOCK


def scan(client: Any, table_name: str) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = []
    for page in client.get_paginator("scan").paginate(TableName=table_name):
        found += page["Items"]
    return found


def ttl_sweep(client: Any, table_name: str, now: datetime, *, expire_locks: bool) -> int:
    """Delete what DynamoDB's TTL process would by ``now``: items whose expiry has passed
    (lock items only if ``expire_locks``). The number deleted."""
    deleted = 0
    for item in scan(client, table_name):
        expires_at = items.expires_at(item)
        if expires_at is None or expires_at > now:
            continue
        if item[items.ENTITY]["S"] == "lock" and not expire_locks:
            continue
        client.delete_item(TableName=table_name, Key={key: item[key] for key in (items.PK, items.SK)})
        deleted += 1
    return deleted


def by_entity(client: Any, table_name: str) -> Counter[str]:
    return Counter(item[items.ENTITY]["S"] for item in scan(client, table_name))


def measure(count: int) -> dict[str, Counter[str]]:
    """The table by entity: live, then ended without TTL on cells, then ended with it."""
    with mock_aws():
        client = boto3.client("dynamodb", region_name="us-east-1")
        table_name = create_table(client, f"locks-{count}")
        swept_at = write_bookings(client, table_name, count, FIRST - timedelta(days=1)) + RETENTION
        swept_at += timedelta(days=1)
        live = by_entity(client, table_name)
        ttl_sweep(client, table_name, swept_at, expire_locks=False)
        without_ttl = by_entity(client, table_name)
        ttl_sweep(client, table_name, swept_at, expire_locks=True)
        with_ttl = by_entity(client, table_name)
    return {"live": live, "without": without_ttl, "with": with_ttl}


def _per_booking(table: Counter[str], count: int) -> str:
    return f"{sum(table.values()) / count:.2f} ({table['lock'] / count:.2f} cells)"


def main() -> int:
    print(f"lock retention {RETENTION.days} days; one booking in {CANCEL_EVERY} cancelled; items per booking")
    print("| bookings | live | ended, without TTL on cells | ended, with TTL | ratio |")
    print("|---|---|---|---|---|")
    for count in SIZES:
        tables = measure(count)
        ratio = sum(tables["without"].values()) / sum(tables["with"].values())
        print(
            f"| {count} | {_per_booking(tables['live'], count)} | {_per_booking(tables['without'], count)} "
            f"| {_per_booking(tables['with'], count)} | {ratio:.2f}x |",
            flush=True,
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
