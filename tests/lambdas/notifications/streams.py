"""DynamoDB stream records and table items as AWS writes them (DynamoDB JSON).

Items follow the table layout of ``table_design``: the entity's camelCase fields next
to ``pk``/``sk``, the GSI keys and an ``entity`` marker."""

from __future__ import annotations

from typing import Any

from booking.domain.models import Booking
from boto3.dynamodb.types import TypeSerializer
from pydantic import BaseModel

_serializer = TypeSerializer()
STREAM_ARN = "arn:aws:dynamodb:us-east-1:123456789012:table/booking-dev/stream/2026-11-26T00:00:00.000"


def item(model: BaseModel, entity: str, pk: str, sk: str, **extra: Any) -> dict[str, Any]:
    data = model.model_dump(mode="json", by_alias=True, exclude_none=True)
    data.update(extra)
    data.update({"pk": pk, "sk": sk, "entity": entity})
    return {name: _serializer.serialize(value) for name, value in data.items()}


def booking_item(booking: Booking) -> dict[str, Any]:
    sort = f"{booking.start:%Y-%m-%dT%H:%M:%SZ}#{booking.id}"
    return item(
        booking,
        "booking",
        f"TENANT#{booking.tenant_id}",
        f"BOOKING#{booking.id}",
        gsi1pk=f"TENANT#{booking.tenant_id}#BOOKINGS",
        gsi1sk=sort,
        gsi2pk=f"TENANT#{booking.tenant_id}#PRO#{booking.professional_id}",
        gsi2sk=sort,
        gsi3pk=f"TENANT#{booking.tenant_id}#PATIENT#{booking.patient_id}",
        gsi3sk=sort,
    )


def record(
    event_name: str,
    sequence: int,
    new: dict[str, Any] | None = None,
    old: dict[str, Any] | None = None,
) -> dict[str, Any]:
    image = new or old
    assert image is not None
    dynamodb: dict[str, Any] = {
        "ApproximateCreationDateTime": 1795000000,
        "Keys": {"pk": image["pk"], "sk": image["sk"]},
        "SequenceNumber": f"{sequence:021d}",
        "SizeBytes": 512,
        "StreamViewType": "NEW_AND_OLD_IMAGES",
    }
    if new is not None:
        dynamodb["NewImage"] = new
    if old is not None:
        dynamodb["OldImage"] = old
    return {
        "eventID": f"event-{sequence}",
        "eventName": event_name,
        "eventVersion": "1.1",
        "eventSource": "aws:dynamodb",
        "awsRegion": "us-east-1",
        "dynamodb": dynamodb,
        "eventSourceARN": STREAM_ARN,
    }


def lock_item(tenant_id: str, professional_id: str, cell: str, booking_id: str) -> dict[str, Any]:
    return {
        "pk": {"S": f"LOCK#{tenant_id}#{professional_id}#{cell}"},
        "sk": {"S": "LOCK"},
        "entity": {"S": "lock"},
        "bookingId": {"S": booking_id},
    }
