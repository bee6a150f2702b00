"""Staff in the loop: the professional and the clinic's inbox hear of every booking made,
moved or cancelled, in the clinic's language, with the calendar attachment; the
patient's emails stay as they were."""

from __future__ import annotations

from datetime import timedelta

import pytest
from booking.adapters.ics_calendar import IcsCalendarWriter
from booking.adapters.jinja_emails import JinjaEmailRenderer
from booking.domain.commands import CreateProfessional, UpdateProfessional
from booking.domain.models import BookingStatus
from booking.domain.notification_service import NotificationService
from booking.domain.notifications import Audience, EmailKind, ReminderRequest
from booking.domain.roles import Role
from pydantic import ValidationError

from tests.fakes import FakeCatalogRepository, FakeUserRepository, FixedClock
from tests.notification_support import (
    DEADLINE,
    NOW,
    START,
    TENANT_ID,
    FakeDeadLetters,
    FakeLedger,
    FakeMailer,
    FakeReminders,
    make_booking,
    make_patient,
    make_professional,
    make_tenant,
    seeded_repositories,
)

DENTIST = "lucia.mora@clinica.example"
INBOX = "recepcion@clinica.example"


def service_over(catalogs: FakeCatalogRepository, users: FakeUserRepository, bookings, mailer: FakeMailer):
    return NotificationService(
        catalogs=catalogs,
        users=users,
        bookings=bookings,
        mailer=mailer,
        reminders=FakeReminders(),
        renderer=JinjaEmailRenderer("citas@clinica.example", IcsCalendarWriter()),
        clock=FixedClock(NOW),
        reminder_lead=timedelta(hours=24),
        ledger=FakeLedger(),
        dead_letters=FakeDeadLetters(),
        deadline=DEADLINE,
    )


@pytest.fixture
def clinic():
    catalogs, users, bookings = seeded_repositories()
    catalogs.put_professional(make_professional(email=DENTIST))
    mailer = FakeMailer()
    return catalogs, users, bookings, mailer, service_over(catalogs, users, bookings, mailer)


def sent(mailer: FakeMailer) -> list[tuple[EmailKind, Audience, str]]:
    return [(email.kind, email.audience, email.to) for email in mailer.sent]


def test_create_reschedule_and_cancel_each_email_the_patient_and_the_professional(clinic):
    *_, mailer, service = clinic
    booking = make_booking()
    moved = make_booking(start=START + timedelta(days=2), version=2)
    cancelled = make_booking(start=moved.start, status=BookingStatus.CANCELLED, version=3)
    service.booking_changed(None, booking)
    service.booking_changed(booking, moved)
    service.booking_changed(moved, cancelled)
    assert sent(mailer) == [
        (kind, audience, to)
        for kind in (EmailKind.CONFIRMATION, EmailKind.RESCHEDULE, EmailKind.CANCELLATION)
        for audience, to in ((Audience.PATIENT, "ana@example.com"), (Audience.PROFESSIONAL, DENTIST))
    ]
    methods = [email.calendar.method for email in mailer.sent if email.audience is Audience.PROFESSIONAL]
    assert methods == ["REQUEST", "REQUEST", "CANCEL"]


def test_the_staff_email_names_the_patient_and_how_to_reach_them_the_patients_is_unchanged(clinic):
    _, users, _, mailer, service = clinic
    users.put_user(make_patient(phone="+593 99 123 4567"))
    service.booking_changed(None, make_booking())
    patient, staff = mailer.sent
    assert patient.subject == "Cita confirmada: Limpieza dental, martes 1 de diciembre de 2026, 10:00"
    assert "Hola Ana Pérez:" in patient.text
    assert staff.subject == "Nueva cita: Ana Pérez, Limpieza dental, martes 1 de diciembre de 2026, 10:00"
    assert "Hola Dra. Lucía Mora:" in staff.text
    assert "+593 99 123 4567" in staff.text
    assert "+593 99 123 4567" in staff.html
    assert "ana@example.com" in staff.text
    assert staff.calendar is not None
    assert f"mailto:{DENTIST}" in staff.calendar.content.replace("\r\n ", "")
    assert "SUMMARY:Ana Pérez · Limpieza dental" in staff.calendar.content


def test_staff_emails_are_in_the_clinics_language(clinic):
    catalogs, *_, mailer, service = clinic
    catalogs.put_tenant(make_tenant(locale="en-US"))
    booking = make_booking()
    service.booking_changed(booking, make_booking(status=BookingStatus.CANCELLED, version=2))
    staff = mailer.sent[-1]
    assert staff.audience is Audience.PROFESSIONAL
    assert staff.subject == "Appointment cancelled: Ana Pérez, Tuesday, December 1, 2026, 10:00"
    assert '<html lang="en">' in staff.html


def test_the_clinics_inbox_gets_a_copy_and_an_address_is_written_to_once(clinic):
    catalogs, *_, mailer, service = clinic
    catalogs.put_tenant(make_tenant(inbox_email=INBOX))
    service.booking_changed(None, make_booking())
    assert [(audience, to) for _, audience, to in sent(mailer)] == [
        (Audience.PATIENT, "ana@example.com"),
        (Audience.PROFESSIONAL, DENTIST),
        (Audience.CLINIC_INBOX, INBOX),
    ]
    mailer.sent.clear()
    catalogs.put_tenant(make_tenant(inbox_email=DENTIST.upper()))  # the dentist is the inbox
    service.booking_changed(None, make_booking(id="b-2"))
    assert [audience for _, audience, _ in sent(mailer)] == [Audience.PATIENT, Audience.PROFESSIONAL]


def test_a_professional_without_an_address_is_reached_through_their_dentist_user():
    catalogs, users, bookings = seeded_repositories()
    users.put_user(
        make_patient(id="dentist-sub", email="lucia@clinica.example", name="Lucía", role=Role.DENTIST)
    )
    catalogs.put_professional(make_professional(user_id="dentist-sub"))
    mailer = FakeMailer()
    service_over(catalogs, users, bookings, mailer).booking_changed(None, make_booking())
    assert sent(mailer)[-1] == (EmailKind.CONFIRMATION, Audience.PROFESSIONAL, "lucia@clinica.example")


def test_no_professional_address_and_no_inbox_means_the_patients_email_only():
    catalogs, users, bookings = seeded_repositories()
    mailer = FakeMailer()
    service_over(catalogs, users, bookings, mailer).booking_changed(None, make_booking())
    assert sent(mailer) == [(EmailKind.CONFIRMATION, Audience.PATIENT, "ana@example.com")]


def test_the_reminder_is_the_patients_alone(clinic):
    catalogs, _, bookings, mailer, service = clinic
    catalogs.put_tenant(make_tenant(inbox_email=INBOX))
    booking = make_booking()
    bookings.bookings[(TENANT_ID, booking.id)] = booking
    assert service.reminder_fired(ReminderRequest.for_booking(booking))
    assert sent(mailer) == [(EmailKind.REMINDER, Audience.PATIENT, "ana@example.com")]


@pytest.mark.parametrize("address", ["not-an-email", "two@@example.com", "spaces in@example.com"])
def test_a_professionals_address_is_checked_when_given(address: str) -> None:
    with pytest.raises(ValidationError):
        CreateProfessional(name="Dra. Lucía Mora", email=address)
    with pytest.raises(ValidationError):
        UpdateProfessional(email=address)
    assert CreateProfessional(name="Dra. Lucía Mora", email=DENTIST).email == DENTIST
