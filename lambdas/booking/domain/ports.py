"""The ports the domain needs. Adapters implement them (AWS, jinja2, iCalendar); tests
use fakes. Every ``Protocol`` of the package is declared here, and only here."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Generic, Protocol, TypeVar

from booking.domain.models import (
    Booking,
    BookingStatus,
    Closure,
    Closures,
    Professional,
    Tenant,
    Treatment,
    User,
)
from booking.domain.roles import Role
from booking.domain.user_search import UserSearchField

if TYPE_CHECKING:  # only the notifications and identity functions load them
    from booking.domain.deliveries import ClaimOutcome, Delivery
    from booking.domain.identity_messages import IdentityMessage, IdentityMessageFacts
    from booking.domain.mail_guard import SendQuota
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


@dataclass(frozen=True)
class ContextRequest:
    """What one strongly consistent read fetches (``ContextReader``): the tenant's
    profile always, and each item whose id is given."""

    tenant_id: str
    caller_id: str | None = None
    user_id: str | None = None  # a user the operation is about
    professional_id: str | None = None
    treatment_id: str | None = None
    patient_id: str | None = None
    booking_id: str | None = None
    idempotency_key: str | None = None  # the caller's record under this key
    closures: bool = False


@dataclass(frozen=True)
class Context:
    """What a ``ContextRequest`` found; ``None`` where the item does not exist."""

    tenant: Tenant | None = None
    caller: User | None = None
    user: User | None = None
    professional: Professional | None = None
    treatment: Treatment | None = None
    patient: User | None = None
    booking: Booking | None = None
    idempotency: IdempotencyRecord | None = None
    closures: tuple[Closure, ...] = ()


class Clock(Protocol):
    def now(self) -> datetime: ...

    def sleep(self, seconds: float) -> None:
        """Let ``seconds`` pass (the notifications function waits for another
        invocation's claim; a test's clock just moves on)."""


class IdGenerator(Protocol):
    def new_id(self) -> str: ...


class CatalogReader(Protocol):
    """The catalog's single-item reads (all the notifications function needs)."""

    def get_tenant(self, tenant_id: str) -> Tenant | None: ...
    def find_tenant_by_web_address(self, web_address: str) -> Tenant | None:
        """The clinic with this web address: one read of its uniqueness item."""

    def get_professional(self, tenant_id: str, professional_id: str) -> Professional | None: ...
    def get_treatment(self, tenant_id: str, treatment_id: str) -> Treatment | None: ...


class CatalogRepository(CatalogReader, Protocol):
    def create_tenant(self, tenant: Tenant) -> None:
        """Write a new tenant's profile (and web address); ``Conflict`` ``TENANT_EXISTS``
        if the id is taken, ``WEB_ADDRESS_TAKEN`` if the address is."""

    def put_tenant(self, tenant: Tenant, previous: Tenant | None = None) -> None:
        """Replace the profile. A web address is claimed in the same write (``Conflict``
        ``WEB_ADDRESS_TAKEN`` when another tenant holds it) and ``previous``'s, when it
        differs, released."""

    def list_tenants(self) -> list[Tenant]: ...

    def get_closures(self, tenant_id: str) -> Closures: ...
    def put_closures(self, current: Closures, updated: Closures) -> None:
        """Versioned replace; ``ConcurrentModification`` if ``current`` is stale."""

    def list_professionals(self, tenant_id: str) -> list[Professional]: ...
    def put_professional(self, professional: Professional) -> None: ...
    def delete_professional(self, tenant_id: str, professional_id: str) -> bool: ...

    def list_treatments(self, tenant_id: str) -> list[Treatment]: ...
    def put_treatment(self, treatment: Treatment) -> None: ...
    def delete_treatment(self, tenant_id: str, treatment_id: str) -> bool: ...


class ContextReader(Protocol):
    """Everything a request needs to start, in one strongly consistent request (e.g.
    ``BatchGetItem``): the caller and their tenant for the access gate, folded with
    the items an operation reads anyway (a booking, its professional and treatment)."""

    def read(self, request: ContextRequest) -> Context: ...


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
        self,
        current: Booking,
        updated: Booking,
        old_cells: list[LockCell],
        new_cells: list[LockCell],
        idempotency: IdempotencyRecord | None = None,
    ) -> None:
        """One transaction: cells only in the old range are deleted, cells only in the new
        range are put with ``attribute_not_exists``, shared cells stay; the booking is
        updated on its version; the idempotency record, if any, is written with it.
        Raises ``SlotTaken``, ``ConcurrentModification`` or ``IdempotencyRecordExists``."""

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
    def put_user(self, user: User) -> None:
        """Write a user's record and what finds it (search, owners) together."""

    def save_user(self, current: User, updated: User, keep_owner: User | None = None) -> None:
        """Replace ``current`` if nobody changed it since (``ConcurrentModification``);
        with ``keep_owner``, only while that other user is still an active Owner
        (``Conflict`` ``LAST_OWNER``), so no two changes can remove the last two Owners."""

    def list_users(
        self, tenant_id: str, role: Role | None = None, limit: int = 50, cursor: str | None = None
    ) -> Page[User]: ...

    def search_users(
        self,
        tenant_id: str,
        field: UserSearchField,
        prefix: str,
        role: Role | None = None,
        limit: int = 50,
        cursor: str | None = None,
    ) -> Page[User]:
        """Users whose normalised ``field`` starts with ``prefix`` (already normalised)."""

    def active_owners(self, tenant_id: str) -> list[User]:
        """The tenant's active Owners (an index read: may lag a change by a moment)."""


class UserDirectory(Protocol):
    """The identity provider (Cognito): the sign-in identities."""

    def create_user(self, tenant_id: str, email: str, name: str | None, role: Role) -> str:
        """Create the user with ``custom:tenant_id`` and one role group, and invite them
        by email; return its ``sub``."""

    def delete_user(self, email: str) -> None:
        """Remove a sign-in identity, undoing a creation the table did not record."""

    def set_role(self, email: str, role: Role) -> None:
        """Make ``role``'s group the user's only role group (idempotent)."""

    def disable_user(self, email: str) -> None:
        """Refuse the user's sign-ins and sign them out everywhere (their refresh tokens
        stop working; the API's gate refuses the ID tokens still alive)."""

    def enable_user(self, email: str) -> None: ...

    def tenant_of(self, email: str) -> str | None:
        """The tenant of the identity with this email; ``None`` when there is none."""


# --- notifications ----------------------------------------------------------------------


class Mailer(Protocol):
    def send(self, email: OutgoingEmail) -> str | None:
        """Send and return the provider's message id, or None when the message was
        deliberately not sent (e.g. a recipient outside a sandbox allow-list). A message
        the provider refuses for good raises ``PermanentDeliveryFailure``; any other
        error is transient."""


class DeliveryLedger(Protocol):
    """What was delivered, per booking version, step and audience (``domain.deliveries``)."""

    def claim(self, delivery: Delivery, now: datetime, held_until: datetime) -> ClaimOutcome:
        """Claim the delivery with a conditional write, to hold until ``held_until`` (first
        claimer wins; a pending claim whose ``held_until`` has passed is taken over)."""

    def complete(self, delivery: Delivery, now: datetime, message_id: str | None) -> None: ...

    def fail(self, delivery: Delivery, now: datetime, reason: str) -> None:
        """Record a permanent failure: the delivery is done, and will not be retried."""

    def release(self, delivery: Delivery) -> None:
        """Give a claim up after a transient failure, so a retry may claim it again."""


class SendingAccount(Protocol):
    def send_quota(self, now: datetime) -> SendQuota:
        """The account's 24-hour sending quota and what was sent in the last 24 hours."""


class DeadLetters(Protocol):
    def put(self, delivery: Delivery, reason: str) -> None:
        """Hand a delivery that failed for good to the operators (the function's
        dead-letter queue, whose alarm pages them)."""


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


class OriginSecrets(Protocol):
    def accepted(self) -> frozenset[str]:
        """The values of the origin secret a request from the distribution may carry:
        the current one and, during a rotation, the previous one."""


# --- self sign-up ---------------------------------------------------------------------


class PatientEnrolment(Protocol):
    def enrol_patient(self, user_pool_id: str, username: str, tenant_id: str) -> None:
        """Give a self-signed-up identity of the pool its clinic (``custom:tenant_id``)
        and the ``Patient`` group (idempotent)."""


class IdentityMessageRenderer(Protocol):
    def render(self, facts: IdentityMessageFacts) -> IdentityMessage:
        """The pool's email (invitation, code) in the clinic's language, with its name."""
