"""The ports the domain needs. Adapters implement them (AWS, jinja2, iCalendar); tests
use fakes. Every ``Protocol`` of the package is declared here, and only here."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Generic, Protocol, TypeVar, runtime_checkable

from booking.domain.models import Booking, BookingStatus, Professional, Tenant, Treatment, User
from booking.domain.roles import Role

if TYPE_CHECKING:  # only the notifications function loads them
    from booking.domain.notifications import (
        CalendarEvent,
        EmailFacts,
        EmailKind,
        OutgoingEmail,
        ReminderRequest,
    )

T = TypeVar("T")


@dataclass(frozen=True)
class Page(Generic[T]):
    items: list[T]
    next_cursor: str | None = None


@dataclass(frozen=True)
class LockCell:
    """One ``LOCK_CELL_MINUTES`` cell of a professional's calendar, keyed by its UTC start."""

    tenant_id: str
    professional_id: str
    start: datetime


@dataclass(frozen=True)
class IdempotencyRecord:
    tenant_id: str
    key: str
    caller_id: str
    request_hash: str
    booking_id: str
    expires_at: datetime


@dataclass(frozen=True)
class BookingQuery:
    tenant_id: str
    start_from: datetime | None = None
    start_to: datetime | None = None
    professional_id: str | None = None
    patient_id: str | None = None
    statuses: frozenset[BookingStatus] = field(default_factory=frozenset)
    limit: int = 50
    cursor: str | None = None


class Clock(Protocol):
    def now(self) -> datetime: ...


class IdGenerator(Protocol):
    def new_id(self) -> str: ...


class CatalogReader(Protocol):
    """The catalog's single-item reads (all the notifications function needs)."""

    def get_tenant(self, tenant_id: str) -> Tenant | None: ...
    def get_professional(self, tenant_id: str, professional_id: str) -> Professional | None: ...
    def get_treatment(self, tenant_id: str, treatment_id: str) -> Treatment | None: ...


class CatalogRepository(CatalogReader, Protocol):
    def put_tenant(self, tenant: Tenant) -> None: ...

    def list_professionals(self, tenant_id: str) -> list[Professional]: ...
    def put_professional(self, professional: Professional) -> None: ...
    def delete_professional(self, tenant_id: str, professional_id: str) -> bool: ...

    def list_treatments(self, tenant_id: str) -> list[Treatment]: ...
    def put_treatment(self, treatment: Treatment) -> None: ...
    def delete_treatment(self, tenant_id: str, treatment_id: str) -> bool: ...


@runtime_checkable
class BookingContextReader(Protocol):
    """Optional capability of a ``CatalogRepository``: read the tenant, a professional and
    a treatment in one strongly consistent request (e.g. ``BatchGetItem``). Creating a
    booking and computing availability use it when present, saving two round trips."""

    def booking_context(
        self, tenant_id: str, professional_id: str, treatment_id: str
    ) -> tuple[Tenant | None, Professional | None, Treatment | None]: ...


class BookingReader(Protocol):
    def get(self, tenant_id: str, booking_id: str) -> Booking | None:
        """Strongly consistent read."""


class BookingRepository(BookingReader, Protocol):
    def create(self, booking: Booking, cells: list[LockCell], idempotency: IdempotencyRecord) -> None:
        """Write booking, cells and idempotency record in one transaction.

        Raises ``SlotTaken`` when a cell is held, ``IdempotencyKeyInUse`` when the
        record already exists (the caller then reads it and decides)."""

    def get_idempotency(self, tenant_id: str, caller_id: str, key: str) -> IdempotencyRecord | None: ...

    def reschedule(
        self, current: Booking, updated: Booking, old_cells: list[LockCell], new_cells: list[LockCell]
    ) -> None:
        """One transaction: cells only in the old range are deleted, cells only in the new
        range are put with ``attribute_not_exists``, shared cells stay; the booking is
        updated on its version. Raises ``SlotTaken`` or ``ConcurrentModification``."""

    def release(self, current: Booking, updated: Booking, cells: list[LockCell]) -> None:
        """Cancel (or otherwise end) a booking and delete its cells in one transaction."""

    def update(self, current: Booking, updated: Booking) -> None:
        """Versioned update that does not touch the cells (e.g. completed, no_show)."""

    def list_live_for_professional(
        self, tenant_id: str, professional_id: str, start: datetime, end: datetime
    ) -> list[Booking]:
        """Live bookings whose blocked range intersects [start, end)."""

    def query(self, query: BookingQuery) -> Page[Booking]: ...


class UserReader(Protocol):
    def get_user(self, tenant_id: str, user_id: str) -> User | None: ...


class UserRepository(UserReader, Protocol):
    def put_user(self, user: User) -> None: ...
    def list_users(
        self, tenant_id: str, role: Role | None = None, limit: int = 50, cursor: str | None = None
    ) -> Page[User]: ...


class UserDirectory(Protocol):
    """The identity provider (Cognito): creates the sign-in identity."""

    def create_user(self, tenant_id: str, email: str, name: str | None, role: Role) -> str:
        """Create the user with ``custom:tenant_id`` and one role group; return its ``sub``."""

    def delete_user(self, email: str) -> None:
        """Remove a sign-in identity, undoing a creation the table did not record."""


# --- notifications ----------------------------------------------------------------------


class Mailer(Protocol):
    def send(self, email: OutgoingEmail) -> str | None:
        """Send and return the provider's message id, or None when the message was
        deliberately not sent (e.g. a recipient outside a sandbox allow-list)."""


class ReminderScheduler(Protocol):
    def schedule(self, request: ReminderRequest, at: datetime, time_zone: str) -> None:
        """Create the booking's one-time reminder, replacing an existing one."""

    def cancel(self, tenant_id: str, booking_id: str) -> None:
        """Delete the booking's reminder; a reminder that does not exist is fine."""


class EmailRenderer(Protocol):
    def render(self, kind: EmailKind, facts: EmailFacts, now: datetime) -> OutgoingEmail:
        """The email of ``kind`` in the tenant's language and time zone, with its
        calendar invitation when the kind carries one."""


class CalendarWriter(Protocol):
    def invitation(self, event: CalendarEvent, method: str, now: datetime) -> str:
        """The iCalendar text of ``event``; ``method`` REQUEST adds or updates, CANCEL
        removes (any other is a ``ValueError``)."""
