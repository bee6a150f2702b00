"""Bookable slots of a professional for a treatment, over a window of at most 31 days.

The window is read in the tenant's zone (``zoned_time``), the rules are ``slots``'s,
and only the bookings near the window are loaded. The caller is admitted in the read
of the tenant, professional, treatment and closures (``admission``): two requests in
all, whatever the window.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from booking.domain.access import Action, authorize
from booking.domain.admission import admitted
from booking.domain.commands import GetAvailability
from booking.domain.errors import InvalidValue
from booking.domain.intervals import Interval
from booking.domain.lookups import booking_context
from booking.domain.models import MAX_BLOCKED_MINUTES, Slot, Tenant
from booking.domain.ports import BookingRepository, Clock, ContextReader, ContextRequest
from booking.domain.principal import Principal
from booking.domain.slots import Calendar, available_starts, treatment_problem
from booking.domain.zoned_time import day_instants, exact_instant, local_days, local_instant, offset_segments

MAX_WINDOW_DAYS = 31


def resolve_window(zone: ZoneInfo, start: date | datetime, end: date | datetime) -> Interval:
    """The instants of a query window. Dates are whole tenant-local days, ``end`` inclusive;
    instants are taken as given, ``end`` exclusive. At most ``MAX_WINDOW_DAYS`` days."""
    span_guess = Interval(_rough_instant(start, zone), _rough_instant(end, zone) + timedelta(days=2))
    if span_guess.end <= span_guess.start:
        raise InvalidValue("'to' must not be before 'from'", code="INVALID_RANGE")
    segments = offset_segments(zone, span_guess)
    if isinstance(start, datetime):
        window_start = exact_instant(start)
    else:
        window_start = day_instants(start, segments)[0].start
    window_end = exact_instant(end) if isinstance(end, datetime) else day_instants(end, segments)[-1].end
    if window_end <= window_start:
        raise InvalidValue("'to' must be after 'from'", code="INVALID_RANGE")
    days = local_days(zone, Interval(window_start, window_end))
    # Either measure may reach 31: a month of whole local days is longer than 31 * 24 h
    # when it contains a fall-back change, and 31 * 24 h from mid-day touches 32 days.
    if window_end - window_start > timedelta(days=MAX_WINDOW_DAYS) and len(days) > MAX_WINDOW_DAYS:
        raise InvalidValue(f"the range must not exceed {MAX_WINDOW_DAYS} days", code="RANGE_TOO_LONG")
    return Interval(window_start, window_end)


def _rough_instant(value: date | datetime, zone: ZoneInfo) -> datetime:
    if isinstance(value, datetime):
        return value.astimezone(UTC)
    return datetime.combine(value, time(0), tzinfo=zone).astimezone(UTC)


# How far outside a window an existing booking can still matter: a blocked range, plus
# the new treatment's buffers, is never longer than this.
_NEIGHBOURHOOD = timedelta(minutes=2 * MAX_BLOCKED_MINUTES)


@dataclass(frozen=True)
class AvailabilityService:
    context: ContextReader
    bookings: BookingRepository
    clock: Clock

    def slots(self, principal: Principal, query: GetAvailability) -> tuple[Tenant, list[Slot]]:
        """The bookable slots (in the tenant's zone) of a window of at most 31 days."""
        authorize(principal, Action.GET_AVAILABILITY)
        wanted = ContextRequest(
            principal.tenant_id,
            professional_id=query.professional_id,
            treatment_id=query.treatment_id,
            closures=True,
        )
        context = admitted(self.context, principal, wanted)
        tenant, professional, treatment = booking_context(
            context, principal.tenant_id, query.professional_id, query.treatment_id
        )
        problem = treatment_problem(professional, treatment)
        if problem is not None:
            raise problem
        window = resolve_window(tenant.zone, query.from_, query.to)
        nearby = self.bookings.list_live_for_professional(
            principal.tenant_id,
            professional.id,
            window.start - _NEIGHBOURHOOD,
            window.end + _NEIGHBOURHOOD,
        )
        calendar = Calendar(tenant, professional, treatment, nearby, self.clock.now(), context.closures)
        duration = calendar.duration
        return tenant, [
            Slot(start=local_instant(slot, tenant.zone), end=local_instant(slot + duration, tenant.zone))
            for slot in available_starts(calendar, window)
        ]
