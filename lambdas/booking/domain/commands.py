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
    DEFAULT_TIME_ZONE,
    LOCALE_PATTERN,
    BookingStatus,
    CamelModel,
    CellMinutes,
    Email,
    Identifier,
    PersonName,
    Phone,
    PositiveCellMinutes,
    TenantPolicy,
    TimeOff,
    TimeZoneName,
    WebAddress,
    WeeklySchedule,
)
from booking.domain.roles import Role
from booking.domain.user_search import UserSearchField

# --- tenant -------------------------------------------------------------------------


class CreateTenant(CamelModel):
    """Bring a clinic on board (``bookingctl tenant create``): its profile and its Owner."""

    id: Identifier
    name: str = Field(min_length=1, max_length=120)
    time_zone: TimeZoneName = DEFAULT_TIME_ZONE
    locale: str = Field(default="es-EC", pattern=LOCALE_PATTERN)
    owner_email: Email
    web_address: WebAddress | None = None


class UpdateTenant(CamelModel):
    """Change the profile; ``policy`` changes only the policy fields it names. The
    status is not here: a clinic is disabled and enabled by the operator's CLI."""

    name: str | None = Field(default=None, min_length=1, max_length=120)
    time_zone: TimeZoneName | None = None
    locale: str | None = Field(default=None, pattern=LOCALE_PATTERN)
    policy: TenantPolicy | None = None
    sign_up_enabled: bool | None = None
    web_address: WebAddress | None = None
    inbox_email: Email | None = None


# --- professionals ------------------------------------------------------------------


class CreateProfessional(CamelModel):
    name: str = Field(min_length=1, max_length=120)
    # Where the professional hears of their bookings (made, moved, cancelled); without
    # it, the address of their Dentist user (``userId``), if any.
    email: Email | None = None
    working_hours: WeeklySchedule = Field(default_factory=WeeklySchedule)
    breaks: WeeklySchedule = Field(default_factory=WeeklySchedule)
    time_off: list[TimeOff] = Field(default_factory=list)
    treatment_ids: list[Identifier] = Field(default_factory=list)
    user_id: str | None = None
    active: bool = True


class UpdateProfessional(CamelModel):
    name: str | None = Field(default=None, min_length=1, max_length=120)
    email: Email | None = None
    working_hours: WeeklySchedule | None = None
    breaks: WeeklySchedule | None = None
    time_off: list[TimeOff] | None = None
    treatment_ids: list[Identifier] | None = None
    user_id: str | None = None
    active: bool | None = None


class SetTimeOff(CamelModel):
    """A professional's whole time off, replaced: what a dentist blocks and unblocks."""

    time_off: list[TimeOff] = Field(max_length=200)


# --- closures -----------------------------------------------------------------------


class CreateClosure(TimeOff):
    pass


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
    email: Email
    name: str | None = Field(default=None, max_length=120)
    phone: Phone | None = None
    role: Role


class UpdateUser(CamelModel):
    """Partial; the email is the sign-in name and cannot change. ``phone: null``
    removes the phone."""

    name: PersonName | None = None
    phone: Phone | None = None
    role: Role | None = None


class UpdateProfile(CamelModel):
    """What a user changes of their own record (a patient's profile)."""

    name: PersonName | None = None
    phone: Phone | None = None


class ListUsers(CamelModel):
    role: Role | None = None
    # The start of a name, an email or a phone number (case and accents ignored);
    # ``by`` says which, else an ``@`` means an email and digits a phone.
    q: str | None = Field(default=None, min_length=1, max_length=120)
    by: UserSearchField | None = None
    limit: int = Field(default=50, ge=1, le=100)
    cursor: str | None = None
