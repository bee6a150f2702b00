"""Which email and which reminder follow from a change to a booking: pure decisions.

The notifications function sees every change to a booking item twice removed (the
table stream) and later (a Scheduler reminder). Both paths call the functions here,
which take the booking images and the time and return what to do; doing it is the
service's job. Keeping the decision free of I/O is what lets its tests enumerate
every transition with plain values.

Order matters to the caller: ``actions_for_change`` lists the idempotent reminder
actions before the email, so a stream retry after a failed email does not leave the
schedule half-updated, and a failure in the schedule is retried before any email
went out.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field
from pydantic.alias_generators import to_camel

from booking.domain.models import Booking, BookingStatus, Professional, Tenant, Treatment, User

REMINDER_EVENT_KIND = "reminder"


class EmailKind(StrEnum):
    CONFIRMATION = "confirmation"
    RESCHEDULE = "reschedule"
    CANCELLATION = "cancellation"
    REMINDER = "reminder"


class Audience(StrEnum):
    """Who an email is written for: the patient, or the clinic's staff (the booking's
    professional and the clinic's inbox), who read the same change differently."""

    PATIENT = "patient"
    PROFESSIONAL = "professional"
    CLINIC_INBOX = "clinic-inbox"
    # The professional a reschedule took the booking away from: told it left their
    # calendar (a staff cancellation), apart from the new professional's email.
    PREVIOUS_PROFESSIONAL = "previous-professional"


# The changes staff hear about; a reminder is for the patient only.
STAFF_KINDS = frozenset({EmailKind.CONFIRMATION, EmailKind.RESCHEDULE, EmailKind.CANCELLATION})


@dataclass(frozen=True)
class Recipient:
    audience: Audience
    email: str
    name: str | None = None


def recipients_for(
    kind: EmailKind,
    tenant: Tenant,
    patient: User,
    professional: Professional | None,
    professional_email: str | None,
) -> list[Recipient]:
    """The patient, then (for the changes staff hear about) the professional and the
    clinic's inbox; an address already written to in this round is not written twice."""
    found = [Recipient(Audience.PATIENT, patient.email, patient.name)]
    if kind in STAFF_KINDS:
        if professional_email:
            found.append(
                Recipient(
                    Audience.PROFESSIONAL, professional_email, professional.name if professional else None
                )
            )
        if tenant.inbox_email:
            found.append(Recipient(Audience.CLINIC_INBOX, tenant.inbox_email, tenant.name))
    staff_seen: set[str] = set()
    unique = []
    for recipient in found:
        address = recipient.email.strip().lower()
        if recipient.audience is not Audience.PATIENT:
            if address in staff_seen:
                continue
            staff_seen.add(address)
        unique.append(recipient)
    return unique


def previous_professional_recipient(
    tenant: Tenant, former: Professional | None, address: str | None, new_address: str | None
) -> Recipient | None:
    """The professional a reschedule took the booking from, at ``address``; nobody when
    there is no address or it got the reschedule email already (it is the new
    professional's, or the clinic's inbox)."""
    told = {item.strip().lower() for item in (new_address, tenant.inbox_email) if item}
    if not address or address.strip().lower() in told:
        return None
    return Recipient(Audience.PREVIOUS_PROFESSIONAL, address, former.name if former else None)


@dataclass(frozen=True)
class SendEmail:
    kind: EmailKind
    booking: Booking
    # The image before the change, for a reschedule email that names the old time.
    previous: Booking | None = None


@dataclass(frozen=True)
class TellPreviousProfessional:
    """A reschedule moved the booking to another professional: the one it had before
    gets a staff cancellation of the appointment as it was (``previous``)."""

    booking: Booking
    previous: Booking


@dataclass(frozen=True)
class ScheduleReminder:
    """Create the booking's reminder, replacing any earlier one (same name)."""

    booking: Booking
    at: datetime


@dataclass(frozen=True)
class CancelReminder:
    tenant_id: str
    booking_id: str


Action = SendEmail | TellPreviousProfessional | ScheduleReminder | CancelReminder


class ReminderRequest(BaseModel):
    """The input a reminder schedule carries back to the function (camelCase JSON)."""

    model_config = ConfigDict(alias_generator=to_camel, populate_by_name=True, frozen=True, defer_build=True)

    kind: str = Field(default=REMINDER_EVENT_KIND, pattern=f"^{REMINDER_EVENT_KIND}$")
    tenant_id: str = Field(min_length=1)
    booking_id: str = Field(min_length=1)
    # The start the reminder was scheduled for; a booking moved since then is not reminded.
    start: AwareDatetime

    @classmethod
    def for_booking(cls, booking: Booking) -> ReminderRequest:
        return cls(tenant_id=booking.tenant_id, booking_id=booking.id, start=booking.start)


def reminder_time(booking: Booking, lead: timedelta) -> datetime:
    return booking.start - lead


def _reminder_actions(booking: Booking, now: datetime, lead: timedelta, *, replaces: bool) -> list[Action]:
    """Schedule the reminder if its time is still ahead; otherwise make sure none is left.

    A booking made (or moved) inside the lead time gets no reminder: its confirmation
    or reschedule email arrives at about the same moment."""
    at = reminder_time(booking, lead)
    if at > now:
        return [ScheduleReminder(booking, at)]
    if replaces:
        return [CancelReminder(booking.tenant_id, booking.id)]
    return []


def _moved(old: Booking, new: Booking) -> bool:
    return old.start != new.start or old.professional_id != new.professional_id


def actions_for_change(
    old: Booking | None, new: Booking | None, now: datetime, lead: timedelta
) -> list[Action]:
    """What a stream record about one booking item asks for.

    ``old``/``new`` are the images before/after (None for an insert/removal)."""
    if new is None:
        # Bookings are cancelled softly; a removed item (e.g. a manual clean-up) only
        # needs its reminder gone.
        return [CancelReminder(old.tenant_id, old.id)] if old is not None else []
    if old is None:
        if new.status is not BookingStatus.CONFIRMED:
            return []
        return [*_reminder_actions(new, now, lead, replaces=False), SendEmail(EmailKind.CONFIRMATION, new)]
    if old.status != new.status:
        if new.status is BookingStatus.CANCELLED:
            return [
                CancelReminder(new.tenant_id, new.id),
                SendEmail(EmailKind.CANCELLATION, new, previous=old),
            ]
        if new.status is BookingStatus.CONFIRMED:  # not an API transition today; treat as new
            return [*_reminder_actions(new, now, lead, replaces=True), SendEmail(EmailKind.CONFIRMATION, new)]
        # completed or no_show: the appointment is over, nothing more to say.
        return [CancelReminder(new.tenant_id, new.id)]
    if new.status is BookingStatus.CONFIRMED and _moved(old, new):
        reassigned = old.professional_id != new.professional_id
        return [
            *_reminder_actions(new, now, lead, replaces=True),
            SendEmail(EmailKind.RESCHEDULE, new, previous=old),
            *([TellPreviousProfessional(new, old)] if reassigned else []),
        ]
    # Notes, version bumps, other bookkeeping: nothing the patient needs to hear about.
    return []


def reminder_still_due(booking: Booking | None, request: ReminderRequest) -> bool:
    """A fired reminder is sent only for a booking that is still confirmed at the very
    start it was scheduled for (a missed delete after a move or cancel is harmless)."""
    return (
        booking is not None and booking.status is BookingStatus.CONFIRMED and booking.start == request.start
    )


# --- what the notification ports carry (``domain.ports``) ----------------------------


@dataclass(frozen=True)
class EmailFacts:
    """Everything an email about one booking may mention, already read from the catalog."""

    tenant: Tenant
    booking: Booking
    patient: User
    professional: Professional | None
    treatment: Treatment | None
    previous: Booking | None = None
    # Who this email is for; None is the patient.
    recipient: Recipient | None = None

    @property
    def audience(self) -> Audience:
        return self.recipient.audience if self.recipient else Audience.PATIENT

    @property
    def to(self) -> str:
        return self.recipient.email if self.recipient else self.patient.email


@dataclass(frozen=True)
class CalendarEvent:
    """The appointment as an invitation shows it; ``uid`` and ``sequence`` make a later
    invitation update (or cancel) the same event in the patient's calendar."""

    uid: str
    sequence: int
    start: datetime
    end: datetime
    summary: str
    description: str
    organizer_name: str
    organizer_email: str
    attendee_name: str
    attendee_email: str
    location: str | None = None


@dataclass(frozen=True)
class CalendarAttachment:
    """An iCalendar object: ``method`` is REQUEST (add/update) or CANCEL."""

    method: str
    content: str
    filename: str = "invite.ics"


# The SES message tag every email carries its tenant in: a bounce or complaint event
# names its users within that tenant (``domain.mail_guard``).
TENANT_TAG = "tenant-id"


@dataclass(frozen=True)
class OutgoingEmail:
    kind: EmailKind
    to: str
    subject: str
    text: str
    html: str
    sender_name: str | None = None
    calendar: CalendarAttachment | None = None
    audience: Audience = Audience.PATIENT
    # Correlation for logs and the devstack outbox; sent as X- headers.
    tenant_id: str | None = None
    booking_id: str | None = None
    request_id: str | None = None  # the API request that made the change
