"""The clinic closed: closures honoured by availability and booking; time off per dentist."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from booking.domain.commands import (
    CreateBooking,
    CreateClosure,
    GetAvailability,
    RescheduleBooking,
    SetTimeOff,
)
from booking.domain.errors import Conflict, Forbidden, InvalidValue, NotFound
from booking.domain.models import TimeOff
from booking.domain.roles import Role

from tests.factories import CLEANING, DENTIST_USER_ID, PRO, TENANT, clinic, principal

OWNER, ADMIN, PATIENT = principal(Role.OWNER), principal(Role.ADMIN), principal(Role.PATIENT)
RECEPTION, DENTIST = principal(Role.RECEPTION), principal(Role.DENTIST)


def at(text: str) -> datetime:
    return datetime.fromisoformat(f"2026-03-{text}+01:00")


def closure(start: str, end: str) -> CreateClosure:
    return CreateClosure(start=at(start), end=at(end), reason="Carnaval")


def book(world, start: str, key: str = "k"):
    request = CreateBooking(professional_id=PRO, treatment_id=CLEANING, start=at(start))
    return world.booking_service().create(PATIENT, request, key).booking


def slots(world, day: str) -> list[datetime]:
    query = GetAvailability(
        professional_id=PRO, treatment_id=CLEANING, from_=at(day).date(), to=at(day).date()
    )
    return [slot.start for slot in world.availability_service().slots(PATIENT, query)[1]]


def test_availability_offers_nothing_while_the_clinic_is_closed():
    world = clinic()
    open_day = slots(world, "03T00:00:00")
    world.closure_service().create_closure(ADMIN, closure("03T09:00:00", "03T13:00:00"))

    closed_morning = slots(world, "03T00:00:00")

    assert at("03T10:00:00") in open_day
    assert all(start >= at("03T14:00:00") for start in closed_morning)
    assert closed_morning == [start for start in open_day if start >= at("03T14:00:00")]


def test_booking_or_rescheduling_into_a_closure_is_refused_like_a_time_outside_hours():
    world = clinic()
    booking = book(world, "03T14:00:00")
    world.closure_service().create_closure(OWNER, closure("04T00:00:00", "05T00:00:00"))

    with pytest.raises(InvalidValue) as booked:
        book(world, "04T10:00:00", "k2")
    with pytest.raises(InvalidValue) as moved:
        world.booking_service().reschedule(RECEPTION, booking.id, RescheduleBooking(start=at("04T10:00:00")))

    assert (booked.value.status, booked.value.code) == (422, "CLINIC_CLOSED")
    assert (moved.value.status, moved.value.code) == (422, "CLINIC_CLOSED")
    assert world.bookings.get(TENANT, booking.id) == booking


def test_a_closure_over_live_bookings_is_refused_with_their_list():
    world = clinic()
    first = book(world, "03T10:00:00", "k1")
    second = book(world, "03T12:30:00", "k2")
    book(world, "03T14:00:00", "k3")

    with pytest.raises(Conflict) as refused:
        world.closure_service().create_closure(ADMIN, closure("03T10:15:00", "03T12:45:00"))

    assert refused.value.code == "CLOSURE_OVERLAPS_BOOKINGS"
    assert [item["message"] for item in refused.value.details] == [first.id, second.id]
    assert world.closure_service().list_closures(PATIENT) == []


def test_owner_and_admin_manage_closures_and_everyone_reads_them():
    world = clinic()
    service = world.closure_service()
    created = service.create_closure(OWNER, closure("09T00:00:00", "10T00:00:00"))
    for role in (Role.DENTIST, Role.RECEPTION, Role.PATIENT):
        with pytest.raises(Forbidden):
            service.create_closure(principal(role), closure("11T00:00:00", "12T00:00:00"))
        with pytest.raises(Forbidden):
            service.delete_closure(principal(role), created.id)

    assert service.list_closures(principal(Role.PATIENT)) == [created]
    service.delete_closure(ADMIN, created.id)
    assert service.list_closures(OWNER) == []
    with pytest.raises(NotFound):
        service.delete_closure(ADMIN, created.id)


def test_closures_that_ended_long_ago_are_dropped_as_new_ones_come():
    world = clinic()
    service = world.closure_service()
    old = service.create_closure(OWNER, closure("09T00:00:00", "10T00:00:00"))
    world.clock.advance(days=400)

    new = service.create_closure(
        OWNER,
        CreateClosure(
            start=at("09T00:00:00") + timedelta(days=400), end=at("10T00:00:00") + timedelta(days=400)
        ),
    )

    assert [item.id for item in service.list_closures(OWNER)] == [new.id]
    assert old.id != new.id


def test_a_dentist_blocks_and_unblocks_their_own_time_only():
    world = clinic()
    service = world.catalogs_service()
    off = SetTimeOff(time_off=[TimeOff(start=at("04T09:00:00"), end=at("04T13:00:00"), reason="dentist")])

    blocked = service.set_time_off(DENTIST, PRO, off)
    assert slots(world, "04T00:00:00")[0] >= at("04T14:00:00")
    unblocked = service.set_time_off(DENTIST, PRO, SetTimeOff(time_off=[]))

    assert (blocked.time_off, unblocked.time_off) == (off.time_off, [])
    assert unblocked.model_copy(update={"time_off": off.time_off}) == blocked
    assert world.catalog.get_professional(TENANT, PRO).user_id == DENTIST_USER_ID  # type: ignore[union-attr]
    with pytest.raises(Forbidden) as foreign:
        service.set_time_off(principal(Role.DENTIST, user_id="another-dentist"), PRO, off)
    assert foreign.value.code == "NOT_OWN_CALENDAR"
    assert service.set_time_off(RECEPTION, PRO, off).time_off == off.time_off
    with pytest.raises(Forbidden):
        service.set_time_off(PATIENT, PRO, off)


def test_time_off_over_a_live_booking_is_refused_with_its_list():
    world = clinic()
    booking = book(world, "04T10:00:00")
    off = SetTimeOff(time_off=[TimeOff(start=at("04T09:00:00"), end=at("04T13:00:00"))])

    with pytest.raises(Conflict) as refused:
        world.catalogs_service().set_time_off(DENTIST, PRO, off)

    assert refused.value.code == "TIME_OFF_OVERLAPS_BOOKINGS"
    assert [item["message"] for item in refused.value.details] == [booking.id]
