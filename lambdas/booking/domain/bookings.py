"""Create, read, list, reschedule, cancel and close bookings.

Overbooking is impossible by construction: every write that takes time takes the lock
cells of its blocked range in the same repository transaction (``cells.py``). The
checks here give precise errors for the common cases (outside hours, in a break, off
the grid, ...) using the very rules availability uses (``slots.unbookable_reason``),
so a start is accepted exactly when availability lists it; existing bookings are left
to the cells, which are authoritative and race-free.

Every operation on one booking starts with one strongly consistent read (``Context``)
that also admits the caller (``admission``): creating a booking reads the tenant, the
professional, the treatment, the closures, the caller, the patient and the
Idempotency-Key's record at once, then writes one transaction. A booking carries its
patient's name and phone as they were when it was made or last moved.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from booking.domain.access import Action, authorize
from booking.domain.admission import admitted
from booking.domain.booking_facts import (
    booked_times,
    cells_of,
    ensure_changeable,
    patient_id_for,
    patient_of,
    patient_snapshot,
)
from booking.domain.booking_visibility import listing_scope, visible_booking
from booking.domain.commands import (
    CancelBooking,
    ChangeBookingStatus,
    CreateBooking,
    ListBookings,
    RescheduleBooking,
)
from booking.domain.errors import (
    ConcurrentModification,
    DomainError,
    IdempotencyRecordExists,
    InvalidState,
    InvalidValue,
)
from booking.domain.idempotency import checked_key, replay, replayed, request_hash, reschedule_hash
from booking.domain.lookups import booking_context
from booking.domain.models import Booking, BookingStatus
from booking.domain.ports import (
    BookingQuery,
    BookingRepository,
    CatalogRepository,
    Clock,
    Context,
    ContextReader,
    ContextRequest,
    IdempotencyRecord,
    IdGenerator,
    Page,
)
from booking.domain.principal import Principal
from booking.domain.roles import Role
from booking.domain.slots import Calendar, unbookable_reason
from booking.domain.zoned_time import exact_instant, utc

CLOSING_STATUSES = frozenset({BookingStatus.COMPLETED, BookingStatus.NO_SHOW})


@dataclass(frozen=True)
class CreateResult:
    booking: Booking
    created: bool  # False: an earlier request with the same Idempotency-Key made it


@dataclass(frozen=True)
class BookingService:
    catalog: CatalogRepository
    bookings: BookingRepository
    context: ContextReader
    clock: Clock
    ids: IdGenerator
    idempotency_ttl: timedelta = timedelta(hours=24)

    # Create
    def create(
        self, principal: Principal, request: CreateBooking, idempotency_key: str | None
    ) -> CreateResult:
        authorize(principal, Action.CREATE_BOOKING)
        key = checked_key(idempotency_key)
        patient_id = patient_id_for(principal, request.patient_id)
        fingerprint = request_hash(principal.tenant_id, patient_id, request)
        wanted = ContextRequest(
            principal.tenant_id,
            professional_id=request.professional_id,
            treatment_id=request.treatment_id,
            patient_id=None if principal.role is Role.PATIENT else patient_id,
            idempotency_key=key,
            closures=True,
        )
        context = admitted(self.context, principal, wanted)
        earlier = replayed(self.bookings, principal, context.idempotency, fingerprint, self.clock.now())
        if earlier is not None:
            return CreateResult(earlier, created=False)
        try:
            booking = self._book(principal, request, context, key, fingerprint)
        except (DomainError, IdempotencyRecordExists) as error:
            return CreateResult(self._twin_answer(principal, key, fingerprint, error), created=False)
        return CreateResult(booking, created=True)

    def _book(
        self, principal: Principal, request: CreateBooking, context: Context, key: str, fingerprint: str
    ) -> Booking:
        tenant, professional, treatment = booking_context(
            context, principal.tenant_id, request.professional_id, request.treatment_id
        )
        patient = patient_of(principal, context)
        now = self.clock.now()
        calendar = Calendar(tenant, professional, treatment, (), now, context.closures)
        problem = unbookable_reason(calendar, request.start)
        if problem is not None:
            raise problem
        booking = Booking(
            id=self.ids.new_id(),
            tenant_id=principal.tenant_id,
            professional_id=professional.id,
            treatment_id=treatment.id,
            patient_id=patient.id,
            **booked_times(tenant, treatment, request.start),
            **patient_snapshot(patient),
            notes=request.notes,
            created_by=principal.user_id,
            created_at=now,
            updated_at=now,
        )
        self.bookings.create(
            booking, cells_of(booking), self._record(principal, key, fingerprint, booking, now)
        )
        return booking

    # Read
    def get(self, principal: Principal, booking_id: str) -> Booking:
        authorize(principal, Action.GET_BOOKING)
        return self._visible(principal, booking_id)[1]

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
    def reschedule(
        self,
        principal: Principal,
        booking_id: str,
        request: RescheduleBooking,
        idempotency_key: str | None = None,
    ) -> Booking:
        """Move a booking. With an Idempotency-Key, a retry of the same move answers the
        booking as it is (even after the window closed or the time was taken again);
        the key with another move is 409 ``IDEMPOTENCY_KEY_REUSED``."""
        authorize(principal, Action.RESCHEDULE_BOOKING)
        key = checked_key(idempotency_key) if idempotency_key is not None else None
        first, current = self._visible(principal, booking_id, key)
        fingerprint = reschedule_hash(principal.tenant_id, booking_id, request)
        earlier = replayed(
            self.bookings, principal, first.idempotency, fingerprint, self.clock.now(), current
        )
        if earlier is not None:
            return earlier
        ensure_changeable(principal, current, first.tenant, self.clock.now())
        professional_id = request.professional_id or current.professional_id
        context = self.context.read(
            ContextRequest(
                principal.tenant_id,
                professional_id=professional_id,
                treatment_id=current.treatment_id,
                patient_id=current.patient_id,
                closures=True,
            )
        )
        tenant, professional, treatment = booking_context(
            context, principal.tenant_id, professional_id, current.treatment_id
        )
        # The same rule as a new booking's start (a wall time DST skips or repeats is no
        # instant), before the no-op shortcut can accept one.
        requested = exact_instant(request.start)
        if professional.id == current.professional_id and requested == utc(current.start):
            return current
        now = self.clock.now()
        calendar = Calendar(tenant, professional, treatment, (), now, context.closures)
        problem = unbookable_reason(calendar, request.start)
        if problem is not None:
            raise problem
        updated = current.model_copy(
            update={
                "professional_id": professional.id,
                **booked_times(tenant, treatment, request.start),
                **(patient_snapshot(context.patient) if context.patient is not None else {}),
                "updated_at": now,
                "version": current.version + 1,
            }
        )
        record = None if key is None else self._record(principal, key, fingerprint, current, now)
        try:
            self.bookings.reschedule(current, updated, cells_of(current), cells_of(updated), record)
        except IdempotencyRecordExists as error:
            assert key is not None  # only a request with a key writes a record
            return self._twin_answer(principal, key, fingerprint, error)
        return updated

    def cancel(self, principal: Principal, booking_id: str, request: CancelBooking) -> Booking:
        """Cancel a live booking; a booking already cancelled is answered as it is."""
        authorize(principal, Action.CANCEL_BOOKING)
        first, current = self._visible(principal, booking_id)
        if current.status is BookingStatus.CANCELLED:
            return current
        ensure_changeable(principal, current, first.tenant, self.clock.now())
        updated = current.model_copy(
            update={
                "status": BookingStatus.CANCELLED,
                "cancellation_reason": request.reason,
                "updated_at": self.clock.now(),
                "version": current.version + 1,
            }
        )
        try:
            self.bookings.release(current, updated, cells_of(current))
        except ConcurrentModification:
            # Cancelled by a twin request meanwhile: that is this request's answer too.
            now = self.bookings.get(principal.tenant_id, booking_id)
            if now is not None and now.status is BookingStatus.CANCELLED:
                return now
            raise
        return updated

    def change_status(self, principal: Principal, booking_id: str, request: ChangeBookingStatus) -> Booking:
        """Staff close a booking that has begun: ``completed`` or ``no_show``. Its cells go
        with it (the chair is free again), so only live bookings ever hold cells, which is
        what availability and the integrity check assume."""
        authorize(principal, Action.CHANGE_BOOKING_STATUS)
        status = request.status
        if status not in CLOSING_STATUSES:
            raise InvalidValue("status can only be set to completed or no_show", code="INVALID_STATUS")
        _, current = self._visible(principal, booking_id)
        if not current.is_live:
            raise InvalidState(f"the booking is already {current.status}")
        now = self.clock.now()
        if now < utc(current.start):
            raise InvalidState("the booking has not started yet", code="BOOKING_NOT_STARTED")
        updated = current.model_copy(
            update={"status": status, "updated_at": now, "version": current.version + 1}
        )
        self.bookings.release(current, updated, cells_of(current))
        return updated

    def _record(
        self, principal: Principal, key: str, fingerprint: str, booking: Booking, now: datetime
    ) -> IdempotencyRecord:
        expires = now + self.idempotency_ttl
        return IdempotencyRecord(
            principal.tenant_id, key, principal.user_id, fingerprint, booking.id, expires
        )

    def _twin_answer(self, principal: Principal, key: str, fingerprint: str, error: Exception) -> Booking:
        """The booking a twin request with this key made since this one read: its answer
        wins, even if this request would now be refused (the slot taken). Else ``error``."""
        earlier = replay(self.bookings, principal, key, fingerprint, self.clock.now())
        if earlier is not None:
            return earlier
        if isinstance(error, IdempotencyRecordExists):
            raise ConcurrentModification("the idempotency record vanished; retry") from error
        raise error

    def _visible(
        self, principal: Principal, booking_id: str, idempotency_key: str | None = None
    ) -> tuple[Context, Booking]:
        """The booking, read with the caller (admitted) and their tenant, if they may see it."""
        wanted = ContextRequest(principal.tenant_id, booking_id=booking_id, idempotency_key=idempotency_key)
        context = admitted(self.context, principal, wanted)
        return context, visible_booking(self.catalog, principal, context.booking, booking_id)
