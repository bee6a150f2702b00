"""Creating a booking writes it, its lock cells and its idempotency record atomically."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from booking.adapters import dynamodb_items as items
from booking.adapters.dynamodb_bookings import DynamoBookingRepository
from booking.domain.errors import IdempotencyRecordExists, SlotTaken

from tests.aws import TABLE_NAME
from tests.lambdas.adapters.conftest import NOW, book, cells_of, idempotency_for, make_booking

NINE = datetime(2030, 3, 5, 9, 0, tzinfo=UTC)


def all_items(dynamodb: Any) -> list[dict[str, Any]]:
    """Every item of the table (a test may scan; handlers never do)."""
    found: list[dict[str, Any]] = dynamodb.scan(TableName=TABLE_NAME, ConsistentRead=True)["Items"]
    return found


def lock_owners(dynamodb: Any) -> dict[str, str]:
    return {
        item["pk"]["S"]: item["bookingId"]["S"]
        for item in all_items(dynamodb)
        if item["entity"]["S"] == "lock"
    }


def test_a_created_booking_reads_back_equal(bookings: DynamoBookingRepository) -> None:
    booking = book(bookings, make_booking("b1", NINE, 30).model_copy(update={"notes": "first visit"}))

    assert bookings.get("t1", "b1") == booking
    assert bookings.get("t2", "b1") is None
    assert bookings.get("t1", "missing") is None


def test_a_booking_holds_one_lock_cell_per_five_minutes_of_its_blocked_range(
    bookings: DynamoBookingRepository, dynamodb: Any
) -> None:
    book(bookings, make_booking("b1", NINE, 30, before=5, after=10))

    owners = lock_owners(dynamodb)

    assert len(owners) == 9
    assert set(owners.values()) == {"b1"}
    assert items.lock_pk(cells_of(make_booking("b1", NINE, 30, before=5, after=10))[0]) in owners


def test_an_overlapping_booking_of_the_same_professional_is_slot_taken_and_writes_nothing(
    bookings: DynamoBookingRepository, dynamodb: Any
) -> None:
    book(bookings, make_booking("b1", NINE, 30))
    before = all_items(dynamodb)

    with pytest.raises(SlotTaken) as raised:
        book(bookings, make_booking("b2", NINE + timedelta(minutes=25), 30))

    assert raised.value.status == 409
    assert raised.value.code == "SLOT_TAKEN"
    assert sorted(map(str, all_items(dynamodb))) == sorted(map(str, before))
    assert bookings.get("t1", "b2") is None


def test_buffers_count_as_taken_time(bookings: DynamoBookingRepository) -> None:
    book(bookings, make_booking("b1", NINE, 30, after=15))

    with pytest.raises(SlotTaken):
        book(bookings, make_booking("b2", NINE + timedelta(minutes=40), 30))
    with pytest.raises(SlotTaken):
        book(bookings, make_booking("b3", NINE - timedelta(minutes=30), 25, after=10))


def test_adjacent_bookings_and_other_professionals_do_not_conflict(bookings: DynamoBookingRepository) -> None:
    book(bookings, make_booking("b1", NINE, 30))
    book(bookings, make_booking("b2", NINE + timedelta(minutes=30), 30))
    book(bookings, make_booking("b3", NINE - timedelta(minutes=30), 30))
    book(bookings, make_booking("b4", NINE, 30, professional_id="pro-2"))
    book(bookings, make_booking("b5", NINE, 30, tenant_id="t2"))

    assert all(bookings.get(tenant, booking_id) for tenant, booking_id in [("t1", "b4"), ("t2", "b5")])


def test_an_existing_idempotency_record_is_signalled_not_a_slot_conflict(
    bookings: DynamoBookingRepository, dynamodb: Any
) -> None:
    first = book(bookings, make_booking("b1", NINE, 30), key="same-key")
    count = len(all_items(dynamodb))

    # The retry of the very same request: its cells are taken too, by itself.
    with pytest.raises(IdempotencyRecordExists):
        book(bookings, make_booking("b2", NINE, 30), key="same-key")
    # The same key for another time.
    with pytest.raises(IdempotencyRecordExists):
        book(bookings, make_booking("b3", NINE + timedelta(hours=2), 30), key="same-key")

    assert len(all_items(dynamodb)) == count
    record = bookings.get_idempotency("t1", first.created_by, "same-key")
    assert record == idempotency_for(first, "same-key")


def test_the_idempotency_record_carries_its_ttl_in_epoch_seconds(
    bookings: DynamoBookingRepository, dynamodb: Any
) -> None:
    booking = book(bookings, make_booking("b1", NINE, 30), key="k")

    item = dynamodb.get_item(TableName=TABLE_NAME, Key=items.idempotency_key("t1", booking.created_by, "k"))[
        "Item"
    ]

    assert item["expiresAt"] == {"N": str(int((NOW + timedelta(hours=24)).timestamp()))}


def test_an_expired_idempotency_record_is_ignored_on_read_and_may_be_replaced(
    bookings: DynamoBookingRepository,
) -> None:
    old = make_booking("b1", NINE, 30)
    bookings.create(old, cells_of(old), idempotency_for(old, "k", expires_at=NOW - timedelta(seconds=1)))

    assert bookings.get_idempotency("t1", old.created_by, "k") is None

    new = make_booking("b2", NINE + timedelta(hours=1), 30)
    bookings.create(new, cells_of(new), idempotency_for(new, "k"))
    record = bookings.get_idempotency("t1", new.created_by, "k")
    assert record is not None
    assert record.booking_id == "b2"


def test_idempotency_keys_are_scoped_by_caller_and_tenant(bookings: DynamoBookingRepository) -> None:
    book(bookings, make_booking("b1", NINE, 30, patient_id="alice"), key="k")
    book(bookings, make_booking("b2", NINE + timedelta(hours=1), 30, patient_id="bob"), key="k")
    book(bookings, make_booking("b3", NINE, 30, tenant_id="t2", patient_id="alice"), key="k")

    assert bookings.get_idempotency("t1", "alice", "k").booking_id == "b1"  # type: ignore[union-attr]
    assert bookings.get_idempotency("t1", "bob", "k").booking_id == "b2"  # type: ignore[union-attr]
    assert bookings.get_idempotency("t2", "alice", "k").booking_id == "b3"  # type: ignore[union-attr]


def test_create_is_exactly_one_transaction(bookings: DynamoBookingRepository, table: Any) -> None:
    calls: list[str] = []
    table.client.meta.events.register("before-call.dynamodb", lambda model, **_: calls.append(model.name))

    book(bookings, make_booking("b1", NINE, 60, before=10, after=10))

    assert calls == ["TransactWriteItems"]
