"""The lock-cell integrity check: an operator's proof that no time is double-held.

Invariants (cancelling, completing or marking a no-show releases the cells, so only
live bookings hold time):

- every live booking holds exactly the lock cells of its blocked range, each naming it;
- every lock cell names a booking that exists, is live, and covers it;
- no cell expires before its own time has passed (an expired cell holds no time).

Cells expire through the table's TTL ``lock_retention`` after their time
(``dynamodb_items.lock_expires_at``). DynamoDB deletes expired items lazily (often
days later; moto never does), so an expired cell may or may not still be there: it is
counted as expired and checked no further, and a cell that is due to have expired is
not required of its booking.

This is an operator tool (``bookingctl integrity``) and the closing check of the
concurrency tests, not a request handler: it reads the whole table with a paginated
**Scan**, which no handler may ever issue.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from booking.adapters import dynamodb_items as items
from booking.adapters.dynamodb_table import DynamoTable, Item
from booking.domain.cells import CELL, cells_for
from booking.domain.errors import InvalidValue
from booking.domain.models import Booking


@dataclass(frozen=True)
class IntegrityReport:
    bookings_checked: int
    locks_checked: int
    problems: list[str] = field(default_factory=list)
    # Cells past their expiry that TTL has not deleted yet (not part of locks_checked).
    expired_locks: int = 0

    @property
    def ok(self) -> bool:
        return not self.problems


def holds_time(booking: Booking) -> bool:
    return booking.is_live


def _scan_bookings_and_locks(table: DynamoTable) -> Iterator[Item]:
    paginator = table.client.get_paginator("scan")
    pages = paginator.paginate(
        TableName=table.name,
        ConsistentRead=True,
        FilterExpression="#entity IN (:booking, :lock)",
        ExpressionAttributeNames={"#entity": items.ENTITY},
        ExpressionAttributeValues={":booking": {"S": "booking"}, ":lock": {"S": "lock"}},
    )
    for page in pages:
        yield from page.get("Items", [])


def check_integrity(
    table: DynamoTable,
    *,
    now: datetime | None = None,
    lock_retention: timedelta = items.DEFAULT_LOCK_RETENTION,
) -> IntegrityReport:
    """Check the table as of ``now`` (default: the clock), for cells that expire
    ``lock_retention`` after their time (the bookings function's setting)."""
    now = now or datetime.now(UTC)
    bookings: dict[tuple[str, str], Booking] = {}
    locks: dict[str, tuple[str, str]] = {}  # lock pk -> (tenant, owning booking id)
    problems: list[str] = []
    expired = 0
    for item in _scan_bookings_and_locks(table):
        data: Any = item
        if data[items.ENTITY]["S"] == "booking":
            booking = items.model_from_item(Booking, item)
            bookings[(booking.tenant_id, booking.id)] = booking
            continue
        cell, owning_id = items.lock_cell_from_item(item)
        lock = data[items.PK]["S"]
        expires_at = items.expires_at(item)
        if expires_at is not None and expires_at < cell.start + CELL:
            problems.append(f"lock {lock} expires at {expires_at.isoformat()}, before its time has passed")
        if expires_at is not None and expires_at <= now:
            expired += 1  # TTL's to delete; it holds no time whoever it names
            continue
        locks[lock] = (cell.tenant_id, owning_id)

    expected: dict[tuple[str, str], set[str]] = {}
    for (tenant_id, booking_id), booking in sorted(bookings.items()):
        if not holds_time(booking):
            continue
        try:
            cells = cells_for(tenant_id, booking.professional_id, booking.blocked_start, booking.blocked_end)
        except InvalidValue as error:
            problems.append(f"booking {tenant_id}/{booking_id} has an invalid blocked range: {error.message}")
            continue
        wanted = {items.lock_pk(cell) for cell in cells}
        expected[(tenant_id, booking_id)] = wanted
        due = {items.lock_pk(cell) for cell in cells if items.lock_expires_at(cell, lock_retention) > now}
        for lock in sorted(wanted):
            holder = locks.get(lock)
            if holder is None:
                if lock in due:
                    problems.append(
                        f"booking {tenant_id}/{booking_id} ({booking.status}) is missing lock {lock}"
                    )
            elif holder != (tenant_id, booking_id):
                problems.append(f"booking {tenant_id}/{booking_id} needs lock {lock}, held by {holder[1]}")

    for lock, (tenant_id, owner_id) in sorted(locks.items()):
        owner = bookings.get((tenant_id, owner_id))
        if owner is None:
            problems.append(f"lock {lock} names booking {tenant_id}/{owner_id}, which does not exist")
        elif not holds_time(owner):
            problems.append(f"lock {lock} is held by {owner.status} booking {tenant_id}/{owner_id}")
        elif lock not in expected.get((tenant_id, owner_id), set()):
            problems.append(f"lock {lock} lies outside the blocked range of booking {tenant_id}/{owner_id}")

    return IntegrityReport(
        bookings_checked=len(bookings), locks_checked=len(locks), problems=problems, expired_locks=expired
    )
