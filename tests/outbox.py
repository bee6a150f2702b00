"""Reading the devstack's outbox (``.devstack/outbox/*.eml``) as a person would."""

from __future__ import annotations

import email
import time
from email.message import EmailMessage
from email.policy import default
from pathlib import Path


def mail_to(outbox: Path, recipient: str, timeout: float = 20.0) -> list[EmailMessage]:
    """The emails to ``recipient``, waiting up to ``timeout`` for the first (the pump polls)."""
    deadline = time.monotonic() + timeout
    while True:
        found = []
        for path in sorted(outbox.glob("*.eml")):
            message = email.message_from_bytes(path.read_bytes(), policy=default)
            if recipient in str(message["To"]):
                found.append(message)
        if found or time.monotonic() > deadline:
            return found  # type: ignore[return-value]
        time.sleep(0.2)


def html_of(message: EmailMessage) -> str:
    part = message.get_body(("html", "plain"))
    assert part is not None
    return str(part.get_content())
