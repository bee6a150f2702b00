"""Random histories of creates, reschedules and releases keep the table consistent,
and the DynamoDB repository answers every step exactly as the in-memory fake does."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

from booking.adapters.dynamodb_bookings import DynamoBookingRepository
from booking.adapters.dynamodb_table import DynamoTable
from booking.adapters.integrity import check_integrity
from booking.domain.errors import ConcurrentModification, IdempotencyRecordExists, SlotTaken
from booking.domain.models import Booking, BookingStatus
from booking.domain.ports import BookingRepository
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.aws import create_table
from tests.fakes import FakeBookingRepository
from tests.lambdas.adapters.conftest import NOW, cells_of, idempotency_for, make_booking
from tests.lambdas.adapters.test_dynamodb_bookings_changes import moved

NINE = datetime(2030, 3, 5, 9, 0, tzinfo=UTC)
EXPECTED_ERRORS = (SlotTaken, IdempotencyRecordExists, ConcurrentModification)

# (operation, booking number, start in 5-minute cells after nine, length in cells, professional)
steps = st.lists(
    st.tuples(
        st.sampled_from(["create", "reschedule", "cancel"]),
        st.integers(0, 5),
        st.integers(0, 24),
        st.integers(1, 8),
        st.sampled_from(["pro-1", "pro-2"]),
    ),
    min_size=1,
    max_size=12,
)


def apply(repository: BookingRepository, step: tuple[str, int, int, int, str]) -> str:
    """Run one step; the outcome's name (success or the domain error raised)."""
    operation, number, offset, length, professional = step
    booking_id = f"b{number}"
    start = NINE + timedelta(minutes=5 * offset)
    current = repository.get("t1", booking_id)
    try:
        if operation == "create":
            booking = make_booking(booking_id, start, 5 * length, professional_id=professional)
            repository.create(booking, cells_of(booking), idempotency_for(booking))
        elif current is None or not current.is_live:
            return "skipped"
        elif operation == "reschedule":
            target = _resized(moved(current, start, professional), length)
            repository.reschedule(current, target, cells_of(current), cells_of(target))
        else:
            cancelled = current.model_copy(
                update={"status": BookingStatus.CANCELLED, "version": current.version + 1}
            )
            repository.release(current, cancelled, cells_of(current))
    except EXPECTED_ERRORS as error:
        return type(error).__name__
    return "ok"


def _resized(booking: Booking, length: int) -> Booking:
    end = booking.start + timedelta(minutes=5 * length)
    return booking.model_copy(update={"end": end, "blocked_end": end})


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(history=steps)
def test_any_history_leaves_exactly_the_live_bookings_holding_their_cells(
    history: list[tuple[str, int, int, int, str]], dynamodb: Any
) -> None:
    # A fresh table per example, in the test's one moto.
    table = DynamoTable(create_table(dynamodb, f"history-{uuid.uuid4().hex[:8]}"), client=dynamodb)
    dynamo = DynamoBookingRepository(table, now=lambda: NOW)
    fake = FakeBookingRepository()

    for step in history:
        assert apply(dynamo, step) == apply(fake, step), step

    report = check_integrity(table)
    assert report.ok, report.problems
    for number in range(6):
        assert dynamo.get("t1", f"b{number}") == fake.get("t1", f"b{number}")
    assert report.locks_checked == len(fake.cells)
    assert report.bookings_checked == len(fake.bookings)
    dynamodb.delete_table(TableName=table.name)
