"""Booking service: create with idempotency, change, cancel, close, list, role scoping."""

from datetime import date, datetime, timedelta

import pytest
from booking.domain.commands import (
    CancelBooking,
    ChangeBookingStatus,
    CreateBooking,
    GetAvailability,
    ListBookings,
    RescheduleBooking,
)
from booking.domain.errors import (
    BadRequest,
    ChangeWindowClosed,
    DomainError,
    Forbidden,
    IdempotencyKeyReused,
    InvalidState,
    InvalidValue,
    NotFound,
    SlotTaken,
)
from booking.domain.models import (
    BookingStatus,
    Professional,
    TenantPolicy,
    TimeOff,
    Treatment,
    WeeklySchedule,
)
from booking.domain.roles import Role

from tests.factories import (
    CLEANING,
    OTHER_PATIENT_ID,
    OTHER_TENANT,
    PATIENT_ID,
    PRO,
    TENANT,
    clinic,
    hours,
    principal,
    weekdays,
)

PATIENT = principal(Role.PATIENT)
RECEPTION = principal(Role.RECEPTION)
DENTIST = principal(Role.DENTIST)


def request(start: str, patient_id: str | None = None, professional_id: str = PRO, **extra) -> CreateBooking:
    return CreateBooking(
        professional_id=professional_id,
        treatment_id=CLEANING,
        start=datetime.fromisoformat(start),
        patient_id=patient_id,
        **extra,
    )


def book(world, start="2026-03-03T10:00:00+01:00", who=PATIENT, key=None, **extra):
    patient_id = extra.pop("patient_id", None if who.role is Role.PATIENT else PATIENT_ID)
    return (
        world.booking_service()
        .create(who, request(start, patient_id, **extra), key or "key-" + start[:16].replace(":", ""))
        .booking
    )


def add_second_professional(world) -> str:
    """A second professional of the clinic, not linked to the Dentist user; its id."""
    world.catalog.put_professional(
        Professional(
            id="pro2",
            tenant_id=TENANT,
            name="Dr. Bo",
            working_hours=weekdays(("09:00", "18:00")),
            treatment_ids=[CLEANING],
        )
    )
    return "pro2"


def code_of(call) -> str:
    with pytest.raises(DomainError) as raised:
        call()
    return raised.value.code


def test_a_patient_books_a_free_slot_with_its_buffers_blocked():
    buffered = Treatment(
        id=CLEANING,
        tenant_id=TENANT,
        name="Cleaning",
        duration_minutes=30,
        buffer_before_minutes=5,
        buffer_after_minutes=10,
    )
    world = clinic(treatment=buffered)
    booking = book(world)
    assert booking.patient_id == PATIENT_ID
    assert booking.start.isoformat() == "2026-03-03T10:00:00+01:00"
    assert booking.end.isoformat() == "2026-03-03T10:30:00+01:00"
    assert (booking.blocked_start.isoformat(), booking.blocked_end.isoformat()) == (
        "2026-03-03T09:55:00+01:00",
        "2026-03-03T10:40:00+01:00",
    )
    assert len(world.bookings.cells) == 9  # 45 minutes of 5-minute cells
    assert world.bookings.integrity_problems() == []


def test_the_same_idempotency_key_and_body_returns_the_original_booking_without_a_second_one():
    world = clinic()
    service = world.booking_service()
    first = service.create(PATIENT, request("2026-03-03T10:00:00+01:00"), "retry-me")
    world.clock.advance(hours=23)  # the start is now inside the notice period: still a replay
    again = service.create(PATIENT, request("2026-03-03T10:00:00+01:00"), "retry-me")
    assert (first.created, again.created) == (True, False)
    assert again.booking == first.booking
    assert len(world.bookings.bookings) == 1


def test_the_same_idempotency_key_with_another_body_is_a_conflict():
    world = clinic()
    service = world.booking_service()
    service.create(PATIENT, request("2026-03-03T10:00:00+01:00"), "once")
    with pytest.raises(IdempotencyKeyReused):
        service.create(PATIENT, request("2026-03-03T11:00:00+01:00"), "once")


def test_idempotency_keys_belong_to_their_caller():
    world = clinic()
    service = world.booking_service()
    service.create(PATIENT, request("2026-03-03T10:00:00+01:00"), "shared")
    other = principal(Role.PATIENT, user_id=OTHER_PATIENT_ID)
    assert service.create(other, request("2026-03-03T11:00:00+01:00"), "shared").created


def test_an_expired_idempotency_record_does_not_replay():
    world = clinic()
    service = world.booking_service()
    service.create(PATIENT, request("2026-03-03T10:00:00+01:00"), "old")
    world.clock.advance(hours=25)  # the record has expired (TTL may not have deleted it yet)
    with pytest.raises(SlotTaken):
        service.create(PATIENT, request("2026-03-03T10:00:00+01:00"), "old")


@pytest.mark.parametrize("key", [None, "", "has space", "x" * 129])
def test_a_missing_or_malformed_idempotency_key_is_a_bad_request(key):
    with pytest.raises(BadRequest):
        clinic().booking_service().create(PATIENT, request("2026-03-03T10:00:00+01:00"), key)


def test_an_overlapping_booking_is_slot_taken_and_leaves_no_trace():
    world = clinic()
    book(world)
    with pytest.raises(SlotTaken):
        book(world, "2026-03-03T10:15:00+01:00", key="second")
    assert len(world.bookings.bookings) == 1
    assert world.bookings.integrity_problems() == []


@pytest.mark.parametrize(
    ("start", "code"),
    [
        ("2026-03-01T10:00:00+01:00", "START_IN_PAST"),
        ("2026-03-02T07:30:00+01:00", "MINIMUM_NOTICE"),
        ("2026-06-03T10:00:00+02:00", "BEYOND_HORIZON"),
        ("2026-03-03T10:05:00+01:00", "OFF_SLOT_GRID"),
        ("2026-03-03T08:00:00+01:00", "OUTSIDE_WORKING_HOURS"),
        ("2026-03-03T12:45:00+01:00", "OUTSIDE_WORKING_HOURS"),  # would end 13:15
        ("2026-03-07T10:00:00+01:00", "OUTSIDE_WORKING_HOURS"),  # a Saturday
        ("2026-03-03T11:00:00+01:00", "IN_BREAK"),
        ("2026-03-04T10:00:00+01:00", "TIME_OFF"),
    ],
)
def test_a_start_that_availability_would_not_offer_is_refused_with_a_precise_code(start, code):
    world = clinic(breaks=weekdays(("11:00", "11:15")))
    professional = world.catalog.get_professional(TENANT, PRO)
    off = TimeOff(
        start=datetime.fromisoformat("2026-03-04T09:00:00+01:00"),
        end=datetime.fromisoformat("2026-03-04T12:00:00+01:00"),
    )
    world.catalog.put_professional(professional.model_copy(update={"time_off": [off]}))
    assert code_of(lambda: book(world, start)) == code
    assert world.bookings.bookings == {}


def test_a_treatment_the_professional_does_not_perform_cannot_be_booked():
    world = clinic()
    world.catalog.put_treatment(
        Treatment(id="implant", tenant_id=TENANT, name="Implant", duration_minutes=60)
    )
    create = CreateBooking(
        professional_id=PRO, treatment_id="implant", start=datetime.fromisoformat("2026-03-03T10:00:00+01:00")
    )
    assert code_of(lambda: world.booking_service().create(PATIENT, create, "k")) == "TREATMENT_NOT_PERFORMED"


def test_an_inactive_treatment_cannot_be_booked():
    world = clinic()
    treatment = world.catalog.get_treatment(TENANT, CLEANING)
    world.catalog.put_treatment(treatment.model_copy(update={"active": False}))
    assert code_of(lambda: book(world)) == "TREATMENT_INACTIVE"


def test_a_patient_cannot_book_for_someone_else():
    with pytest.raises(Forbidden):
        book(clinic(), patient_id=OTHER_PATIENT_ID)


def test_staff_must_name_an_existing_patient_of_their_tenant():
    world = clinic()
    assert book(world, who=RECEPTION).patient_id == PATIENT_ID
    assert code_of(lambda: book(world, "2026-03-03T11:00:00+01:00", who=RECEPTION, patient_id=None)) == (
        "PATIENT_REQUIRED"
    )
    assert code_of(lambda: book(world, "2026-03-03T11:00:00+01:00", who=RECEPTION, patient_id="ghost")) == (
        "PATIENT_NOT_FOUND"
    )


def test_a_dentist_cannot_create_bookings():
    with pytest.raises(Forbidden):
        book(clinic(), who=DENTIST, patient_id=PATIENT_ID)


def test_a_professional_of_another_tenant_is_not_found():
    world = clinic()
    world.catalog.professionals.pop((TENANT, PRO))
    with pytest.raises(NotFound):
        book(world)
    assert world.catalog.get_professional(OTHER_TENANT, PRO) is not None


def test_a_booking_of_another_tenant_is_not_found_even_for_its_owner():
    world = clinic()
    booking = book(world)
    foreign = principal(Role.OWNER, tenant=OTHER_TENANT)
    with pytest.raises(NotFound):
        world.booking_service().get(foreign, booking.id)
    with pytest.raises(NotFound):
        world.booking_service().cancel(foreign, booking.id, CancelBooking(reason=None))


def test_patients_see_only_their_own_bookings():
    world = clinic()
    mine = book(world)
    theirs = book(world, "2026-03-03T11:00:00+01:00", who=RECEPTION, patient_id=OTHER_PATIENT_ID)
    service = world.booking_service()
    assert [item.id for item in service.list_bookings(PATIENT, ListBookings()).items] == [mine.id]
    assert service.get(PATIENT, mine.id) == mine
    with pytest.raises(NotFound):
        service.get(PATIENT, theirs.id)
    with pytest.raises(Forbidden):
        service.list_bookings(PATIENT, ListBookings(patient_id=OTHER_PATIENT_ID))


def test_dentists_see_only_the_calendar_of_the_professional_linked_to_them():
    world = clinic()
    add_second_professional(world)
    own = book(world)
    other = book(world, professional_id="pro2", key="pro2")
    service = world.booking_service()
    assert [item.id for item in service.list_bookings(DENTIST, ListBookings()).items] == [own.id]
    with pytest.raises(Forbidden):
        service.list_bookings(DENTIST, ListBookings(professional_id="pro2"))
    with pytest.raises(NotFound):
        service.get(DENTIST, other.id)
    unlinked = principal(Role.DENTIST, user_id="someone-else")
    assert service.list_bookings(unlinked, ListBookings()).items == []


def test_staff_list_with_filters_and_cursor_pagination():
    world = clinic()
    ids = [book(world, f"2026-03-03T{hour:02d}:00:00+01:00").id for hour in (9, 10, 11, 12, 14)]
    service = world.booking_service()
    first = service.list_bookings(RECEPTION, ListBookings(limit=2))
    second = service.list_bookings(RECEPTION, ListBookings(limit=2, cursor=first.next_cursor))
    third = service.list_bookings(RECEPTION, ListBookings(limit=2, cursor=second.next_cursor))
    assert [item.id for page in (first, second, third) for item in page.items] == ids
    assert third.next_cursor is None
    window = ListBookings(
        from_=datetime.fromisoformat("2026-03-03T11:00:00+01:00"),
        to=datetime.fromisoformat("2026-03-03T13:00:00+01:00"),
    )
    assert [item.id for item in service.list_bookings(RECEPTION, window).items] == ids[2:4]


def test_reschedule_moves_the_booking_and_its_cells_even_onto_its_own_old_range():
    world = clinic()
    booking = book(world)
    moved = world.booking_service().reschedule(
        PATIENT, booking.id, RescheduleBooking(start=datetime.fromisoformat("2026-03-03T10:15:00+01:00"))
    )
    assert moved.start.isoformat() == "2026-03-03T10:15:00+01:00"
    assert moved.version == booking.version + 1
    assert world.bookings.integrity_problems() == []
    assert len(world.bookings.cells) == 6


def test_reschedule_to_another_professional_moves_the_cells_to_their_calendar():
    world = clinic()
    add_second_professional(world)
    booking = book(world)
    moved = world.booking_service().reschedule(
        RECEPTION,
        booking.id,
        RescheduleBooking(start=datetime.fromisoformat("2026-03-03T10:00:00+01:00"), professional_id="pro2"),
    )
    assert moved.professional_id == "pro2"
    assert {key[1] for key in world.bookings.cells} == {"pro2"}
    assert world.bookings.integrity_problems() == []


def test_reschedule_onto_another_booking_is_slot_taken_and_changes_nothing():
    world = clinic()
    booking = book(world)
    book(world, "2026-03-03T11:00:00+01:00", key="other")
    with pytest.raises(SlotTaken):
        world.booking_service().reschedule(
            PATIENT, booking.id, RescheduleBooking(start=datetime.fromisoformat("2026-03-03T10:45:00+01:00"))
        )
    assert world.bookings.get(TENANT, booking.id) == booking
    assert world.bookings.integrity_problems() == []


def test_reschedule_off_the_grid_is_refused():
    world = clinic()
    booking = book(world)
    with pytest.raises(InvalidValue):
        world.booking_service().reschedule(
            PATIENT, booking.id, RescheduleBooking(start=datetime.fromisoformat("2026-03-03T10:07:00+01:00"))
        )


def test_cancel_is_soft_keeps_the_reason_and_frees_the_time_at_once():
    world = clinic()
    booking = book(world)
    cancelled = world.booking_service().cancel(PATIENT, booking.id, CancelBooking(reason="flu"))
    assert (cancelled.status, cancelled.cancellation_reason) == (BookingStatus.CANCELLED, "flu")
    assert world.bookings.get(TENANT, booking.id).status is BookingStatus.CANCELLED
    assert world.bookings.cells == {}
    assert book(world, key="again").status is BookingStatus.CONFIRMED


def test_patients_cannot_change_inside_the_window_but_staff_can():
    world = clinic()
    booking = book(world)  # Tuesday 10:00; the window (24 h) closes Monday 10:00
    world.clock.current = datetime.fromisoformat("2026-03-02T10:00:00+01:00")
    service = world.booking_service()
    with pytest.raises(ChangeWindowClosed):
        service.cancel(PATIENT, booking.id, CancelBooking(reason=None))
    with pytest.raises(ChangeWindowClosed):
        service.reschedule(
            PATIENT, booking.id, RescheduleBooking(start=datetime.fromisoformat("2026-03-03T11:00:00+01:00"))
        )
    assert (
        service.cancel(RECEPTION, booking.id, CancelBooking(reason="clinic closed")).status
        is BookingStatus.CANCELLED
    )


def test_staff_close_a_started_booking_as_completed_or_no_show_and_it_releases_its_cells():
    world = clinic()
    booking = book(world)
    service = world.booking_service()
    with pytest.raises(InvalidState):
        service.change_status(DENTIST, booking.id, ChangeBookingStatus(status=BookingStatus.COMPLETED))
    world.clock.current = datetime.fromisoformat("2026-03-03T10:31:00+01:00")
    with pytest.raises(InvalidValue):
        service.change_status(DENTIST, booking.id, ChangeBookingStatus(status=BookingStatus.CANCELLED))
    with pytest.raises(Forbidden):
        service.change_status(PATIENT, booking.id, ChangeBookingStatus(status=BookingStatus.NO_SHOW))
    done = service.change_status(DENTIST, booking.id, ChangeBookingStatus(status=BookingStatus.NO_SHOW))
    assert done.status is BookingStatus.NO_SHOW
    assert world.bookings.cells == {}
    assert world.bookings.integrity_problems() == []


def test_every_available_slot_of_a_busy_day_can_be_booked_and_nothing_else():
    world = clinic(breaks=weekdays(("11:00", "11:15")))
    book(world, "2026-03-03T10:00:00+01:00", key="a")
    book(world, "2026-03-03T15:30:00+01:00", key="b")
    _, slots = world.availability_service().slots(
        RECEPTION,
        GetAvailability(
            professional_id=PRO, treatment_id=CLEANING, from_=date(2026, 3, 3), to=date(2026, 3, 3)
        ),
    )
    offered = {slot.start for slot in slots}
    day = datetime.fromisoformat("2026-03-03T08:00:00+01:00")
    for minute in range(0, 11 * 60, 5):
        start = day + timedelta(minutes=minute)
        probe = clinic(breaks=weekdays(("11:00", "11:15")))
        book(probe, "2026-03-03T10:00:00+01:00", key="a")
        book(probe, "2026-03-03T15:30:00+01:00", key="b")
        try:
            book(probe, start.isoformat(), key="probe")
            accepted = True
        except DomainError:
            accepted = False
        assert accepted == (start in offered), start


NIGHT = TenantPolicy(slot_step_minutes=30, minimum_notice_minutes=0, booking_horizon_days=366)


def test_an_appointment_across_the_spring_change_lasts_its_real_duration():
    world = clinic(policy=NIGHT, working_hours=WeeklySchedule(sunday=hours(("01:00", "05:00"))))
    booking = book(world, "2026-03-29T01:30:00+01:00")  # 30 minutes: ends as the clocks jump
    assert booking.end.isoformat() == "2026-03-29T03:00:00+02:00"
    later = book(world, "2026-03-29T03:00:00+02:00", key="after")
    assert (later.end - later.start).total_seconds() == 30 * 60
    assert world.bookings.integrity_problems() == []


def test_both_occurrences_of_a_repeated_autumn_hour_can_be_booked_separately():
    world = clinic(policy=NIGHT, working_hours=WeeklySchedule(sunday=hours(("01:00", "04:00"))))
    summer = book(world, "2026-10-25T02:00:00+02:00", key="first")
    winter = book(world, "2026-10-25T02:00:00+01:00", key="second")
    assert summer.start.utcoffset() != winter.start.utcoffset()
    assert (winter.start - summer.start).total_seconds() == 3600
    with pytest.raises(SlotTaken):
        book(world, "2026-10-25T02:00:00+01:00", key="third", patient_id=None)
