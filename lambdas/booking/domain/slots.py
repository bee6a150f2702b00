"""Which starts a professional can take: the slot search and the rule for one start.

For a window: the professional's working hours (local wall-clock ranges per weekday)
become instants, then breaks, time off, the clinic's closures and existing bookings
are subtracted. Existing
bookings are their *blocked* ranges (their own buffers included) widened by the *new*
treatment's buffers, so the new booking's buffers never overlap another booking's
blocked range (exactly the lock cells' rule). A start is bookable when ``[start, start
+ duration)`` fits in one free interval, it lies on the slot-step grid of the tenant's
local day, and it respects minimum notice and horizon.

Working hours are the instants whose wall time lies in a range (so every minute of an
offered appointment reads as working time on the clinic's clock); a break is one
unbroken pause from the first instant its start is on the clock to the last instant
before its end, so the repeated autumn hour never punches a hole into it.

``unbookable_reason`` applies the same rules to one candidate start, so a start is
accepted by the booking service exactly when ``available_starts`` would list it.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from booking.domain.errors import DomainError, InvalidValue, SlotTaken
from booking.domain.intervals import Interval, intersect, merge, subtract
from booking.domain.models import (
    Booking,
    Professional,
    Tenant,
    TenantPolicy,
    TimeOff,
    TimeRange,
    Treatment,
)
from booking.domain.zoned_time import (
    OffsetSegment,
    exact_instant,
    local_days,
    offset_segments,
    wall_range_instants,
)


@dataclass(frozen=True)
class Calendar:
    """Everything that decides which starts a professional can take for one treatment."""

    tenant: Tenant
    professional: Professional
    treatment: Treatment
    bookings: Sequence[Booking]  # live bookings near the window (others are ignored)
    now: datetime
    closures: Sequence[TimeOff] = ()  # the whole clinic's closed times

    @property
    def zone(self) -> ZoneInfo:
        return self.tenant.zone

    @property
    def policy(self) -> TenantPolicy:
        return self.tenant.policy

    @property
    def duration(self) -> timedelta:
        return timedelta(minutes=self.treatment.duration_minutes)

    @property
    def earliest_start(self) -> datetime:
        return self.now.astimezone(UTC) + timedelta(minutes=self.policy.minimum_notice_minutes)

    @property
    def latest_start(self) -> datetime:
        return self.now.astimezone(UTC) + timedelta(days=self.policy.booking_horizon_days)

    @property
    def step(self) -> timedelta:
        return timedelta(minutes=self.policy.slot_step_minutes)

    def booking_holes(self, ignore_booking_id: str | None = None) -> list[Interval]:
        """Existing live bookings' blocked ranges widened by the new treatment's buffers
        (only live bookings hold cells)."""
        before = timedelta(minutes=self.treatment.buffer_before_minutes)
        after = timedelta(minutes=self.treatment.buffer_after_minutes)
        return merge(
            Interval(
                booking.blocked_start.astimezone(UTC) - after, booking.blocked_end.astimezone(UTC) + before
            )
            for booking in self.bookings
            if booking.is_live and booking.id != ignore_booking_id
        )

    def time_off(self) -> list[Interval]:
        return _instants(self.professional.time_off)

    def closed(self) -> list[Interval]:
        return _instants(self.closures)


def _instants(ranges: Iterable[TimeOff]) -> list[Interval]:
    return merge(Interval(item.start.astimezone(UTC), item.end.astimezone(UTC)) for item in ranges)


def _weekly_instants(
    days: Iterable[date],
    ranges_of: Sequence[Sequence[TimeRange]],
    segments: Sequence[OffsetSegment],
    *,
    unbroken: bool = False,
) -> list[Interval]:
    """The instants of weekly wall-clock ranges on ``days``. ``unbroken``: each range is
    one span from its first to its last instant (a pause), else exactly the instants
    whose wall time is in the range (on a fall-back day a range starting inside the
    repeated hour is two pieces with the second occurrence of the hour's start between)."""
    pieces: list[Interval] = []
    for day in days:
        for time_range in ranges_of[day.weekday()]:
            instants = wall_range_instants(day, time_range.start, time_range.end, segments)
            if unbroken and instants:
                instants = [Interval(instants[0].start, instants[-1].end)]
            pieces += instants
    return merge(pieces)


def _working_and_breaks(
    calendar: Calendar, days: Sequence[date], segments: Sequence[OffsetSegment]
) -> tuple[list[Interval], list[Interval]]:
    professional = calendar.professional
    working = _weekly_instants(days, [professional.working_hours.for_weekday(d) for d in range(7)], segments)
    # A break is a pause: from 01:05 to 02:00 on a fall-back night it also covers the
    # second 01:00-01:05, which a wall-time reading would leave bookable.
    breaks = _weekly_instants(
        days, [professional.breaks.for_weekday(d) for d in range(7)], segments, unbroken=True
    )
    return working, breaks


def free_intervals(
    calendar: Calendar, window: Interval, ignore_booking_id: str | None = None
) -> list[Interval]:
    """Working time in the window minus breaks, time off and (widened) bookings."""
    segments = offset_segments(calendar.zone, window)
    days = local_days(calendar.zone, window)
    working, breaks = _working_and_breaks(calendar, days, segments)
    holes = breaks + calendar.time_off() + calendar.closed() + calendar.booking_holes(ignore_booking_id)
    return subtract(working, holes)


def available_starts(
    calendar: Calendar, window: Interval, ignore_booking_id: str | None = None
) -> list[datetime]:
    """Every bookable start in ``window`` (UTC instants, ascending)."""
    if not _bookable_at_all(calendar):
        return []
    segments = offset_segments(calendar.zone, window)
    earliest = max(window.start, calendar.earliest_start)
    starts: list[datetime] = []
    for free in free_intervals(calendar, window, ignore_booking_id):
        day = free.start.astimezone(calendar.zone).date()
        midnight = datetime.combine(day, time(0))
        latest = min(free.end - calendar.duration, calendar.latest_start)
        for segment in segments:
            part_start = max(free.start, segment.span.start, earliest)
            part_end = min(free.end, segment.span.end, window.end)  # a start lies in [part_start, part_end)
            if part_start >= part_end or part_start > latest:
                continue
            # The grid of this day in this segment: wall midnight + k * step.
            base = (midnight - segment.offset).replace(tzinfo=UTC)
            k = -((base - part_start) // calendar.step)
            candidate = base + k * calendar.step
            while candidate < part_end and candidate <= latest:
                starts.append(candidate)
                candidate += calendar.step
    return sorted(starts)


def _bookable_at_all(calendar: Calendar) -> bool:
    return (
        calendar.professional.active
        and calendar.treatment.active
        and calendar.treatment.id in calendar.professional.treatment_ids
    )


def treatment_problem(professional: Professional, treatment: Treatment) -> DomainError | None:
    """Why this professional cannot be booked for this treatment at all, if so."""
    if not professional.active:
        return InvalidValue("the professional is not active", code="PROFESSIONAL_INACTIVE")
    if not treatment.active:
        return InvalidValue("the treatment is not active", code="TREATMENT_INACTIVE")
    if treatment.id not in professional.treatment_ids:
        return InvalidValue(
            "the professional does not perform this treatment", code="TREATMENT_NOT_PERFORMED"
        )
    return None


def unbookable_reason(
    calendar: Calendar, start: datetime, ignore_booking_id: str | None = None
) -> DomainError | None:
    """Why ``start`` cannot be booked, or ``None`` when ``available_starts`` would list it.

    Checks in the order a person would want to hear about them; the existing bookings
    of ``calendar`` are checked last (an empty list leaves that to the lock cells)."""
    problem = treatment_problem(calendar.professional, calendar.treatment)
    if problem is not None:
        return problem
    try:
        start = exact_instant(start)
    except InvalidValue as error:
        return error
    if start < calendar.now.astimezone(UTC):
        return InvalidValue("the start is in the past", code="START_IN_PAST")
    if start < calendar.earliest_start:
        return InvalidValue(
            f"bookings need {calendar.policy.minimum_notice_minutes} minutes' notice", code="MINIMUM_NOTICE"
        )
    if start > calendar.latest_start:
        return InvalidValue(
            f"bookings open at most {calendar.policy.booking_horizon_days} days ahead", code="BEYOND_HORIZON"
        )
    wall = start.astimezone(calendar.zone)
    minutes = wall.hour * 60 + wall.minute
    if wall.second or wall.microsecond or minutes % calendar.policy.slot_step_minutes:
        return InvalidValue(
            f"starts fall on a {calendar.policy.slot_step_minutes}-minute grid of the tenant's local day",
            code="OFF_SLOT_GRID",
        )
    appointment = Interval(start, start + calendar.duration)
    if intersect([appointment], calendar.closed()):
        return InvalidValue("the clinic is closed at that time", code="CLINIC_CLOSED")
    day_window = Interval(start, appointment.end)
    segments = offset_segments(calendar.zone, day_window)
    working, breaks = _working_and_breaks(calendar, [wall.date()], segments)
    if not any(interval.contains(appointment) for interval in working):
        return InvalidValue(
            "the time is outside the professional's working hours", code="OUTSIDE_WORKING_HOURS"
        )
    if intersect([appointment], breaks):
        return InvalidValue("the time overlaps the professional's break", code="IN_BREAK")
    if intersect([appointment], calendar.time_off()):
        return InvalidValue("the professional is off at that time", code="TIME_OFF")
    if intersect([appointment], calendar.booking_holes(ignore_booking_id)):
        return SlotTaken("the time is already booked")
    return None
