"""Reschedule, release and versioned updates keep the lock cells exactly right."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from booking.adapters.dynamodb_bookings import DynamoBookingRepository
from booking.domain.errors import ConcurrentModification, IdempotencyRecordExists, SlotTaken
from booking.domain.models import Booking, BookingStatus
from botocore.exceptions import ClientError

from tests.lambdas.adapters.conftest import NOW, book, cells_of, idempotency_for, make_booking
from tests.lambdas.adapters.test_dynamodb_bookings_create import all_items, lock_owners

NINE = datetime(2030, 3, 5, 9, 0, tzinfo=UTC)


def moved(booking: Booking, start: datetime, professional_id: str | None = None) -> Booking:
    shift = start - booking.start
    return booking.model_copy(
        update={
            "start": start,
            "end": booking.end + shift,
            "blocked_start": booking.blocked_start + shift,
            "blocked_end": booking.blocked_end + shift,
            "professional_id": professional_id or booking.professional_id,
            "version": booking.version + 1,
            "updated_at": NOW + timedelta(minutes=1),
        }
    )


def reschedule(repository: DynamoBookingRepository, current: Booking, updated: Booking) -> Booking:
    repository.reschedule(current, updated, cells_of(current), cells_of(updated))
    stored = repository.get(current.tenant_id, current.id)
    assert stored is not None
    return stored


def owned_by(dynamodb: Any, booking_id: str) -> int:
    return sum(1 for owner in lock_owners(dynamodb).values() if owner == booking_id)


def test_a_reschedule_overlapping_its_own_old_range_succeeds(
    bookings: DynamoBookingRepository, dynamodb: Any
) -> None:
    current = book(bookings, make_booking("b1", NINE, 60))

    stored = reschedule(bookings, current, moved(current, NINE + timedelta(minutes=15)))

    assert stored.start == NINE + timedelta(minutes=15)
    assert stored.version == 2
    assert owned_by(dynamodb, "b1") == 12
    # The time it left is free again; the time it moved into is taken.
    book(bookings, make_booking("b2", NINE, 15))
    with pytest.raises(SlotTaken):
        book(bookings, make_booking("b3", NINE + timedelta(minutes=70), 5))


def test_a_reschedule_writes_its_idempotency_record_and_a_second_with_the_key_is_refused_whole(
    bookings: DynamoBookingRepository, dynamodb: Any
) -> None:
    current = book(bookings, make_booking("b1", NINE, 30))
    first = moved(current, NINE + timedelta(hours=1))
    bookings.reschedule(current, first, cells_of(current), cells_of(first), idempotency_for(first, "move-1"))
    second = moved(first, NINE + timedelta(hours=2))

    with pytest.raises(IdempotencyRecordExists):
        bookings.reschedule(
            first, second, cells_of(first), cells_of(second), idempotency_for(second, "move-1")
        )

    assert bookings.get_idempotency("t1", current.created_by, "move-1") == idempotency_for(first, "move-1")
    assert bookings.get("t1", "b1") == first
    assert owned_by(dynamodb, "b1") == len(cells_of(first))


def test_a_reschedule_into_a_taken_range_fails_and_changes_nothing(
    bookings: DynamoBookingRepository, dynamodb: Any
) -> None:
    current = book(bookings, make_booking("b1", NINE, 30))
    book(bookings, make_booking("b2", NINE + timedelta(hours=1), 30))
    before = sorted(map(str, all_items(dynamodb)))

    with pytest.raises(SlotTaken):
        bookings.reschedule(
            current,
            moved(current, NINE + timedelta(minutes=45)),
            cells_of(current),
            cells_of(moved(current, NINE + timedelta(minutes=45))),
        )

    assert sorted(map(str, all_items(dynamodb))) == before
    assert bookings.get("t1", "b1") == current


def test_a_reschedule_to_another_professional_moves_every_cell(
    bookings: DynamoBookingRepository, dynamodb: Any
) -> None:
    current = book(bookings, make_booking("b1", NINE, 240))

    stored = reschedule(bookings, current, moved(current, NINE + timedelta(hours=2), professional_id="pro-2"))

    assert stored.professional_id == "pro-2"
    assert owned_by(dynamodb, "b1") == 48
    assert all("#pro-2#" in pk for pk, owner in lock_owners(dynamodb).items() if owner == "b1")
    book(bookings, make_booking("b2", NINE, 240))  # pro-1's morning is free again


def test_a_reschedule_from_a_stale_read_is_a_concurrent_modification(
    bookings: DynamoBookingRepository,
) -> None:
    current = book(bookings, make_booking("b1", NINE, 30))
    reschedule(bookings, current, moved(current, NINE + timedelta(hours=1)))

    with pytest.raises(ConcurrentModification):
        bookings.reschedule(
            current,
            moved(current, NINE + timedelta(hours=3)),
            cells_of(current),
            cells_of(moved(current, NINE + timedelta(hours=3))),
        )

    stored = bookings.get("t1", "b1")
    assert stored is not None
    assert stored.start == NINE + timedelta(hours=1)


def test_a_release_cancels_and_frees_the_cells_at_once(
    bookings: DynamoBookingRepository, dynamodb: Any
) -> None:
    current = book(bookings, make_booking("b1", NINE, 30, before=5, after=5))
    cancelled = current.model_copy(
        update={"status": BookingStatus.CANCELLED, "cancellation_reason": "ill", "version": 2}
    )

    bookings.release(current, cancelled, cells_of(current))

    stored = bookings.get("t1", "b1")
    assert stored is not None
    assert stored.status is BookingStatus.CANCELLED
    assert stored.cancellation_reason == "ill"
    assert owned_by(dynamodb, "b1") == 0
    book(bookings, make_booking("b2", NINE - timedelta(minutes=5), 40))


def test_a_release_does_not_delete_cells_another_booking_holds(bookings: DynamoBookingRepository) -> None:
    first = book(bookings, make_booking("b1", NINE, 30))
    other = book(bookings, make_booking("b2", NINE + timedelta(minutes=30), 30))
    cancelled = first.model_copy(update={"status": BookingStatus.CANCELLED})

    # A caller that (wrongly) names a neighbour's cells is refused, atomically.
    with pytest.raises(ConcurrentModification):
        bookings.release(first, cancelled, cells_of(first) + cells_of(other))

    assert bookings.get("t1", "b1") == first
    with pytest.raises(SlotTaken):
        book(bookings, make_booking("b3", NINE + timedelta(minutes=30), 5))


def test_update_is_versioned_and_keeps_the_cells(bookings: DynamoBookingRepository, dynamodb: Any) -> None:
    current = book(bookings, make_booking("b1", NINE, 30))
    completed = current.model_copy(update={"status": BookingStatus.COMPLETED})

    bookings.update(current, completed)

    stored = bookings.get("t1", "b1")
    assert stored is not None
    assert stored.status is BookingStatus.COMPLETED
    assert stored.version == 2
    assert owned_by(dynamodb, "b1") == 6
    with pytest.raises(ConcurrentModification):
        bookings.update(current, current.model_copy(update={"status": BookingStatus.NO_SHOW}))


def cancellation(*codes: str) -> ClientError:
    return ClientError(
        {
            "Error": {"Code": "TransactionCanceledException", "Message": "cancelled"},
            "CancellationReasons": [{"Code": code} for code in codes],
        },
        "TransactWriteItems",
    )


@pytest.mark.parametrize(
    ("codes", "expected"),
    [
        (("None", "ConditionalCheckFailed", "None", "None"), SlotTaken),
        (("None", "TransactionConflict", "None", "None"), SlotTaken),
        (("None", "ConditionalCheckFailed", "None", "ConditionalCheckFailed"), IdempotencyRecordExists),
        (("None", "None", "None", "TransactionConflict"), SlotTaken),
        (("TransactionConflict", "None", "None", "None"), ConcurrentModification),
    ],
)
def test_cancellation_reasons_of_a_create_become_domain_errors(
    bookings: DynamoBookingRepository, monkeypatch: pytest.MonkeyPatch, codes: tuple[str, ...], expected: type
) -> None:
    booking = make_booking("b1", NINE, 10)

    def cancelled(**_: Any) -> None:
        raise cancellation(*codes)

    monkeypatch.setattr(bookings._table.client, "transact_write_items", cancelled)

    with pytest.raises(expected):
        book(bookings, booking)


def test_throttling_is_not_disguised_as_a_conflict(
    bookings: DynamoBookingRepository, monkeypatch: pytest.MonkeyPatch
) -> None:
    def cancelled(**_: Any) -> None:
        raise cancellation("ThrottlingError", "None", "None", "None")

    monkeypatch.setattr(bookings._table.client, "transact_write_items", cancelled)

    with pytest.raises(ClientError):
        book(bookings, make_booking("b1", NINE, 10))
