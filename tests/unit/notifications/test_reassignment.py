"""A reschedule that changes the professional: the new one hears of the appointment
(the reschedule email), the one it was taken from gets a staff cancellation of the
appointment as they had it, in the clinic's language, once."""

from __future__ import annotations

from datetime import timedelta

import pytest
from booking.domain.notifications import (
    Audience,
    EmailKind,
    Recipient,
    SendEmail,
    TellPreviousProfessional,
    actions_for_change,
    previous_professional_recipient,
)

from tests.notification_support import (
    DENTIST,
    INBOX,
    NOW,
    REMINDER_LEAD,
    START,
    make_booking,
    make_professional,
    make_tenant,
    sent,
)

OTHER = "pablo.rios@clinica.example"


@pytest.fixture
def reassigned(clinic):
    catalogs, _, _, mailer, service = clinic
    catalogs.put_professional(make_professional(id="pro-2", name="Dr. Pablo Ríos", email=OTHER))
    old = make_booking()
    new = make_booking(professional_id="pro-2", start=START + timedelta(days=1), version=2)
    return catalogs, mailer, service, old, new


def test_a_new_professional_also_tells_the_previous_one_a_new_time_alone_does_not():
    old = make_booking()
    new = make_booking(professional_id="pro-2", version=2)
    actions = actions_for_change(old, new, NOW, REMINDER_LEAD)
    assert actions[-2:] == [
        SendEmail(EmailKind.RESCHEDULE, new, previous=old),
        TellPreviousProfessional(new, old),
    ]
    moved = make_booking(start=START + timedelta(days=1), version=2)
    actions = actions_for_change(old, moved, NOW, REMINDER_LEAD)
    assert not [action for action in actions if isinstance(action, TellPreviousProfessional)]


def test_the_previous_professional_is_nobody_already_told_or_without_an_address():
    tenant = make_tenant(inbox_email=INBOX)
    former = make_professional(email=DENTIST)
    assert previous_professional_recipient(tenant, former, DENTIST, OTHER) == Recipient(
        Audience.PREVIOUS_PROFESSIONAL, DENTIST, "Dra. Lucía Mora"
    )
    assert previous_professional_recipient(tenant, former, None, OTHER) is None
    assert previous_professional_recipient(tenant, former, DENTIST.upper(), DENTIST) is None  # same person
    assert previous_professional_recipient(tenant, former, f" {INBOX.upper()}", OTHER) is None  # the inbox


def test_the_previous_professional_gets_a_staff_cancellation_of_the_appointment_they_had(reassigned):
    _, mailer, service, old, new = reassigned
    service.booking_changed(old, new)
    assert sent(mailer) == [
        (EmailKind.RESCHEDULE, Audience.PATIENT, "ana@example.com"),
        (EmailKind.RESCHEDULE, Audience.PROFESSIONAL, OTHER),
        (EmailKind.CANCELLATION, Audience.PREVIOUS_PROFESSIONAL, DENTIST),
    ]
    told = mailer.sent[-1]
    assert told.subject == "Cita reasignada: Ana Pérez, martes 1 de diciembre de 2026, 10:00"  # the old time
    assert "Hola Dra. Lucía Mora:" in told.text
    assert "pasó a otro profesional: ya no está en tu calendario" in told.text
    assert "Profesional: Dra. Lucía Mora" in told.text
    assert "pasó a otro profesional" in told.html
    assert told.calendar is not None
    assert told.calendar.method == "CANCEL"
    content = told.calendar.content.replace("\r\n ", "")
    assert "SEQUENCE:2" in content  # outranks the invitation of version 1
    assert f"mailto:{DENTIST}" in content


def test_it_is_in_the_clinics_language_and_a_replay_tells_nobody_twice(reassigned):
    catalogs, mailer, service, old, new = reassigned
    catalogs.put_tenant(make_tenant(locale="en-US"))
    service.booking_changed(old, new)
    service.booking_changed(old, new)  # the stream's replay
    [told] = [email for email in mailer.sent if email.audience is Audience.PREVIOUS_PROFESSIONAL]
    assert told.subject == "Appointment reassigned: Ana Pérez, Tuesday, December 1, 2026, 10:00"
    assert "has moved to another professional: it is no longer in your calendar" in told.text
    assert len(mailer.sent) == 3


def test_a_cancellation_to_the_booking_s_own_professional_still_says_cancelled(clinic):
    *_, mailer, service = clinic
    service.booking_changed(make_booking(), make_booking(status="cancelled", version=2))
    staff = mailer.sent[-1]
    assert staff.audience is Audience.PROFESSIONAL
    assert staff.subject.startswith("Cita cancelada:")
    assert "Se canceló la cita" in staff.text
