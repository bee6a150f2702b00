"""Did every booking of ``benchmarks.soak`` get its emails exactly once?

The devstack writes each message SES accepted to its outbox as an ``.eml`` file; the
notifications function marks each with ``X-Booking-Id``, ``X-Booking-Email-Kind`` and
``X-Booking-Audience`` (staff copies are checked for duplicates only),
and its calendar invitation carries the booking's version as ``SEQUENCE``. An email is
therefore identified as (booking, kind, version), and each version the API confirmed
must have caused exactly one: the confirmation of version 1, a reschedule email for
each move, a cancellation at the end. A change that got no answer (5xx) leaves the
booking's later emails unknown: for such a booking only duplicates are counted, and
emails about a booking no client saw created are listed apart (``untracked``): a create
answered 5xx may still have made its booking, so each such create explains one booking's
first confirmation (and its staff copies), nothing more (``unexplained``). The
stream is drained first: the check waits until every expected email is there (then a
little longer, for late duplicates).
"""

from __future__ import annotations

import email
import re
import time
from collections import Counter
from dataclasses import dataclass
from email.message import EmailMessage
from email.policy import default
from pathlib import Path
from typing import Any

from benchmarks._soak_traffic import TrackedBooking

SEQUENCE = re.compile(r"^SEQUENCE:(\d+)\s*$", re.MULTILINE)
EmailKey = tuple[str, str, int]  # booking id, kind (``kind:audience`` for staff copies), version
# The patient's emails are the expected ones; the staff's copies (to the professional and
# the clinic's inbox, where the tenant has them) are checked for duplicates only.
PATIENT = "patient"


@dataclass(frozen=True)
class EmailCheck:
    expected: Counter[EmailKey]
    received: Counter[EmailKey]
    waited_seconds: float
    # Bookings whose last change got no answer: only their duplicates count against them.
    uncertain: frozenset[str] = frozenset()
    # Every booking a client saw created.
    tracked: frozenset[str] = frozenset()
    # Creates answered 5xx or not at all: each may have made a booking no client knows.
    unanswered_creates: int = 0

    def _listed(self, keys: list[EmailKey]) -> list[str]:
        return [f"{booking} {kind} v{version}" for booking, kind, version in sorted(keys)]

    @property
    def missing(self) -> list[str]:
        return self._listed([key for key in self.expected if self.received[key] < self.expected[key]])

    @property
    def duplicated(self) -> list[str]:
        return self._listed([key for key, count in self.received.items() if count > 1])

    @property
    def unexpected(self) -> list[str]:
        """Emails no answer called for, about bookings whose changes were all answered."""
        return self._listed(
            [
                key
                for key in self.received
                if key not in self.expected
                and ":" not in key[1]
                and key[0] in self.tracked
                and key[0] not in self.uncertain
            ]
        )

    @property
    def untracked(self) -> list[str]:
        """Emails about bookings no client saw created (a create answered 5xx that happened)."""
        return self._listed([key for key in self.received if key[0] not in self.tracked])

    @property
    def unexplained(self) -> list[str]:
        """Untracked emails the unanswered creates cannot explain: all of them when they are
        about more bookings than creates went unanswered, else any but a first confirmation."""
        untracked = [key for key in self.received if key[0] not in self.tracked]
        if len({booking for booking, _, _ in untracked}) > self.unanswered_creates:
            return self._listed(untracked)
        return self._listed(
            [key for key in untracked if key[1].split(":")[0] != "confirmation" or key[2] != 1]
        )

    def as_dict(self) -> dict[str, Any]:
        return {
            "expected": sum(self.expected.values()),
            "received": sum(self.received.values()),
            "by_kind": dict(Counter(kind for _, kind, _ in self.received.elements())),
            "waited_seconds": round(self.waited_seconds, 1),
            "missing": self.missing,
            "duplicated": self.duplicated,
            "unexpected": self.unexpected,
            "untracked": self.untracked,
            "unexplained": self.unexplained,
            "unanswered_creates": self.unanswered_creates,
            "uncertain_bookings": sorted(self.uncertain),
        }


def email_key(path: Path) -> EmailKey | None:
    """(booking, kind, version) of one outbox file; None for mail about no booking."""
    message = email.message_from_bytes(path.read_bytes(), policy=default)
    if not isinstance(message, EmailMessage) or message["X-Booking-Id"] is None:
        return None
    version = -1  # an email without an invitation (none today) counts under -1
    for part in message.iter_attachments():
        if isinstance(part, EmailMessage) and part.get_content_type() == "text/calendar":
            found = SEQUENCE.search(str(part.get_content()))
            version = int(found.group(1)) if found else version
    kind = str(message["X-Booking-Email-Kind"])
    audience = str(message["X-Booking-Audience"] or PATIENT)
    return str(message["X-Booking-Id"]), kind if audience == PATIENT else f"{kind}:{audience}", version


class Outbox:
    """The outbox's emails, each file parsed once."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self._keys: dict[Path, EmailKey | None] = {}

    def received(self) -> Counter[EmailKey]:
        for path in sorted(self.root.glob("*.eml")):
            if path not in self._keys:
                self._keys[path] = email_key(path)
        return Counter(key for key in self._keys.values() if key is not None)


def check_emails(
    outbox: Path,
    bookings: list[TrackedBooking],
    unanswered_creates: int,
    wait_seconds: float = 180.0,
    settle_seconds: float = 5.0,
) -> EmailCheck:
    expected = Counter(
        (booking.id, kind, version) for booking in bookings for kind, version in booking.expected_emails
    )
    reader = Outbox(outbox)
    started = time.monotonic()
    while True:
        received = reader.received()
        complete = all(received[key] >= count for key, count in expected.items())
        if complete or time.monotonic() - started > wait_seconds:
            break
        time.sleep(1.0)
    waited = time.monotonic() - started
    time.sleep(settle_seconds)  # a duplicate would arrive about as late as its original
    uncertain = frozenset(booking.id for booking in bookings if booking.uncertain)
    tracked = frozenset(booking.id for booking in bookings)
    return EmailCheck(expected, reader.received(), waited, uncertain, tracked, unanswered_creates)
