"""``BookingRepository`` on the table: the machinery that makes overbooking impossible.

A booking blocks ``[blocked_start, blocked_end)`` and owns one lock item per cell of
that range. Every write that takes time writes the cells with
``attribute_not_exists(pk)`` in the same ``TransactWriteItems`` as the booking (the
actions and the reading of a cancelled transaction are ``dynamodb_booking_writes``).
GSIs (eventually consistent) serve only lists and availability, never that check
(their queries are ``dynamodb_booking_queries``).

Cells expire through the table's TTL ``lock_retention`` after their own time has
passed (``dynamodb_items.lock_expires_at``), so cells do not pile up. An expired cell
that TTL has not deleted yet holds no time: a new booking may take it, and a release
leaves it to TTL instead of deleting it (it may no longer be the booking's own).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta

from botocore.exceptions import ClientError

from booking.adapters import dynamodb_items as items
from booking.adapters.dynamodb_booking_queries import page_request, professional_window
from booking.adapters.dynamodb_booking_writes import (
    Action,
    Part,
    delete_own,
    moved,
    put_cell,
    put_idempotency,
    put_new,
    put_versioned,
    transact,
)
from booking.adapters.dynamodb_table import DynamoTable
from booking.domain.errors import Conflict
from booking.domain.models import Booking
from booking.domain.ports import BookingQuery, IdempotencyRecord, LockCell, Page


def _utc_now() -> datetime:
    return datetime.now(UTC)


class DynamoBookingRepository:
    def __init__(
        self,
        table: DynamoTable,
        now: Callable[[], datetime] = _utc_now,
        lock_retention: timedelta = items.DEFAULT_LOCK_RETENTION,
    ) -> None:
        self._table = table
        self._now = now
        self.lock_retention = lock_retention

    # --- reads ----------------------------------------------------------------------

    def get(self, tenant_id: str, booking_id: str) -> Booking | None:
        item = self._table.get(items.booking_key(tenant_id, booking_id))
        return items.model_from_item(Booking, item) if item else None

    def get_idempotency(self, tenant_id: str, caller_id: str, key: str) -> IdempotencyRecord | None:
        item = self._table.get(items.idempotency_key(tenant_id, caller_id, key))
        if not item:
            return None
        record = items.idempotency_from_item(item)
        # TTL deletes lazily (often days later): an expired record is already gone.
        return record if record.expires_at > self._now() else None

    def list_live_for_professional(
        self, tenant_id: str, professional_id: str, start: datetime, end: datetime
    ) -> list[Booking]:
        """One Query on the professional's calendar, then the exact test on each
        booking's blocked range."""
        found = self._table.query_all(**professional_window(tenant_id, professional_id, start, end))
        bookings = [items.model_from_item(Booking, item) for item in found]
        return [
            booking
            for booking in bookings
            if booking.is_live and booking.blocked_start < end and booking.blocked_end > start
        ]

    def query(self, query: BookingQuery) -> Page[Booking]:
        """One Query per page, on the calendar index the filter narrows best."""
        page = page_request(query)
        found, last_key = self._table.query_page(**page.request)
        return Page(
            items=[items.model_from_item(Booking, item) for item in found],
            next_cursor=items.encode_cursor(page.index_name, last_key),
        )

    # --- writes ---------------------------------------------------------------------

    def create(self, booking: Booking, cells: list[LockCell], idempotency: IdempotencyRecord) -> None:
        """One TransactWriteItems: the booking, one Put per cell, the idempotency record."""
        now = self._now()
        actions: list[Action] = [(Part.BOOKING, put_new(self._table, items.booking_item(booking)))]
        actions += [self._take(cell, booking.id, now) for cell in cells]
        actions.append((Part.IDEMPOTENCY, put_idempotency(self._table, idempotency, now)))
        transact(self._table, actions, on_booking=lambda: Conflict(f"booking {booking.id} already exists"))

    def reschedule(
        self,
        current: Booking,
        updated: Booking,
        old_cells: list[LockCell],
        new_cells: list[LockCell],
        idempotency: IdempotencyRecord | None = None,
    ) -> None:
        """One transaction; cells shared by the old and new ranges are not touched, so a
        move overlapping its own old range neither conflicts with itself nor puts two
        actions on one item. The Idempotency-Key's record, if any, goes with it."""
        now = self._now()
        old = {items.lock_pk(cell): cell for cell in old_cells}
        new = {items.lock_pk(cell): cell for cell in new_cells}
        actions: list[Action] = [(Part.BOOKING, put_versioned(self._table, current, updated))]
        actions += self._releases([cell for pk, cell in old.items() if pk not in new], current.id, now)
        actions += [self._take(cell, current.id, now) for pk, cell in new.items() if pk not in old]
        if idempotency is not None:
            actions.append((Part.IDEMPOTENCY, put_idempotency(self._table, idempotency, now)))
        transact(self._table, actions, on_booking=lambda: moved(current))

    def release(self, current: Booking, updated: Booking, cells: list[LockCell]) -> None:
        """The booking's new state and the deletion of its cells, together."""
        actions: list[Action] = [(Part.BOOKING, put_versioned(self._table, current, updated))]
        actions += self._releases(cells, current.id, self._now())
        transact(self._table, actions, on_booking=lambda: moved(current))

    def _take(self, cell: LockCell, booking_id: str, now: datetime) -> Action:
        return Part.NEW_CELL, put_cell(self._table, cell, booking_id, self.lock_retention, now)

    def _releases(self, cells: list[LockCell], booking_id: str, now: datetime) -> list[Action]:
        """Deletions of the cells that still hold time; expired ones are TTL's (another
        booking may have taken one since, and its deletion would fail the release)."""
        return [
            (Part.OWN_CELL, delete_own(self._table, cell, booking_id))
            for cell in cells
            if items.lock_expires_at(cell, self.lock_retention) > now
        ]

    def update(self, current: Booking, updated: Booking) -> None:
        request = put_versioned(self._table, current, updated)["Put"]
        try:
            self._table.client.put_item(**request)
        except ClientError as error:
            if error.response.get("Error", {}).get("Code") == "ConditionalCheckFailedException":
                raise moved(current) from error
            raise
