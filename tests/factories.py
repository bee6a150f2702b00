"""A small clinic to test against: one tenant, a treatment, a professional, a user
record for the caller of every role (the access gate admits only recorded users) and
a second patient, all in the in-memory fakes, plus the services wired to them."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime, time

from booking.domain.availability import AvailabilityService
from booking.domain.bookings import BookingService
from booking.domain.catalogs import CatalogService
from booking.domain.closures import ClosureService
from booking.domain.models import (
    Professional,
    Tenant,
    TenantPolicy,
    TimeRange,
    Treatment,
    User,
    WeeklySchedule,
)
from booking.domain.principal import Principal
from booking.domain.roles import Role
from booking.domain.users import UserService

from tests.fakes import (
    FakeBookingRepository,
    FakeCatalogRepository,
    FakeContextReader,
    FakeUserDirectory,
    FakeUserRepository,
    FixedClock,
    SequentialIds,
)

TENANT = "clinic-a"
OTHER_TENANT = "clinic-b"
PATIENT_ID = "patient-1"
OTHER_PATIENT_ID = "patient-2"
DENTIST_USER_ID = "dentist-user-1"
PRO = "pro1"
CLEANING = "cleaning"
# Monday 2 March 2026, 07:00 in Madrid (UTC+1): the clinic opens at 09:00.
NOW = datetime(2026, 3, 2, 6, 0, tzinfo=UTC)


def default_user_id(role: Role) -> str:
    """The user id ``principal(role)`` calls with, whose record every clinic has."""
    return {Role.PATIENT: PATIENT_ID, Role.DENTIST: DENTIST_USER_ID}.get(role, f"{role.lower()}-user")


def principal(role: Role, tenant: str = TENANT, user_id: str | None = None) -> Principal:
    return Principal(user_id=user_id or default_user_id(role), tenant_id=tenant, role=role)


def hours(*ranges: tuple[str, str]) -> list[TimeRange]:
    return [TimeRange(start=time.fromisoformat(start), end=time.fromisoformat(end)) for start, end in ranges]


def weekdays(*ranges: tuple[str, str], weekend: bool = False) -> WeeklySchedule:
    days = ["monday", "tuesday", "wednesday", "thursday", "friday"]
    if weekend:
        days += ["saturday", "sunday"]
    return WeeklySchedule(**{day: hours(*ranges) for day in days})


@dataclass
class Clinic:
    catalog: FakeCatalogRepository = field(default_factory=FakeCatalogRepository)
    bookings: FakeBookingRepository = field(default_factory=FakeBookingRepository)
    users: FakeUserRepository = field(default_factory=FakeUserRepository)
    directory: FakeUserDirectory = field(default_factory=FakeUserDirectory)
    clock: FixedClock = field(default_factory=lambda: FixedClock(NOW))
    ids: SequentialIds = field(default_factory=lambda: SequentialIds("b"))
    context: FakeContextReader = field(init=False)

    def __post_init__(self) -> None:
        self.context = FakeContextReader(self.catalog, self.users, self.bookings)

    def catalogs_service(self) -> CatalogService:
        return CatalogService(self.catalog, self.bookings, self.clock, self.ids)

    def closure_service(self) -> ClosureService:
        return ClosureService(self.catalog, self.bookings, self.clock, self.ids)

    def availability_service(self) -> AvailabilityService:
        return AvailabilityService(self.context, self.bookings, self.clock)

    def booking_service(self) -> BookingService:
        return BookingService(self.catalog, self.bookings, self.context, self.clock, self.ids)

    def user_service(self) -> UserService:
        return UserService(self.directory, self.users, self.context, self.clock)


def clinic(
    time_zone: str = "Europe/Madrid",
    policy: TenantPolicy | None = None,
    working_hours: WeeklySchedule | None = None,
    breaks: WeeklySchedule | None = None,
    treatment: Treatment | None = None,
    now: datetime = NOW,
) -> Clinic:
    """A clinic in ``TENANT`` with the professional ``PRO`` performing ``CLEANING``, and a
    foreign clinic in ``OTHER_TENANT`` with a professional and treatment of the same ids."""
    world = Clinic(clock=FixedClock(now))
    for tenant_id in (TENANT, OTHER_TENANT):
        world.catalog.put_tenant(
            Tenant(id=tenant_id, name=tenant_id, time_zone=time_zone, policy=policy or TenantPolicy())
        )
        world.catalog.put_treatment(
            (
                treatment or Treatment(id=CLEANING, tenant_id=TENANT, name="Cleaning", duration_minutes=30)
            ).model_copy(update={"tenant_id": tenant_id})
        )
        world.catalog.put_professional(
            Professional(
                id=PRO,
                tenant_id=tenant_id,
                name="Dr. Ana",
                working_hours=working_hours or weekdays(("09:00", "13:00"), ("14:00", "18:00")),
                breaks=breaks or WeeklySchedule(),
                treatment_ids=[CLEANING],
                user_id=DENTIST_USER_ID if tenant_id == TENANT else None,
            )
        )
    people = [
        (tenant_id, default_user_id(role), role) for tenant_id in (TENANT, OTHER_TENANT) for role in Role
    ]
    for tenant_id, user_id, role in [*people, (TENANT, OTHER_PATIENT_ID, Role.PATIENT)]:
        email = f"{user_id}@{tenant_id}.example"
        world.users.put_user(User(id=user_id, tenant_id=tenant_id, email=email, role=role))
        world.directory.add(f"{tenant_id}:{user_id}", tenant_id, email, role)
    return world
