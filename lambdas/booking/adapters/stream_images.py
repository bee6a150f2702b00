"""Booking items as the table stream shows them (DynamoDB JSON images).

The stream carries every item of the single table: bookings, but also lock cells,
idempotency records and catalog and user items. Only booking items
(``TENANT#<t>`` / ``BOOKING#<id>``) matter to the notifications function. Images are
decoded with the very mapping the repositories write them with
(``dynamodb_items.model_from_item``), so the stream cannot read a booking differently
from the API.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from booking import correlation
from booking.adapters import dynamodb_items as items
from booking.domain.models import Booking

TENANT_PARTITION_PREFIX = items.tenant_pk("")


def _string(image: Mapping[str, Any], name: str) -> str:
    value = image.get(name)
    return str(value.get("S", "")) if isinstance(value, Mapping) else ""


def is_booking_key(keys: Mapping[str, Any]) -> bool:
    """True for a booking item's key (DynamoDB JSON), false for locks, catalogs, …"""
    partition, sort = _string(keys, items.PK), _string(keys, items.SK)
    return partition.startswith(TENANT_PARTITION_PREFIX) and sort.startswith(items.BOOKING_PREFIX)


def booking_from_image(image: Mapping[str, Any] | None) -> Booking | None:
    """The ``Booking`` in a stream image, or None for a missing image (insert/remove)."""
    if not image:
        return None
    return items.model_from_item(Booking, dict(image))


def request_id_of(image: Mapping[str, Any] | None) -> str | None:
    """The id of the API request that wrote this image (``booking.correlation``), if any."""
    return _string(image, correlation.REQUEST_ID_ATTRIBUTE) or None if image else None
