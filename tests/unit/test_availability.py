"""Availability: working hours minus breaks, time off and bookings, on the local grid."""

from datetime import UTC, date, datetime, timedelta

import pytest
from booking.domain.commands import GetAvailability
from booking.domain.errors import InvalidValue, NotFound
from booking.domain.models import Booking, TenantPolicy, TimeOff, Treatment, WeeklySchedule
from booking.domain.roles import Role

from tests.factories import CLEANING, NOW, PATIENT_ID, PRO, TENANT, clinic, hours, principal, weekdays

RECEPTION = principal(Role.RECEPTION)
TUESDAY = date(2026, 3, 3)


def starts(world, day_from, day_to=None, treatment_id=CLEANING, who=RECEPTION):
    _, slots = world.availability_service().slots(
        who,
        GetAvailability(
            professional_id=PRO, treatment_id=treatment_id, from_=day_from, to=day_to or day_from
        ),
    )
    return [slot.start.isoformat() for slot in slots]


def local_times(world, day):
    return [value[11:16] for value in starts(world, day)]


def quarter_hours(first: str, last: str) -> list[str]:
    hour, minute = map(int, first.split(":"))
    values = []
    while f"{hour:02d}:{minute:02d}" <= last:
        values.append(f"{hour:02d}:{minute:02d}")
        hour, minute = (hour + 1, 0) if minute == 45 else (hour, minute + 15)
    return values


def existing_booking(
    world, start: str, minutes: int = 30, before: int = 0, after: int = 0, **extra
) -> Booking:
    begin = datetime.fromisoformat(start)
    booking = Booking(
        id=extra.pop("id", "existing"),
        tenant_id=extra.pop("tenant_id", TENANT),
        professional_id=PRO,
        treatment_id=CLEANING,
        patient_id=PATIENT_ID,
        start=begin,
        end=begin + timedelta(minutes=minutes),
        blocked_start=begin - timedelta(minutes=before),
        blocked_end=begin + timedelta(minutes=minutes + after),
        created_by=PATIENT_ID,
        created_at=NOW,
        updated_at=NOW,
        **extra,
    )
    world.bookings.bookings[(booking.tenant_id, booking.id)] = booking
    return booking


def test_a_working_day_offers_every_step_that_fits_before_each_range_ends():
    world = clinic()
    assert local_times(world, TUESDAY) == quarter_hours("09:00", "12:30") + quarter_hours("14:00", "17:30")
    assert starts(world, TUESDAY)[0] == "2026-03-03T09:00:00+01:00"


def test_slots_report_their_end_in_the_tenant_zone():
    world = clinic()
    _, slots = world.availability_service().slots(
        RECEPTION, GetAvailability(professional_id=PRO, treatment_id=CLEANING, from_=TUESDAY, to=TUESDAY)
    )
    assert slots[0].end.isoformat() == "2026-03-03T09:30:00+01:00"


def test_a_break_removes_every_slot_that_overlaps_it():
    world = clinic(breaks=weekdays(("11:00", "11:15")))
    times = local_times(world, TUESDAY)
    assert "10:30" in times
    assert "10:45" not in times
    assert "11:00" not in times
    assert "11:15" in times


def test_an_existing_booking_blocks_its_range_including_its_own_buffers():
    world = clinic()
    existing_booking(world, "2026-03-03T10:00:00+01:00", before=10, after=5)  # blocks 09:50-10:35
    times = local_times(world, TUESDAY)
    assert "09:15" in times
    assert not {"09:30", "09:45", "10:00", "10:15", "10:30"} & set(times)
    assert "10:45" in times


def test_the_new_treatments_buffers_widen_existing_bookings():
    buffered = Treatment(
        id=CLEANING,
        tenant_id=TENANT,
        name="Cleaning",
        duration_minutes=30,
        buffer_before_minutes=15,
        buffer_after_minutes=15,
    )
    world = clinic(treatment=buffered)
    existing_booking(world, "2026-03-03T10:00:00+01:00", before=10, after=5)  # blocks 09:50-10:35
    times = local_times(world, TUESDAY)
    # The new booking blocks [start - 15, start + 45): it must end before 09:50 or start after 10:35.
    assert "09:00" in times
    assert "09:15" not in times
    assert "10:45" not in times
    assert "11:00" in times


def test_cancelled_bookings_and_other_tenants_bookings_block_nothing():
    world = clinic()
    existing_booking(world, "2026-03-03T10:00:00+01:00", status="cancelled")
    existing_booking(world, "2026-03-03T11:00:00+01:00", id="foreign", tenant_id="clinic-b")
    assert local_times(world, TUESDAY) == quarter_hours("09:00", "12:30") + quarter_hours("14:00", "17:30")


def test_time_off_removes_the_slots_it_overlaps_across_ranges():
    world = clinic()
    professional = world.catalog.get_professional(TENANT, PRO)
    off = TimeOff(
        start=datetime.fromisoformat("2026-03-03T12:10:00+01:00"),
        end=datetime.fromisoformat("2026-03-03T15:00:00+01:00"),
    )
    world.catalog.put_professional(professional.model_copy(update={"time_off": [off]}))
    times = local_times(world, TUESDAY)
    assert times[-13:] == ["11:15", "11:30", *quarter_hours("15:00", "17:30")]  # 11:45 would end 12:15


def test_minimum_notice_hides_slots_that_start_too_soon():
    world = clinic()
    world.clock.current = datetime.fromisoformat("2026-03-03T09:20:00+01:00")
    assert local_times(world, TUESDAY)[0] == "10:30"  # now + 60 minutes = 10:20, next grid point


def test_slots_beyond_the_booking_horizon_are_not_offered():
    world = clinic(policy=TenantPolicy(booking_horizon_days=1))
    assert local_times(world, date(2026, 3, 2))  # today is inside the horizon
    assert local_times(world, TUESDAY) == []  # now + 1 day is Tuesday 07:00, before opening


def test_the_slot_step_is_a_grid_of_the_local_day_not_of_the_working_range():
    world = clinic(policy=TenantPolicy(slot_step_minutes=20), working_hours=weekdays(("09:10", "10:30")))
    assert local_times(world, TUESDAY) == ["09:20", "09:40", "10:00"]


def test_an_instant_window_keeps_only_starts_inside_it():
    world = clinic()
    begin = datetime.fromisoformat("2026-03-03T12:00:00+01:00")
    end = datetime.fromisoformat("2026-03-03T15:00:00+01:00")
    assert [value[11:16] for value in starts(world, begin, end)] == [
        "12:00",
        "12:15",
        "12:30",
        "14:00",
        "14:15",
        "14:30",
        "14:45",
    ]


def test_a_window_of_31_days_is_accepted_and_32_is_refused():
    world = clinic(policy=TenantPolicy(booking_horizon_days=90))
    assert starts(world, date(2026, 3, 1), date(2026, 3, 31))
    with pytest.raises(InvalidValue) as refused:
        starts(world, date(2026, 3, 1), date(2026, 4, 1))
    assert refused.value.code == "RANGE_TOO_LONG"


def test_a_month_with_a_fall_back_change_is_still_31_days():
    world = clinic(policy=TenantPolicy(booking_horizon_days=300))
    assert starts(world, date(2026, 10, 1), date(2026, 10, 31))


def test_a_window_that_ends_before_it_starts_is_refused():
    with pytest.raises(InvalidValue) as refused:
        starts(clinic(), date(2026, 3, 5), date(2026, 3, 3))
    assert refused.value.code == "INVALID_RANGE"


def test_a_treatment_the_professional_does_not_perform_is_refused():
    world = clinic()
    world.catalog.put_treatment(
        Treatment(id="whitening", tenant_id=TENANT, name="Whitening", duration_minutes=60)
    )
    with pytest.raises(InvalidValue) as refused:
        starts(world, TUESDAY, treatment_id="whitening")
    assert refused.value.code == "TREATMENT_NOT_PERFORMED"


def test_another_tenants_professional_is_not_found():
    world = clinic()
    world.catalog.professionals.pop((TENANT, PRO))
    with pytest.raises(NotFound):
        starts(world, TUESDAY)  # PRO still exists in clinic-b


# DST: Europe/Madrid springs forward on 29 March 2026 (02:00 CET -> 03:00 CEST) and
# falls back on 25 October 2026 (03:00 CEST -> 02:00 CET).
NIGHT_SHIFT = WeeklySchedule(sunday=hours(("01:00", "04:00")), friday=hours(("09:00", "10:00")))
HOURLY = TenantPolicy(slot_step_minutes=60, booking_horizon_days=366, minimum_notice_minutes=0)
ONE_HOUR = Treatment(id=CLEANING, tenant_id=TENANT, name="Cleaning", duration_minutes=60)


def test_madrid_spring_forward_skips_the_wall_hour_that_does_not_exist():
    world = clinic(policy=HOURLY, working_hours=NIGHT_SHIFT, treatment=ONE_HOUR)
    assert starts(world, date(2026, 3, 29)) == ["2026-03-29T01:00:00+01:00", "2026-03-29T03:00:00+02:00"]


def test_madrid_fall_back_offers_the_repeated_wall_hour_twice():
    world = clinic(policy=HOURLY, working_hours=NIGHT_SHIFT, treatment=ONE_HOUR)
    assert starts(world, date(2026, 10, 25)) == [
        "2026-10-25T01:00:00+02:00",
        "2026-10-25T02:00:00+02:00",
        "2026-10-25T02:00:00+01:00",
        "2026-10-25T03:00:00+01:00",
    ]


def test_working_hours_stay_at_the_same_local_time_across_a_dst_change():
    world = clinic(policy=HOURLY, working_hours=NIGHT_SHIFT, treatment=ONE_HOUR)
    _, slots = world.availability_service().slots(
        RECEPTION,
        GetAvailability(
            professional_id=PRO, treatment_id=CLEANING, from_=date(2026, 3, 27), to=date(2026, 4, 3)
        ),
    )
    fridays = [slot.start for slot in slots if slot.start.weekday() == 4]
    assert [slot.isoformat() for slot in fridays] == [
        "2026-03-27T09:00:00+01:00",
        "2026-04-03T09:00:00+02:00",
    ]
    assert [slot.astimezone(UTC).hour for slot in fridays] == [8, 7]


def test_new_york_spring_forward_and_fall_back_on_a_half_hour_grid():
    world = clinic(
        time_zone="America/New_York",
        policy=TenantPolicy(slot_step_minutes=30, booking_horizon_days=366, minimum_notice_minutes=0),
        working_hours=WeeklySchedule(sunday=hours(("00:00", "05:00"))),
    )
    spring = starts(world, date(2026, 3, 8))
    assert [value[11:16] for value in spring] == [
        "00:00",
        "00:30",
        "01:00",
        "01:30",
        "03:00",
        "03:30",
        "04:00",
        "04:30",
    ]
    autumn = starts(world, date(2026, 11, 1))
    assert len(autumn) == 12  # six real hours between local 00:00 and 05:00
    assert "2026-11-01T01:30:00-04:00" in autumn
    assert "2026-11-01T01:30:00-05:00" in autumn


def test_a_working_range_that_starts_inside_the_spring_gap_begins_when_the_gap_ends():
    world = clinic(
        time_zone="America/New_York",
        policy=TenantPolicy(slot_step_minutes=30, booking_horizon_days=366, minimum_notice_minutes=0),
        working_hours=WeeklySchedule(sunday=hours(("02:30", "04:00"))),
    )
    assert starts(world, date(2026, 3, 8)) == ["2026-03-08T03:00:00-04:00", "2026-03-08T03:30:00-04:00"]
    assert len(starts(world, date(2026, 3, 15))) == 3  # an ordinary Sunday: 02:30, 03:00, 03:30
