"""Builders and small in-memory fakes for the notifications tests.

Repositories are the shared fakes of ``tests/fakes.py``; the mailer, the reminder
scheduler, the delivery ledger and the dead letters fakes here record what the service
asked for, and ``notification_service`` wires them into the service under test.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from booking.adapters.ics_calendar import IcsCalendarWriter
from booking.adapters.jinja_emails import JinjaEmailRenderer
from booking.domain.deliveries import ClaimOutcome, Delivery
from booking.domain.models import Booking, BookingStatus, Professional, Tenant, Treatment, User
from booking.domain.notification_outcomes import OutcomeListener, ignore_outcome
from booking.domain.notification_service import NotificationService
from booking.domain.notifications import Audience, EmailFacts, EmailKind, OutgoingEmail, ReminderRequest
from booking.domain.ports import Clock, DeadLetters, DeliveryLedger, Mailer, ReminderScheduler
from booking.domain.roles import Role
from booking.settings import FUNCTIONS

from tests.fakes import FakeBookingRepository, FakeCatalogRepository, FakeUserRepository, FixedClock

TENANT_ID = "clinica-sonrisa"
PATIENT_ID = "patient-sub-1"
NOW = datetime(2026, 11, 20, 12, 0, tzinfo=UTC)
START = datetime(2026, 12, 1, 15, 0, tzinfo=UTC)  # 10:00 in Guayaquil (UTC-5)
SENDER = "citas@clinica.example"
DENTIST = "lucia.mora@clinica.example"
INBOX = "recepcion@clinica.example"
REMINDER_LEAD = timedelta(hours=24)
# The deadline of an invocation that started at ``NOW``: Lambda stops it after its timeout.
TIMEOUT = timedelta(seconds=FUNCTIONS["notifications"].timeout_seconds)
DEADLINE = NOW + TIMEOUT


def make_booking(**changes: Any) -> Booking:
    start = changes.pop("start", START)
    values: dict[str, Any] = {
        "id": "b-1",
        "tenant_id": TENANT_ID,
        "professional_id": "pro-1",
        "treatment_id": "trt-1",
        "patient_id": PATIENT_ID,
        "start": start,
        "end": start + timedelta(minutes=30),
        "blocked_start": start - timedelta(minutes=5),
        "blocked_end": start + timedelta(minutes=40),
        "status": BookingStatus.CONFIRMED,
        "created_by": PATIENT_ID,
        "created_at": NOW,
        "updated_at": NOW,
        "version": 1,
    }
    values.update(changes)
    return Booking(**values)


def make_tenant(**changes: Any) -> Tenant:
    return Tenant(**{"id": TENANT_ID, "name": "Clínica Sonrisa", **changes})


def make_patient(**changes: Any) -> User:
    values: dict[str, Any] = {
        "id": PATIENT_ID,
        "tenant_id": TENANT_ID,
        "email": "ana@example.com",
        "name": "Ana Pérez",
        "role": Role.PATIENT,
    }
    return User(**{**values, **changes})


def make_professional(**changes: Any) -> Professional:
    return Professional(**{"id": "pro-1", "tenant_id": TENANT_ID, "name": "Dra. Lucía Mora", **changes})


def make_treatment(**changes: Any) -> Treatment:
    values: dict[str, Any] = {
        "id": "trt-1",
        "tenant_id": TENANT_ID,
        "name": "Limpieza dental",
        "duration_minutes": 30,
        "buffer_before_minutes": 5,
        "buffer_after_minutes": 10,
    }
    return Treatment(**{**values, **changes})


def make_facts(**changes: Any) -> EmailFacts:
    """What an email about the default booking may mention: the clinic, the patient, the
    professional and the treatment above."""
    values: dict[str, Any] = {
        "tenant": make_tenant(),
        "booking": make_booking(),
        "patient": make_patient(),
        "professional": make_professional(),
        "treatment": make_treatment(),
    }
    return EmailFacts(**{**values, **changes})


def seeded_repositories() -> tuple[FakeCatalogRepository, FakeUserRepository, FakeBookingRepository]:
    """The shared fakes holding the clinic, its professional, treatment and patient."""
    catalogs, users = FakeCatalogRepository(), FakeUserRepository()
    catalogs.put_tenant(make_tenant())
    catalogs.put_professional(make_professional())
    catalogs.put_treatment(make_treatment())
    users.put_user(make_patient())
    return catalogs, users, FakeBookingRepository()


@dataclass
class FakeMailer:
    sent: list[OutgoingEmail] = field(default_factory=list)
    fail_with: Exception | None = None

    def send(self, email: OutgoingEmail) -> str | None:
        if self.fail_with is not None:
            raise self.fail_with
        self.sent.append(email)
        return f"message-{len(self.sent)}"


@dataclass
class FakeReminders:
    """Schedules by (tenant, booking), as the real adapter names them."""

    schedules: dict[tuple[str, str], tuple[ReminderRequest, datetime, str]] = field(default_factory=dict)

    def schedule(self, request: ReminderRequest, at: datetime, time_zone: str) -> None:
        self.schedules[(request.tenant_id, request.booking_id)] = (request, at, time_zone)

    def cancel(self, tenant_id: str, booking_id: str) -> None:
        self.schedules.pop((tenant_id, booking_id), None)


@dataclass
class FakeLedger:
    """The ``DeliveryLedger`` in memory, with the table's rules (first claim wins; a
    pending claim past its ``held_until`` is taken over), safe for concurrent claims."""

    entries: dict[tuple[str, str, int, str, str], dict[str, Any]] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    @staticmethod
    def _key(delivery: Delivery) -> tuple[str, str, int, str, str]:
        return (delivery.tenant_id, delivery.booking_id, delivery.version, delivery.step, delivery.audience)

    def claim(self, delivery: Delivery, now: datetime, held_until: datetime) -> ClaimOutcome:
        with self._lock:
            entry = self.entries.get(self._key(delivery))
            if entry is not None:
                if entry["status"] != "pending":
                    return ClaimOutcome.DONE
                if entry["held_until"] >= now:
                    return ClaimOutcome.IN_PROGRESS
            self.entries[self._key(delivery)] = {
                "status": "pending",
                "claimed_at": now,
                "held_until": held_until,
                "delivery": delivery,
            }
            return ClaimOutcome.CLAIMED if entry is None else ClaimOutcome.TAKEN_OVER

    def complete(self, delivery: Delivery, now: datetime, message_id: str | None) -> None:
        with self._lock:
            self.entries[self._key(delivery)].update(status="sent", message_id=message_id)

    def fail(self, delivery: Delivery, now: datetime, reason: str) -> None:
        with self._lock:
            self.entries[self._key(delivery)].update(status="failed", failure=reason)

    def release(self, delivery: Delivery) -> None:
        with self._lock:
            self.entries.pop(self._key(delivery), None)

    def statuses(self) -> dict[tuple[str, str, int, str, str], str]:
        return {key: entry["status"] for key, entry in self.entries.items()}


@dataclass
class FakeDeadLetters:
    letters: list[tuple[Delivery, str]] = field(default_factory=list)

    def put(self, delivery: Delivery, reason: str) -> None:
        self.letters.append((delivery, reason))


def notification_service(
    catalogs: FakeCatalogRepository,
    users: FakeUserRepository,
    bookings: FakeBookingRepository,
    mailer: Mailer,
    *,
    reminders: ReminderScheduler | None = None,
    ledger: DeliveryLedger | None = None,
    dead_letters: DeadLetters | None = None,
    clock: Clock | None = None,
    deadline: datetime = DEADLINE,
    on_outcome: OutcomeListener = ignore_outcome,
) -> NotificationService:
    """The service over these fakes with the real renderer; the ports a test does not
    pass are fresh fakes, the clock stands at ``NOW`` and the invocation ends at
    ``DEADLINE``."""
    return NotificationService(
        catalogs=catalogs,
        users=users,
        bookings=bookings,
        mailer=mailer,
        reminders=reminders or FakeReminders(),
        renderer=JinjaEmailRenderer(SENDER, IcsCalendarWriter()),
        clock=clock or FixedClock(NOW),
        reminder_lead=REMINDER_LEAD,
        ledger=ledger or FakeLedger(),
        dead_letters=dead_letters or FakeDeadLetters(),
        deadline=deadline,
        on_outcome=on_outcome,
    )


def sent(mailer: FakeMailer) -> list[tuple[EmailKind, Audience, str]]:
    """What the mailer was given: each email's kind, audience and address, in order."""
    return [(email.kind, email.audience, email.to) for email in mailer.sent]
