"""The notifications service carries out the decisions through its ports."""

from dataclasses import dataclass
from datetime import timedelta

import pytest
from booking.domain.models import BookingStatus
from booking.domain.notification_outcomes import Outcome
from booking.domain.notifications import EmailKind, ReminderRequest

from tests.fakes import FakeBookingRepository, FakeUserRepository
from tests.notification_support import (
    PATIENT_ID,
    REMINDER_LEAD,
    START,
    TENANT_ID,
    FakeMailer,
    FakeReminders,
    make_booking,
    notification_service,
    seeded_repositories,
)


@dataclass
class World:
    users: FakeUserRepository
    bookings: FakeBookingRepository


@pytest.fixture
def world():
    catalogs, users, bookings = seeded_repositories()
    mailer = FakeMailer()
    reminders = FakeReminders()
    outcomes: list[Outcome] = []
    service = notification_service(
        catalogs, users, bookings, mailer, reminders=reminders, on_outcome=outcomes.append
    )
    return service, World(users, bookings), mailer, reminders, outcomes


def test_a_new_booking_emails_the_patient_and_schedules_a_reminder_in_the_tenants_zone(world):
    service, _, mailer, reminders, outcomes = world
    booking = make_booking()
    service.booking_changed(None, booking)
    assert [email.kind for email in mailer.sent] == [EmailKind.CONFIRMATION]
    assert mailer.sent[0].to == "ana@example.com"
    request, at, zone = reminders.schedules[(TENANT_ID, "b-1")]
    assert request == ReminderRequest.for_booking(booking)
    assert at == START - REMINDER_LEAD
    assert zone == "America/Guayaquil"
    assert outcomes == [Outcome.REMINDER_SCHEDULED, Outcome.EMAIL_SENT]


def test_a_cancellation_removes_the_reminder_and_emails_the_patient(world):
    service, _, mailer, reminders, _ = world
    booking = make_booking()
    service.booking_changed(None, booking)
    service.booking_changed(booking, make_booking(status=BookingStatus.CANCELLED, version=2))
    assert reminders.schedules == {}
    assert [email.kind for email in mailer.sent] == [EmailKind.CONFIRMATION, EmailKind.CANCELLATION]


def test_a_reschedule_moves_the_reminder_to_the_new_start(world):
    service, _, mailer, reminders, _ = world
    old = make_booking()
    new = make_booking(start=START + timedelta(days=3), version=2)
    service.booking_changed(None, old)
    service.booking_changed(old, new)
    request, at, _ = reminders.schedules[(TENANT_ID, "b-1")]
    assert request.start == new.start
    assert at == new.start - REMINDER_LEAD
    assert mailer.sent[-1].kind is EmailKind.RESCHEDULE


def test_a_patient_without_a_user_record_is_skipped_not_retried(world):
    service, reads, mailer, reminders, outcomes = world
    del reads.users.users[(TENANT_ID, PATIENT_ID)]
    service.booking_changed(None, make_booking())
    assert mailer.sent == []
    assert (TENANT_ID, "b-1") in reminders.schedules  # the reminder will find the user later, or skip
    assert outcomes[-1] is Outcome.EMAIL_SKIPPED


def test_a_mail_failure_propagates_after_the_reminder_was_set(world):
    service, _, mailer, reminders, _ = world
    mailer.fail_with = RuntimeError("SES throttled")
    with pytest.raises(RuntimeError, match="throttled"):
        service.booking_changed(None, make_booking())
    assert (TENANT_ID, "b-1") in reminders.schedules  # a retry replaces it: idempotent


def test_a_fired_reminder_for_a_confirmed_booking_sends_the_reminder_email(world):
    service, reads, mailer, _, outcomes = world
    booking = make_booking()
    reads.bookings.bookings[(TENANT_ID, "b-1")] = booking
    assert service.reminder_fired(ReminderRequest.for_booking(booking))
    assert [email.kind for email in mailer.sent] == [EmailKind.REMINDER]
    assert outcomes == [Outcome.EMAIL_SENT]


def test_a_fired_reminder_for_a_moved_or_cancelled_booking_sends_nothing(world):
    service, reads, mailer, _, outcomes = world
    request = ReminderRequest.for_booking(make_booking())
    reads.bookings.bookings[(TENANT_ID, "b-1")] = make_booking(start=START + timedelta(hours=2), version=2)
    assert not service.reminder_fired(request)
    reads.bookings.bookings[(TENANT_ID, "b-1")] = make_booking(status=BookingStatus.CANCELLED, version=3)
    assert not service.reminder_fired(request)
    del reads.bookings.bookings[(TENANT_ID, "b-1")]
    assert not service.reminder_fired(request)
    assert mailer.sent == []
    assert outcomes == [Outcome.REMINDER_OBSOLETE] * 3
