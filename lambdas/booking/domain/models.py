"""Entities of the booking domain.

They are pydantic models with camelCase aliases because the same shapes cross the
API boundary and the table; the domain itself only uses the Python names.
All minute quantities are multiples of ``LOCK_CELL_MINUTES`` so that availability
and the lock cells that prevent overbooking agree exactly.
"""

from __future__ import annotations

import re
from datetime import time
from enum import StrEnum
from typing import Annotated
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import (
    AfterValidator,
    AwareDatetime,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    PlainSerializer,
    WithJsonSchema,
    model_validator,
)
from pydantic.alias_generators import to_camel

from booking.domain.roles import Role

# Granularity of the lock items that make double booking impossible. Every duration,
# buffer and slot step is a multiple of it.
LOCK_CELL_MINUTES = 5
# One TransactWriteItems holds at most 100 actions; a reschedule to a disjoint range
# deletes the old cells and puts the new ones, plus the booking and its Idempotency-Key's
# record: 2 * 48 + 2 <= 100.
MAX_BLOCKED_MINUTES = 240
DEFAULT_TIME_ZONE = "America/Guayaquil"
LOCALE_PATTERN = r"^[a-z]{2}(-[A-Z]{2})?$"  # a language, optionally its region: es, es-EC
EMAIL_PATTERN = r"^[^@\s]+@[^@\s]+\.[^@\s]+$"
# A clinic's web address (how a patient picks the clinic): a DNS-label-like slug.
WEB_ADDRESS_PATTERN = r"^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$"
# A phone number as people write it: digits, an optional leading +, spaces, dots,
# dashes and brackets; at least six digits (checked by the search's normalisation).
PHONE_PATTERN = r"^\+?[0-9][0-9 ().-]{4,28}[0-9]$"
WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")


def _multiple_of_cell(value: int) -> int:
    if value % LOCK_CELL_MINUTES:
        raise ValueError(f"must be a multiple of {LOCK_CELL_MINUTES} minutes")
    return value


def _valid_zone(value: str) -> str:
    try:
        ZoneInfo(value)
    except (ZoneInfoNotFoundError, ValueError) as error:
        raise ValueError(f"unknown IANA time zone {value!r}") from error
    return value


# Local wall-clock times ("09:00") travel as plain HH:MM strings. JSON Schema's
# ``format: time`` (RFC 3339 full-time) demands a UTC offset, which a weekly wall-clock
# time in the tenant's zone has not. "HH:MM:SS" is still read (items written before).
WALL_TIME_PATTERN = r"^([01]\d|2[0-3]):[0-5]\d$"
_WALL_TIME_INPUT = re.compile(r"([01]\d|2[0-3]):[0-5]\d(:[0-5]\d)?")


def _parse_wall_time(value: object) -> object:
    if isinstance(value, time):
        # An offset would make the range absolute and incomparable with a plain time.
        if value.tzinfo is not None:
            raise ValueError("a wall-clock time has no offset: the tenant's time zone applies")
        return value
    if isinstance(value, str) and _WALL_TIME_INPUT.fullmatch(value):
        return time.fromisoformat(value)
    if isinstance(value, str) and _WALL_TIME_INPUT.match(value):
        raise ValueError("a wall-clock time has no offset: the tenant's time zone applies")
    raise ValueError("a local time is a 'HH:MM' string, e.g. '09:00'")


def _format_wall_time(value: time) -> str:
    return value.strftime("%H:%M")


WallTime = Annotated[
    time,
    BeforeValidator(_parse_wall_time),
    PlainSerializer(_format_wall_time, return_type=str, when_used="json"),
    WithJsonSchema({"type": "string", "pattern": WALL_TIME_PATTERN, "examples": ["09:00"]}),
]
CellMinutes = Annotated[int, Field(ge=0), AfterValidator(_multiple_of_cell)]
PositiveCellMinutes = Annotated[int, Field(gt=0), AfterValidator(_multiple_of_cell)]
TimeZoneName = Annotated[str, AfterValidator(_valid_zone)]
Identifier = Annotated[str, Field(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9_-]+$")]
Email = Annotated[str, Field(pattern=EMAIL_PATTERN, max_length=254)]
WebAddress = Annotated[str, Field(max_length=63, pattern=WEB_ADDRESS_PATTERN)]
Phone = Annotated[str, Field(pattern=PHONE_PATTERN)]
PersonName = Annotated[str, Field(min_length=1, max_length=120)]


class AccountStatus(StrEnum):
    """A tenant's or a user's standing: a disabled one is refused on every route
    (``domain.admission``), and nothing of it is deleted."""

    ACTIVE = "active"
    DISABLED = "disabled"


class CamelModel(BaseModel):
    model_config = ConfigDict(
        alias_generator=to_camel, populate_by_name=True, extra="forbid", frozen=True, defer_build=True
    )


class TimeRange(CamelModel):
    """A local wall-clock range within one day, e.g. 09:00-13:00."""

    start: WallTime
    end: WallTime

    @model_validator(mode="after")
    def _ordered(self) -> TimeRange:
        if self.end <= self.start:
            raise ValueError("end must be after start")
        for value in (self.start, self.end):
            if value.second or value.microsecond or value.minute % LOCK_CELL_MINUTES:
                raise ValueError(f"times must fall on {LOCK_CELL_MINUTES}-minute boundaries")
        return self


class WeeklySchedule(CamelModel):
    """Ranges per weekday in the tenant's time zone; several ranges per day allowed."""

    monday: list[TimeRange] = Field(default_factory=list)
    tuesday: list[TimeRange] = Field(default_factory=list)
    wednesday: list[TimeRange] = Field(default_factory=list)
    thursday: list[TimeRange] = Field(default_factory=list)
    friday: list[TimeRange] = Field(default_factory=list)
    saturday: list[TimeRange] = Field(default_factory=list)
    sunday: list[TimeRange] = Field(default_factory=list)

    def for_weekday(self, weekday: int) -> list[TimeRange]:
        """Ranges for ``date.weekday()`` (0 = Monday)."""
        ranges: list[TimeRange] = getattr(self, WEEKDAYS[weekday])
        return ranges


class TimeOff(CamelModel):
    start: AwareDatetime
    end: AwareDatetime
    reason: str | None = Field(default=None, max_length=200)

    @model_validator(mode="after")
    def _ordered(self) -> TimeOff:
        if self.end <= self.start:
            raise ValueError("end must be after start")
        return self


class Closure(TimeOff):
    """A time the whole clinic is closed (a holiday, a closed afternoon)."""

    id: Identifier


class Closures(CamelModel):
    """A tenant's closures, kept together: availability and booking read them in the
    read they already make, and each change is one versioned write."""

    tenant_id: Identifier
    items: list[Closure] = Field(default_factory=list)
    version: int = 0  # 0: never written


class TenantPolicy(CamelModel):
    minimum_notice_minutes: int = Field(default=60, ge=0, le=60 * 24 * 30)
    booking_horizon_days: int = Field(default=60, ge=1, le=366)
    slot_step_minutes: PositiveCellMinutes = 15
    # Patients cannot cancel or reschedule later than this many hours before the start.
    change_window_hours: int = Field(default=24, ge=0, le=24 * 30)


class Tenant(CamelModel):
    id: Identifier
    name: str = Field(min_length=1, max_length=120)
    time_zone: TimeZoneName = DEFAULT_TIME_ZONE
    locale: str = Field(default="es-EC", pattern=LOCALE_PATTERN)
    policy: TenantPolicy = Field(default_factory=TenantPolicy)
    status: AccountStatus = AccountStatus.ACTIVE
    # Whether patients may sign themselves up (through the clinic's web address).
    sign_up_enabled: bool = False
    web_address: WebAddress | None = None
    # Where the clinic's staff emails go besides the professional's, if anywhere.
    inbox_email: Email | None = None
    created_at: AwareDatetime | None = None
    updated_at: AwareDatetime | None = None

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.time_zone)


class Treatment(CamelModel):
    id: Identifier
    tenant_id: Identifier
    name: str = Field(min_length=1, max_length=120)
    duration_minutes: PositiveCellMinutes
    buffer_before_minutes: CellMinutes = 0
    buffer_after_minutes: CellMinutes = 0
    active: bool = True

    @model_validator(mode="after")
    def _fits_one_transaction(self) -> Treatment:
        if self.blocked_minutes > MAX_BLOCKED_MINUTES:
            raise ValueError(f"duration plus buffers must not exceed {MAX_BLOCKED_MINUTES} minutes")
        return self

    @property
    def blocked_minutes(self) -> int:
        return self.buffer_before_minutes + self.duration_minutes + self.buffer_after_minutes


class Professional(CamelModel):
    id: Identifier
    tenant_id: Identifier
    name: str = Field(min_length=1, max_length=120)
    email: str | None = Field(default=None, max_length=254)
    working_hours: WeeklySchedule = Field(default_factory=WeeklySchedule)
    breaks: WeeklySchedule = Field(default_factory=WeeklySchedule)
    time_off: list[TimeOff] = Field(default_factory=list)
    treatment_ids: list[Identifier] = Field(default_factory=list)
    # The Cognito ``sub`` of the Dentist user who is this professional, if any.
    user_id: str | None = None
    active: bool = True


class BookingStatus(StrEnum):
    CONFIRMED = "confirmed"
    CANCELLED = "cancelled"
    COMPLETED = "completed"
    NO_SHOW = "no_show"


LIVE_STATUSES = frozenset({BookingStatus.CONFIRMED})


class Booking(CamelModel):
    id: Identifier
    tenant_id: Identifier
    professional_id: Identifier
    treatment_id: Identifier
    patient_id: str
    # The appointment itself, and the range it blocks (buffers included), all aware.
    start: AwareDatetime
    end: AwareDatetime
    blocked_start: AwareDatetime
    blocked_end: AwareDatetime
    status: BookingStatus = BookingStatus.CONFIRMED
    notes: str | None = Field(default=None, max_length=1000)
    # Who the booking is for, as the patient's record read when it was made or last
    # moved (a snapshot: lists stay one query per page).
    patient_name: str | None = Field(default=None, max_length=120)
    patient_phone: str | None = Field(default=None, max_length=30)
    cancellation_reason: str | None = Field(default=None, max_length=500)
    created_by: str
    created_at: AwareDatetime
    updated_at: AwareDatetime
    # Optimistic-locking counter; every write increments it.
    version: int = 1

    @property
    def is_live(self) -> bool:
        return self.status in LIVE_STATUSES


class EmailStatus(StrEnum):
    """Whether mail reaches a user's address, as SES last reported it: no more mail is
    tried to an address that bounced for good or whose owner complained."""

    OK = "ok"
    BOUNCING = "bouncing"
    COMPLAINED = "complained"

    @property
    def deliverable(self) -> bool:
        return self is EmailStatus.OK


class User(CamelModel):
    id: str  # Cognito ``sub``
    tenant_id: Identifier
    email: str  # the sign-in name: not editable through the API
    name: str | None = None
    phone: str | None = None
    role: Role
    status: AccountStatus = AccountStatus.ACTIVE
    # Set by the notifications function from SES's bounce and complaint events; staff
    # see it ("email bouncing") and fix the address with the user.
    email_status: EmailStatus = EmailStatus.OK
    created_at: AwareDatetime | None = None
    updated_at: AwareDatetime | None = None
    # Optimistic-locking counter; every change increments it.
    version: int = 1

    @property
    def is_active(self) -> bool:
        return self.status is AccountStatus.ACTIVE


class Slot(CamelModel):
    # Aware, so the answer always carries the offset ``format: date-time`` requires.
    start: AwareDatetime
    end: AwareDatetime
