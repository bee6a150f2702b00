"""The devstack's outbox: every email SES accepted, as ``.eml`` files, read as a test
waits for one (the pumps deliver them a moment after the write that caused them)."""

from __future__ import annotations

import email
import re
import time
from collections.abc import Callable
from email.message import EmailMessage
from email.policy import default
from pathlib import Path

import pytest

EMAIL_WAIT_SECONDS = 30.0


class Outbox:
    """The devstack's sent emails (``.eml`` files, oldest first)."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory

    def messages(self) -> list[EmailMessage]:
        found = []
        for path in sorted(self.directory.glob("*.eml")):
            message = email.message_from_bytes(path.read_bytes(), policy=default)
            if isinstance(message, EmailMessage):
                found.append(message)
        return found

    def wait_for_email(self, matches: Callable[[EmailMessage], bool], what: str) -> EmailMessage:
        """The first email that ``matches``, waiting for the pumps to deliver it."""
        deadline = time.monotonic() + EMAIL_WAIT_SECONDS
        while True:
            found = [message for message in self.messages() if matches(message)]
            if found:
                return found[0]
            if time.monotonic() > deadline:
                pytest.fail(f"no email {what} in {self.directory} after {EMAIL_WAIT_SECONDS:.0f}s")
            time.sleep(0.25)

    def wait_for(self, booking_id: str, kind: str) -> EmailMessage:
        """The ``kind`` email ("confirmation", "reminder", …) about the booking."""
        return self.wait_for_email(
            lambda message: (message["X-Booking-Id"], message["X-Booking-Email-Kind"]) == (booking_id, kind),
            f"of kind {kind} about booking {booking_id}",
        )

    def wait_for_recipient(self, address: str) -> EmailMessage:
        """The first email sent to ``address`` (an invitation, a staff notice, …)."""
        return self.wait_for_email(
            lambda message: address.lower() in str(message["To"] or "").lower(), f"to {address}"
        )

    @staticmethod
    def links(message: EmailMessage) -> list[str]:
        """Every http(s) link of the email's text and HTML bodies."""
        found: list[str] = []
        for part in message.walk():
            if part.get_content_type() in ("text/plain", "text/html"):
                text = part.get_content()
                found += re.findall(r"https?://[^\s\"'<>]+", text)
        return found
