"""Times the whole clinic is closed: holidays, a closed afternoon.

Owner and Admin manage them; availability subtracts them like time off and booking or
rescheduling refuses a start inside one (422 ``CLINIC_CLOSED``, like a time outside
working hours). A closure over live appointments is refused with their list (409
``CLOSURE_OVERLAPS_BOOKINGS``): the clinic moves or cancels them first. A tenant's
closures are one versioned item, read by availability and booking in the read they
make anyway; closures that ended long ago are dropped as new ones are added.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import timedelta

from booking.domain.access import Action, authorize
from booking.domain.catalogs import detail
from booking.domain.commands import CreateClosure
from booking.domain.errors import Conflict, InvalidValue, NotFound
from booking.domain.intervals import Interval
from booking.domain.models import LIVE_STATUSES, MAX_BLOCKED_MINUTES, Booking, Closure, Closures
from booking.domain.ports import BookingQuery, BookingRepository, CatalogRepository, Clock, IdGenerator
from booking.domain.principal import Principal
from booking.domain.zoned_time import utc

# A closure that ended this long ago no longer matters to anyone's calendar.
KEPT_AFTER_END = timedelta(days=366)
MAX_CLOSURES = 400
PAGE = 100


@dataclass(frozen=True)
class ClosureService:
    catalog: CatalogRepository
    bookings: BookingRepository
    clock: Clock
    ids: IdGenerator

    def list_closures(self, principal: Principal) -> list[Closure]:
        authorize(principal, Action.LIST_CLOSURES)
        return sorted(self.catalog.get_closures(principal.tenant_id).items, key=lambda item: utc(item.start))

    def create_closure(self, principal: Principal, request: CreateClosure) -> Closure:
        authorize(principal, Action.CREATE_CLOSURE)
        closure = Closure(id=self.ids.new_id(), **request.model_dump())
        clashes = [booking.id for booking in self._live_bookings_during(principal.tenant_id, closure)]
        if clashes:
            raise Conflict(
                f"the closure overlaps {len(clashes)} booking(s); move or cancel them first",
                code="CLOSURE_OVERLAPS_BOOKINGS",
                details=[detail("closure", booking_id, "overlapping_booking") for booking_id in clashes],
            )
        current = self.catalog.get_closures(principal.tenant_id)
        horizon = utc(self.clock.now()) - KEPT_AFTER_END
        kept = [item for item in current.items if utc(item.end) > horizon]
        if len(kept) >= MAX_CLOSURES:
            raise InvalidValue(f"a clinic keeps at most {MAX_CLOSURES} closures", code="TOO_MANY_CLOSURES")
        self._save(current, [*kept, closure])
        return closure

    def delete_closure(self, principal: Principal, closure_id: str) -> None:
        authorize(principal, Action.DELETE_CLOSURE)
        current = self.catalog.get_closures(principal.tenant_id)
        remaining = [item for item in current.items if item.id != closure_id]
        if len(remaining) == len(current.items):
            raise NotFound(f"closure {closure_id} not found", code="CLOSURE_NOT_FOUND")
        self._save(current, remaining)

    def _save(self, current: Closures, items: list[Closure]) -> None:
        updated = current.model_copy(update={"items": items, "version": current.version + 1})
        self.catalog.put_closures(current, updated)

    def _live_bookings_during(self, tenant_id: str, closure: Closure) -> Iterator[Booking]:
        """Live appointments of any professional that overlap the closure: the tenant's
        calendar from one longest appointment before it, page by page."""
        during = Interval(utc(closure.start), utc(closure.end))
        cursor: str | None = None
        while True:
            page = self.bookings.query(
                BookingQuery(
                    tenant_id=tenant_id,
                    start_from=closure.start - timedelta(minutes=MAX_BLOCKED_MINUTES),
                    start_to=closure.end,
                    statuses=frozenset(LIVE_STATUSES),
                    limit=PAGE,
                    cursor=cursor,
                )
            )
            for booking in page.items:
                if during.overlaps(Interval(utc(booking.start), utc(booking.end))):
                    yield booking
            cursor = page.next_cursor
            if cursor is None:
                return
