"""Emails in the tenant's language and time zone, with a calendar invitation that
updates or removes the same event."""

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from booking.adapters.ics_calendar import IcsCalendarWriter
from booking.adapters.jinja_emails import JinjaEmailRenderer, format_local, language_for
from booking.domain.models import BookingStatus
from booking.domain.notifications import EmailKind, OutgoingEmail

from tests.notification_support import (
    NOW,
    SENDER,
    START,
    make_booking,
    make_facts,
    make_patient,
    make_tenant,
)


def render(kind: EmailKind, **changes: Any) -> OutgoingEmail:
    return JinjaEmailRenderer(SENDER, IcsCalendarWriter()).render(kind, make_facts(**changes), NOW)


@pytest.mark.parametrize(
    ("locale", "language"),
    [("es-EC", "es"), ("es", "es"), ("en-US", "en"), ("en", "en"), ("fr-FR", "es"), ("", "es"), (None, "es")],
)
def test_the_language_is_the_locales_first_part_with_spanish_as_fallback(locale, language):
    assert language_for(locale) == language


def test_times_are_written_in_the_tenants_zone_and_language():
    assert format_local(START, "America/Guayaquil", "es") == "martes 1 de diciembre de 2026, 10:00"
    assert format_local(START, "America/Guayaquil", "en") == "Tuesday, December 1, 2026, 10:00"
    assert format_local(START, "Europe/Madrid", "es") == "martes 1 de diciembre de 2026, 16:00"


def test_local_time_follows_daylight_saving_in_zones_that_have_it():
    summer = datetime(2026, 7, 1, 14, 0, tzinfo=UTC)
    assert format_local(summer, "America/New_York", "en").endswith(", 10:00")
    assert format_local(START, "America/New_York", "en").endswith(", 10:00")  # winter: UTC-5


def test_a_spanish_tenant_confirms_in_spanish_with_a_calendar_request():
    email = render(EmailKind.CONFIRMATION)
    assert email.to == "ana@example.com"
    assert email.subject == "Cita confirmada: Limpieza dental, martes 1 de diciembre de 2026, 10:00"
    assert "Hola Ana Pérez:" in email.text
    assert "Dra. Lucía Mora" in email.text
    assert "(America/Guayaquil)" in email.text
    assert '<html lang="es">' in email.html
    assert "Fecha y hora" in email.html
    assert email.sender_name == "Clínica Sonrisa"
    assert email.calendar is not None
    assert email.calendar.method == "REQUEST"
    assert "METHOD:REQUEST" in email.calendar.content


def test_an_english_tenant_gets_english_emails():
    email = render(EmailKind.REMINDER, tenant=make_tenant(locale="en-US"))
    assert email.subject == "Reminder: Limpieza dental, Tuesday, December 1, 2026, 10:00"
    assert "This is a reminder of your appointment at Clínica Sonrisa." in email.text
    assert '<html lang="en">' in email.html
    assert "Date and time" in email.html


def test_a_reminder_carries_no_invitation():
    assert render(EmailKind.REMINDER).calendar is None


def test_a_reschedule_names_the_old_and_the_new_time():
    old = make_booking()
    new = make_booking(start=START + timedelta(days=1), version=2)
    email = render(EmailKind.RESCHEDULE, booking=new, previous=old)
    assert "Antes: martes 1 de diciembre de 2026, 10:00" in email.text
    assert "Ahora: miércoles 2 de diciembre de 2026, 10:00" in email.text
    assert email.calendar is not None
    assert "SEQUENCE:2" in email.calendar.content


def test_a_cancellation_gives_the_reason_and_cancels_the_calendar_event():
    booking = make_booking(status=BookingStatus.CANCELLED, cancellation_reason="Viaje", version=3)
    email = render(EmailKind.CANCELLATION, booking=booking)
    assert "Motivo: Viaje" in email.text
    assert "Motivo: Viaje" in email.html
    assert email.calendar is not None
    assert email.calendar.method == "CANCEL"
    assert "METHOD:CANCEL" in email.calendar.content
    assert "STATUS:CANCELLED" in email.calendar.content


def test_html_escapes_what_people_typed_but_the_text_part_keeps_it():
    email = render(
        EmailKind.CANCELLATION,
        patient=make_patient(name="<b>Ana</b>"),
        booking=make_booking(status=BookingStatus.CANCELLED, cancellation_reason="<script>x</script>"),
    )
    assert "<script>" not in email.html
    assert "&lt;script&gt;x&lt;/script&gt;" in email.html
    assert "&lt;b&gt;Ana&lt;/b&gt;" in email.html
    assert "Hola <b>Ana</b>:" in email.text


def test_a_deleted_professional_or_treatment_does_not_stop_the_email():
    email = render(EmailKind.CONFIRMATION, professional=None, treatment=None)
    assert "Profesional: (sin datos)" in email.text


def test_a_patient_without_a_name_is_greeted_by_email():
    assert "Hola ana@example.com:" in render(EmailKind.CONFIRMATION, patient=make_patient(name=None)).text


@pytest.mark.parametrize("kind", list(EmailKind))
@pytest.mark.parametrize("locale", ["es-EC", "en-US"])
def test_every_kind_renders_in_every_language_with_a_one_line_subject(kind, locale):
    email = render(kind, tenant=make_tenant(locale=locale), previous=make_booking())
    assert email.subject
    assert "\n" not in email.subject
    assert email.text.strip()
    assert email.html.strip().endswith("</html>")


def test_the_invitation_is_the_same_event_with_utc_times_organizer_and_attendee():
    email = render(EmailKind.CONFIRMATION)
    assert email.calendar is not None
    lines = email.calendar.content.split("\r\n")
    assert lines[0] == "BEGIN:VCALENDAR"
    assert lines[-2:] == ["END:VCALENDAR", ""]  # every line ends with CRLF
    assert "UID:b-1.clinica-sonrisa@booking-platform" in lines
    assert "DTSTART:20261201T150000Z" in lines
    assert "DTEND:20261201T153000Z" in lines
    assert "DTSTAMP:20261120T120000Z" in lines
    assert f'ORGANIZER;CN="Clínica Sonrisa":mailto:{SENDER}' in lines
    unfolded = email.calendar.content.replace("\r\n ", "")
    assert (
        'ATTENDEE;CN="Ana Pérez";ROLE=REQ-PARTICIPANT;PARTSTAT=ACCEPTED;RSVP=FALSE:mailto:ana@example.com'
        in (unfolded)
    )
