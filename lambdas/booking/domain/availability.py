"""Bookable start times, by interval arithmetic in the tenant's time zone.

For a window of at most 31 days: the professional's working hours (local wall-clock
ranges per weekday) become instants, then breaks, time off and existing bookings are
subtracted. Existing bookings are their *blocked* ranges (their own buffers included)
widened by the *new* treatment's buffers, so the new booking's buffers never overlap
another booking's blocked range (exactly the lock cells' rule). A start is bookable
when ``[start, start + duration)`` fits in one free interval, it lies on the slot-step
grid of the tenant's local day, and it respects minimum notice and horizon.

All instants are handled in UTC: Python compares and subtracts two datetimes sharing
one ``ZoneInfo`` by wall time, which is wrong across DST.

Local wall time and instants are related through the zone's UTC-offset *segments*
(maximal spans of constant offset), so days with a DST change are exact: a wall time
that does not exist contributes no instant, a repeated wall time contributes both.
Working hours are the instants whose wall time lies in a range (so every minute of an
offered appointment reads as working time on the clinic's clock); a break is one
unbroken pause from the first instant its start is on the clock to the last instant
before its end, so the repeated autumn hour never punches a hole into it.

``unbookable_reason`` applies the same rules to one candidate start, so a start is
accepted by the booking service exactly when it would be listed here. A start is an
*instant*: the API receives ISO-8601 values with an offset. A datetime whose offset
depends on ``fold`` (a zone-aware wall time that DST skips or repeats) names no single
instant (Python never finds it equal to any instant in another zone), so it is refused
rather than silently resolved to one of them.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo

from booking.domain.access import Action, authorize
from booking.domain.catalogs import load_booking_context
from booking.domain.commands import GetAvailability
from booking.domain.errors import DomainError, InvalidValue, SlotTaken
from booking.domain.intervals import Interval, intersect, merge, subtract
from booking.domain.models import (
    MAX_BLOCKED_MINUTES,
    Booking,
    Professional,
    Slot,
    Tenant,
    TenantPolicy,
    TimeRange,
    Treatment,
)
from booking.domain.ports import BookingRepository, CatalogRepository, Clock
from booking.domain.principal import Principal

MAX_WINDOW_DAYS = 31
# Offsets are sampled this often to find DST transitions; zones change offset at most
# a few times a year, never twice within six hours.
_SAMPLE_STEP = timedelta(hours=6)


@dataclass(frozen=True)
class OffsetSegment:
    """A span of instants during which the zone's UTC offset is constant."""

    span: Interval
    offset: timedelta


def _offset(zone: ZoneInfo, instant: datetime) -> timedelta:
    offset = instant.astimezone(zone).utcoffset()
    assert offset is not None  # a ZoneInfo always answers for an aware instant
    return offset


def local_instant(instant: datetime, zone: ZoneInfo) -> datetime:
    """``instant`` shown in ``zone`` with a fixed UTC offset (e.g. ``10:00+01:00``).

    A fixed offset, not the ``ZoneInfo``: two datetimes sharing one ``ZoneInfo`` are
    subtracted and compared by wall time, so 02:00 CEST and 02:00 CET would be equal."""
    offset = _offset(zone, instant)
    return instant.astimezone(timezone(offset))


def exact_instant(value: datetime) -> datetime:
    """``value`` in UTC, refusing a wall time that names no single instant.

    Only zone-aware values whose zone has DST can be affected: a time inside a
    spring-forward gap does not exist, one inside the repeated fall-back hour exists
    twice. Fixed-offset values (everything the API parses) always pass."""
    offset, other_fold_offset = value.utcoffset(), value.replace(fold=1 - value.fold).utcoffset()
    if offset is None:
        raise InvalidValue("a time needs a UTC offset", code="NAIVE_DATETIME")
    if offset != other_fold_offset:
        instant = value.astimezone(UTC)
        if instant.astimezone(value.tzinfo).replace(tzinfo=None) != value.replace(tzinfo=None, fold=0):
            raise InvalidValue(
                f"{value.replace(tzinfo=None).isoformat()} does not exist in {value.tzinfo} "
                "(the clocks skip it); send the instant with its UTC offset",
                code="NONEXISTENT_LOCAL_TIME",
            )
        raise InvalidValue(
            f"{value.replace(tzinfo=None).isoformat()} happens twice in {value.tzinfo} "
            "(the clocks go back); send the instant with its UTC offset",
            code="AMBIGUOUS_LOCAL_TIME",
        )
    return value.astimezone(UTC)


def _transition_after(zone: ZoneInfo, low: datetime, high: datetime) -> datetime:
    """The first instant in ``(low, high]`` whose offset differs from ``low``'s (binary search
    to the second; transitions happen on whole seconds)."""
    before = _offset(zone, low)
    low_s, high_s = int(low.timestamp()), int(high.timestamp())
    while high_s - low_s > 1:
        middle = (low_s + high_s) // 2
        if _offset(zone, datetime.fromtimestamp(middle, UTC)) == before:
            low_s = middle
        else:
            high_s = middle
    return datetime.fromtimestamp(high_s, UTC)


def offset_segments(zone: ZoneInfo, span: Interval) -> list[OffsetSegment]:
    """The constant-offset segments covering ``span`` (widened by a day on each side, so
    that every wall time of every day touching ``span`` is covered)."""
    start = span.start.astimezone(UTC).replace(microsecond=0) - timedelta(days=1)
    end = span.end.astimezone(UTC) + timedelta(days=1)
    segments: list[OffsetSegment] = []
    segment_start, current = start, _offset(zone, start)
    probe = start
    while probe < end:
        following = min(probe + _SAMPLE_STEP, end)
        if _offset(zone, following) != current:
            change = _transition_after(zone, probe, following)
            segments.append(OffsetSegment(Interval(segment_start, change), current))
            segment_start, current = change, _offset(zone, change)
        probe = following
    segments.append(OffsetSegment(Interval(segment_start, end), current))
    return segments


def wall_range_instants(
    day: date, start: time | timedelta, end: time | timedelta, segments: Sequence[OffsetSegment]
) -> list[Interval]:
    """The instants whose local wall time on ``day`` is in ``[start, end)``.

    Exact across DST: in each constant-offset segment the wall range maps to one UTC
    range, clipped to the segment. A range inside a spring-forward gap yields nothing;
    one inside a fall-back overlap yields both occurrences.
    """
    midnight = datetime.combine(day, time(0))
    wall_start = midnight + (_since_midnight(start) if isinstance(start, time) else start)
    wall_end = midnight + (_since_midnight(end) if isinstance(end, time) else end)
    pieces = []
    for segment in segments:
        candidate = Interval(
            (wall_start - segment.offset).replace(tzinfo=UTC), (wall_end - segment.offset).replace(tzinfo=UTC)
        )
        if candidate.overlaps(segment.span):
            pieces.append(
                Interval(max(candidate.start, segment.span.start), min(candidate.end, segment.span.end))
            )
    return merge(pieces)


def _since_midnight(value: time) -> timedelta:
    return timedelta(hours=value.hour, minutes=value.minute, seconds=value.second)


def day_instants(day: date, segments: Sequence[OffsetSegment]) -> list[Interval]:
    return wall_range_instants(day, timedelta(0), timedelta(days=1), segments)


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
    days = _local_days(zone, Interval(window_start, window_end))
    # Either measure may reach 31: a month of whole local days is longer than 31 * 24 h
    # when it contains a fall-back change, and 31 * 24 h from mid-day touches 32 days.
    if window_end - window_start > timedelta(days=MAX_WINDOW_DAYS) and len(days) > MAX_WINDOW_DAYS:
        raise InvalidValue(f"the range must not exceed {MAX_WINDOW_DAYS} days", code="RANGE_TOO_LONG")
    return Interval(window_start, window_end)


def _rough_instant(value: date | datetime, zone: ZoneInfo) -> datetime:
    if isinstance(value, datetime):
        return value.astimezone(UTC)
    return datetime.combine(value, time(0), tzinfo=zone).astimezone(UTC)


def _local_days(zone: ZoneInfo, window: Interval) -> list[date]:
    first = window.start.astimezone(zone).date()
    last = (window.end - timedelta(microseconds=1)).astimezone(zone).date()
    return [first + timedelta(days=offset) for offset in range((last - first).days + 1)]


@dataclass(frozen=True)
class Calendar:
    """Everything that decides which starts a professional can take for one treatment."""

    tenant: Tenant
    professional: Professional
    treatment: Treatment
    bookings: Sequence[Booking]  # live bookings near the window (others are ignored)
    now: datetime

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
        return merge(
            Interval(item.start.astimezone(UTC), item.end.astimezone(UTC))
            for item in self.professional.time_off
        )


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
    days = _local_days(calendar.zone, window)
    working, breaks = _working_and_breaks(calendar, days, segments)
    holes = breaks + calendar.time_off() + calendar.booking_holes(ignore_booking_id)
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


# How far outside a window an existing booking can still matter: a blocked range, plus
# the new treatment's buffers, is never longer than this.
_NEIGHBOURHOOD = timedelta(minutes=2 * MAX_BLOCKED_MINUTES)


@dataclass(frozen=True)
class AvailabilityService:
    catalog: CatalogRepository
    bookings: BookingRepository
    clock: Clock

    def slots(self, principal: Principal, query: GetAvailability) -> tuple[Tenant, list[Slot]]:
        """The bookable slots (in the tenant's zone) of a window of at most 31 days."""
        authorize(principal, Action.GET_AVAILABILITY)
        tenant, professional, treatment = load_booking_context(
            self.catalog, principal.tenant_id, query.professional_id, query.treatment_id
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
        calendar = Calendar(tenant, professional, treatment, nearby, self.clock.now())
        duration = calendar.duration
        return tenant, [
            Slot(start=local_instant(slot, tenant.zone), end=local_instant(slot + duration, tenant.zone))
            for slot in available_starts(calendar, window)
        ]
