"""The in-memory fake the domain tests run on and the DynamoDB adapter agree.

Every scenario runs against both, so a domain test passing on the fake says something
about production."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from booking.domain.errors import ConcurrentModification, IdempotencyRecordExists, SlotTaken
from booking.domain.models import BookingStatus
from booking.domain.ports import BookingQuery, BookingRepository

from tests.fakes import FakeBookingRepository
from tests.lambdas.adapters.conftest import book, cells_of, idempotency_for, make_booking
from tests.lambdas.adapters.test_dynamodb_bookings_changes import moved

NINE = datetime(2030, 3, 5, 9, 0, tzinfo=UTC)


@pytest.fixture(params=["fake", "dynamodb"])
def repository(request: pytest.FixtureRequest) -> Any:
    if request.param == "fake":
        return FakeBookingRepository()
    return request.getfixturevalue("bookings")


def test_overlap_is_slot_taken_and_adjacency_is_not(repository: BookingRepository) -> None:
    book(repository, make_booking("b1", NINE, 30, after=10))

    with pytest.raises(SlotTaken):
        book(repository, make_booking("b2", NINE + timedelta(minutes=35), 30))
    book(repository, make_booking("b3", NINE + timedelta(minutes=40), 30))

    assert repository.get("t1", "b2") is None
    assert repository.get("t1", "b3") is not None


def test_an_existing_idempotency_record_wins_over_a_slot_conflict(repository: BookingRepository) -> None:
    book(repository, make_booking("b1", NINE, 30), key="k")

    with pytest.raises(IdempotencyRecordExists):
        book(repository, make_booking("b2", NINE, 30), key="k")


def test_a_reschedule_over_its_own_range_then_into_a_taken_one(repository: BookingRepository) -> None:
    current = book(repository, make_booking("b1", NINE, 60))
    book(repository, make_booking("b2", NINE + timedelta(hours=2), 30))
    later = moved(current, NINE + timedelta(minutes=30))

    repository.reschedule(current, later, cells_of(current), cells_of(later))
    stored = repository.get("t1", "b1")
    assert stored is not None
    assert stored.start == later.start
    assert stored.version == 2

    clash = moved(stored, NINE + timedelta(hours=1, minutes=45))
    with pytest.raises(SlotTaken):
        repository.reschedule(stored, clash, cells_of(stored), cells_of(clash))
    with pytest.raises(ConcurrentModification):
        repository.reschedule(current, moved(current, NINE + timedelta(hours=5)), cells_of(current), [])
    assert repository.get("t1", "b1") == stored


def test_release_frees_the_time_and_lists_forget_the_booking(repository: BookingRepository) -> None:
    current = book(repository, make_booking("b1", NINE, 30))
    cancelled = current.model_copy(update={"status": BookingStatus.CANCELLED, "version": 2})

    repository.release(current, cancelled, cells_of(current))

    assert repository.list_live_for_professional("t1", "pro-1", NINE, NINE + timedelta(hours=1)) == []
    book(repository, make_booking("b2", NINE, 30))
    statuses = [b.status for b in repository.query(BookingQuery(tenant_id="t1")).items]
    assert sorted(statuses) == [BookingStatus.CANCELLED, BookingStatus.CONFIRMED]


def test_queries_page_in_start_order_with_the_same_filters(repository: BookingRepository) -> None:
    for number in range(5):
        book(
            repository,
            make_booking(f"b{number}", NINE + timedelta(hours=number), 30, patient_id=f"p{number % 2}"),
        )
    seen: list[str] = []
    cursor = None
    while True:
        page = repository.query(BookingQuery(tenant_id="t1", patient_id="p0", limit=2, cursor=cursor))
        seen += [booking.id for booking in page.items]
        cursor = page.next_cursor
        if cursor is None:
            break

    assert seen == ["b0", "b2", "b4"]
    window = repository.query(
        BookingQuery(tenant_id="t1", start_from=NINE + timedelta(hours=1), start_to=NINE + timedelta(hours=3))
    )
    assert [booking.id for booking in window.items] == ["b1", "b2"]


def test_the_idempotency_record_reads_back(repository: BookingRepository) -> None:
    booking = book(repository, make_booking("b1", NINE, 30), key="k")

    assert repository.get_idempotency("t1", booking.created_by, "k") == idempotency_for(booking, "k")
    assert repository.get_idempotency("t1", "someone-else", "k") is None
