"""The Idempotency-Key of a booking request: its format, the request's fingerprint, and
the replay of the answer an earlier request with the same key got.

The repository stores one record per tenant, caller and key, written in the booking's
own transaction and expiring after the function's TTL (``BookingsSettings``). A retry
that finds it gets the original booking; the same key with another request is refused.
"""

from __future__ import annotations

import hashlib
import json
import re
from datetime import UTC, datetime

from booking.domain.commands import CreateBooking
from booking.domain.errors import BadRequest, ConcurrentModification, IdempotencyKeyReused
from booking.domain.models import Booking
from booking.domain.ports import BookingRepository
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


def request_hash(tenant_id: str, patient_id: str, request: CreateBooking) -> str:
    """A stable fingerprint of what was asked (the start normalised to UTC)."""
    canonical = {
        "tenantId": tenant_id,
        "patientId": patient_id,
        "professionalId": request.professional_id,
        "treatmentId": request.treatment_id,
        "start": request.start.astimezone(UTC).isoformat(),
        "notes": request.notes,
    }
    return hashlib.sha256(json.dumps(canonical, sort_keys=True).encode()).hexdigest()


def replay(
    bookings: BookingRepository, principal: Principal, key: str, fingerprint: str, now: datetime
) -> Booking | None:
    """The booking an unexpired earlier request with this key made, if any."""
    record = bookings.get_idempotency(principal.tenant_id, principal.user_id, key)
    if record is None or utc(record.expires_at) <= utc(now):
        return None
    if record.request_hash != fingerprint:
        raise IdempotencyKeyReused("this Idempotency-Key was used with a different request")
    booking = bookings.get(principal.tenant_id, record.booking_id)
    if booking is None:
        raise ConcurrentModification("the original booking of this Idempotency-Key is gone")
    return booking
