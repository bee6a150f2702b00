"""A booking that has already begun, for the pages that act only on those (staff mark
a booking completed or no-show once it started).

The API books only future starts, and the devstack's clock is the machine's, so the
booking is made as the clinic would have made it a week ago: the Lambda's own booking
service, with its DynamoDB adapters on the devstack's table and a clock set back. Every
rule (hours, buffers, lock cells, the caller's admission) applies as it did then; only
"now" differs.
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from booking.adapters.dynamodb_bookings import DynamoBookingRepository
from booking.adapters.dynamodb_catalog import DynamoCatalogRepository
from booking.adapters.dynamodb_context import DynamoContextReader
from booking.adapters.dynamodb_table import DynamoTable
from booking.adapters.system import RandomIds
from booking.domain.availability import AvailabilityService
from booking.domain.bookings import BookingService
from booking.domain.commands import CreateBooking, GetAvailability
from booking.domain.models import Booking
from booking.domain.principal import Principal
from booking.domain.roles import Role

from tests.e2e.conftest import Devstack
from tests.fakes import FixedClock
from tests.forged_tokens import unverified_claims

DAYS_BACK = 8  # a week of days to find a free slot in, all of them past


def book_in_the_past(
    devstack: Devstack, *, professional_id: str, treatment_id: str, booked_by: str = "Reception"
) -> Booking:
    """A confirmed booking of the demo patient that started within the last week,
    made by a ``booked_by`` demo user as if it were ``DAYS_BACK`` days ago."""
    claims = unverified_claims(devstack.token(booked_by))
    principal = Principal(
        user_id=str(claims["sub"]),
        tenant_id=str(claims["custom:tenant_id"]),
        role=Role(booked_by),
        email=str(claims.get("email")),
    )
    table = DynamoTable(devstack.outputs.table_name, client=devstack.client("dynamodb"))
    then = FixedClock(datetime.now(UTC) - timedelta(days=DAYS_BACK))
    bookings = DynamoBookingRepository(table, now=then.now)
    context = DynamoContextReader(table)
    time_zone = ZoneInfo(devstack.api.get("/tenant", devstack.token(booked_by)).json()["timeZone"])
    today = datetime.now(time_zone).date()
    window = GetAvailability.model_validate(
        {
            "professionalId": professional_id,
            "treatmentId": treatment_id,
            "from": (today - timedelta(days=DAYS_BACK - 1)).isoformat(),
            "to": (today - timedelta(days=1)).isoformat(),
        }
    )
    _tenant, slots = AvailabilityService(context, bookings, then).slots(principal, window)
    assert slots, f"{professional_id} had no free {treatment_id} slot in the last week"
    service = BookingService(DynamoCatalogRepository(table), bookings, context, then, RandomIds())
    request = CreateBooking.model_validate(
        {
            "professionalId": professional_id,
            "treatmentId": treatment_id,
            "start": slots[-1].start,  # the latest: yesterday's, if the professional worked then
            "patientId": devstack.user_id("Patient"),
        }
    )
    return service.create(principal, request, uuid.uuid4().hex).booking
