"""The invitation attached to confirmation, reschedule and cancellation emails: text
escaped and folded as RFC 5545 asks, one event per booking (UID) updated by SEQUENCE."""

import pytest
from booking.adapters.ics_calendar import build_calendar, escape_text, fold
from booking.domain.notifications import CalendarEvent

from tests.notification_support import NOW, START


def test_calendar_text_values_escape_the_separators():
    assert escape_text("a,b;c\\d\ne") == "a\\,b\\;c\\\\d\\ne"


def test_long_calendar_lines_fold_at_75_octets_without_splitting_a_character():
    line = "SUMMARY:" + "ñ" * 100
    folded = fold(line)
    pieces = folded.split("\r\n")
    assert all(len(piece.encode("utf-8")) <= 75 for piece in pieces)
    assert all(piece.startswith(" ") for piece in pieces[1:])
    assert "".join(piece[1:] if index else piece for index, piece in enumerate(pieces)) == line


def test_a_calendar_method_other_than_request_or_cancel_is_refused():
    event = CalendarEvent("u", 1, START, START, "s", "d", "o", "o@x", "a", "a@x")
    with pytest.raises(ValueError, match="PUBLISH"):
        build_calendar(event, "PUBLISH", NOW)
