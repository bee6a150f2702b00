"""Which email and which reminder each change to a booking asks for."""

from datetime import timedelta

from booking.domain.models import BookingStatus
from booking.domain.notifications import (
    CancelReminder,
    EmailKind,
    ReminderRequest,
    ScheduleReminder,
    SendEmail,
    actions_for_change,
    reminder_still_due,
)

from tests.notification_support import NOW, START, TENANT_ID, make_booking

LEAD = timedelta(hours=24)


def test_a_new_booking_is_confirmed_and_reminded_a_lead_time_before_it_starts():
    booking = make_booking()
    assert actions_for_change(None, booking, NOW, LEAD) == [
        ScheduleReminder(booking, START - LEAD),
        SendEmail(EmailKind.CONFIRMATION, booking),
    ]


def test_a_booking_made_inside_the_lead_time_gets_a_confirmation_but_no_reminder():
    booking = make_booking(start=NOW + timedelta(hours=3))
    assert actions_for_change(None, booking, NOW, LEAD) == [SendEmail(EmailKind.CONFIRMATION, booking)]


def test_a_reminder_time_exactly_now_is_not_scheduled():
    booking = make_booking(start=NOW + LEAD)
    assert actions_for_change(None, booking, NOW, LEAD) == [SendEmail(EmailKind.CONFIRMATION, booking)]


def test_an_item_inserted_already_cancelled_says_nothing():
    assert actions_for_change(None, make_booking(status=BookingStatus.CANCELLED), NOW, LEAD) == []


def test_cancelling_deletes_the_reminder_before_emailing_the_cancellation():
    old = make_booking()
    new = make_booking(status=BookingStatus.CANCELLED, cancellation_reason="Viaje", version=2)
    assert actions_for_change(old, new, NOW, LEAD) == [
        CancelReminder(TENANT_ID, "b-1"),
        SendEmail(EmailKind.CANCELLATION, new, previous=old),
    ]


def test_moving_a_booking_replaces_its_reminder_and_emails_the_new_time():
    old = make_booking()
    new = make_booking(start=START + timedelta(days=2), version=2)
    assert actions_for_change(old, new, NOW, LEAD) == [
        ScheduleReminder(new, START + timedelta(days=2) - LEAD),
        SendEmail(EmailKind.RESCHEDULE, new, previous=old),
    ]


def test_moving_a_booking_into_the_lead_time_deletes_the_old_reminder():
    old = make_booking()
    new = make_booking(start=NOW + timedelta(hours=5), version=2)
    assert actions_for_change(old, new, NOW, LEAD) == [
        CancelReminder(TENANT_ID, "b-1"),
        SendEmail(EmailKind.RESCHEDULE, new, previous=old),
    ]


def test_changing_only_the_professional_is_a_reschedule_too():
    old = make_booking()
    new = make_booking(professional_id="pro-2", version=2)
    kinds = [
        action.kind for action in actions_for_change(old, new, NOW, LEAD) if isinstance(action, SendEmail)
    ]
    assert kinds == [EmailKind.RESCHEDULE]


def test_completed_and_no_show_only_delete_the_reminder():
    old = make_booking()
    for status in (BookingStatus.COMPLETED, BookingStatus.NO_SHOW):
        new = make_booking(status=status, version=2)
        assert actions_for_change(old, new, NOW, LEAD) == [CancelReminder(TENANT_ID, "b-1")]


def test_a_change_to_notes_says_nothing():
    old = make_booking()
    assert actions_for_change(old, make_booking(notes="Traer radiografía", version=2), NOW, LEAD) == []


def test_a_removed_booking_item_only_deletes_its_reminder():
    assert actions_for_change(make_booking(), None, NOW, LEAD) == [CancelReminder(TENANT_ID, "b-1")]
    assert actions_for_change(None, None, NOW, LEAD) == []


def test_a_fired_reminder_is_due_only_for_a_confirmed_booking_at_the_scheduled_start():
    booking = make_booking()
    request = ReminderRequest.for_booking(booking)
    assert reminder_still_due(booking, request)
    assert not reminder_still_due(None, request)
    assert not reminder_still_due(make_booking(status=BookingStatus.CANCELLED), request)
    assert not reminder_still_due(make_booking(start=START + timedelta(hours=1)), request)


def test_the_scheduled_start_compares_as_an_instant_whatever_its_offset():
    request = ReminderRequest.model_validate(
        {"kind": "reminder", "tenantId": TENANT_ID, "bookingId": "b-1", "start": "2026-12-01T10:00:00-05:00"}
    )
    assert reminder_still_due(make_booking(), request)


def test_the_reminder_input_is_the_camel_case_json_the_schedule_carries():
    request = ReminderRequest.for_booking(make_booking())
    assert request.model_dump(mode="json", by_alias=True) == {
        "kind": "reminder",
        "tenantId": TENANT_ID,
        "bookingId": "b-1",
        "start": "2026-12-01T15:00:00Z",
    }
