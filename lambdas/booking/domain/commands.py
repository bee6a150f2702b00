"""What a caller asks the domain to do: the services' inputs, one model per action.

Commands are named after the ``access.Action`` they perform. They carry the caller's
request only: who asks (the ``Principal``), which resource (a path id) and the
Idempotency-Key travel beside them. The domain's own rules on a value (lengths, the
lock-cell grid, a known time zone, page sizes) are declared here, once; the HTTP wire
models in ``schemas.py`` subclass these under the API's names.

Like the entities they are frozen pydantic models with camelCase aliases, and an
unknown field is refused. ``Update*`` commands are partial: a field that was not sent
keeps its value (``model_dump(exclude_unset=True)``), ``null`` is refused where the
entity needs a value.
"""

from __future__ import annotations

from datetime import date

from pydantic import AwareDatetime, Field

from booking.domain.models import (
    LOCALE_PATTERN,
    BookingStatus,
    CamelModel,
    CellMinutes,
    Identifier,
    PositiveCellMinutes,
    TenantPolicy,
    TimeOff,
    TimeZoneName,
    WeeklySchedule,
)
from booking.domain.roles import Role

EMAIL_PATTERN = r"^[^@\s]+@[^@\s]+\.[^@\s]+$"

# --- tenant -------------------------------------------------------------------------


class UpdateTenant(CamelModel):
    """Change the profile; ``policy`` changes only the policy fields it names."""

    name: str | None = Field(default=None, min_length=1, max_length=120)
    time_zone: TimeZoneName | None = None
    locale: str | None = Field(default=None, pattern=LOCALE_PATTERN)
    policy: TenantPolicy | None = None


# --- professionals ------------------------------------------------------------------


class CreateProfessional(CamelModel):
    name: str = Field(min_length=1, max_length=120)
    email: str | None = Field(default=None, max_length=254)
    working_hours: WeeklySchedule = Field(default_factory=WeeklySchedule)
    breaks: WeeklySchedule = Field(default_factory=WeeklySchedule)
    time_off: list[TimeOff] = Field(default_factory=list)
    treatment_ids: list[Identifier] = Field(default_factory=list)
    user_id: str | None = None
    active: bool = True


class UpdateProfessional(CamelModel):
    name: str | None = Field(default=None, min_length=1, max_length=120)
    email: str | None = Field(default=None, max_length=254)
    working_hours: WeeklySchedule | None = None
    breaks: WeeklySchedule | None = None
    time_off: list[TimeOff] | None = None
    treatment_ids: list[Identifier] | None = None
    user_id: str | None = None
    active: bool | None = None


# --- treatments ---------------------------------------------------------------------


class CreateTreatment(CamelModel):
    name: str = Field(min_length=1, max_length=120)
    duration_minutes: PositiveCellMinutes
    buffer_before_minutes: CellMinutes = 0
    buffer_after_minutes: CellMinutes = 0
    active: bool = True


class UpdateTreatment(CamelModel):
    name: str | None = Field(default=None, min_length=1, max_length=120)
    duration_minutes: PositiveCellMinutes | None = None
    buffer_before_minutes: CellMinutes | None = None
    buffer_after_minutes: CellMinutes | None = None
    active: bool | None = None


# --- availability -------------------------------------------------------------------


class GetAvailability(CamelModel):
    professional_id: Identifier
    treatment_id: Identifier
    # Dates (tenant-local days, inclusive) or instants; at most 31 days apart. Instants
    # are tried first: lax date parsing would accept "…T00:00:00+01:00" and drop its offset.
    from_: AwareDatetime | date = Field(alias="from", union_mode="left_to_right")
    to: AwareDatetime | date = Field(union_mode="left_to_right")


# --- bookings -----------------------------------------------------------------------


class CreateBooking(CamelModel):
    professional_id: Identifier
    treatment_id: Identifier
    start: AwareDatetime
    # Staff book for a patient; a patient books for themselves (and may leave it out).
    patient_id: str | None = Field(default=None, min_length=1, max_length=128)
    notes: str | None = Field(default=None, max_length=1000)


class RescheduleBooking(CamelModel):
    start: AwareDatetime
    professional_id: Identifier | None = None  # another professional; default: the same


class CancelBooking(CamelModel):
    reason: str | None = Field(default=None, max_length=500)


class ChangeBookingStatus(CamelModel):
    status: BookingStatus  # only ``completed`` or ``no_show``: the service says why not


class ListBookings(CamelModel):
    from_: AwareDatetime | None = Field(default=None, alias="from")
    to: AwareDatetime | None = None
    professional_id: Identifier | None = None
    patient_id: str | None = None
    status: BookingStatus | None = None
    limit: int = Field(default=50, ge=1, le=100)
    cursor: str | None = None


# --- users --------------------------------------------------------------------------


class CreateUser(CamelModel):
    email: str = Field(pattern=EMAIL_PATTERN, max_length=254)
    name: str | None = Field(default=None, max_length=120)
    role: Role


class ListUsers(CamelModel):
    role: Role | None = None
    limit: int = Field(default=50, ge=1, le=100)
    cursor: str | None = None
