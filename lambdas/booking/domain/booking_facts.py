"""The facts of one booking the service derives: its times, its patient, its cells, and
whether the caller may still change it. Pure functions of what the service read."""

from __future__ import annotations

from datetime import datetime, timedelta

from booking.domain.cells import cells_for
from booking.domain.errors import ChangeWindowClosed, Forbidden, InvalidState, InvalidValue, NotFound
from booking.domain.lookups import tenant_or_defaults
from booking.domain.models import Booking, Tenant, Treatment, User
from booking.domain.ports import Context, LockCell
from booking.domain.principal import Principal
from booking.domain.roles import Role
from booking.domain.zoned_time import local_instant, utc


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


def patient_id_for(principal: Principal, requested: str | None) -> str:
    """Whom a booking is for: a patient books for themselves, staff name the patient."""
    if principal.role is Role.PATIENT:
        if requested is not None and requested != principal.user_id:
            raise Forbidden("patients book for themselves only", code="PATIENT_MISMATCH")
        return principal.user_id
    if requested is None:
        raise InvalidValue("staff must say which patient the booking is for", code="PATIENT_REQUIRED")
    return requested


def patient_of(principal: Principal, context: Context) -> User:
    """The patient's record from the context: the caller's own, or the one staff named."""
    if principal.role is Role.PATIENT and context.caller is not None:
        return context.caller
    patient = context.patient
    if patient is None or patient.role is not Role.PATIENT:
        raise NotFound("the patient was not found", code="PATIENT_NOT_FOUND")
    if not patient.is_active:
        raise InvalidState("the patient's account is disabled", code="PATIENT_DISABLED")
    return patient


def patient_snapshot(patient: User) -> dict[str, str | None]:
    """Who a booking is for, as staff see it on their calendar."""
    return {"patient_name": patient.name, "patient_phone": patient.phone}


def ensure_changeable(principal: Principal, current: Booking, tenant: Tenant | None, now: datetime) -> None:
    """Refuse unless the booking is live and, for a patient, the tenant's change window
    is still open."""
    if not current.is_live:
        raise InvalidState(f"the booking is {current.status}")
    if principal.role is Role.PATIENT:
        policy = tenant_or_defaults(principal.tenant_id, tenant).policy
        closes = utc(current.start) - timedelta(hours=policy.change_window_hours)
        if now >= closes:
            raise ChangeWindowClosed(
                f"bookings can be changed up to {policy.change_window_hours} hours before "
                "they start; please call the clinic"
            )


def cells_of(booking: Booking) -> list[LockCell]:
    return cells_for(booking.tenant_id, booking.professional_id, booking.blocked_start, booking.blocked_end)
