"""The clinic ``benchmarks.dynamodb_requests`` measures against: one professional, one
treatment, a user per role and 200 existing bookings over about a month, and a web
address through which patients sign themselves up, written straight to the table (not
counted)."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from booking.adapters import dynamodb_directory_items as directory
from booking.adapters import dynamodb_items as items
from booking.domain.cells import cells_for
from booking.domain.models import (
    Booking,
    Professional,
    Tenant,
    TenantPolicy,
    TimeRange,
    Treatment,
    User,
    WeeklySchedule,
)
from booking.domain.roles import Role

TENANT = "bench"
WEB_ADDRESS = "bench-clinic"  # patients sign themselves up through it
PRO = "pro-1"
TREATMENT = "cleaning"
ZONE = ZoneInfo("America/New_York")
# The handlers run on the real clock: the clinic's month starts on the first Monday at
# least two days ahead (beyond the minimum notice, within the booking horizon).
FIRST_DAY = date.today() + timedelta(days=2)
FIRST_DAY += timedelta(days=-FIRST_DAY.weekday() % 7)
EXISTING_BOOKINGS = 200
SUBS = {
    Role.PATIENT: "patient",
    Role.DENTIST: "dentist",
    Role.OWNER: "owner",
    Role.ADMIN: "admin",
    Role.RECEPTION: "reception",
}
PHONE = "+593 99 123 4567"


def email_of(role: Role) -> str:
    return f"{SUBS[role]}@example.com"


def seed(client: Any, table_name: str) -> None:
    """The clinic, written straight to the table (not counted)."""
    hours = [TimeRange(start=time(8), end=time(18))]
    weekdays = ("monday", "tuesday", "wednesday", "thursday", "friday")
    tenant = Tenant(
        id=TENANT,
        name="Bench clinic",
        time_zone=ZONE.key,
        policy=TenantPolicy(change_window_hours=0),
        sign_up_enabled=True,
        web_address=WEB_ADDRESS,
    )
    entities: list[Any] = [
        items.tenant_item(tenant),
        directory.web_address_item(tenant),
        items.treatment_item(
            Treatment(
                id=TREATMENT,
                tenant_id=TENANT,
                name="Cleaning",
                duration_minutes=30,
                buffer_before_minutes=5,
                buffer_after_minutes=10,
            )
        ),
        items.professional_item(
            Professional(
                id=PRO,
                tenant_id=TENANT,
                name="Dr. Bench",
                working_hours=WeeklySchedule(**dict.fromkeys(weekdays, hours)),
                treatment_ids=[TREATMENT],
                user_id=SUBS[Role.DENTIST],
            )
        ),
    ]
    for role, sub in SUBS.items():
        user = User(
            id=sub, tenant_id=TENANT, email=email_of(role), name=f"{role} Bench", phone=PHONE, role=role
        )
        entities += [items.user_item(user), *directory.user_index_items(user)]
    # 200 bookings, 45 minutes apart from 08:15 on every working day (6 a day, 34 days),
    # leaving 13:00-18:00 of each day free for the operations below.
    now = datetime.now(UTC)
    day, slot = FIRST_DAY, 0
    for number in range(EXISTING_BOOKINGS):
        while day.weekday() > 4:
            day += timedelta(days=1)
        start = datetime.combine(day, time(8, 15), tzinfo=ZONE) + timedelta(minutes=45 * slot)
        booking = Booking(
            id=f"seed{number:03d}",
            tenant_id=TENANT,
            professional_id=PRO,
            treatment_id=TREATMENT,
            patient_id=SUBS[Role.PATIENT],
            start=start,
            end=start + timedelta(minutes=30),
            blocked_start=start - timedelta(minutes=5),
            blocked_end=start + timedelta(minutes=40),
            created_by=SUBS[Role.PATIENT],
            created_at=now,
            updated_at=now,
        )
        entities.append(items.booking_item(booking))
        entities += [
            items.lock_item(cell, booking.id)
            for cell in cells_for(TENANT, PRO, booking.blocked_start, booking.blocked_end)
        ]
        slot += 1
        if slot == 6:
            day, slot = day + timedelta(days=1), 0
    # BatchWriteItem, not the repository: moto copies the whole table for every
    # transaction, which would make seeding quadratic.
    for chunk in range(0, len(entities), 25):
        batch = [{"PutRequest": {"Item": item}} for item in entities[chunk : chunk + 25]]
        client.batch_write_item(RequestItems={table_name: batch})
