"""SES guarded: what a bounce or a complaint does to a user, and how near the daily quota
the account is.

SES publishes the configuration set's bounce and complaint events to the stack's mail
events topic, which invokes the notifications function. A permanent bounce marks every
user of the message's tenant with that address ``bouncing``, a complaint marks them
``complained`` (a complaint is never downgraded to a bounce); the notifications
service then tries no more mail to them, and staff see the status in the users API.
Transient bounces (a full mailbox) change nothing: SES retried them already.

Every message carries its tenant as an SES message tag (``TENANT_TAG``), so an event
finds its users in one index query of that tenant, never across tenants.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from aws_lambda_powertools import Logger
from pydantic import BaseModel, ConfigDict, Field

from booking.domain.models import EmailStatus, User
from booking.domain.notifications import TENANT_TAG
from booking.domain.ports import Clock, UserRepository
from booking.domain.user_search import UserSearchField, normalised

logger = Logger(child=True)


# --- the SES event (SNS message body), as published by a configuration set -------------


class _Event(BaseModel):
    model_config = ConfigDict(extra="ignore", frozen=True, defer_build=True)


class _Recipient(_Event):
    email_address: str = Field(alias="emailAddress")


class _Bounce(_Event):
    bounce_type: str = Field(alias="bounceType")  # Permanent, Transient or Undetermined
    bounced_recipients: list[_Recipient] = Field(alias="bouncedRecipients", default_factory=list)


class _Complaint(_Event):
    complained_recipients: list[_Recipient] = Field(alias="complainedRecipients", default_factory=list)


class _Mail(_Event):
    message_id: str = Field(alias="messageId", default="")
    tags: dict[str, list[str]] = Field(default_factory=dict)


class MailEvent(_Event):
    """One SES sending event; fields this module does not use are ignored."""

    event_type: str = Field(alias="eventType")
    mail: _Mail
    bounce: _Bounce | None = None
    complaint: _Complaint | None = None

    @property
    def tenant_id(self) -> str | None:
        values = self.mail.tags.get(TENANT_TAG) or []
        return values[0] if values else None

    def troubled_addresses(self) -> list[tuple[str, EmailStatus]]:
        """The addresses this event says mail should no longer be tried to."""
        if self.event_type == "Complaint" and self.complaint is not None:
            return [(r.email_address, EmailStatus.COMPLAINED) for r in self.complaint.complained_recipients]
        if self.event_type == "Bounce" and self.bounce is not None and self.bounce.bounce_type == "Permanent":
            return [(r.email_address, EmailStatus.BOUNCING) for r in self.bounce.bounced_recipients]
        return []


def stronger(current: EmailStatus, reported: EmailStatus) -> EmailStatus:
    """A complaint outranks a bounce, which outranks nothing."""
    order = (EmailStatus.OK, EmailStatus.BOUNCING, EmailStatus.COMPLAINED)
    return max(current, reported, key=order.index)


@dataclass
class MailEventService:
    users: UserRepository
    clock: Clock

    def handle(self, event: MailEvent) -> list[User]:
        """Mark the users the event is about; returns the users changed."""
        tenant_id = event.tenant_id
        troubled = event.troubled_addresses()
        if not troubled:
            return []
        if tenant_id is None:
            # Only mail this platform sent carries the tag; SES's suppression list still
            # keeps the address from being mailed again.
            logger.warning("Mail event without a tenant tag", extra={"event_type": event.event_type})
            return []
        changed = []
        for address, status in troubled:
            for user in self._users_with(tenant_id, address):
                updated_status = stronger(user.email_status, status)
                if updated_status is user.email_status:
                    continue
                now = self.clock.now()
                updated = user.model_copy(
                    update={"email_status": updated_status, "updated_at": now, "version": user.version + 1}
                )
                self.users.save_user(user, updated)
                changed.append(updated)
                logger.info(
                    "Email address marked",
                    extra={"tenant_id": tenant_id, "user_id": user.id, "email_status": updated_status.value},
                )
        return changed

    def _users_with(self, tenant_id: str, address: str) -> list[User]:
        wanted = normalised(UserSearchField.EMAIL, address)
        found: list[User] = []
        cursor: str | None = None
        while True:
            page = self.users.search_users(tenant_id, UserSearchField.EMAIL, wanted, cursor=cursor)
            found += [user for user in page.items if normalised(UserSearchField.EMAIL, user.email) == wanted]
            cursor = page.next_cursor
            if cursor is None:
                return found


# --- the daily sending quota -------------------------------------------------------------


@dataclass(frozen=True)
class SendQuota:
    """The account's 24-hour sending quota, as SES reports it (``GetAccount``)."""

    max_24_hour_send: float
    sent_last_24_hours: float
    read_at: datetime

    @property
    def used_percent(self) -> float:
        if self.max_24_hour_send <= 0:  # the sandbox reports 200; an unlimited quota is -1
            return 0.0
        return round(100 * self.sent_last_24_hours / self.max_24_hour_send, 2)
