"""Request and response bodies of the HTTP API (the boundary models).

Requests are the domain's commands (``domain/commands.py``) under the API's names;
responses are the entities, their pages and the error envelope. camelCase on the wire,
``extra="forbid"`` so an unknown field is a 422, not ignored. Entities are answered
with ``model_dump(by_alias=True, mode="json")``.
"""

from __future__ import annotations

from booking.domain import commands
from booking.domain.models import (
    Booking,
    CamelModel,
    Closure,
    Professional,
    Slot,
    Tenant,
    Treatment,
    User,
)


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


# Requests: the domain's commands under the API's names, which are the OpenAPI
# document's component names. No docstring unless the document shows one: pydantic
# makes a model's docstring its schema's description.


class TenantPatch(commands.UpdateTenant):
    pass


class ProfessionalCreate(commands.CreateProfessional):
    pass


class ProfessionalPatch(commands.UpdateProfessional):
    pass


class TimeOffUpdate(commands.SetTimeOff):
    pass


class ClosureCreate(commands.CreateClosure):
    pass


class TreatmentCreate(commands.CreateTreatment):
    pass


class TreatmentPatch(commands.UpdateTreatment):
    pass


class AvailabilityQuery(commands.GetAvailability):
    pass


class BookingCreate(commands.CreateBooking):
    pass


class BookingReschedule(commands.RescheduleBooking):
    pass


class BookingCancel(commands.CancelBooking):
    pass


class BookingStatusChange(commands.ChangeBookingStatus):
    """Staff only: mark a past booking ``completed`` or ``no_show``."""


class BookingListQuery(commands.ListBookings):
    pass


class UserCreate(commands.CreateUser):
    pass


class UserListQuery(commands.ListUsers):
    pass


class UserPatch(commands.UpdateUser):
    pass


class ProfilePatch(commands.UpdateProfile):
    pass


# Responses


class Availability(CamelModel):
    professional_id: str
    treatment_id: str
    time_zone: str
    slots: list[Slot]


class BookingList(CamelModel):
    items: list[Booking]
    next_cursor: str | None


class ProfessionalList(CamelModel):
    items: list[Professional]
    next_cursor: str | None = None


class ClosureList(CamelModel):
    items: list[Closure]
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
    "Closure",
    "ClosureCreate",
    "ClosureList",
    "ErrorEnvelope",
    "Health",
    "Professional",
    "ProfessionalCreate",
    "ProfessionalList",
    "ProfessionalPatch",
    "ProfilePatch",
    "Tenant",
    "TenantPatch",
    "TimeOffUpdate",
    "Treatment",
    "TreatmentCreate",
    "TreatmentList",
    "TreatmentPatch",
    "User",
    "UserCreate",
    "UserList",
    "UserListQuery",
    "UserPatch",
]
