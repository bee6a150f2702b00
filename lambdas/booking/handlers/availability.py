"""Lambda entry point of the ``availability`` function."""

from __future__ import annotations

from booking.domain.access import Action
from booking.domain.availability import AvailabilityService
from booking.handlers import dependencies
from booking.handlers.http import Call, HttpFunction
from booking.schemas import Availability, AvailabilityQuery

function = HttpFunction("availability")


@function.operation(Action.GET_AVAILABILITY)
def get_availability(call: Call) -> Availability:
    wiring = dependencies.current(function.name)
    query = call.query_as(AvailabilityQuery)
    tenant, slots = AvailabilityService(wiring.catalog, wiring.bookings, wiring.clock).slots(
        call.caller, query
    )
    return Availability(
        professional_id=query.professional_id,
        treatment_id=query.treatment_id,
        time_zone=tenant.time_zone,
        slots=slots,
    )


handler = function.build()
