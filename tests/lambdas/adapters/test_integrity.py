"""The integrity check finds every missing, foreign and orphaned lock cell."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from booking.adapters import dynamodb_items as items
from booking.adapters.dynamodb_bookings import DynamoBookingRepository
from booking.adapters.dynamodb_table import DynamoTable
from booking.adapters.integrity import check_integrity
from booking.domain.models import BookingStatus

from bookingctl.cli import main
from tests.aws import TABLE_NAME
from tests.lambdas.adapters.conftest import book, cells_of, make_booking
from tests.lambdas.adapters.test_dynamodb_bookings_changes import moved

NINE = datetime(2030, 3, 5, 9, 0, tzinfo=UTC)


def test_a_table_written_only_through_the_repository_is_consistent(
    bookings: DynamoBookingRepository, table: DynamoTable
) -> None:
    first = book(bookings, make_booking("b1", NINE, 30, after=10))
    book(bookings, make_booking("b2", NINE + timedelta(hours=1), 30))
    third = book(bookings, make_booking("b3", NINE + timedelta(hours=2), 30))
    later = moved(first, NINE + timedelta(minutes=10))
    bookings.reschedule(first, later, cells_of(first), cells_of(later))
    bookings.release(third, third.model_copy(update={"status": BookingStatus.CANCELLED}), cells_of(third))

    report = check_integrity(table)

    assert report.ok, report.problems
    assert report.bookings_checked == 3
    assert report.locks_checked == 8 + 6


def test_a_missing_lock_of_a_live_booking_is_reported(
    bookings: DynamoBookingRepository, table: DynamoTable, dynamodb: Any
) -> None:
    booking = book(bookings, make_booking("b1", NINE, 30))
    dynamodb.delete_item(TableName=TABLE_NAME, Key=items.lock_key(cells_of(booking)[2]))

    report = check_integrity(table)

    assert not report.ok
    assert len(report.problems) == 1
    assert "missing lock" in report.problems[0]
    assert "b1" in report.problems[0]


def test_orphaned_foreign_and_stray_locks_are_reported(
    bookings: DynamoBookingRepository, table: DynamoTable, dynamodb: Any
) -> None:
    booking = book(bookings, make_booking("b1", NINE, 30))
    cancelled = book(bookings, make_booking("b2", NINE + timedelta(hours=1), 30))
    # Cancelled without releasing its cells: its time is lost to everyone.
    bookings.update(cancelled, cancelled.model_copy(update={"status": BookingStatus.CANCELLED}))
    # A lock naming a booking that never existed.
    ghost = make_booking("ghost", NINE + timedelta(hours=3), 5)
    dynamodb.put_item(TableName=TABLE_NAME, Item=items.lock_item(cells_of(ghost)[0], "ghost"))
    # A lock of b1 outside its range, and one of its cells handed to another booking.
    stray = make_booking("b1", NINE + timedelta(hours=4), 5)
    dynamodb.put_item(TableName=TABLE_NAME, Item=items.lock_item(cells_of(stray)[0], "b1"))
    dynamodb.put_item(TableName=TABLE_NAME, Item=items.lock_item(cells_of(booking)[0], "b2"))

    problems = check_integrity(table).problems

    assert any("does not exist" in problem and "ghost" in problem for problem in problems)
    assert sum("held by cancelled booking t1/b2" in problem for problem in problems) == 7
    assert any("outside the blocked range of booking t1/b1" in problem for problem in problems)
    assert any("needs lock" in problem and "held by b2" in problem for problem in problems)


def test_a_closed_booking_still_holding_cells_is_reported_and_a_released_one_is_not(
    bookings: DynamoBookingRepository, table: DynamoTable
) -> None:
    kept = book(bookings, make_booking("b1", NINE, 30))
    released = book(bookings, make_booking("b2", NINE + timedelta(hours=1), 30))
    bookings.update(kept, kept.model_copy(update={"status": BookingStatus.COMPLETED}))
    bookings.release(
        released, released.model_copy(update={"status": BookingStatus.NO_SHOW}), cells_of(released)
    )

    problems = check_integrity(table).problems

    assert len(problems) == 6
    assert all("held by completed booking t1/b1" in problem for problem in problems)


def test_the_cli_exits_zero_when_consistent_and_one_on_any_problem(
    bookings: DynamoBookingRepository, dynamodb: Any, capsys: pytest.CaptureFixture[str]
) -> None:
    booking = book(bookings, make_booking("b1", NINE, 30))

    assert main(["integrity", "--table", TABLE_NAME]) == 0
    assert "checked 1 bookings and 6 locks: OK" in capsys.readouterr().out

    dynamodb.delete_item(TableName=TABLE_NAME, Key=items.lock_key(cells_of(booking)[0]))

    assert main(["integrity", "--table", TABLE_NAME]) == 1
    output = capsys.readouterr().out
    assert "PROBLEM booking t1/b1" in output
    assert "1 problem(s)" in output
