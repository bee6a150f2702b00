"""Request and response bodies of the HTTP API (the boundary models).

camelCase on the wire, ``extra="forbid"`` so an unknown field is a 422, not ignored.
Entities are answered with ``model_dump(by_alias=True, mode="json")``.
"""

from __future__ import annotations

from datetime import date

from pydantic import AwareDatetime, Field

from booking.domain.models import (
    Booking,
    BookingStatus,
    CamelModel,
    CellMinutes,
    Identifier,
    PositiveCellMinutes,
    Professional,
    Slot,
    Tenant,
    TenantPolicy,
    TimeOff,
    TimeZoneName,
    Treatment,
    User,
    WeeklySchedule,
)
from booking.domain.roles import Role


class ErrorDetail(CamelModel):
    """One problem of a 422: where (dotted path into the body or query) and what."""

    field: str
    message: str
    type: str


class ErrorBody(CamelModel):
    code: str
    message: str
    request_id: str
    details: list[ErrorDetail] | None = None


class ErrorEnvelope(CamelModel):
    error: ErrorBody


class Health(CamelModel):
    status: str
    version: str


class TenantPatch(CamelModel):
    name: str | None = Field(default=None, min_length=1, max_length=120)
    time_zone: TimeZoneName | None = None
    locale: str | None = Field(default=None, pattern=r"^[a-z]{2}(-[A-Z]{2})?$")
    policy: TenantPolicy | None = None


class ProfessionalCreate(CamelModel):
    name: str = Field(min_length=1, max_length=120)
    email: str | None = Field(default=None, max_length=254)
    working_hours: WeeklySchedule = Field(default_factory=WeeklySchedule)
    breaks: WeeklySchedule = Field(default_factory=WeeklySchedule)
    time_off: list[TimeOff] = Field(default_factory=list)
    treatment_ids: list[Identifier] = Field(default_factory=list)
    user_id: str | None = None
    active: bool = True


class ProfessionalPatch(CamelModel):
    name: str | None = Field(default=None, min_length=1, max_length=120)
    email: str | None = Field(default=None, max_length=254)
    working_hours: WeeklySchedule | None = None
    breaks: WeeklySchedule | None = None
    time_off: list[TimeOff] | None = None
    treatment_ids: list[Identifier] | None = None
    user_id: str | None = None
    active: bool | None = None


class TreatmentCreate(CamelModel):
    name: str = Field(min_length=1, max_length=120)
    duration_minutes: PositiveCellMinutes
    buffer_before_minutes: CellMinutes = 0
    buffer_after_minutes: CellMinutes = 0
    active: bool = True


class TreatmentPatch(CamelModel):
    name: str | None = Field(default=None, min_length=1, max_length=120)
    duration_minutes: PositiveCellMinutes | None = None
    buffer_before_minutes: CellMinutes | None = None
    buffer_after_minutes: CellMinutes | None = None
    active: bool | None = None


class AvailabilityQuery(CamelModel):
    professional_id: Identifier
    treatment_id: Identifier
    # Dates (tenant-local days, inclusive) or instants; at most 31 days apart. Instants
    # are tried first: lax date parsing would accept "…T00:00:00+01:00" and drop its offset.
    from_: AwareDatetime | date = Field(alias="from", union_mode="left_to_right")
    to: AwareDatetime | date = Field(union_mode="left_to_right")


class Availability(CamelModel):
    professional_id: str
    treatment_id: str
    time_zone: str
    slots: list[Slot]


class BookingCreate(CamelModel):
    professional_id: Identifier
    treatment_id: Identifier
    start: AwareDatetime
    patient_id: str | None = Field(default=None, min_length=1, max_length=128)
    notes: str | None = Field(default=None, max_length=1000)


class BookingReschedule(CamelModel):
    start: AwareDatetime
    professional_id: Identifier | None = None


class BookingCancel(CamelModel):
    reason: str | None = Field(default=None, max_length=500)


class BookingStatusChange(CamelModel):
    """Staff only: mark a past booking ``completed`` or ``no_show``."""

    status: BookingStatus


class BookingListQuery(CamelModel):
    from_: AwareDatetime | None = Field(default=None, alias="from")
    to: AwareDatetime | None = None
    professional_id: Identifier | None = None
    patient_id: str | None = None
    status: BookingStatus | None = None
    limit: int = Field(default=50, ge=1, le=100)
    cursor: str | None = None


class UserCreate(CamelModel):
    email: str = Field(pattern=r"^[^@\s]+@[^@\s]+\.[^@\s]+$", max_length=254)
    name: str | None = Field(default=None, max_length=120)
    role: Role


class UserListQuery(CamelModel):
    role: Role | None = None
    limit: int = Field(default=50, ge=1, le=100)
    cursor: str | None = None


class BookingList(CamelModel):
    items: list[Booking]
    next_cursor: str | None


class ProfessionalList(CamelModel):
    items: list[Professional]
    next_cursor: str | None = None


class TreatmentList(CamelModel):
    items: list[Treatment]
    next_cursor: str | None = None


class UserList(CamelModel):
    items: list[User]
    next_cursor: str | None


__all__ = [
    "Availability",
    "AvailabilityQuery",
    "Booking",
    "BookingCancel",
    "BookingCreate",
    "BookingList",
    "BookingListQuery",
    "BookingReschedule",
    "BookingStatusChange",
    "ErrorEnvelope",
    "Health",
    "Professional",
    "ProfessionalCreate",
    "ProfessionalList",
    "ProfessionalPatch",
    "Tenant",
    "TenantPatch",
    "Treatment",
    "TreatmentCreate",
    "TreatmentList",
    "TreatmentPatch",
    "User",
    "UserCreate",
    "UserList",
    "UserListQuery",
]
