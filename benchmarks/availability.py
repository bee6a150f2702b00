"""Availability for 31 days with 200 existing bookings: interval arithmetic against a
naive baseline that checks every candidate slot against every booking, break and time
off, in the same run. Both must return the same slots; the figure is the ratio.

    PYTHONPATH=.:lambdas python -m benchmarks.availability
"""

from __future__ import annotations

import random
import statistics
import timeit
from datetime import UTC, date, datetime, time, timedelta

from booking.domain.availability import resolve_window
from booking.domain.intervals import Interval
from booking.domain.models import (
    Booking,
    Professional,
    Tenant,
    TenantPolicy,
    TimeOff,
    TimeRange,
    Treatment,
    WeeklySchedule,
)
from booking.domain.slots import Calendar, available_starts
from booking.domain.zoned_time import offset_segments, wall_range_instants

BOOKINGS = 200
DAYS = 31
REPEATS = 7


def _clock(text: str) -> time:
    return time.fromisoformat(text)


def build_calendar() -> tuple[Calendar, Interval]:
    """A busy month in Madrid (it includes the spring DST change)."""
    tenant = Tenant(
        id="t",
        name="Clinic",
        time_zone="Europe/Madrid",
        policy=TenantPolicy(slot_step_minutes=15, minimum_notice_minutes=0, booking_horizon_days=366),
    )
    day_hours = [TimeRange(start=_clock("08:00"), end=_clock("20:00"))]
    lunch = [TimeRange(start=_clock("13:00"), end=_clock("14:00"))]
    days = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday")
    professional = Professional(
        id="p",
        tenant_id="t",
        name="Dr",
        working_hours=WeeklySchedule(**dict.fromkeys(days, day_hours)),
        breaks=WeeklySchedule(**dict.fromkeys(days, lunch)),
        time_off=[
            TimeOff(start=datetime(2026, 3, 10, 8, tzinfo=UTC), end=datetime(2026, 3, 11, 20, tzinfo=UTC)),
            TimeOff(start=datetime(2026, 3, 20, 15, tzinfo=UTC), end=datetime(2026, 3, 20, 17, tzinfo=UTC)),
        ],
        treatment_ids=["x"],
    )
    treatment = Treatment(
        id="x",
        tenant_id="t",
        name="Check-up",
        duration_minutes=30,
        buffer_before_minutes=5,
        buffer_after_minutes=10,
    )
    now = datetime(2026, 2, 28, tzinfo=UTC)
    window = resolve_window(tenant.zone, date(2026, 3, 1), date(2026, 3, DAYS))
    rng = random.Random(7)
    bookings: list[Booking] = []
    calendar = Calendar(tenant, professional, treatment, bookings, now)
    candidates = available_starts(calendar, window)
    while len(bookings) < BOOKINGS:  # place them where the domain says they fit
        start = rng.choice(candidates)
        end = start + timedelta(minutes=30)
        bookings.append(
            Booking(
                id=f"b{len(bookings)}",
                tenant_id="t",
                professional_id="p",
                treatment_id="x",
                patient_id="u",
                start=start,
                end=end,
                blocked_start=start - timedelta(minutes=5),
                blocked_end=end + timedelta(minutes=10),
                created_by="u",
                created_at=now,
                updated_at=now,
            )
        )
        candidates = available_starts(Calendar(tenant, professional, treatment, bookings, now), window)
    return Calendar(tenant, professional, treatment, bookings, now), window


def naive_starts(calendar: Calendar, window: Interval) -> list[datetime]:
    """Every 5-minute instant of the window on the local slot grid, tested one by one
    against working hours, every break, every time off and every booking."""
    zone, step = calendar.zone, calendar.policy.slot_step_minutes
    segments = offset_segments(zone, window)
    duration = calendar.duration
    before = timedelta(minutes=calendar.treatment.buffer_before_minutes)
    after = timedelta(minutes=calendar.treatment.buffer_after_minutes)
    working: list[Interval] = []
    breaks: list[Interval] = []
    first_day = window.start.astimezone(zone).date()
    for offset in range((window.end - window.start).days + 2):
        day = first_day + timedelta(days=offset)
        for item in calendar.professional.working_hours.for_weekday(day.weekday()):
            working += wall_range_instants(day, item.start, item.end, segments)
        for item in calendar.professional.breaks.for_weekday(day.weekday()):
            pause = wall_range_instants(day, item.start, item.end, segments)
            if pause:  # a break is one unbroken pause, as in the domain
                breaks.append(Interval(pause[0].start, pause[-1].end))
    starts = []
    candidate = window.start
    while candidate < window.end:
        wall = candidate.astimezone(zone)
        appointment = Interval(candidate, candidate + duration)
        blocked = Interval(candidate - before, appointment.end + after)
        if (
            (wall.hour * 60 + wall.minute) % step == 0
            and calendar.earliest_start <= candidate <= calendar.latest_start
            and any(interval.contains(appointment) for interval in working)
            and not any(interval.overlaps(appointment) for interval in breaks)
            and not any(
                Interval(off.start, off.end).overlaps(appointment) for off in calendar.professional.time_off
            )
            and not any(
                blocked.overlaps(Interval(booking.blocked_start, booking.blocked_end))
                for booking in calendar.bookings
            )
        ):
            starts.append(candidate)
        candidate += timedelta(minutes=5)
    return starts


def main() -> None:
    calendar, window = build_calendar()
    fast = available_starts(calendar, window)
    slow = naive_starts(calendar, window)
    assert fast == slow, "the two computations disagree"
    fast_times = timeit.repeat(lambda: available_starts(calendar, window), number=5, repeat=REPEATS)
    slow_times = timeit.repeat(lambda: naive_starts(calendar, window), number=1, repeat=REPEATS)
    fast_ms = statistics.median(fast_times) / 5 * 1000
    slow_ms = statistics.median(slow_times) * 1000
    print(f"window: {DAYS} days, {len(calendar.bookings)} bookings, {len(fast)} bookable starts")
    print(f"interval arithmetic: {fast_ms:8.2f} ms (median of {REPEATS})")
    print(f"naive per-slot scan: {slow_ms:8.2f} ms (median of {REPEATS})")
    print(f"speed-up: {slow_ms / fast_ms:.1f}x")


if __name__ == "__main__":
    main()
