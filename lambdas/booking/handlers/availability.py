"""Lambda entry point of the ``availability`` function."""

from __future__ import annotations

from booking import bootstrap
from booking.domain.access import Action
from booking.handlers.http import Call, HttpFunction
from booking.schemas import Availability, AvailabilityQuery

function = HttpFunction("availability")


# The service admits the caller in its read of the tenant, professional and treatment.
@function.operation(Action.GET_AVAILABILITY, admits_caller=True)
def get_availability(call: Call) -> Availability:
    query = call.query_as(AvailabilityQuery)
    tenant, slots = bootstrap.availability().slots(call.caller, query)
    return Availability(
        professional_id=query.professional_id,
        treatment_id=query.treatment_id,
        time_zone=tenant.time_zone,
        slots=slots,
    )


handler = function.build()
