"""The Idempotency-Key of a booking request: its format, the request's fingerprint, and
the replay of the answer an earlier request with the same key got.

The repository stores one record per tenant, caller and key, written in the booking's
own transaction (a create's or a reschedule's) and expiring after the function's TTL
(``BookingsSettings``). A retry that finds it gets the booking; the same key with
another request (another body, or a create's key on a reschedule) is refused.
"""

from __future__ import annotations

import hashlib
import json
import re
from datetime import UTC, datetime
from typing import Any

from booking.domain.commands import CreateBooking, RescheduleBooking
from booking.domain.errors import BadRequest, ConcurrentModification, IdempotencyKeyReused
from booking.domain.models import Booking
from booking.domain.ports import BookingRepository, IdempotencyRecord
from booking.domain.principal import Principal
from booking.domain.zoned_time import utc

IDEMPOTENCY_KEY = re.compile(r"^[A-Za-z0-9_.:-]{1,128}$")


def checked_key(key: str | None) -> str:
    """The header's value, if it is a usable key."""
    if not key:
        raise BadRequest("the Idempotency-Key header is required", code="IDEMPOTENCY_KEY_REQUIRED")
    if not IDEMPOTENCY_KEY.fullmatch(key):
        raise BadRequest(
            "the Idempotency-Key must be 1-128 characters of letters, digits and _.:-",
            code="INVALID_IDEMPOTENCY_KEY",
        )
    return key


def _digest(canonical: dict[str, Any]) -> str:
    return hashlib.sha256(json.dumps(canonical, sort_keys=True).encode()).hexdigest()


def request_hash(tenant_id: str, patient_id: str, request: CreateBooking) -> str:
    """A stable fingerprint of what was asked (the start normalised to UTC)."""
    return _digest(
        {
            "tenantId": tenant_id,
            "patientId": patient_id,
            "professionalId": request.professional_id,
            "treatmentId": request.treatment_id,
            "start": request.start.astimezone(UTC).isoformat(),
            "notes": request.notes,
        }
    )


def reschedule_hash(tenant_id: str, booking_id: str, request: RescheduleBooking) -> str:
    """A reschedule's fingerprint; never equal to a create's (another operation)."""
    return _digest(
        {
            "operation": "rescheduleBooking",
            "tenantId": tenant_id,
            "bookingId": booking_id,
            "professionalId": request.professional_id,
            "start": request.start.astimezone(UTC).isoformat(),
        }
    )


def replayed(
    bookings: BookingRepository,
    principal: Principal,
    record: IdempotencyRecord | None,
    fingerprint: str,
    now: datetime,
    known: Booking | None = None,
) -> Booking | None:
    """The booking of an unexpired earlier request's ``record``, if any (``known`` when
    it is that booking, already read)."""
    if record is None or utc(record.expires_at) <= utc(now):
        return None
    if record.request_hash != fingerprint:
        raise IdempotencyKeyReused("this Idempotency-Key was used with a different request")
    if known is not None and known.id == record.booking_id:
        return known
    booking = bookings.get(principal.tenant_id, record.booking_id)
    if booking is None:
        raise ConcurrentModification("the original booking of this Idempotency-Key is gone")
    return booking


def replay(
    bookings: BookingRepository, principal: Principal, key: str, fingerprint: str, now: datetime
) -> Booking | None:
    """The booking an unexpired earlier request with this key made, if any."""
    record = bookings.get_idempotency(principal.tenant_id, principal.user_id, key)
    return replayed(bookings, principal, record, fingerprint, now)
