"""Carry out what ``domain.notifications`` decided, through the ports, each side effect once.

Reads are the catalog (tenant, professional, treatment) and the patient from the user
repository; writes are a reminder schedule and an email per recipient. Each email and
each schedule is a ``Delivery`` claimed in the ledger first (``domain.deliveries``), so
a replayed record, a retried batch or a reminder fired twice does nothing twice.

Permanent gaps (a patient without a user record, a deleted tenant) are logged and
skipped: retrying would not make them appear, and a failed record blocks its shard. A
message the provider refuses for good is recorded as failed in the ledger and handed
to the dead-letter queue (its alarm pages the operators). Transient failures (SES or
Scheduler errors) release the claim and propagate, so the batch reports the record
as failed and Lambda retries it; what was already delivered is not repeated.

The service knows its invocation's ``deadline``: it waits for a delivery another
invocation holds only while its own time allows, and starts no record it could not finish
(``domain.deliveries``).
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta

from aws_lambda_powertools import Logger

from booking.domain.deliveries import REMINDER_SCHEDULE_STEP, Delivery
from booking.domain.delivery_claims import DeliveryClaims
from booking.domain.models import Booking, Professional, Tenant, User
from booking.domain.notification_outcomes import Outcome, OutcomeListener, ignore_outcome
from booking.domain.notifications import (
    STAFF_KINDS,
    Action,
    Audience,
    CancelReminder,
    EmailFacts,
    EmailKind,
    ReminderRequest,
    ScheduleReminder,
    TellPreviousProfessional,
    actions_for_change,
    previous_professional_recipient,
    recipients_for,
    reminder_still_due,
)
from booking.domain.ports import (
    BookingReader,
    CatalogReader,
    Clock,
    DeadLetters,
    DeliveryLedger,
    EmailRenderer,
    Mailer,
    ReminderScheduler,
    UserReader,
)

logger = Logger(child=True)


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
    ledger: DeliveryLedger
    dead_letters: DeadLetters
    # When Lambda stops this invocation (its context's remaining time, from the clock's now).
    deadline: datetime
    on_outcome: OutcomeListener = field(default=ignore_outcome)
    _claims: DeliveryClaims = field(init=False, repr=False)

    def __post_init__(self) -> None:
        self._claims = DeliveryClaims(
            self.ledger, self.dead_letters, self.clock, self.deadline, self.on_outcome
        )

    def booking_changed(
        self, old: Booking | None, new: Booking | None, request_id: str | None = None
    ) -> list[Action]:
        """Handle one stream record's images (``request_id``: the API request that made
        the change); returns the actions the change asks for."""
        self._claims.ensure_time_to_start()
        actions = actions_for_change(old, new, self.clock.now(), self.reminder_lead)
        for action in actions:
            self._apply(action, request_id)
        return actions

    def reminder_fired(self, request: ReminderRequest) -> bool:
        """Handle a Scheduler invocation; True when the reminder email went out (now,
        not by an earlier firing)."""
        self._claims.ensure_time_to_start()
        booking = self.bookings.get(request.tenant_id, request.booking_id)
        if not reminder_still_due(booking, request):
            logger.info(
                "Reminder no longer applies",
                extra={"tenant_id": request.tenant_id, "booking_id": request.booking_id},
            )
            self.on_outcome(Outcome.REMINDER_OBSOLETE)
            return False
        assert booking is not None  # reminder_still_due checked it
        return self._send(EmailKind.REMINDER, booking, previous=None, request_id=None)

    def _apply(self, action: Action, request_id: str | None) -> None:
        if isinstance(action, ScheduleReminder):
            self._schedule(action, request_id)
        elif isinstance(action, TellPreviousProfessional):
            self._tell_previous_professional(action, request_id)
        elif isinstance(action, CancelReminder):
            # Deleting is idempotent: a replay deletes nothing, harmlessly.
            self.reminders.cancel(action.tenant_id, action.booking_id)
            self.on_outcome(Outcome.REMINDER_CANCELLED)
        else:
            self._send(action.kind, action.booking, action.previous, request_id)

    def _schedule(self, action: ScheduleReminder, request_id: str | None) -> None:
        booking = action.booking
        tenant = self.catalogs.get_tenant(booking.tenant_id)
        if tenant is None:
            logger.warning("No tenant for booking; reminder not scheduled", extra=_ids(booking))
            return
        delivery = Delivery(
            booking.tenant_id, booking.id, booking.version, REMINDER_SCHEDULE_STEP, request_id=request_id
        )

        def schedule() -> str | None:
            self.reminders.schedule(ReminderRequest.for_booking(booking), action.at, tenant.time_zone)
            self.on_outcome(Outcome.REMINDER_SCHEDULED)
            return None

        # Once per booking version: a replay after the reminder fired (and its schedule
        # deleted itself) must not create it again.
        self._claims.once(delivery, schedule)

    def _send(
        self, kind: EmailKind, booking: Booking, previous: Booking | None, request_id: str | None
    ) -> bool:
        tenant, patient = self._tenant_and_patient(booking, kind)
        if tenant is None or patient is None:
            return False
        professional = self.catalogs.get_professional(booking.tenant_id, booking.professional_id)
        facts = EmailFacts(
            tenant=tenant,
            booking=booking,
            patient=patient,
            professional=professional,
            treatment=self.catalogs.get_treatment(booking.tenant_id, booking.treatment_id),
            previous=previous,
        )
        staff_email, staff_user = (
            self._professional_contact(professional) if kind in STAFF_KINDS else (None, None)
        )
        known = [user for user in (patient, staff_user) if user is not None]
        patient_sent = False
        for recipient in recipients_for(kind, tenant, patient, professional, staff_email):
            sent = self._send_to(kind, replace(facts, recipient=recipient), known, request_id)
            patient_sent = patient_sent or (sent and recipient.audience is Audience.PATIENT)
        return patient_sent

    def _tell_previous_professional(self, action: TellPreviousProfessional, request_id: str | None) -> None:
        """The staff cancellation of the appointment as it was, in the clinic's language,
        to the professional the reschedule took it from (``previous_professional_recipient``)."""
        booking, previous = action.booking, action.previous
        tenant, patient = self._tenant_and_patient(booking, EmailKind.CANCELLATION)
        if tenant is None or patient is None:
            return
        former = self.catalogs.get_professional(previous.tenant_id, previous.professional_id)
        address, former_user = self._professional_contact(former)
        current = self.catalogs.get_professional(booking.tenant_id, booking.professional_id)
        recipient = previous_professional_recipient(
            tenant, former, address, self._professional_contact(current)[0]
        )
        if recipient is None:
            return
        facts = EmailFacts(
            tenant=tenant,
            # The appointment as the previous professional had it, at the change's
            # version: its calendar cancellation outranks their earlier invitation.
            booking=previous.model_copy(update={"version": booking.version}),
            patient=patient,
            professional=former,
            treatment=self.catalogs.get_treatment(previous.tenant_id, previous.treatment_id),
            recipient=recipient,
        )
        known = [user for user in (patient, former_user) if user is not None]
        self._send_to(EmailKind.CANCELLATION, facts, known, request_id)

    def _tenant_and_patient(self, booking: Booking, kind: EmailKind) -> tuple[Tenant | None, User | None]:
        """Both records an email needs; a missing one is logged and counted as skipped."""
        tenant = self.catalogs.get_tenant(booking.tenant_id)
        patient = self.users.get_user(booking.tenant_id, booking.patient_id)
        if tenant is None or patient is None:
            logger.warning(
                "No tenant or patient record; email not sent",
                extra={**_ids(booking), "email_kind": kind.value, "patient_found": patient is not None},
            )
            self.on_outcome(Outcome.EMAIL_SKIPPED)
        return tenant, patient

    def _send_to(self, kind: EmailKind, facts: EmailFacts, known: list[User], request_id: str | None) -> bool:
        """One email to ``facts.recipient``, once per booking version, step and audience;
        True when it went out now. ``known`` users' bouncing addresses get nothing."""
        booking, recipient = facts.booking, facts.recipient
        assert recipient is not None
        if _bouncing(recipient.email, known):
            # SES reported the address bouncing or complained of: no more mail to it.
            logger.warning(
                "Address not deliverable; email not sent",
                extra={**_ids(booking), "email_kind": kind.value, "audience": recipient.audience.value},
            )
            self.on_outcome(Outcome.EMAIL_SKIPPED)
            return False
        step, audience = kind.value, recipient.audience.value
        delivery = Delivery(
            booking.tenant_id, booking.id, booking.version, step, audience, request_id, recipient.email
        )
        return self._claims.once(delivery, functools.partial(self._deliver, kind, facts, request_id))

    def _professional_contact(self, professional: Professional | None) -> tuple[str | None, User | None]:
        """The professional's address (their own; failing that, their Dentist user's)
        and that user's record, if the professional is one."""
        if professional is None:
            return None, None
        user = (
            self.users.get_user(professional.tenant_id, professional.user_id)
            if professional.user_id
            else None
        )
        return professional.email or (user.email if user is not None else None), user

    def _deliver(self, kind: EmailKind, facts: EmailFacts, request_id: str | None) -> str | None:
        email = replace(self.renderer.render(kind, facts, self.clock.now()), request_id=request_id)
        message_id = self.mailer.send(email)
        self.on_outcome(Outcome.EMAIL_SENT if message_id else Outcome.EMAIL_SKIPPED)
        logger.info(
            "Email handled",
            extra={
                **_ids(facts.booking),
                "email_kind": kind.value,
                "audience": facts.audience.value,
                "message_id": message_id,
            },
        )
        return message_id


def _bouncing(address: str, users: list[User]) -> bool:
    """Whether one of ``users`` with this address has it marked undeliverable."""
    wanted = address.strip().lower()
    return any(user.email.strip().lower() == wanted and not user.email_status.deliverable for user in users)


def _ids(booking: Booking) -> dict[str, str]:
    return {"tenant_id": booking.tenant_id, "booking_id": booking.id}
