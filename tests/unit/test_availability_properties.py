"""Property tests: availability and the booking service agree, on random calendars in
zones with and without DST, on days with and without a transition."""

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from booking.domain.commands import CancelBooking, CreateBooking, GetAvailability
from booking.domain.errors import DomainError
from booking.domain.models import TenantPolicy, TimeOff, TimeRange, Treatment, WeeklySchedule
from booking.domain.roles import Role
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.factories import CLEANING, PATIENT_ID, PRO, TENANT, clinic, principal

RECEPTION = principal(Role.RECEPTION)
ZONES = ["Europe/Madrid", "America/New_York", "America/Guayaquil", "Asia/Kolkata"]
DAYS = [date(2026, 3, 8), date(2026, 3, 29), date(2026, 10, 25), date(2026, 11, 1), date(2026, 3, 4)]
minutes_of_day = st.integers(0, 286).map(lambda value: value * 5)


@st.composite
def local_ranges(draw, max_size: int) -> list[TimeRange]:
    ranges = []
    for start in draw(st.lists(minutes_of_day, max_size=max_size)):
        end = min(start + draw(st.integers(1, 60)) * 5, 23 * 60 + 55)
        if end > start:
            ranges.append(TimeRange(start=_clock(start), end=_clock(end)))
    return ranges


def _clock(minutes: int) -> time:
    return time(minutes // 60, minutes % 60)


def cell_minutes(low: int, high: int):
    return st.integers(low, high).map(lambda value: value * 5)


@st.composite
def scenarios(draw):
    zone, day = draw(st.sampled_from(ZONES)), draw(st.sampled_from(DAYS))
    weekday = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"][day.weekday()]
    working = draw(local_ranges(3)) or [TimeRange(start=time(0), end=time(23, 55))]
    treatment = Treatment(
        id=CLEANING,
        tenant_id=TENANT,
        name="Cleaning",
        duration_minutes=draw(cell_minutes(1, 18)),
        buffer_before_minutes=draw(cell_minutes(0, 4)),
        buffer_after_minutes=draw(cell_minutes(0, 4)),
    )
    policy = TenantPolicy(
        slot_step_minutes=draw(st.sampled_from([5, 10, 15, 20, 30, 45, 60])),
        minimum_notice_minutes=draw(st.sampled_from([0, 60])),
        booking_horizon_days=366,
    )
    midnight = datetime.combine(day, time(0), tzinfo=ZoneInfo(zone))
    world = clinic(
        time_zone=zone,
        policy=policy,
        working_hours=WeeklySchedule(**{weekday: working}),
        breaks=WeeklySchedule(**{weekday: draw(local_ranges(2))}),
        treatment=treatment,
        # "now" is somewhere in the day, so minimum notice and the past both matter.
        now=(midnight + timedelta(minutes=draw(st.sampled_from([-600, 0, 180, 400])))).astimezone(UTC),
    )
    if draw(st.booleans()):
        start = midnight + timedelta(minutes=draw(minutes_of_day))
        off = TimeOff(start=start, end=start + timedelta(minutes=draw(cell_minutes(1, 36))))
        professional = world.catalog.get_professional(TENANT, PRO)
        world.catalog.put_professional(professional.model_copy(update={"time_off": [off]}))
    # Existing bookings, placed by the service itself wherever it accepts them.
    world.clock.current, now = (midnight - timedelta(days=1)).astimezone(UTC), world.clock.current
    # Mostly inside working hours, where they can land.
    for index, cells in draw(st.lists(st.tuples(st.integers(0, 2), st.integers(0, 40)), max_size=8)):
        opening = working[index % len(working)].start
        offset = opening.hour * 60 + opening.minute + cells * 5
        try_book(world, midnight + timedelta(minutes=offset), key=f"seed-{offset}")
    world.clock.current = now
    probes = [midnight + timedelta(minutes=value) for value in draw(st.lists(minutes_of_day, max_size=15))]
    return world, day, probes


def try_book(world, start: datetime, key: str):
    request = CreateBooking(professional_id=PRO, treatment_id=CLEANING, start=start, patient_id=PATIENT_ID)
    try:
        return world.booking_service().create(RECEPTION, request, key).booking
    except DomainError:
        return None


def offered(world, day: date) -> list[datetime]:
    _, slots = world.availability_service().slots(
        RECEPTION, GetAvailability(professional_id=PRO, treatment_id=CLEANING, from_=day, to=day)
    )
    return [slot.start for slot in slots]


def joined(ranges: list[TimeRange]) -> list[tuple[time, time]]:
    """Working ranges that overlap or touch form one stretch of work."""
    stretches: list[list[time]] = []
    for item in sorted(ranges, key=lambda item: item.start):
        if stretches and item.start <= stretches[-1][1]:
            stretches[-1][1] = max(stretches[-1][1], item.end)
        else:
            stretches.append([item.start, item.end])
    return [(opening, closing) for opening, closing in stretches]


def existing(day: date, wall: time, zone: ZoneInfo) -> datetime | None:
    """The (first) instant of a wall time, or None when DST skips it."""
    instant = datetime.combine(day, wall, tzinfo=zone).astimezone(UTC)
    return instant if instant.astimezone(zone).replace(tzinfo=None) == datetime.combine(day, wall) else None


def overlaps(start, end, other_start, other_end) -> bool:
    return start < other_end and other_start < end


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(scenarios())
def test_no_offered_slot_overlaps_a_booking_a_break_or_time_off_or_leaves_working_hours(scenario):
    world, day, _ = scenario
    professional = world.catalog.get_professional(TENANT, PRO)
    treatment = world.catalog.get_treatment(TENANT, CLEANING)
    zone = world.catalog.get_tenant(TENANT).zone
    live = [booking for booking in world.bookings.bookings.values() if booking.is_live]
    for start in offered(world, day):
        start = start.astimezone(UTC)  # arithmetic on datetimes sharing a ZoneInfo is wall-clock
        end = start + timedelta(minutes=treatment.duration_minutes)
        blocked = (
            start - timedelta(minutes=treatment.buffer_before_minutes),
            end + timedelta(minutes=treatment.buffer_after_minutes),
        )
        assert not any(
            overlaps(*blocked, booking.blocked_start.astimezone(UTC), booking.blocked_end.astimezone(UTC))
            for booking in live
        )
        assert not any(
            overlaps(start, end, off.start.astimezone(UTC), off.end.astimezone(UTC))
            for off in professional.time_off
        )
        # Every minute of the appointment falls, on this local day, inside working hours.
        stretches = joined(professional.working_hours.for_weekday(day.weekday()))
        instant = start
        while instant < end:
            wall = instant.astimezone(zone)
            assert wall.date() == day, (start, end)
            assert any(opening <= wall.time() < closing for opening, closing in stretches), (start, end)
            instant += timedelta(minutes=1)
        for item in professional.breaks.for_weekday(day.weekday()):
            break_start, break_end = existing(day, item.start, zone), existing(day, item.end, zone)
            if break_start and break_end:
                assert not overlaps(start, end, break_start, break_end)
        assert start >= world.clock.now()


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(scenarios())
def test_every_offered_slot_can_be_booked_and_every_other_start_is_refused(scenario):
    world, day, probes = scenario
    slots = offered(world, day)
    for index, start in enumerate(slots):
        booking = try_book(world, start, key=f"slot-{index}")
        assert booking is not None, start
        world.booking_service().cancel(RECEPTION, booking.id, CancelBooking(reason="probe"))
    for index, start in enumerate(probes):
        if start not in slots:
            assert try_book(world, start, key=f"probe-{index}") is None, start
    assert world.bookings.integrity_problems() == []
