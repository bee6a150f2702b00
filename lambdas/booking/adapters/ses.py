"""SES v2 ``SendEmail`` with raw MIME content: text + HTML + an ``.ics`` invitation.

Raw content is the only way SES v2 carries attachments. The configuration set is named
on every send so bounce and complaint events reach the stack's destinations. In the
SES sandbox (dev stacks) only verified recipients can receive mail, so the function
may be given an allow-list: a recipient outside it is logged and skipped rather than
attempted (SES would reject it, and a rejected record must not block the stream).

``ses:SendEmail`` is granted by ``settings.FUNCTIONS['notifications']`` on the identity
and configuration set; ``ses:GetSendQuota`` (the daily quota, ``SesSendingAccount``) has
no resource type and is granted account-wide.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable
from datetime import datetime
from email.message import EmailMessage
from email.policy import SMTP
from email.utils import formataddr, formatdate
from typing import TYPE_CHECKING, Any

import boto3
from aws_lambda_powertools import Logger
from botocore.exceptions import ClientError

from booking.domain.deliveries import PermanentDeliveryFailure
from booking.domain.notifications import TENANT_TAG, OutgoingEmail

if TYPE_CHECKING:
    from mypy_boto3_ses.client import SESClient
    from mypy_boto3_sesv2.client import SESV2Client

    from booking.domain.mail_guard import SendQuota
else:
    SESClient = SESV2Client = Any

logger = Logger(child=True)

# Bodies are encoded with SMTP's 78 columns (quoted-printable lines stay within RFC
# 2045's 76); headers are written unfolded up to RFC 5322's hard limit, because a
# subject folded right after "Subject:" reads back with a leading space in some parsers.
HEADER_POLICY = SMTP.clone(max_line_length=998)

# SES answers these for a message that will never be accepted as it is; retrying the
# stream record would only block the shard behind it, so the service records the
# failure and dead-letters it instead. Anything else (throttling, 5xx) is retried.
PERMANENT_ERRORS = frozenset({"MessageRejected", "MailFromDomainNotVerifiedException"})


def parse_allowlist(value: str | Iterable[str]) -> frozenset[str]:
    """``"a@x.com, B@y.com"`` -> ``{"a@x.com", "b@y.com"}`` (addresses compare case-insensitively)."""
    items = value.split(",") if isinstance(value, str) else value
    return frozenset(item.strip().lower() for item in items if item.strip())


def build_mime(email: OutgoingEmail, sender: str) -> bytes:
    """multipart/mixed [ multipart/alternative [text, html], text/calendar attachment ]."""
    message = EmailMessage(policy=SMTP)
    message["From"] = formataddr((email.sender_name, sender)) if email.sender_name else sender
    message["To"] = email.to
    message["Subject"] = email.subject
    message["Date"] = formatdate(usegmt=True)
    message["X-Booking-Email-Kind"] = email.kind.value
    message["X-Booking-Audience"] = email.audience.value
    if email.tenant_id:
        message["X-Booking-Tenant-Id"] = email.tenant_id
    if email.booking_id:
        message["X-Booking-Id"] = email.booking_id
    if email.request_id:
        message["X-Booking-Request-Id"] = email.request_id
    # 7-bit transfer encodings: every relay and parser takes them.
    message.set_content(email.text, subtype="plain", charset="utf-8", cte="quoted-printable")
    message.add_alternative(email.html, subtype="html", charset="utf-8", cte="quoted-printable")
    if email.calendar is not None:
        message.make_mixed()
        message.add_attachment(
            email.calendar.content,
            subtype="calendar",
            charset="utf-8",
            cte="base64",  # keeps the CRLF line ends iCalendar requires
            filename=email.calendar.filename,
            params={"method": email.calendar.method},
        )
    return message.as_bytes(policy=HEADER_POLICY)


def _default_client() -> SESV2Client:
    return boto3.client("sesv2")


class SesMailer:
    """The ``Mailer`` port on SES v2."""

    def __init__(
        self,
        sender: str,
        configuration_set: str,
        allowlist: str | Iterable[str] = "",
        client: SESV2Client | None = None,
        client_factory: Callable[[], SESV2Client] = _default_client,
    ) -> None:
        self.sender = sender
        self.configuration_set = configuration_set
        self.allowlist = parse_allowlist(allowlist)
        self._client = client
        self._client_factory = client_factory
        self._lock = threading.Lock()

    @property
    def client(self) -> SESV2Client:
        # Created on first send, after moto (or the devstack endpoint) is in place.
        if self._client is None:
            with self._lock:
                if self._client is None:
                    self._client = self._client_factory()
        return self._client

    def allows(self, address: str) -> bool:
        return not self.allowlist or address.strip().lower() in self.allowlist

    def send(self, email: OutgoingEmail) -> str | None:
        if not self.allows(email.to):
            logger.info(
                "Recipient not in the sandbox allow-list; email skipped",
                extra={"email_kind": email.kind.value, "booking_id": email.booking_id},
            )
            return None
        try:
            response = self.client.send_email(
                FromEmailAddress=self.sender,
                Destination={"ToAddresses": [email.to]},
                Content={"Raw": {"Data": build_mime(email, self.sender)}},
                ConfigurationSetName=self.configuration_set,
                # Bounce and complaint events carry the tags: the tenant finds its users.
                EmailTags=[{"Name": TENANT_TAG, "Value": email.tenant_id}] if email.tenant_id else [],
            )
        except ClientError as error:
            code = error.response.get("Error", {}).get("Code", "")
            if code in PERMANENT_ERRORS:
                message = str(error.response.get("Error", {}).get("Message", ""))
                raise PermanentDeliveryFailure(code, message) from error
            raise
        return response["MessageId"]


def _default_v1_client() -> SESClient:
    return boto3.client("ses")


class SesSendingAccount:
    """The ``SendingAccount`` port: the account's daily quota from SES ``GetSendQuota``
    (the same figures as SES v2 ``GetAccount``'s ``SendQuota``)."""

    def __init__(
        self, client: SESClient | None = None, client_factory: Callable[[], SESClient] = _default_v1_client
    ) -> None:
        self._client = client
        self._client_factory = client_factory

    def send_quota(self, now: datetime) -> SendQuota:
        # The hourly quota check's own model: not loaded by the stream's emails.
        from booking.domain.mail_guard import SendQuota

        client = self._client = self._client or self._client_factory()
        quota = client.get_send_quota()
        return SendQuota(
            max_24_hour_send=float(quota.get("Max24HourSend", 0)),
            sent_last_24_hours=float(quota.get("SentLast24Hours", 0)),
            read_at=now,
        )
