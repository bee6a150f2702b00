"""The ``CalendarWriter`` port on the ``icalendar`` library: the iTIP invitation attached
to confirmation, reschedule and cancellation emails.

The library handles the format's traps that mail clients punish: CRLF line ends, lines
folded at 75 octets without splitting a UTF-8 character, TEXT values with ``\\ ; ,``
and newlines escaped, parameter values quoted. What stays ours is the event: a stable
``UID`` with a growing ``SEQUENCE``, so that an update or a cancel replaces the event
already in the patient's calendar instead of adding a second one. Properties and
parameters are written in the order given here (``sorted=False``), the order the
invitations have always had.
"""

from __future__ import annotations

from datetime import UTC, datetime

from icalendar import Calendar, Event, vCalAddress

from booking.domain.notifications import CalendarEvent

PRODUCT_ID = "-//booking-platform//notifications//EN"
# iTIP method -> the event's STATUS: REQUEST adds or updates, CANCEL removes.
EVENT_STATUS = {"REQUEST": "CONFIRMED", "CANCEL": "CANCELLED"}


def _address(email: str, name: str, **parameters: str) -> vCalAddress:
    """``mailto:`` with its ``CN``. A double quote cannot appear in a parameter value;
    the library would write RFC 6868's ``^'`` for it, which many clients show as is,
    so it is dropped (and line breaks become spaces)."""
    address = vCalAddress(f"mailto:{email}")
    address.params["CN"] = name.replace('"', "").replace("\r", " ").replace("\n", " ")
    for key, value in parameters.items():
        address.params[key] = value
    return address


class IcsCalendarWriter:
    """The ``CalendarWriter`` port: iTIP REQUEST and CANCEL invitations."""

    def invitation(self, event: CalendarEvent, method: str, now: datetime) -> str:
        if method not in EVENT_STATUS:
            raise ValueError(f"unsupported iTIP method {method!r}")
        calendar = Calendar()
        calendar.add("prodid", PRODUCT_ID)
        calendar.add("version", "2.0")
        calendar.add("calscale", "GREGORIAN")
        calendar.add("method", method)
        entry = Event()
        entry.add("uid", event.uid)
        entry.add("sequence", event.sequence)
        # UTC times (``...Z``): no VTIMEZONE to ship, every client converts them.
        entry.add("dtstamp", now.astimezone(UTC))
        entry.add("dtstart", event.start.astimezone(UTC))
        entry.add("dtend", event.end.astimezone(UTC))
        entry.add("summary", event.summary)
        entry.add("description", event.description)
        if event.location:
            entry.add("location", event.location)
        entry.add("organizer", _address(event.organizer_email, event.organizer_name))
        entry.add(
            "attendee",
            _address(
                event.attendee_email,
                event.attendee_name,
                ROLE="REQ-PARTICIPANT",
                PARTSTAT="ACCEPTED",
                RSVP="FALSE",
            ),
        )
        entry.add("status", EVENT_STATUS[method])
        entry.add("transp", "OPAQUE")
        calendar.add_component(entry)
        content: bytes = calendar.to_ical(sorted=False)
        return content.decode("utf-8")
