"""What moto's SES recorded, parsed back into MIME messages."""

from __future__ import annotations

import email
from email.message import EmailMessage
from email.policy import default

from moto.core.models import DEFAULT_ACCOUNT_ID
from moto.ses.models import ses_backends

from tests.aws import REGION


def sent_messages() -> list[tuple[list[str], EmailMessage]]:
    """(destinations, parsed message) for every raw email moto accepted."""
    backend = ses_backends[DEFAULT_ACCOUNT_ID][REGION]
    parsed = []
    for message in backend.sent_messages:
        mime = email.message_from_string(message.raw_data, policy=default)
        assert isinstance(mime, EmailMessage)
        parsed.append((list(message.destinations), mime))
    return parsed
