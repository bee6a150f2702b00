"""Every message the emulator's SES accepted, as an ``.eml`` file in ``.devstack/outbox/``."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.message import EmailMessage
from email.utils import format_datetime
from pathlib import Path
from typing import Any

from devstack.pumps.polling import PollingThread


def _safe_file_part(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9@._+-]", "_", text)[:80] or "unknown"


def message_as_email(message: Any) -> tuple[bytes, list[str]]:
    """A message moto's SES stored, as RFC 5322 bytes, and its recipients."""
    raw = getattr(message, "raw_data", None)
    if isinstance(raw, str):
        return raw.encode(), [str(address) for address in getattr(message, "destinations", [])]
    destinations: dict[str, list[str]] = getattr(message, "destinations", {}) or {}
    email = EmailMessage()
    email["From"] = message.source
    for header, key in (("To", "ToAddresses"), ("Cc", "CcAddresses"), ("Bcc", "BccAddresses")):
        if destinations.get(key):
            email[header] = ", ".join(destinations[key])
    email["Subject"] = message.subject
    email["Date"] = format_datetime(datetime.now(UTC))
    email["Message-ID"] = f"<{message.id}@email.amazonses.com>"
    body: str = message.body
    email.set_content(body, subtype="html" if body.lstrip().startswith("<") else "plain")
    recipients = [
        address
        for key in ("ToAddresses", "CcAddresses", "BccAddresses")
        for address in destinations.get(key, [])
    ]
    return bytes(email), recipients


@dataclass
class OutboxWriter:
    """Writes every message the emulator's SES accepted to ``root`` as
    ``<UTC timestamp>-<n>-<first recipient>.eml`` (reads moto's in-process store:
    the Lambda code is not patched)."""

    root: Path
    account_id: str = "123456789012"
    region: str = "us-east-1"
    interval: float = 0.5
    written: list[Path] = field(default_factory=list)
    _seen: int = 0
    _poller: PollingThread | None = None

    def _messages(self) -> list[Any]:
        from moto.ses.models import ses_backends

        messages: list[Any] = ses_backends[self.account_id][self.region].sent_messages
        return messages

    def poll_once(self) -> list[Path]:
        messages = self._messages()
        if len(messages) < self._seen:  # the emulator was reset
            self._seen = 0
        new = messages[self._seen :]
        self._seen += len(new)
        paths = []
        self.root.mkdir(parents=True, exist_ok=True)
        for message in new:
            content, recipients = message_as_email(message)
            stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%fZ")
            first = recipients[0] if recipients else "unknown"
            path = self.root / f"{stamp}-{len(self.written) + 1:04d}-{_safe_file_part(first)}.eml"
            path.write_bytes(content)
            self.written.append(path)
            paths.append(path)
        return paths

    def start(self) -> OutboxWriter:
        self._poller = PollingThread("outbox", self.poll_once, self.interval).start()
        return self

    def stop(self) -> None:
        if self._poller is not None:
            self._poller.stop()
            self._poller = None
        self.poll_once()  # what arrived since the last poll
