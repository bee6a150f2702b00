"""In-memory fakes of every port in ``booking.domain.ports``.

They keep the contracts the real adapters keep (a booking, its lock cells and its
idempotency record are written all or nothing; versioned updates; strongly consistent
reads), so domain and handler tests exercise the same rules DynamoDB enforces.
A lock makes each write atomic, so the fakes are safe for threaded tests too.
"""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta
from itertools import count

from booking.domain.errors import (
    ConcurrentModification,
    IdempotencyRecordExists,
    SlotTaken,
)
from booking.domain.models import Booking
from booking.domain.ports import BookingQuery, IdempotencyRecord, LockCell, Page

# The fakes of the catalog, the context read and the users live beside this module and
# are re-exported: every port's fake is importable from here.
from tests.fake_catalog import FakeCatalogRepository, FakeContextReader
from tests.fake_people import FakeUserDirectory, FakeUserRepository, offset_of

__all__ = [
    "FakeBookingRepository",
    "FakeCatalogRepository",
    "FakeContextReader",
    "FakeUserDirectory",
    "FakeUserRepository",
    "FixedClock",
    "SequentialIds",
]


class FixedClock:
    """A clock that moves only when a test says so."""

    def __init__(self, now: datetime) -> None:
        self.current = now

    def now(self) -> datetime:
        return self.current

    def advance(self, **delta: float) -> None:
        self.current += timedelta(**delta)

    def sleep(self, seconds: float) -> None:
        """Waiting moves the clock on at once: code that waits is tested without sleeping."""
        self.advance(seconds=seconds)


class SequentialIds:
    def __init__(self, prefix: str = "id") -> None:
        self.prefix = prefix
        self._counter = count(1)
        self._lock = threading.Lock()

    def new_id(self) -> str:
        with self._lock:
            return f"{self.prefix}{next(self._counter):06d}"


CellKey = tuple[str, str, datetime]


def _utc(instant: datetime) -> datetime:
    return instant.astimezone(UTC)


def _key(cell: LockCell) -> CellKey:
    return (cell.tenant_id, cell.professional_id, cell.start)


class FakeBookingRepository:
    def __init__(self) -> None:
        self.bookings: dict[tuple[str, str], Booking] = {}
        self.cells: dict[CellKey, str] = {}  # cell -> id of the booking holding it
        self.idempotency: dict[tuple[str, str, str], IdempotencyRecord] = {}
        self.transactions = 0
        self._lock = threading.Lock()

    def _check_idempotency(self, record: IdempotencyRecord | None, now: datetime) -> None:
        if record is None:
            return
        existing = self.idempotency.get((record.tenant_id, record.caller_id, record.key))
        # Like the table's condition: an expired record (TTL deletes lazily) is absent.
        if existing is not None and _utc(existing.expires_at) > _utc(now):
            raise IdempotencyRecordExists(record.key)

    def _keep(self, record: IdempotencyRecord | None) -> None:
        if record is not None:
            self.idempotency[(record.tenant_id, record.caller_id, record.key)] = record

    def create(self, booking: Booking, cells: list[LockCell], idempotency: IdempotencyRecord) -> None:
        with self._lock:
            self._check_idempotency(idempotency, booking.created_at)
            if any(_key(cell) in self.cells for cell in cells):
                raise SlotTaken("the time is already booked")
            self.transactions += 1
            self._keep(idempotency)
            self.bookings[(booking.tenant_id, booking.id)] = booking
            for cell in cells:
                self.cells[_key(cell)] = booking.id

    def get_idempotency(self, tenant_id: str, caller_id: str, key: str) -> IdempotencyRecord | None:
        return self.idempotency.get((tenant_id, caller_id, key))

    def get(self, tenant_id: str, booking_id: str) -> Booking | None:
        return self.bookings.get((tenant_id, booking_id))

    def _check_version(self, current: Booking) -> None:
        stored = self.bookings.get((current.tenant_id, current.id))
        if stored is None or stored.version != current.version:
            raise ConcurrentModification("the booking changed meanwhile")

    def reschedule(
        self,
        current: Booking,
        updated: Booking,
        old_cells: list[LockCell],
        new_cells: list[LockCell],
        idempotency: IdempotencyRecord | None = None,
    ) -> None:
        with self._lock:
            self._check_idempotency(idempotency, updated.updated_at)
            self._check_version(current)
            old = {_key(cell) for cell in old_cells}
            new = {_key(cell) for cell in new_cells}
            if any(key in self.cells for key in new - old):
                raise SlotTaken("the time is already booked")
            self.transactions += 1
            self._keep(idempotency)
            for key in old - new:
                del self.cells[key]
            for key in new - old:
                self.cells[key] = updated.id
            self.bookings[(updated.tenant_id, updated.id)] = updated

    def release(self, current: Booking, updated: Booking, cells: list[LockCell]) -> None:
        with self._lock:
            self._check_version(current)
            self.transactions += 1
            for cell in cells:
                self.cells.pop(_key(cell), None)
            self.bookings[(updated.tenant_id, updated.id)] = updated

    def update(self, current: Booking, updated: Booking) -> None:
        with self._lock:
            self._check_version(current)
            self.transactions += 1
            self.bookings[(updated.tenant_id, updated.id)] = updated

    def list_live_for_professional(
        self, tenant_id: str, professional_id: str, start: datetime, end: datetime
    ) -> list[Booking]:
        return sorted(
            (
                booking
                for booking in self.bookings.values()
                if booking.tenant_id == tenant_id
                and booking.professional_id == professional_id
                and booking.is_live
                and booking.blocked_start.astimezone(UTC) < end.astimezone(UTC)
                and start.astimezone(UTC) < booking.blocked_end.astimezone(UTC)
            ),
            key=lambda booking: _utc(booking.start),
        )

    def query(self, query: BookingQuery) -> Page[Booking]:
        matches = sorted(
            (
                booking
                for booking in self.bookings.values()
                if booking.tenant_id == query.tenant_id
                and (query.start_from is None or _utc(booking.start) >= _utc(query.start_from))
                and (query.start_to is None or _utc(booking.start) < _utc(query.start_to))
                and (query.professional_id is None or booking.professional_id == query.professional_id)
                and (query.patient_id is None or booking.patient_id == query.patient_id)
                and (not query.statuses or booking.status in query.statuses)
            ),
            key=lambda booking: (_utc(booking.start), booking.id),
        )
        offset = offset_of(query.cursor)
        page = matches[offset : offset + query.limit]
        more = offset + query.limit < len(matches)
        return Page(items=page, next_cursor=str(offset + query.limit) if more else None)

    def integrity_problems(self) -> list[str]:
        """Every live booking holds exactly its cells; no cell without a live booking."""
        from booking.domain.cells import cells_for

        problems = []
        expected: dict[CellKey, str] = {}
        for booking in self.bookings.values():
            if booking.is_live:  # cancelling, completing or a no-show frees the time
                for cell in cells_for(
                    booking.tenant_id, booking.professional_id, booking.blocked_start, booking.blocked_end
                ):
                    if _key(cell) in expected:
                        problems.append(f"{booking.id} and {expected[_key(cell)]} share {_key(cell)}")
                    expected[_key(cell)] = booking.id
        for key, holder in self.cells.items():
            if expected.get(key) != holder:
                problems.append(f"cell {key} held by {holder}, expected {expected.get(key)}")
        problems += [
            f"cell {key} missing for {holder}" for key, holder in expected.items() if key not in self.cells
        ]
        return problems
