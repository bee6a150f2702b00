"""How domain objects become table items and back, and the keys they live under.

Attribute and index names come from ``table_design`` (shared with the Database
component); the key *values* are built only here. An entity's own fields are stored
under their camelCase names (``model_dump(by_alias=True, mode="json")``), next to the
key attributes and an ``entity`` marker, so an item is readable in the console and
the stream consumer can validate it with the same model.
"""

from __future__ import annotations

import base64
import binascii
import json
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any, TypeVar

from boto3.dynamodb.types import TypeDeserializer, TypeSerializer
from pydantic import BaseModel

from booking import correlation
from booking.adapters import table_design
from booking.adapters.dynamodb_table import Item
from booking.domain.cells import CELL
from booking.domain.errors import BadRequest
from booking.domain.models import Booking, Professional, Tenant, Treatment, User
from booking.domain.ports import IdempotencyRecord, LockCell

ModelT = TypeVar("ModelT", bound=BaseModel)

PK = table_design.PARTITION_KEY
SK = table_design.SORT_KEY
ENTITY = "entity"
INDEX_BY_NAME = {index.name: index for index in table_design.INDEXES}
# Attributes of an item that are storage, not the entity's own fields.
STORAGE_ATTRIBUTES = frozenset(
    {ENTITY, table_design.TTL_ATTRIBUTE, correlation.REQUEST_ID_ATTRIBUTE, *table_design.key_attributes()},
)

PROFILE_SK = "PROFILE"
PROFESSIONAL_PREFIX = "PRO#"
TREATMENT_PREFIX = "TRT#"
USER_PREFIX = "USER#"
BOOKING_PREFIX = table_design.BOOKING_SORT_KEY_PREFIX
LOCK_PREFIX = "LOCK#"
LOCK_SK = "LOCK"
DEFAULT_LOCK_RETENTION = timedelta(days=table_design.LOCK_RETENTION_DAYS)
IDEMPOTENCY_SK = "IDEM"

_serializer = TypeSerializer()
_deserializer = TypeDeserializer()


# --- key values -----------------------------------------------------------------------


def utc_key(moment: datetime) -> str:
    """A UTC instant as a fixed-width string, so keys sort in time order."""
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def tenant_pk(tenant_id: str) -> str:
    return f"TENANT#{tenant_id}"


def tenant_calendar_pk(tenant_id: str) -> str:
    return f"TENANT#{tenant_id}#BOOKINGS"


def professional_calendar_pk(tenant_id: str, professional_id: str) -> str:
    return f"TENANT#{tenant_id}#PRO#{professional_id}"


def patient_pk(tenant_id: str, patient_id: str) -> str:
    return f"TENANT#{tenant_id}#PATIENT#{patient_id}"


def calendar_sk(start: datetime, booking_id: str) -> str:
    return f"{utc_key(start)}#{booking_id}"


def lock_pk(cell: LockCell) -> str:
    return f"{LOCK_PREFIX}{cell.tenant_id}#{cell.professional_id}#{utc_key(cell.start)}"


def idempotency_pk(tenant_id: str, caller_id: str, key: str) -> str:
    return f"TENANT#{tenant_id}#IDEM#{caller_id}#{key}"


def key_of(pk: str, sk: str) -> Item:
    return {PK: {"S": pk}, SK: {"S": sk}}


def booking_key(tenant_id: str, booking_id: str) -> Item:
    return key_of(tenant_pk(tenant_id), BOOKING_PREFIX + booking_id)


def lock_key(cell: LockCell) -> Item:
    return key_of(lock_pk(cell), LOCK_SK)


def idempotency_key(tenant_id: str, caller_id: str, key: str) -> Item:
    return key_of(idempotency_pk(tenant_id, caller_id, key), IDEMPOTENCY_SK)


# --- values ---------------------------------------------------------------------------


def serialize(value: Any) -> Any:
    """A plain JSON-like Python value as a DynamoDB attribute value."""
    return _serializer.serialize(value)


def _plain(value: Any) -> Any:
    """DynamoDB numbers come back as Decimal; the models want int (or float)."""
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    if isinstance(value, list):
        return [_plain(item) for item in value]
    if isinstance(value, dict):
        return {name: _plain(item) for name, item in value.items()}
    return value


def deserialize(item: Item) -> dict[str, Any]:
    return {name: _plain(_deserializer.deserialize(value)) for name, value in item.items()}


def model_item(model: BaseModel, entity: str, pk: str, sk: str, **extra: Any) -> Item:
    data = model.model_dump(mode="json", by_alias=True, exclude_none=True)
    data.update(extra)
    data.update({PK: pk, SK: sk, ENTITY: entity})
    return {name: serialize(value) for name, value in data.items()}


def model_from_item(model_type: type[ModelT], item: Item) -> ModelT:
    data = {name: value for name, value in deserialize(item).items() if name not in STORAGE_ATTRIBUTES}
    return model_type.model_validate(data)


# --- entities -------------------------------------------------------------------------


TENANTS_PK = "TENANTS"


def tenant_item(tenant: Tenant) -> Item:
    """The profile, listed in the directory index's ``TENANTS`` partition (never a Scan)."""
    directory = INDEX_BY_NAME[table_design.DIRECTORY_INDEX]
    registry = {directory.partition_key: TENANTS_PK, directory.sort_key: tenant.id}
    return model_item(tenant, "tenant", tenant_pk(tenant.id), PROFILE_SK, **registry)


def professional_item(professional: Professional) -> Item:
    return model_item(
        professional,
        "professional",
        tenant_pk(professional.tenant_id),
        PROFESSIONAL_PREFIX + professional.id,
    )


def treatment_item(treatment: Treatment) -> Item:
    return model_item(treatment, "treatment", tenant_pk(treatment.tenant_id), TREATMENT_PREFIX + treatment.id)


def user_item(user: User) -> Item:
    return model_item(user, "user", tenant_pk(user.tenant_id), USER_PREFIX + user.id)


def booking_item(booking: Booking) -> Item:
    """The booking, indexed by appointment start in the three calendars (gsi1..3), with
    the id of the API request that wrote it, if any."""
    sort = calendar_sk(booking.start, booking.id)
    tenant_index = INDEX_BY_NAME[table_design.TENANT_CALENDAR_INDEX]
    professional_index = INDEX_BY_NAME[table_design.PROFESSIONAL_CALENDAR_INDEX]
    patient_index = INDEX_BY_NAME[table_design.PATIENT_INDEX]
    attributes = {
        tenant_index.partition_key: tenant_calendar_pk(booking.tenant_id),
        tenant_index.sort_key: sort,
        professional_index.partition_key: professional_calendar_pk(
            booking.tenant_id, booking.professional_id
        ),
        professional_index.sort_key: sort,
        patient_index.partition_key: patient_pk(booking.tenant_id, booking.patient_id),
        patient_index.sort_key: sort,
    }
    # The API request writing this version, for the stream (``booking.correlation``).
    request_id = correlation.current_request_id()
    if request_id:
        attributes[correlation.REQUEST_ID_ATTRIBUTE] = request_id
    return model_item(
        booking, "booking", tenant_pk(booking.tenant_id), BOOKING_PREFIX + booking.id, **attributes
    )


def lock_expires_at(cell: LockCell, retention: timedelta) -> datetime:
    """When the table's TTL may delete ``cell``: ``retention`` after the cell's own time
    ends. It depends on the cell alone, so a cell two ranges of one booking share (a
    reschedule that overlaps itself) keeps its expiry whichever range wrote it."""
    return cell.start.astimezone(UTC) + CELL + retention


def lock_item(cell: LockCell, booking_id: str, retention: timedelta = DEFAULT_LOCK_RETENTION) -> Item:
    """A lock cell names its owner, so the integrity check can match cells to bookings
    and a reschedule can delete only cells it owns; it expires through TTL."""
    return {
        **lock_key(cell),
        ENTITY: {"S": "lock"},
        "tenantId": {"S": cell.tenant_id},
        "professionalId": {"S": cell.professional_id},
        "cellStart": {"S": utc_key(cell.start)},
        "bookingId": {"S": booking_id},
        table_design.TTL_ATTRIBUTE: {"N": str(int(lock_expires_at(cell, retention).timestamp()))},
    }


def expires_at(item: Item) -> datetime | None:
    """The item's TTL expiry, if it has one."""
    value = item.get(table_design.TTL_ATTRIBUTE)
    return datetime.fromtimestamp(int(value["N"]), tz=UTC) if value else None


def lock_cell_from_item(item: Item) -> tuple[LockCell, str]:
    data = deserialize(item)
    start = datetime.strptime(data["cellStart"], "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=UTC)
    return LockCell(data["tenantId"], data["professionalId"], start), data["bookingId"]


def idempotency_item(record: IdempotencyRecord) -> Item:
    return {
        **idempotency_key(record.tenant_id, record.caller_id, record.key),
        ENTITY: {"S": "idempotency"},
        "tenantId": {"S": record.tenant_id},
        "key": {"S": record.key},
        "callerId": {"S": record.caller_id},
        "requestHash": {"S": record.request_hash},
        "bookingId": {"S": record.booking_id},
        # DynamoDB TTL wants epoch seconds in a Number attribute.
        table_design.TTL_ATTRIBUTE: {"N": str(int(record.expires_at.timestamp()))},
    }


def idempotency_from_item(item: Item) -> IdempotencyRecord:
    data = deserialize(item)
    return IdempotencyRecord(
        tenant_id=data["tenantId"],
        key=data["key"],
        caller_id=data["callerId"],
        request_hash=data["requestHash"],
        booking_id=data["bookingId"],
        expires_at=datetime.fromtimestamp(data[table_design.TTL_ATTRIBUTE], tz=UTC),
    )


# --- cursors --------------------------------------------------------------------------

INVALID_CURSOR = "INVALID_CURSOR"
# A real cursor is a few hundred characters; anything much longer is not ours.
MAX_CURSOR_LENGTH = 2048


def encode_cursor(index_name: str | None, last_key: Item | None) -> str | None:
    """An opaque cursor: base64url JSON of the index used and ``LastEvaluatedKey``."""
    if not last_key:
        return None
    plain = {name: value["S"] for name, value in last_key.items() if "S" in value}
    payload = json.dumps({"i": index_name or "", "k": plain}, separators=(",", ":"), sort_keys=True)
    return base64.urlsafe_b64encode(payload.encode()).decode().rstrip("=")


def decode_cursor(cursor: str, index_name: str | None, partition: tuple[str, str]) -> Item:
    """The ``ExclusiveStartKey`` of a cursor issued for this very query.

    A cursor is validated, not trusted: it must name the same index, carry exactly that
    index's key attributes as strings, and stay in the caller's partition (a cursor
    edited to point into another tenant's calendar is a 400, never a read)."""
    expected = {PK, SK}
    if index_name:
        index = INDEX_BY_NAME[index_name]
        expected |= {index.partition_key, index.sort_key}
    if len(cursor) > MAX_CURSOR_LENGTH:
        raise BadRequest("the cursor is not one this API issued", code=INVALID_CURSOR)
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        data = json.loads(base64.urlsafe_b64decode(padded.encode("ascii")))
    except (ValueError, UnicodeError, binascii.Error) as error:
        raise BadRequest("the cursor is not one this API issued", code=INVALID_CURSOR) from error
    if not isinstance(data, dict) or data.get("i") != (index_name or ""):
        raise BadRequest("the cursor belongs to another listing", code=INVALID_CURSOR)
    keys = data.get("k")
    if (
        not isinstance(keys, dict)
        or set(keys) != expected
        or not all(isinstance(value, str) and value for value in keys.values())
    ):
        raise BadRequest("the cursor is not one this API issued", code=INVALID_CURSOR)
    partition_name, partition_value = partition
    if keys[partition_name] != partition_value:
        raise BadRequest("the cursor belongs to another listing", code=INVALID_CURSOR)
    return {name: {"S": value} for name, value in keys.items()}
