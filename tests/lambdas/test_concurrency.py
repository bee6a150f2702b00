"""No overbooking under contention, on moto's threaded server (thread safe, unlike
``mock_aws`` in-process): many requests race for one time, exactly one wins, and the
lock cells are consistent afterwards."""

from __future__ import annotations

import threading
import uuid
from collections import Counter
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta
from functools import partial
from typing import Any

import pytest
from booking.adapters.dynamodb_bookings import DynamoBookingRepository
from booking.adapters.dynamodb_table import DynamoTable
from booking.adapters.integrity import check_integrity
from booking.domain.errors import SlotTaken
from booking.domain.models import Booking

from tests.aws import client_for, create_table, running_moto_server
from tests.lambdas.adapters.conftest import book, cells_of, make_booking
from tests.lambdas.adapters.test_dynamodb_bookings_changes import moved

NINE = datetime(2030, 3, 5, 9, 0, tzinfo=UTC)


@pytest.fixture(scope="module")
def endpoint() -> Iterator[str]:
    with running_moto_server() as url:
        yield url


@pytest.fixture
def table(endpoint: str) -> DynamoTable:
    client = client_for("dynamodb", endpoint)
    # A table per test: nothing another test (or a reset of moto's state) did leaks in.
    return DynamoTable(create_table(client, f"race-{uuid.uuid4().hex[:8]}"), client=client)


@pytest.fixture
def repository(table: DynamoTable) -> DynamoBookingRepository:
    return DynamoBookingRepository(table)


def race(attempts: list[Callable[[], Any]]) -> Counter[str]:
    """Run every attempt at once (a barrier releases them together); count outcomes."""
    barrier = threading.Barrier(len(attempts))

    def attempt(action: Callable[[], Any]) -> str:
        barrier.wait()
        try:
            action()
        except SlotTaken:
            return "slot taken"
        return "won"

    with ThreadPoolExecutor(max_workers=len(attempts)) as pool:
        return Counter(pool.map(attempt, attempts))


def test_fifty_overlapping_bookings_of_one_professional_give_exactly_one_winner(
    repository: DynamoBookingRepository, table: DynamoTable
) -> None:
    # Starts 0..25 minutes after nine, 30 minutes long: every pair shares 09:25-09:30.
    contenders = [
        make_booking(
            f"b{number:02d}", NINE + timedelta(minutes=5 * (number % 6)), 30, patient_id=f"p{number}"
        )
        for number in range(50)
    ]

    outcomes = race([partial(book, repository, booking) for booking in contenders])

    assert outcomes == Counter({"won": 1, "slot taken": 49})
    stored = [repository.get("t1", booking.id) for booking in contenders]
    assert sum(booking is not None for booking in stored) == 1
    report = check_integrity(table)
    assert report.ok, report.problems
    assert report.bookings_checked == 1


def test_twenty_concurrent_reschedules_into_one_free_slot_give_exactly_one_winner(
    repository: DynamoBookingRepository, table: DynamoTable
) -> None:
    originals: list[Booking] = [
        book(repository, make_booking(f"b{number:02d}", NINE + timedelta(minutes=30 * number), 30))
        for number in range(20)
    ]
    free_slot = NINE - timedelta(hours=1)

    def move(current: Booking) -> None:
        target = moved(current, free_slot)
        repository.reschedule(current, target, cells_of(current), cells_of(target))

    outcomes = race([partial(move, current) for current in originals])

    assert outcomes == Counter({"won": 1, "slot taken": 19})
    stored = [repository.get("t1", booking.id) for booking in originals]
    at_free_slot = [booking for booking in stored if booking is not None and booking.start == free_slot]
    assert len(at_free_slot) == 1
    unchanged = [booking for booking, original in zip(stored, originals, strict=True) if booking == original]
    assert len(unchanged) == 19
    report = check_integrity(table)
    assert report.ok, report.problems
    assert report.bookings_checked == 20
