"""The actions of a booking's ``TransactWriteItems``, and what a cancelled one means.

A write that takes time puts the booking's lock cells with ``attribute_not_exists(pk)``
in the same transaction as the booking, so two bookings that share a cell cannot both
commit: DynamoDB checks each condition on the item itself, strongly consistent, and
cancels the whole transaction if any fails.

A cancelled transaction is read through its ``CancellationReasons`` (one per action,
in order) and turned into the domain's answer: a held cell is ``SlotTaken`` (409
SLOT_TAKEN, never a 500), an existing idempotency record is
``IdempotencyRecordExists``, a booking whose version moved is
``ConcurrentModification``.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime, timedelta
from enum import Enum
from typing import TYPE_CHECKING

from botocore.exceptions import ClientError

from booking.adapters import dynamodb_items as items
from booking.adapters import table_design
from booking.adapters.dynamodb_table import DynamoTable, Item, cancellation_codes
from booking.domain.errors import ConcurrentModification, IdempotencyRecordExists, SlotTaken
from booking.domain.models import Booking
from booking.domain.ports import IdempotencyRecord, LockCell

if TYPE_CHECKING:
    from mypy_boto3_dynamodb.type_defs import TransactWriteItemTypeDef
else:
    TransactWriteItemTypeDef = dict

MAX_TRANSACTION_ACTIONS = 100
ATTRIBUTE_NOT_EXISTS = "attribute_not_exists(#pk)"


class Part(Enum):
    """What an action of a transaction stands for, to read its cancellation reason."""

    BOOKING = "booking"
    NEW_CELL = "new cell"
    OWN_CELL = "own cell"
    IDEMPOTENCY = "idempotency"


Action = tuple[Part, TransactWriteItemTypeDef]


def put_new(table: DynamoTable, item: Item) -> TransactWriteItemTypeDef:
    return {
        "Put": {
            "TableName": table.name,
            "Item": item,
            "ConditionExpression": ATTRIBUTE_NOT_EXISTS,
            "ExpressionAttributeNames": {"#pk": items.PK},
        }
    }


def put_unless_live(table: DynamoTable, item: Item, now: datetime) -> TransactWriteItemTypeDef:
    """Put ``item`` unless a live one is there: an expired item that TTL has not removed
    yet (it deletes lazily, often days later) does not count."""
    return {
        "Put": {
            "TableName": table.name,
            "Item": item,
            "ConditionExpression": f"{ATTRIBUTE_NOT_EXISTS} OR #expires <= :now",
            "ExpressionAttributeNames": {"#pk": items.PK, "#expires": table_design.TTL_ATTRIBUTE},
            "ExpressionAttributeValues": {":now": {"N": str(int(now.timestamp()))}},
        }
    }


def put_idempotency(table: DynamoTable, record: IdempotencyRecord, now: datetime) -> TransactWriteItemTypeDef:
    return put_unless_live(table, items.idempotency_item(record), now)


def put_cell(
    table: DynamoTable, cell: LockCell, booking_id: str, retention: timedelta, now: datetime
) -> TransactWriteItemTypeDef:
    """Take a cell; an expired one still present holds no time."""
    return put_unless_live(table, items.lock_item(cell, booking_id, retention), now)


def put_versioned(table: DynamoTable, current: Booking, updated: Booking) -> TransactWriteItemTypeDef:
    """Replace the booking only if nobody wrote it since ``current`` was read.

    The stored version is always ``current.version + 1``, whatever the caller set,
    so two writers holding the same ``current`` can never both succeed."""
    stored = updated.model_copy(update={"version": current.version + 1})
    return {
        "Put": {
            "TableName": table.name,
            "Item": items.booking_item(stored),
            "ConditionExpression": "attribute_exists(#pk) AND #version = :version",
            "ExpressionAttributeNames": {"#pk": items.PK, "#version": "version"},
            "ExpressionAttributeValues": {":version": {"N": str(current.version)}},
        }
    }


def delete_own(table: DynamoTable, cell: LockCell, booking_id: str) -> TransactWriteItemTypeDef:
    """Delete a cell unless another booking holds it (a missing cell is no error:
    releasing must not get stuck on a cell that is already gone)."""
    return {
        "Delete": {
            "TableName": table.name,
            "Key": items.lock_key(cell),
            "ConditionExpression": f"{ATTRIBUTE_NOT_EXISTS} OR #owner = :booking",
            "ExpressionAttributeNames": {"#pk": items.PK, "#owner": "bookingId"},
            "ExpressionAttributeValues": {":booking": {"S": booking_id}},
        }
    }


def moved(current: Booking) -> ConcurrentModification:
    return ConcurrentModification(f"booking {current.id} was changed by someone else; read it again")


def transact(table: DynamoTable, actions: Sequence[Action], on_booking: Callable[[], Exception]) -> None:
    """Run the actions as one transaction; a cancellation raises the domain's answer
    (``on_booking`` when the booking's own condition failed)."""
    if len(actions) > MAX_TRANSACTION_ACTIONS:
        # The models cap blocked ranges so this cannot happen; fail loudly if it does.
        raise ValueError(f"{len(actions)} actions exceed one transaction's {MAX_TRANSACTION_ACTIONS}")
    try:
        table.client.transact_write_items(TransactItems=[action for _, action in actions])
    except ClientError as error:
        codes = cancellation_codes(error)
        if codes is None:
            raise
        translated = translate_cancellation([part for part, _ in actions], codes, on_booking)
        if translated is None:
            raise
        raise translated from error


def translate_cancellation(
    parts: list[Part], reasons: list[str], on_booking: Callable[[], Exception]
) -> Exception | None:
    """The domain exception a cancelled transaction means, or None (re-raise as is).

    Order matters: an existing idempotency record wins (a retry of a request that
    already booked finds its own cells taken too, and must get the original answer);
    then any contention on a cell is the slot being taken, including a
    ``TransactionConflict``, which means another transaction is writing those cells
    right now."""
    codes = list(zip(parts, reasons, strict=False))
    contention = {"ConditionalCheckFailed", "TransactionConflict"}
    if any(part is Part.IDEMPOTENCY and code == "ConditionalCheckFailed" for part, code in codes):
        return IdempotencyRecordExists()
    if any(part is Part.NEW_CELL and code in contention for part, code in codes):
        return SlotTaken("the requested time is no longer available")
    if any(part is Part.BOOKING and code == "ConditionalCheckFailed" for part, code in codes):
        return on_booking()
    if any(part in (Part.BOOKING, Part.OWN_CELL) and code in contention for part, code in codes):
        return ConcurrentModification("the booking is being changed by another request; try again")
    if any(part is Part.IDEMPOTENCY and code == "TransactionConflict" for part, code in codes):
        return SlotTaken("the requested time is being booked by another request")
    return None
