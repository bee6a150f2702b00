"""Lock cells: the unit of exclusivity in a professional's calendar.

A booking blocks ``[blocked_start, blocked_end)``; it owns one lock item per
``LOCK_CELL_MINUTES`` cell in that range, written conditionally in the same transaction
as the booking. Two bookings overlap exactly when they share a cell, because every
boundary falls on the cell grid (see ``models.LOCK_CELL_MINUTES``).
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from booking.domain.errors import InvalidValue
from booking.domain.models import LOCK_CELL_MINUTES
from booking.domain.ports import LockCell

CELL = timedelta(minutes=LOCK_CELL_MINUTES)


def cells_for(tenant_id: str, professional_id: str, start: datetime, end: datetime) -> list[LockCell]:
    """The cells covering ``[start, end)``, keyed by their UTC start."""
    start_utc, end_utc = start.astimezone(UTC), end.astimezone(UTC)
    if end_utc <= start_utc:
        raise InvalidValue("a blocked range must end after it starts")
    if start_utc.timestamp() % CELL.total_seconds() or end_utc.timestamp() % CELL.total_seconds():
        raise InvalidValue(f"blocked ranges must fall on {LOCK_CELL_MINUTES}-minute boundaries")
    cells = []
    cursor = start_utc
    while cursor < end_utc:
        cells.append(LockCell(tenant_id, professional_id, cursor))
        cursor += CELL
    return cells
