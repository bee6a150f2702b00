"""Carry out what ``domain.notifications`` decided, through the ports.

Reads are the catalog (tenant, professional, treatment) and the patient from the user
repository; writes are a reminder schedule and an email. Permanent gaps (a patient
without a user record, a deleted tenant) are logged and skipped: retrying a stream
batch would not make them appear, and a failed record blocks its shard. Transient
failures (SES or Scheduler errors) propagate so the batch reports the record as failed
and Lambda retries it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta
from enum import StrEnum

from aws_lambda_powertools import Logger

from booking.domain.models import Booking
from booking.domain.notifications import (
    Action,
    CancelReminder,
    EmailFacts,
    EmailKind,
    ReminderRequest,
    ScheduleReminder,
    actions_for_change,
    reminder_still_due,
)
from booking.domain.ports import (
    BookingReader,
    CatalogReader,
    Clock,
    EmailRenderer,
    Mailer,
    ReminderScheduler,
    UserReader,
)

logger = Logger(child=True)


class Outcome(StrEnum):
    EMAIL_SENT = "EmailsSent"
    EMAIL_SKIPPED = "EmailsSkipped"  # allow-list (sandbox) or no recipient
    REMINDER_SCHEDULED = "RemindersScheduled"
    REMINDER_CANCELLED = "RemindersCancelled"
    REMINDER_OBSOLETE = "RemindersObsolete"  # fired for a booking moved or cancelled since


# Called once per outcome; the handler turns it into a Powertools metric.
OutcomeListener = Callable[[Outcome], None]


def _ignore(_: Outcome) -> None:
    return None


@dataclass
class NotificationService:
    catalogs: CatalogReader
    users: UserReader
    bookings: BookingReader
    mailer: Mailer
    reminders: ReminderScheduler
    renderer: EmailRenderer
    clock: Clock
    reminder_lead: timedelta
    on_outcome: OutcomeListener = field(default=_ignore)

    def booking_changed(self, old: Booking | None, new: Booking | None) -> list[Action]:
        """Handle one stream record's images; returns the actions carried out."""
        actions = actions_for_change(old, new, self.clock.now(), self.reminder_lead)
        for action in actions:
            self._apply(action)
        return actions

    def reminder_fired(self, request: ReminderRequest) -> bool:
        """Handle a Scheduler invocation; True when the reminder email went out."""
        booking = self.bookings.get(request.tenant_id, request.booking_id)
        if not reminder_still_due(booking, request):
            logger.info(
                "Reminder no longer applies",
                extra={"tenant_id": request.tenant_id, "booking_id": request.booking_id},
            )
            self.on_outcome(Outcome.REMINDER_OBSOLETE)
            return False
        assert booking is not None  # reminder_still_due checked it
        return self._send(EmailKind.REMINDER, booking, previous=None)

    def _apply(self, action: Action) -> None:
        if isinstance(action, ScheduleReminder):
            self._schedule(action)
        elif isinstance(action, CancelReminder):
            self.reminders.cancel(action.tenant_id, action.booking_id)
            self.on_outcome(Outcome.REMINDER_CANCELLED)
        else:
            self._send(action.kind, action.booking, action.previous)

    def _schedule(self, action: ScheduleReminder) -> None:
        tenant = self.catalogs.get_tenant(action.booking.tenant_id)
        if tenant is None:
            logger.warning("No tenant for booking; reminder not scheduled", extra=_ids(action.booking))
            return
        self.reminders.schedule(ReminderRequest.for_booking(action.booking), action.at, tenant.time_zone)
        self.on_outcome(Outcome.REMINDER_SCHEDULED)

    def _send(self, kind: EmailKind, booking: Booking, previous: Booking | None) -> bool:
        tenant = self.catalogs.get_tenant(booking.tenant_id)
        patient = self.users.get_user(booking.tenant_id, booking.patient_id)
        if tenant is None or patient is None:
            logger.warning(
                "No tenant or patient record; email not sent",
                extra={**_ids(booking), "email_kind": kind.value, "patient_found": patient is not None},
            )
            self.on_outcome(Outcome.EMAIL_SKIPPED)
            return False
        facts = EmailFacts(
            tenant=tenant,
            booking=booking,
            patient=patient,
            professional=self.catalogs.get_professional(booking.tenant_id, booking.professional_id),
            treatment=self.catalogs.get_treatment(booking.tenant_id, booking.treatment_id),
            previous=previous,
        )
        message_id = self.mailer.send(self.renderer.render(kind, facts, self.clock.now()))
        self.on_outcome(Outcome.EMAIL_SENT if message_id else Outcome.EMAIL_SKIPPED)
        logger.info(
            "Email handled",
            extra={**_ids(booking), "email_kind": kind.value, "message_id": message_id},
        )
        return message_id is not None


def _ids(booking: Booking) -> dict[str, str]:
    return {"tenant_id": booking.tenant_id, "booking_id": booking.id}
