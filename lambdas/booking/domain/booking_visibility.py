"""Which bookings a caller sees: the row-level rules the role matrix cannot express.

Staff other than dentists see the whole tenant; a dentist sees the calendars of the
professionals linked to their user; a patient sees their own bookings. A booking the
caller may not see does not exist for them (404, never 403), so its id reveals nothing.
"""

from __future__ import annotations

from booking.domain.errors import Forbidden, InvalidValue, NotFound
from booking.domain.models import Booking
from booking.domain.ports import CatalogRepository
from booking.domain.principal import Principal
from booking.domain.roles import Role


def dentist_professional_ids(catalog: CatalogRepository, principal: Principal) -> frozenset[str]:
    """The professionals whose calendar is this dentist's own (linked by user id)."""
    return frozenset(
        professional.id
        for professional in catalog.list_professionals(principal.tenant_id)
        if professional.user_id == principal.user_id
    )


def visible_booking(
    catalog: CatalogRepository, principal: Principal, booking: Booking | None, booking_id: str
) -> Booking:
    """``booking`` (as read under ``booking_id``) if this caller may see it; otherwise it
    does not exist for them."""
    if booking is not None and booking.tenant_id == principal.tenant_id:
        if principal.role is Role.PATIENT and booking.patient_id == principal.user_id:
            return booking
        if principal.role is Role.DENTIST and booking.professional_id in dentist_professional_ids(
            catalog, principal
        ):
            return booking
        if principal.role not in (Role.PATIENT, Role.DENTIST):
            return booking
    raise NotFound(f"booking {booking_id} not found", code="BOOKING_NOT_FOUND")


def listing_scope(
    catalog: CatalogRepository,
    principal: Principal,
    patient_id: str | None,
    professional_id: str | None,
) -> tuple[str | None, str | None] | None:
    """The patient and professional filters this caller's listing is held to, from the
    ones asked for; ``None`` when there is nothing they may list (an unlinked dentist)."""
    if principal.role is Role.PATIENT:
        if patient_id not in (None, principal.user_id):
            raise Forbidden("patients see their own bookings only", code="PATIENT_MISMATCH")
        return principal.user_id, professional_id
    if principal.role is Role.DENTIST:
        own = dentist_professional_ids(catalog, principal)
        if professional_id is not None and professional_id not in own:
            raise Forbidden("dentists see their own calendar only", code="NOT_OWN_CALENDAR")
        if professional_id is None:
            if not own:
                return None
            if len(own) > 1:
                raise InvalidValue(
                    "you are linked to several professionals: choose one with professionalId",
                    code="PROFESSIONAL_REQUIRED",
                )
            (professional_id,) = own
    return patient_id, professional_id
