"""Lock cells expire through the table's TTL after their time: the table keeps one item
per ended booking, and a cell that has expired but is still there (TTL deletes lazily,
moto never) neither blocks a booking nor breaks a release or the integrity check."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from booking.adapters import dynamodb_items as items
from booking.adapters import table_design
from booking.adapters.dynamodb_bookings import DynamoBookingRepository
from booking.adapters.dynamodb_table import DynamoTable
from booking.adapters.integrity import check_integrity
from booking.domain.cells import CELL
from booking.domain.errors import SlotTaken
from booking.domain.models import BookingStatus

from bookingctl.cli import main
from tests.aws import TABLE_NAME
from tests.lambdas.adapters.conftest import book, cells_of, make_booking
from tests.lambdas.adapters.test_dynamodb_bookings_changes import moved

NINE = datetime(2030, 3, 5, 9, 0, tzinfo=UTC)
RETENTION = timedelta(days=3)
# When every cell of a 09:00 booking has expired, and a little more.
LATER = NINE + timedelta(hours=2) + RETENTION


def at(table: DynamoTable, now: datetime) -> DynamoBookingRepository:
    return DynamoBookingRepository(table, now=lambda: now, lock_retention=RETENTION)


def stored_locks(dynamodb: Any) -> list[dict[str, Any]]:
    found = dynamodb.scan(TableName=TABLE_NAME)["Items"]
    return [item for item in found if item[items.ENTITY]["S"] == "lock"]


def test_each_cell_expires_the_retention_after_its_own_time(table: DynamoTable, dynamodb: Any) -> None:
    booking = book(at(table, NINE - timedelta(days=1)), make_booking("b1", NINE, 30, after=10))

    expiries = sorted(items.expires_at(item) for item in stored_locks(dynamodb))

    assert expiries == [cell.start + CELL + RETENTION for cell in cells_of(booking)]


def test_the_default_retention_is_the_table_designs(table: DynamoTable, dynamodb: Any) -> None:
    book(DynamoBookingRepository(table), make_booking("b1", NINE, 5))

    (lock,) = stored_locks(dynamodb)

    assert items.expires_at(lock) == NINE + CELL + timedelta(days=table_design.LOCK_RETENTION_DAYS)


def test_an_expired_cell_still_present_does_not_block_a_booking(table: DynamoTable, dynamodb: Any) -> None:
    book(at(table, NINE - timedelta(days=1)), make_booking("old", NINE, 30))

    # Booked straight at the repository: the service never books the past, but the
    # cell must be free either way once it has expired.
    book(at(table, LATER), make_booking("new", NINE, 30))

    assert {item["bookingId"]["S"] for item in stored_locks(dynamodb)} == {"new"}


def test_a_cell_still_blocks_until_it_expires(table: DynamoTable) -> None:
    book(at(table, NINE - timedelta(days=1)), make_booking("old", NINE, 30))

    with pytest.raises(SlotTaken):
        book(at(table, NINE + RETENTION), make_booking("new", NINE, 30))


def test_releasing_a_booking_whose_cells_expired_leaves_them_to_ttl_even_if_taken_since(
    table: DynamoTable, dynamodb: Any
) -> None:
    old = book(at(table, NINE - timedelta(days=1)), make_booking("old", NINE, 30))
    book(at(table, LATER), make_booking("new", NINE, 30))  # took every expired cell of old's

    at(table, LATER).release(old, old.model_copy(update={"status": BookingStatus.COMPLETED}), cells_of(old))

    assert {item["bookingId"]["S"] for item in stored_locks(dynamodb)} == {"new"}


def test_a_cancel_before_expiry_still_deletes_the_cells(table: DynamoTable, dynamodb: Any) -> None:
    booking = book(at(table, NINE - timedelta(days=1)), make_booking("b1", NINE, 30))

    at(table, NINE - timedelta(hours=1)).release(
        booking, booking.model_copy(update={"status": BookingStatus.CANCELLED}), cells_of(booking)
    )

    assert stored_locks(dynamodb) == []


def test_rescheduling_an_ended_booking_takes_new_cells_and_leaves_the_expired_ones(
    table: DynamoTable, dynamodb: Any
) -> None:
    first = book(at(table, NINE - timedelta(days=1)), make_booking("b1", NINE, 30))
    later = moved(first, LATER + timedelta(days=1))

    at(table, LATER).reschedule(first, later, cells_of(first), cells_of(later))

    starts = {item["cellStart"]["S"] for item in stored_locks(dynamodb)}
    assert {items.utc_key(cell.start) for cell in cells_of(later)} <= starts
    assert check_integrity(table, now=LATER, lock_retention=RETENTION).ok


def test_integrity_counts_expired_cells_and_does_not_require_them(table: DynamoTable, dynamodb: Any) -> None:
    ended = book(at(table, NINE - timedelta(days=1)), make_booking("ended", NINE, 30))
    closed = book(at(table, NINE - timedelta(days=1)), make_booking("closed", NINE + timedelta(hours=1), 30))
    # Closed without releasing (as TTL would find it): its expired cells hold no time.
    at(table, NINE).update(closed, closed.model_copy(update={"status": BookingStatus.COMPLETED}))
    # TTL got round to some of the live, ended booking's cells and not to the others.
    for cell in cells_of(ended)[:3]:
        dynamodb.delete_item(TableName=TABLE_NAME, Key=items.lock_key(cell))

    as_then = check_integrity(table, now=NINE + timedelta(hours=3), lock_retention=RETENTION)
    as_now = check_integrity(table, now=LATER + timedelta(hours=1), lock_retention=RETENTION)

    assert not as_then.ok  # within the retention the cells must still be there
    assert any("is missing lock" in problem and "ended" in problem for problem in as_then.problems)
    assert any("held by completed booking" in problem for problem in as_then.problems)
    assert as_now.ok, as_now.problems
    assert (as_now.expired_locks, as_now.locks_checked) == (3 + 6, 0)


def test_a_cell_that_expires_before_its_time_has_passed_is_a_problem(
    table: DynamoTable, dynamodb: Any
) -> None:
    booking = book(at(table, NINE - timedelta(days=1)), make_booking("b1", NINE, 30))
    early = items.lock_item(cells_of(booking)[0], "b1", retention=-timedelta(hours=1))
    dynamodb.put_item(TableName=TABLE_NAME, Item=early)

    problems = check_integrity(table, now=NINE - timedelta(days=1), lock_retention=RETENTION).problems

    assert len(problems) == 1
    assert "before its time has passed" in problems[0]


def test_the_cli_says_how_many_cells_await_ttl(
    table: DynamoTable, dynamodb: Any, capsys: pytest.CaptureFixture[str]
) -> None:
    booking = make_booking("b1", datetime(2020, 3, 5, 9, 0, tzinfo=UTC), 30)  # long past
    book(at(table, booking.start - timedelta(days=1)), booking)

    assert main(["integrity", "--table", TABLE_NAME, "--lock-retention-days", "3"]) == 0
    assert "checked 1 bookings and 0 locks (6 expired, awaiting TTL deletion): OK" in capsys.readouterr().out
