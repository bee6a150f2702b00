"""DynamoDB stream records as Lambda receives them, around items written by the very
mapping the repositories use (``dynamodb_items``)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from booking.adapters import dynamodb_items as items
from booking.domain.models import Booking
from booking.domain.ports import LockCell

STREAM_ARN = "arn:aws:dynamodb:us-east-1:123456789012:table/booking-test/stream/2026-11-26T00:00:00.000"


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
        "Keys": {items.PK: image[items.PK], items.SK: image[items.SK]},
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


def lock_item(tenant_id: str, professional_id: str, cell_start: datetime, booking_id: str) -> dict[str, Any]:
    return dict(items.lock_item(LockCell(tenant_id, professional_id, cell_start), booking_id))


def booking_inserted(sequence: int, booking: Booking) -> dict[str, Any]:
    return record("INSERT", sequence, new=dict(items.booking_item(booking)))


def booking_modified(sequence: int, old: Booking, new: Booking) -> dict[str, Any]:
    return record("MODIFY", sequence, new=dict(items.booking_item(new)), old=dict(items.booking_item(old)))
