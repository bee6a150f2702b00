"""The iCalendar (RFC 5545) invitation attached to confirmation, reschedule and
cancellation emails.

Small enough to write by hand, but the format has traps that mail clients punish:
CRLF line ends, lines folded at 75 octets without splitting a UTF-8 character, TEXT
values with ``\\ ; ,`` and newlines escaped, quoted parameter values, and a stable
``UID`` with a growing ``SEQUENCE`` so that an update or a cancel replaces the event
already in the patient's calendar instead of adding a second one.
"""

from __future__ import annotations

from datetime import UTC, datetime

from booking.domain.notifications import CalendarEvent

PRODUCT_ID = "-//booking-platform//notifications//EN"
MAX_LINE_OCTETS = 75


def escape_text(value: str) -> str:
    """TEXT value escaping (RFC 5545 3.3.11)."""
    return (
        value.replace("\\", "\\\\")
        .replace(";", "\\;")
        .replace(",", "\\,")
        .replace("\r\n", "\\n")
        .replace("\n", "\\n")
        .replace("\r", "\\n")
    )


def quote_parameter(value: str) -> str:
    """A parameter value (e.g. ``CN``): double quotes are not allowed inside, so they go."""
    cleaned = value.replace('"', "").replace("\r", " ").replace("\n", " ")
    return f'"{cleaned}"'


def fold(line: str) -> str:
    """Fold a content line into 75-octet pieces joined by CRLF + space (RFC 5545 3.1)."""
    pieces: list[str] = []
    current = ""
    current_octets = 0
    limit = MAX_LINE_OCTETS
    for character in line:
        size = len(character.encode("utf-8"))
        if current_octets + size > limit:
            pieces.append(current)
            current, current_octets = "", 0
            limit = MAX_LINE_OCTETS - 1  # continuation lines start with one space
        current += character
        current_octets += size
    pieces.append(current)
    return "\r\n ".join(pieces)


def utc_stamp(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


class IcsCalendarWriter:
    """The ``CalendarWriter`` port: iTIP REQUEST and CANCEL invitations."""

    def invitation(self, event: CalendarEvent, method: str, now: datetime) -> str:
        return build_calendar(event, method, now)


def build_calendar(event: CalendarEvent, method: str, now: datetime) -> str:
    """The VCALENDAR text; ``method`` REQUEST adds or updates, CANCEL removes."""
    if method not in {"REQUEST", "CANCEL"}:
        raise ValueError(f"unsupported iTIP method {method!r}")
    status = "CANCELLED" if method == "CANCEL" else "CONFIRMED"
    lines = [
        "BEGIN:VCALENDAR",
        f"PRODID:{PRODUCT_ID}",
        "VERSION:2.0",
        "CALSCALE:GREGORIAN",
        f"METHOD:{method}",
        "BEGIN:VEVENT",
        f"UID:{event.uid}",
        f"SEQUENCE:{event.sequence}",
        f"DTSTAMP:{utc_stamp(now)}",
        f"DTSTART:{utc_stamp(event.start)}",
        f"DTEND:{utc_stamp(event.end)}",
        f"SUMMARY:{escape_text(event.summary)}",
        f"DESCRIPTION:{escape_text(event.description)}",
        *([f"LOCATION:{escape_text(event.location)}"] if event.location else []),
        f"ORGANIZER;CN={quote_parameter(event.organizer_name)}:mailto:{event.organizer_email}",
        (
            f"ATTENDEE;CN={quote_parameter(event.attendee_name)};ROLE=REQ-PARTICIPANT;"
            f"PARTSTAT=ACCEPTED;RSVP=FALSE:mailto:{event.attendee_email}"
        ),
        f"STATUS:{status}",
        "TRANSP:OPAQUE",
        "END:VEVENT",
        "END:VCALENDAR",
    ]
    return "".join(fold(line) + "\r\n" for line in lines)
