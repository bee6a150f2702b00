"""Booking items as the table stream shows them (DynamoDB JSON images).

The stream carries every item of the single table: bookings, but also lock cells,
idempotency records and catalog items. Only booking items (``TENANT#<t>`` /
``BOOKING#<id>``) matter to the notifications function. An item stores the entity's
fields under their camelCase names next to its key attributes (see
``table_design``), so the image validates with the ``Booking`` model once the storage
attributes are set aside.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from boto3.dynamodb.types import TypeDeserializer

from booking.adapters import table_design
from booking.domain.models import Booking

BOOKING_SORT_PREFIX = "BOOKING#"
TENANT_PARTITION_PREFIX = "TENANT#"
# Attributes of an item that belong to the table, not to the entity.
STORAGE_ATTRIBUTES = frozenset({"entity", table_design.TTL_ATTRIBUTE, *table_design.key_attributes()})

_deserializer = TypeDeserializer()


def _plain(value: Any) -> Any:
    """DynamoDB numbers arrive as Decimal; the models want int (or float)."""
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    if isinstance(value, list):
        return [_plain(item) for item in value]
    if isinstance(value, dict):
        return {name: _plain(item) for name, item in value.items()}
    return value


def _string(image: Mapping[str, Any], name: str) -> str:
    value = image.get(name)
    return value.get("S", "") if isinstance(value, Mapping) else ""


def is_booking_key(keys: Mapping[str, Any]) -> bool:
    """True for a booking item's key (DynamoDB JSON), false for locks, catalogs, …"""
    return _string(keys, table_design.PARTITION_KEY).startswith(TENANT_PARTITION_PREFIX) and _string(
        keys, table_design.SORT_KEY
    ).startswith(BOOKING_SORT_PREFIX)


def item_fields(item: Mapping[str, Any]) -> dict[str, Any]:
    """An item in DynamoDB JSON as the entity's own (camelCase) fields, in plain Python."""
    return {
        name: _plain(_deserializer.deserialize(value))
        for name, value in item.items()
        if name not in STORAGE_ATTRIBUTES
    }


def booking_from_image(image: Mapping[str, Any] | None) -> Booking | None:
    """The ``Booking`` in a stream image, or None for a missing image."""
    if not image:
        return None
    return Booking.model_validate(item_fields(image))
