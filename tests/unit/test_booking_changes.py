"""Idempotent changes, and the patient's name and phone on the calendar."""

from __future__ import annotations

from datetime import datetime

import pytest
from booking.domain.commands import (
    CancelBooking,
    ChangeBookingStatus,
    CreateBooking,
    ListBookings,
    RescheduleBooking,
    UpdateProfile,
)
from booking.domain.errors import IdempotencyKeyReused, InvalidState, NotFound
from booking.domain.models import AccountStatus, BookingStatus
from booking.domain.roles import Role

from tests.factories import CLEANING, OTHER_PATIENT_ID, PATIENT_ID, PRO, TENANT, clinic, principal

PATIENT, RECEPTION, DENTIST = principal(Role.PATIENT), principal(Role.RECEPTION), principal(Role.DENTIST)


def at(hour: int, day: int = 3) -> datetime:
    return datetime.fromisoformat(f"2026-03-{day:02d}T{hour:02d}:00:00+01:00")


def book(world, who=PATIENT, patient_id=None, hour=10, key="k"):
    request = CreateBooking(professional_id=PRO, treatment_id=CLEANING, start=at(hour), patient_id=patient_id)
    return world.booking_service().create(who, request, key).booking


def name_the_patients(world) -> None:
    world.user_service().update_profile(PATIENT, UpdateProfile(name="Pedro Paz", phone="+593 99 111 2222"))
    world.user_service().update_profile(
        principal(Role.PATIENT, user_id=OTHER_PATIENT_ID), UpdateProfile(name="Ana Ruiz")
    )


def test_cancelling_a_cancelled_booking_answers_it_as_the_first_cancel_did():
    world = clinic()
    booking = book(world)
    first = world.booking_service().cancel(PATIENT, booking.id, CancelBooking(reason="flu"))
    transactions = world.bookings.transactions
    world.clock.current = at(9)  # inside the change window now: a retry still answers

    again = world.booking_service().cancel(PATIENT, booking.id, CancelBooking(reason="another"))

    assert again == first
    assert world.bookings.transactions == transactions


def test_a_cancel_racing_a_twin_cancel_answers_the_cancelled_booking():
    world = clinic()
    booking = book(world)
    real_release = world.bookings.release

    def twin_first(current, updated, cells):
        world.bookings.release = real_release
        world.booking_service().cancel(PATIENT, booking.id, CancelBooking(reason="twin"))
        real_release(current, updated, cells)

    world.bookings.release = twin_first
    answer = world.booking_service().cancel(PATIENT, booking.id, CancelBooking(reason="me"))

    assert (answer.status, answer.cancellation_reason) == (BookingStatus.CANCELLED, "twin")


def test_a_completed_booking_still_cannot_be_cancelled():
    world = clinic()
    booking = book(world)
    world.clock.current = at(11)
    world.booking_service().change_status(
        RECEPTION, booking.id, ChangeBookingStatus(status=BookingStatus.COMPLETED)
    )

    with pytest.raises(InvalidState):
        world.booking_service().cancel(RECEPTION, booking.id, CancelBooking())


def test_a_reschedule_sent_again_with_its_key_answers_as_the_first_did():
    world = clinic()
    booking = book(world)
    service = world.booking_service()
    moved = service.reschedule(PATIENT, booking.id, RescheduleBooking(start=at(11)), "move-1")
    service.reschedule(RECEPTION, booking.id, RescheduleBooking(start=at(15)), "desk-1")
    world.clock.current = at(10, day=2)  # the patient's change window has closed meanwhile

    again = service.reschedule(PATIENT, booking.id, RescheduleBooking(start=at(11)), "move-1")

    assert (moved.start, again.id) == (at(11), booking.id)
    assert again == world.bookings.get(TENANT, booking.id)  # the booking as it is now
    with pytest.raises(IdempotencyKeyReused):
        service.reschedule(PATIENT, booking.id, RescheduleBooking(start=at(12)), "move-1")


def test_a_create_key_cannot_be_reused_for_a_reschedule():
    world = clinic()
    booking = book(world, key="same")
    with pytest.raises(IdempotencyKeyReused):
        world.booking_service().reschedule(PATIENT, booking.id, RescheduleBooking(start=at(11)), "same")
    assert world.bookings.get(TENANT, booking.id).start == at(10)  # type: ignore[union-attr]


def test_a_reschedule_whose_twin_committed_first_answers_the_twins_booking():
    world = clinic()
    booking = book(world)
    real = world.bookings.reschedule

    def twin_first(current, updated, old, new, record=None):
        world.bookings.reschedule = real
        world.booking_service().reschedule(PATIENT, booking.id, RescheduleBooking(start=at(11)), "move")
        real(current, updated, old, new, record)

    world.bookings.reschedule = twin_first
    answer = world.booking_service().reschedule(PATIENT, booking.id, RescheduleBooking(start=at(11)), "move")

    assert answer == world.bookings.get(TENANT, booking.id)
    assert answer.version == 2


def test_a_booking_carries_its_patients_name_and_phone_for_staff_lists():
    world = clinic()
    name_the_patients(world)
    own = book(world)
    desk = book(world, RECEPTION, OTHER_PATIENT_ID, hour=11, key="desk")

    listed = world.booking_service().list_bookings(DENTIST, ListBookings()).items

    assert (own.patient_name, own.patient_phone) == ("Pedro Paz", "+593 99 111 2222")
    assert (desk.patient_name, desk.patient_phone) == ("Ana Ruiz", None)
    assert {(item.patient_id, item.patient_name) for item in listed} == {
        (PATIENT_ID, "Pedro Paz"),
        (OTHER_PATIENT_ID, "Ana Ruiz"),
    }
    mine = world.booking_service().list_bookings(PATIENT, ListBookings()).items
    assert [item.id for item in mine] == [own.id]


def test_the_snapshot_is_refreshed_when_the_booking_is_moved():
    world = clinic()
    name_the_patients(world)
    booking = book(world, RECEPTION, OTHER_PATIENT_ID)
    world.user_service().update_profile(
        principal(Role.PATIENT, user_id=OTHER_PATIENT_ID),
        UpdateProfile(name="Ana Ruiz de Paz", phone="0991234567"),
    )

    unchanged = world.booking_service().get(RECEPTION, booking.id)
    moved = world.booking_service().reschedule(RECEPTION, booking.id, RescheduleBooking(start=at(12)))

    assert unchanged.patient_name == "Ana Ruiz"
    assert (moved.patient_name, moved.patient_phone) == ("Ana Ruiz de Paz", "0991234567")


def test_staff_cannot_book_for_a_disabled_patient_or_a_non_patient():
    world = clinic()
    world.user_service().disable_user(RECEPTION, OTHER_PATIENT_ID)
    assert world.users.get_user(TENANT, OTHER_PATIENT_ID).status is AccountStatus.DISABLED  # type: ignore[union-attr]

    with pytest.raises(InvalidState) as disabled:
        book(world, RECEPTION, OTHER_PATIENT_ID)
    with pytest.raises(NotFound) as staff:
        book(world, RECEPTION, principal(Role.ADMIN).user_id, key="k2")

    assert (disabled.value.code, staff.value.code) == ("PATIENT_DISABLED", "PATIENT_NOT_FOUND")
    assert world.bookings.bookings == {}
