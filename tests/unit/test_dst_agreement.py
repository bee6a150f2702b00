"""Availability and booking agree on DST nights: the two cases the property tests found,
pinned with explicit datetimes so they can never come back silently."""

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import pytest
from booking.domain.commands import CreateBooking, GetAvailability, RescheduleBooking
from booking.domain.errors import DomainError, InvalidValue
from booking.domain.models import TenantPolicy, Treatment, WeeklySchedule
from booking.domain.roles import Role

from tests.factories import CLEANING, PATIENT_ID, PRO, TENANT, clinic, hours, principal

RECEPTION = principal(Role.RECEPTION)
MADRID = ZoneInfo("Europe/Madrid")
NEW_YORK = ZoneInfo("America/New_York")
HOURLY = TenantPolicy(slot_step_minutes=60, minimum_notice_minutes=0, booking_horizon_days=366)
FIVE_MINUTES = TenantPolicy(slot_step_minutes=5, minimum_notice_minutes=0, booking_horizon_days=366)
# "now" is the day before both transitions, so notice and horizon never interfere.
MADRID_NIGHT_BEFORE_SPRING = datetime(2026, 3, 28, 12, 0, tzinfo=UTC)
MADRID_NIGHT_BEFORE_AUTUMN = datetime(2026, 10, 24, 12, 0, tzinfo=UTC)
NEW_YORK_NIGHT_BEFORE_AUTUMN = datetime(2026, 10, 31, 12, 0, tzinfo=UTC)


def offered(world, day: date) -> list[datetime]:
    _, slots = world.availability_service().slots(
        RECEPTION, GetAvailability(professional_id=PRO, treatment_id=CLEANING, from_=day, to=day)
    )
    return [slot.start for slot in slots]


def book(world, start: datetime, key: str = "k"):
    request = CreateBooking(professional_id=PRO, treatment_id=CLEANING, start=start, patient_id=PATIENT_ID)
    return world.booking_service().create(RECEPTION, request, key).booking


def refusal(world, start: datetime, key: str = "refused") -> str:
    with pytest.raises(DomainError) as raised:
        book(world, start, key)
    return raised.value.code


def madrid_night(now: datetime):
    return clinic(
        policy=HOURLY,
        working_hours=WeeklySchedule(sunday=hours(("00:00", "05:00"))),
        treatment=Treatment(id=CLEANING, tenant_id=TENANT, name="Cleaning", duration_minutes=60),
        now=now,
    )


def test_a_madrid_wall_time_skipped_by_spring_forward_is_neither_offered_nor_booked():
    world = madrid_night(MADRID_NIGHT_BEFORE_SPRING)
    skipped = datetime(2026, 3, 29, 2, 0, tzinfo=MADRID)  # the clocks jump from 02:00 to 03:00
    slots = offered(world, date(2026, 3, 29))
    assert skipped not in slots
    assert refusal(world, skipped) == "NONEXISTENT_LOCAL_TIME"
    assert world.bookings.bookings == {}
    # The instant Python would quietly make of it (03:00 CEST) is offered, and bookable as such.
    assert datetime.fromisoformat("2026-03-29T03:00:00+02:00") in slots
    assert book(world, datetime.fromisoformat("2026-03-29T03:00:00+02:00")).start.hour == 3


@pytest.mark.parametrize("fold", [0, 1])
def test_a_madrid_wall_time_repeated_by_fall_back_is_refused_but_both_instants_are_bookable(fold):
    world = madrid_night(MADRID_NIGHT_BEFORE_AUTUMN)
    repeated = datetime(2026, 10, 25, 2, 0, fold=fold, tzinfo=MADRID)
    slots = offered(world, date(2026, 10, 25))
    assert repeated not in slots  # Python: a wall time in a fold equals no instant of another zone
    assert refusal(world, repeated) == "AMBIGUOUS_LOCAL_TIME"
    summer = datetime.fromisoformat("2026-10-25T02:00:00+02:00")
    winter = datetime.fromisoformat("2026-10-25T02:00:00+01:00")
    assert summer in slots
    assert winter in slots
    assert book(world, summer, "summer").start == summer
    assert book(world, winter, "winter").start == winter


def test_a_reschedule_to_a_repeated_wall_time_is_refused_even_onto_its_own_start():
    world = madrid_night(MADRID_NIGHT_BEFORE_AUTUMN)
    booking = book(world, datetime.fromisoformat("2026-10-25T02:00:00+02:00"))
    service = world.booking_service()
    for fold in (0, 1):
        move = RescheduleBooking(start=datetime(2026, 10, 25, 2, 0, fold=fold, tzinfo=MADRID))
        with pytest.raises(InvalidValue) as raised:
            service.reschedule(RECEPTION, booking.id, move)
        assert raised.value.code == "AMBIGUOUS_LOCAL_TIME"


def test_a_new_york_break_from_01_05_to_02_00_covers_the_whole_repeated_hour_on_fall_back_night():
    """The clocks read 01:05 first at 05:05 UTC and 02:00 only at 07:00 UTC: the pause
    between is unbroken, including the second 01:00-01:05 (06:00-06:05 UTC)."""
    world = clinic(
        time_zone="America/New_York",
        policy=FIVE_MINUTES,
        working_hours=WeeklySchedule(sunday=hours(("00:00", "05:00"))),
        breaks=WeeklySchedule(sunday=hours(("01:05", "02:00"))),
        treatment=Treatment(id=CLEANING, tenant_id=TENANT, name="Cleaning", duration_minutes=5),
        now=NEW_YORK_NIGHT_BEFORE_AUTUMN,
    )
    slots = [slot.astimezone(UTC) for slot in offered(world, date(2026, 11, 1))]
    second_one_oclock = datetime(2026, 11, 1, 6, 0, tzinfo=UTC)  # 01:00 EST
    assert second_one_oclock not in slots
    assert refusal(world, second_one_oclock) == "IN_BREAK"
    assert datetime(2026, 11, 1, 5, 0, tzinfo=UTC) in slots  # 01:00 EDT, before the break
    assert datetime(2026, 11, 1, 7, 0, tzinfo=UTC) in slots  # 02:00 EST, the break is over
    pause = (datetime(2026, 11, 1, 5, 5, tzinfo=UTC), datetime(2026, 11, 1, 7, 0, tzinfo=UTC))
    assert [slot for slot in slots if pause[0] <= slot < pause[1]] == []
