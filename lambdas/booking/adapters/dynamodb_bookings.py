"""``BookingRepository`` on the table: the machinery that makes overbooking impossible.

A booking blocks ``[blocked_start, blocked_end)`` and owns one lock item per cell of
that range. Every write that takes time writes the cells with
``attribute_not_exists(pk)`` in the same ``TransactWriteItems`` as the booking, so two
bookings that share a cell cannot both commit: DynamoDB checks each condition on the
item itself, strongly consistent, and cancels the whole transaction if any fails.
GSIs (eventually consistent) serve only lists and availability, never that check.

A cancelled transaction is read through its ``CancellationReasons`` (one per action,
in order) and turned into the domain's answer: a held cell is ``SlotTaken`` (409
SLOT_TAKEN, never a 500), an existing idempotency record is
``IdempotencyRecordExists``, a booking whose version moved is
``ConcurrentModification``.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import UTC, datetime, timedelta
from enum import Enum
from typing import TYPE_CHECKING, Any

from botocore.exceptions import ClientError

from booking.adapters import dynamodb_items as items
from booking.adapters import table_design
from booking.adapters.dynamodb_table import DynamoTable, Item
from booking.domain.errors import (
    ConcurrentModification,
    Conflict,
    IdempotencyRecordExists,
    SlotTaken,
)
from booking.domain.models import LIVE_STATUSES, MAX_BLOCKED_MINUTES, Booking
from booking.domain.ports import BookingQuery, IdempotencyRecord, LockCell, Page

if TYPE_CHECKING:
    from mypy_boto3_dynamodb.type_defs import TransactWriteItemTypeDef
else:
    TransactWriteItemTypeDef = dict

MAX_TRANSACTION_ACTIONS = 100
MAX_PAGE_SIZE = 200
ATTRIBUTE_NOT_EXISTS = "attribute_not_exists(#pk)"


class _Part(Enum):
    """What an action of a transaction stands for, to read its cancellation reason."""

    BOOKING = "booking"
    NEW_CELL = "new cell"
    OWN_CELL = "own cell"
    IDEMPOTENCY = "idempotency"


def _utc_now() -> datetime:
    return datetime.now(UTC)


class DynamoBookingRepository:
    def __init__(self, table: DynamoTable, now: Callable[[], datetime] = _utc_now) -> None:
        self._table = table
        self._now = now

    # --- reads ----------------------------------------------------------------------

    def get(self, tenant_id: str, booking_id: str) -> Booking | None:
        item = self._table.get(items.booking_key(tenant_id, booking_id))
        return items.model_from_item(Booking, item) if item else None

    def get_idempotency(self, tenant_id: str, caller_id: str, key: str) -> IdempotencyRecord | None:
        item = self._table.get(items.idempotency_key(tenant_id, caller_id, key))
        if not item:
            return None
        record = items.idempotency_from_item(item)
        # TTL deletes lazily (often days later): an expired record is already gone.
        return record if record.expires_at > self._now() else None

    def list_live_for_professional(
        self, tenant_id: str, professional_id: str, start: datetime, end: datetime
    ) -> list[Booking]:
        """One Query on the professional's calendar (gsi2, keyed by appointment start).

        A booking's start lies within ``MAX_BLOCKED_MINUTES`` of any instant its blocked
        range covers, so widening the window by that much on both sides finds every
        booking whose blocked range meets ``[start, end)``; the exact test is then made
        on the blocked range itself."""
        index = items.INDEX_BY_NAME[table_design.PROFESSIONAL_CALENDAR_INDEX]
        margin = timedelta(minutes=MAX_BLOCKED_MINUTES)
        statuses = sorted(LIVE_STATUSES)
        values: dict[str, Any] = {
            ":pk": {"S": items.professional_calendar_pk(tenant_id, professional_id)},
            ":low": {"S": items.utc_key(start - margin)},
            ":high": {"S": items.utc_key(end + margin)},
        }
        values.update({f":s{number}": {"S": status.value} for number, status in enumerate(statuses)})
        found = self._table.query_all(
            IndexName=index.name,
            KeyConditionExpression="#pk = :pk AND #sk BETWEEN :low AND :high",
            FilterExpression=f"#status IN ({', '.join(f':s{n}' for n in range(len(statuses)))})",
            ExpressionAttributeNames={"#pk": index.partition_key, "#sk": index.sort_key, "#status": "status"},
            ExpressionAttributeValues=values,
        )
        bookings = [items.model_from_item(Booking, item) for item in found]
        return [
            booking
            for booking in bookings
            if booking.is_live and booking.blocked_start < end and booking.blocked_end > start
        ]

    def query(self, query: BookingQuery) -> Page[Booking]:
        """One Query per page, on the calendar index the filter narrows best:
        the patient's (gsi3), the professional's (gsi2), else the tenant's (gsi1)."""
        tenant = query.tenant_id
        if query.patient_id is not None:
            index_name = table_design.PATIENT_INDEX
            partition = items.patient_pk(tenant, query.patient_id)
        elif query.professional_id is not None:
            index_name = table_design.PROFESSIONAL_CALENDAR_INDEX
            partition = items.professional_calendar_pk(tenant, query.professional_id)
        else:
            index_name = table_design.TENANT_CALENDAR_INDEX
            partition = items.tenant_calendar_pk(tenant)
        index = items.INDEX_BY_NAME[index_name]

        names = {"#pk": index.partition_key}
        values: dict[str, Any] = {":pk": {"S": partition}}
        condition = "#pk = :pk"
        if query.start_from is not None or query.start_to is not None:
            names["#sk"] = index.sort_key
        if query.start_from is not None and query.start_to is not None:
            condition += " AND #sk BETWEEN :from AND :to"
        elif query.start_from is not None:
            condition += " AND #sk >= :from"
        elif query.start_to is not None:
            condition += " AND #sk < :to"
        if query.start_from is not None:
            values[":from"] = {"S": items.utc_key(query.start_from)}
        if query.start_to is not None:
            # Sort keys are "<start>#<id>", so "<to>" sorts before every booking at "to":
            # BETWEEN with it is the half-open [from, to).
            values[":to"] = {"S": items.utc_key(query.start_to)}

        filters = []
        if query.statuses:
            statuses = sorted(query.statuses)
            names["#status"] = "status"
            values.update({f":s{number}": {"S": status.value} for number, status in enumerate(statuses)})
            filters.append(f"#status IN ({', '.join(f':s{n}' for n in range(len(statuses)))})")
        if query.patient_id is not None and query.professional_id is not None:
            names["#professional"] = "professionalId"
            values[":professional"] = {"S": query.professional_id}
            filters.append("#professional = :professional")

        request: dict[str, Any] = {
            "IndexName": index.name,
            "KeyConditionExpression": condition,
            "ExpressionAttributeNames": names,
            "ExpressionAttributeValues": values,
            "Limit": max(1, min(query.limit, MAX_PAGE_SIZE)),
        }
        if filters:
            request["FilterExpression"] = " AND ".join(filters)
        if query.cursor:
            request["ExclusiveStartKey"] = items.decode_cursor(
                query.cursor, index.name, (index.partition_key, partition)
            )
        found, last_key = self._table.query_page(**request)
        return Page(
            items=[items.model_from_item(Booking, item) for item in found],
            next_cursor=items.encode_cursor(index.name, last_key),
        )

    # --- writes ---------------------------------------------------------------------

    def create(self, booking: Booking, cells: list[LockCell], idempotency: IdempotencyRecord) -> None:
        """One TransactWriteItems: the booking, one Put per cell, the idempotency record."""
        actions: list[tuple[_Part, TransactWriteItemTypeDef]] = [
            (_Part.BOOKING, self._put_new(items.booking_item(booking)))
        ]
        actions += [(_Part.NEW_CELL, self._put_new(items.lock_item(cell, booking.id))) for cell in cells]
        actions.append(
            (
                _Part.IDEMPOTENCY,
                {
                    "Put": {
                        "TableName": self._table.name,
                        "Item": items.idempotency_item(idempotency),
                        # An expired record that TTL has not removed yet does not count.
                        "ConditionExpression": f"{ATTRIBUTE_NOT_EXISTS} OR #expires <= :now",
                        "ExpressionAttributeNames": {
                            "#pk": items.PK,
                            "#expires": table_design.TTL_ATTRIBUTE,
                        },
                        "ExpressionAttributeValues": {":now": {"N": str(int(self._now().timestamp()))}},
                    }
                },
            )
        )
        self._transact(actions, on_booking=lambda: Conflict(f"booking {booking.id} already exists"))

    def reschedule(
        self, current: Booking, updated: Booking, old_cells: list[LockCell], new_cells: list[LockCell]
    ) -> None:
        """One transaction; cells shared by the old and new ranges are not touched, so a
        move overlapping its own old range neither conflicts with itself nor puts two
        actions on one item."""
        old = {items.lock_pk(cell): cell for cell in old_cells}
        new = {items.lock_pk(cell): cell for cell in new_cells}
        actions = [(_Part.BOOKING, self._put_versioned(current, updated))]
        actions += [
            (_Part.OWN_CELL, self._delete_own(cell, current.id)) for pk, cell in old.items() if pk not in new
        ]
        actions += [
            (_Part.NEW_CELL, self._put_new(items.lock_item(cell, current.id)))
            for pk, cell in new.items()
            if pk not in old
        ]
        self._transact(actions, on_booking=lambda: _moved(current))

    def release(self, current: Booking, updated: Booking, cells: list[LockCell]) -> None:
        """The booking's new state and the deletion of its cells, together."""
        actions = [(_Part.BOOKING, self._put_versioned(current, updated))]
        actions += [(_Part.OWN_CELL, self._delete_own(cell, current.id)) for cell in cells]
        self._transact(actions, on_booking=lambda: _moved(current))

    def update(self, current: Booking, updated: Booking) -> None:
        request = self._put_versioned(current, updated)["Put"]
        try:
            self._table.client.put_item(**request)
        except ClientError as error:
            if error.response.get("Error", {}).get("Code") == "ConditionalCheckFailedException":
                raise _moved(current) from error
            raise

    # --- transaction building blocks ------------------------------------------------

    def _put_new(self, item: Item) -> TransactWriteItemTypeDef:
        return {
            "Put": {
                "TableName": self._table.name,
                "Item": item,
                "ConditionExpression": ATTRIBUTE_NOT_EXISTS,
                "ExpressionAttributeNames": {"#pk": items.PK},
            }
        }

    def _put_versioned(self, current: Booking, updated: Booking) -> TransactWriteItemTypeDef:
        """Replace the booking only if nobody wrote it since ``current`` was read.

        The stored version is always ``current.version + 1``, whatever the caller set,
        so two writers holding the same ``current`` can never both succeed."""
        stored = updated.model_copy(update={"version": current.version + 1})
        return {
            "Put": {
                "TableName": self._table.name,
                "Item": items.booking_item(stored),
                "ConditionExpression": "attribute_exists(#pk) AND #version = :version",
                "ExpressionAttributeNames": {"#pk": items.PK, "#version": "version"},
                "ExpressionAttributeValues": {":version": {"N": str(current.version)}},
            }
        }

    def _delete_own(self, cell: LockCell, booking_id: str) -> TransactWriteItemTypeDef:
        """Delete a cell unless another booking holds it (a missing cell is no error:
        releasing must not get stuck on a cell that is already gone)."""
        return {
            "Delete": {
                "TableName": self._table.name,
                "Key": items.lock_key(cell),
                "ConditionExpression": f"{ATTRIBUTE_NOT_EXISTS} OR #owner = :booking",
                "ExpressionAttributeNames": {"#pk": items.PK, "#owner": "bookingId"},
                "ExpressionAttributeValues": {":booking": {"S": booking_id}},
            }
        }

    def _transact(
        self,
        actions: Sequence[tuple[_Part, TransactWriteItemTypeDef]],
        on_booking: Callable[[], Exception],
    ) -> None:
        if len(actions) > MAX_TRANSACTION_ACTIONS:
            # The models cap blocked ranges so this cannot happen; fail loudly if it does.
            raise ValueError(f"{len(actions)} actions exceed one transaction's {MAX_TRANSACTION_ACTIONS}")
        try:
            self._table.client.transact_write_items(TransactItems=[action for _, action in actions])
        except ClientError as error:
            if error.response.get("Error", {}).get("Code") != "TransactionCanceledException":
                raise
            translated = _translate_cancellation(error, [part for part, _ in actions], on_booking)
            if translated is None:
                raise
            raise translated from error


def _moved(current: Booking) -> ConcurrentModification:
    return ConcurrentModification(f"booking {current.id} was changed by someone else; read it again")


def _translate_cancellation(
    error: ClientError, parts: list[_Part], on_booking: Callable[[], Exception]
) -> Exception | None:
    """The domain exception a cancelled transaction means, or None (re-raise as is).

    Order matters: an existing idempotency record wins (a retry of a request that
    already booked finds its own cells taken too, and must get the original answer);
    then any contention on a cell is the slot being taken, including a
    ``TransactionConflict``, which means another transaction is writing those cells
    right now."""
    reasons: list[dict[str, Any]] = list(error.response.get("CancellationReasons", []))  # type: ignore[arg-type]
    codes = [(part, str(reason.get("Code", "None"))) for part, reason in zip(parts, reasons, strict=False)]
    contention = {"ConditionalCheckFailed", "TransactionConflict"}
    if any(part is _Part.IDEMPOTENCY and code == "ConditionalCheckFailed" for part, code in codes):
        return IdempotencyRecordExists()
    if any(part is _Part.NEW_CELL and code in contention for part, code in codes):
        return SlotTaken("the requested time is no longer available")
    if any(part is _Part.BOOKING and code == "ConditionalCheckFailed" for part, code in codes):
        return on_booking()
    if any(part in (_Part.BOOKING, _Part.OWN_CELL) and code in contention for part, code in codes):
        return ConcurrentModification("the booking is being changed by another request; try again")
    if any(part is _Part.IDEMPOTENCY and code == "TransactionConflict" for part, code in codes):
        return SlotTaken("the requested time is being booked by another request")
    return None
