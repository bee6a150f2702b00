"""Create, read, list, reschedule, cancel and close bookings.

Overbooking is impossible by construction: every write that takes time takes the lock
cells of its blocked range in the same repository transaction (``cells.py``). The
checks here give precise errors for the common cases (outside hours, in a break, off
the grid, ...) using the very rules availability uses (``slots.unbookable_reason``),
so a start is accepted exactly when availability lists it; existing bookings are left
to the cells, which are authoritative and race-free.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from booking.domain.access import Action, authorize
from booking.domain.booking_visibility import listing_scope, visible_booking
from booking.domain.cells import cells_for
from booking.domain.commands import (
    CancelBooking,
    ChangeBookingStatus,
    CreateBooking,
    ListBookings,
    RescheduleBooking,
)
from booking.domain.errors import (
    ChangeWindowClosed,
    ConcurrentModification,
    DomainError,
    Forbidden,
    IdempotencyRecordExists,
    InvalidState,
    InvalidValue,
    NotFound,
)
from booking.domain.idempotency import checked_key, replay, request_hash
from booking.domain.lookups import load_booking_context, load_tenant
from booking.domain.models import Booking, BookingStatus, Professional, Tenant, Treatment
from booking.domain.ports import (
    BookingQuery,
    BookingRepository,
    CatalogRepository,
    Clock,
    IdempotencyRecord,
    IdGenerator,
    LockCell,
    Page,
    UserRepository,
)
from booking.domain.principal import Principal
from booking.domain.roles import Role
from booking.domain.slots import Calendar, unbookable_reason
from booking.domain.zoned_time import exact_instant, local_instant, utc

CLOSING_STATUSES = frozenset({BookingStatus.COMPLETED, BookingStatus.NO_SHOW})


@dataclass(frozen=True)
class CreateResult:
    booking: Booking
    created: bool  # False: an earlier request with the same Idempotency-Key made it


def booked_times(tenant: Tenant, treatment: Treatment, start: datetime) -> dict[str, datetime]:
    """Start, end and blocked range of an appointment, computed in UTC and shown with the
    tenant's local offset."""
    begin = utc(start)
    end = begin + timedelta(minutes=treatment.duration_minutes)
    times = {
        "start": begin,
        "end": end,
        "blocked_start": begin - timedelta(minutes=treatment.buffer_before_minutes),
        "blocked_end": end + timedelta(minutes=treatment.buffer_after_minutes),
    }
    return {name: local_instant(value, tenant.zone) for name, value in times.items()}


@dataclass(frozen=True)
class BookingService:
    catalog: CatalogRepository
    bookings: BookingRepository
    users: UserRepository
    clock: Clock
    ids: IdGenerator
    idempotency_ttl: timedelta = timedelta(hours=24)

    # Create
    def create(
        self, principal: Principal, request: CreateBooking, idempotency_key: str | None
    ) -> CreateResult:
        authorize(principal, Action.CREATE_BOOKING)
        key = checked_key(idempotency_key)
        patient_id = self._patient_for(principal, request.patient_id)
        fingerprint = request_hash(principal.tenant_id, patient_id, request)
        try:
            booking = self._book(principal, request, patient_id, key, fingerprint)
        except (DomainError, IdempotencyRecordExists) as error:
            # A retry of a request that already succeeded must get the original booking,
            # even if the same request would now be refused (notice passed, slot taken).
            earlier = replay(self.bookings, principal, key, fingerprint, self.clock.now())
            if earlier is not None:
                return CreateResult(earlier, created=False)
            if isinstance(error, IdempotencyRecordExists):
                raise ConcurrentModification("the idempotency record vanished; retry") from error
            raise
        return CreateResult(booking, created=True)

    def _patient_for(self, principal: Principal, requested: str | None) -> str:
        if principal.role is Role.PATIENT:
            if requested is not None and requested != principal.user_id:
                raise Forbidden("patients book for themselves only", code="PATIENT_MISMATCH")
            return principal.user_id
        if requested is None:
            raise InvalidValue("staff must say which patient the booking is for", code="PATIENT_REQUIRED")
        patient = self.users.get_user(principal.tenant_id, requested)
        if patient is None or patient.role is not Role.PATIENT:
            raise NotFound(f"patient {requested} not found", code="PATIENT_NOT_FOUND")
        return requested

    def _book(
        self, principal: Principal, request: CreateBooking, patient_id: str, key: str, fingerprint: str
    ) -> Booking:
        tenant, professional, treatment = self._context(
            principal.tenant_id, request.professional_id, request.treatment_id
        )
        now = self.clock.now()
        problem = unbookable_reason(Calendar(tenant, professional, treatment, (), now), request.start)
        if problem is not None:
            raise problem
        booking = Booking(
            id=self.ids.new_id(),
            tenant_id=principal.tenant_id,
            professional_id=professional.id,
            treatment_id=treatment.id,
            patient_id=patient_id,
            **booked_times(tenant, treatment, request.start),
            notes=request.notes,
            created_by=principal.user_id,
            created_at=now,
            updated_at=now,
        )
        record = IdempotencyRecord(
            tenant_id=principal.tenant_id,
            key=key,
            caller_id=principal.user_id,
            request_hash=fingerprint,
            booking_id=booking.id,
            expires_at=now + self.idempotency_ttl,
        )
        cells = cells_for(principal.tenant_id, professional.id, booking.blocked_start, booking.blocked_end)
        self.bookings.create(booking, cells, record)
        return booking

    def _context(
        self, tenant_id: str, professional_id: str, treatment_id: str
    ) -> tuple[Tenant, Professional, Treatment]:
        return load_booking_context(self.catalog, tenant_id, professional_id, treatment_id)

    # Read
    def get(self, principal: Principal, booking_id: str) -> Booking:
        authorize(principal, Action.GET_BOOKING)
        return visible_booking(self.catalog, self.bookings, principal, booking_id)

    def list_bookings(self, principal: Principal, request: ListBookings) -> Page[Booking]:
        authorize(principal, Action.LIST_BOOKINGS)
        if request.from_ is not None and request.to is not None and request.to <= request.from_:
            raise InvalidValue("'to' must be after 'from'", code="INVALID_RANGE")
        scope = listing_scope(self.catalog, principal, request.patient_id, request.professional_id)
        if scope is None:
            return Page(items=[])
        patient_id, professional_id = scope
        return self.bookings.query(
            BookingQuery(
                tenant_id=principal.tenant_id,
                start_from=request.from_,
                start_to=request.to,
                professional_id=professional_id,
                patient_id=patient_id,
                statuses=frozenset({request.status}) if request.status else frozenset(),
                limit=request.limit,
                cursor=request.cursor,
            )
        )

    # Change
    def reschedule(self, principal: Principal, booking_id: str, request: RescheduleBooking) -> Booking:
        authorize(principal, Action.RESCHEDULE_BOOKING)
        current = self._changeable(principal, booking_id)
        professional_id = request.professional_id or current.professional_id
        tenant, professional, treatment = self._context(
            principal.tenant_id, professional_id, current.treatment_id
        )
        # The same rule as a new booking's start (a wall time DST skips or repeats is no
        # instant), before the no-op shortcut can accept one.
        requested = exact_instant(request.start)
        if professional.id == current.professional_id and requested == utc(current.start):
            return current
        now = self.clock.now()
        problem = unbookable_reason(Calendar(tenant, professional, treatment, (), now), request.start)
        if problem is not None:
            raise problem
        updated = current.model_copy(
            update={
                "professional_id": professional.id,
                **booked_times(tenant, treatment, request.start),
                "updated_at": now,
                "version": current.version + 1,
            }
        )
        self.bookings.reschedule(current, updated, _cells(current), _cells(updated))
        return updated

    def cancel(self, principal: Principal, booking_id: str, request: CancelBooking) -> Booking:
        authorize(principal, Action.CANCEL_BOOKING)
        current = self._changeable(principal, booking_id)
        updated = current.model_copy(
            update={
                "status": BookingStatus.CANCELLED,
                "cancellation_reason": request.reason,
                "updated_at": self.clock.now(),
                "version": current.version + 1,
            }
        )
        self.bookings.release(current, updated, _cells(current))
        return updated

    def change_status(self, principal: Principal, booking_id: str, request: ChangeBookingStatus) -> Booking:
        """Staff close a booking that has begun: ``completed`` or ``no_show``. Its cells go
        with it (the chair is free again), so only live bookings ever hold cells, which is
        what availability and the integrity check assume."""
        authorize(principal, Action.CHANGE_BOOKING_STATUS)
        status = request.status
        if status not in CLOSING_STATUSES:
            raise InvalidValue("status can only be set to completed or no_show", code="INVALID_STATUS")
        current = visible_booking(self.catalog, self.bookings, principal, booking_id)
        if not current.is_live:
            raise InvalidState(f"the booking is already {current.status}")
        now = self.clock.now()
        if now < utc(current.start):
            raise InvalidState("the booking has not started yet", code="BOOKING_NOT_STARTED")
        updated = current.model_copy(
            update={"status": status, "updated_at": now, "version": current.version + 1}
        )
        self.bookings.release(current, updated, _cells(current))
        return updated

    def _changeable(self, principal: Principal, booking_id: str) -> Booking:
        """A live booking this caller may move or cancel now."""
        current = visible_booking(self.catalog, self.bookings, principal, booking_id)
        if not current.is_live:
            raise InvalidState(f"the booking is {current.status}")
        if principal.role is Role.PATIENT:
            tenant = load_tenant(self.catalog, principal.tenant_id)
            closes = utc(current.start) - timedelta(hours=tenant.policy.change_window_hours)
            if self.clock.now() >= closes:
                raise ChangeWindowClosed(
                    f"bookings can be changed up to {tenant.policy.change_window_hours} hours before "
                    "they start; please call the clinic"
                )
        return current


def _cells(booking: Booking) -> list[LockCell]:
    return cells_for(booking.tenant_id, booking.professional_id, booking.blocked_start, booking.blocked_end)
