"""The invitation attached to confirmation, reschedule and cancellation emails: text
escaped and folded as RFC 5545 asks, one event per booking (UID) updated by SEQUENCE."""

from datetime import timedelta
from typing import Any

import pytest
from booking.adapters.ics_calendar import IcsCalendarWriter
from booking.domain.notifications import CalendarEvent
from icalendar import Calendar

from tests.notification_support import NOW, START

WRITER = IcsCalendarWriter()


def event(**changes: Any) -> CalendarEvent:
    values: dict[str, Any] = {
        "uid": "b-1.clinica-sonrisa@booking-platform",
        "sequence": 1,
        "start": START,
        "end": START + timedelta(minutes=30),
        "summary": "Limpieza dental · Clínica Sonrisa",
        "description": "Dra. Lucía Mora",
        "organizer_name": "Clínica Sonrisa",
        "organizer_email": "citas@clinica.example",
        "attendee_name": "Ana Pérez",
        "attendee_email": "ana@example.com",
    }
    return CalendarEvent(**{**values, **changes})


def unfolded_lines(content: str) -> list[str]:
    return content.replace("\r\n ", "").split("\r\n")


def test_calendar_text_values_escape_the_separators():
    content = WRITER.invitation(event(summary="a,b;c\\d\ne"), "REQUEST", NOW)
    assert "SUMMARY:a\\,b\\;c\\\\d\\ne" in unfolded_lines(content)


def test_long_calendar_lines_fold_at_75_octets_without_splitting_a_character():
    summary = "ñ" * 100
    pieces = WRITER.invitation(event(summary=summary), "REQUEST", NOW).split("\r\n")
    assert all(len(piece.encode("utf-8")) <= 75 for piece in pieces)
    first = next(index for index, piece in enumerate(pieces) if piece.startswith("SUMMARY:"))
    last = next(index for index in range(first + 1, len(pieces)) if not pieces[index].startswith(" "))
    continued = pieces[first + 1 : last]
    assert continued  # the line was folded
    assert pieces[first] + "".join(piece[1:] for piece in continued) == "SUMMARY:" + summary


def test_a_calendar_method_other_than_request_or_cancel_is_refused():
    with pytest.raises(ValueError, match="PUBLISH"):
        WRITER.invitation(event(), "PUBLISH", NOW)


def test_a_cancellation_is_the_same_event_with_a_higher_sequence():
    request = Calendar.from_ical(WRITER.invitation(event(sequence=1), "REQUEST", NOW))
    cancel = Calendar.from_ical(WRITER.invitation(event(sequence=3), "CANCEL", NOW))
    [booked], [cancelled] = request.walk("VEVENT"), cancel.walk("VEVENT")
    assert (request["METHOD"], booked["STATUS"]) == ("REQUEST", "CONFIRMED")
    assert (cancel["METHOD"], cancelled["STATUS"]) == ("CANCEL", "CANCELLED")
    assert booked["UID"] == cancelled["UID"] == "b-1.clinica-sonrisa@booking-platform"
    assert (booked["SEQUENCE"], cancelled["SEQUENCE"]) == (1, 3)


def test_a_client_reads_back_the_times_people_and_text_written():
    written = event(summary="Cita: limpieza, 30 min; sala 2", location="Av. Amazonas, Quito")
    [entry] = Calendar.from_ical(WRITER.invitation(written, "REQUEST", NOW)).walk("VEVENT")
    assert (entry.decoded("DTSTART"), entry.decoded("DTEND")) == (START, START + timedelta(minutes=30))
    assert entry.decoded("DTSTAMP") == NOW
    assert str(entry["SUMMARY"]) == written.summary
    assert str(entry["LOCATION"]) == written.location
    assert str(entry["ORGANIZER"]) == "mailto:citas@clinica.example"
    assert entry["ORGANIZER"].params["CN"] == "Clínica Sonrisa"
    assert entry["ATTENDEE"].params["CN"] == "Ana Pérez"


def test_a_double_quote_in_a_name_is_dropped_rather_than_escaped():
    content = WRITER.invitation(event(attendee_name='Ana "la profe" Pérez'), "REQUEST", NOW)
    attendee = next(line for line in unfolded_lines(content) if line.startswith("ATTENDEE"))
    assert attendee.startswith('ATTENDEE;CN="Ana la profe Pérez";')
