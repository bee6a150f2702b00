"""No overbooking under contention, on moto's threaded server (thread safe, unlike
``mock_aws`` in-process): many requests race through the whole booking service for one
time, exactly one wins, the rest get SLOT_TAKEN, and the lock cells are consistent
afterwards."""

from __future__ import annotations

import threading
import uuid
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timedelta
from functools import partial
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from booking.adapters.dynamodb_bookings import DynamoBookingRepository
from booking.adapters.dynamodb_catalog import DynamoCatalogRepository
from booking.adapters.dynamodb_context import DynamoContextReader
from booking.adapters.dynamodb_table import DynamoTable
from booking.adapters.dynamodb_users import DynamoUserRepository
from booking.adapters.integrity import check_integrity
from booking.domain.bookings import BookingService
from booking.domain.commands import CreateBooking, RescheduleBooking
from booking.domain.errors import SlotTaken
from booking.domain.models import Booking, Professional, Tenant, TenantPolicy, Treatment, User
from booking.domain.roles import Role

from bookingctl.cli import main
from tests.aws import client_for, create_table, fake_credentials, running_moto_server
from tests.factories import CLEANING, NOW, PRO, TENANT, principal, weekdays
from tests.fakes import FixedClock, SequentialIds

MADRID = ZoneInfo("Europe/Madrid")
# Tuesday 3 March 2026, 10:00 in Madrid; the clock stands on Monday morning.
TUESDAY_TEN = datetime(2026, 3, 3, 10, 0, tzinfo=MADRID)


@pytest.fixture(scope="module")
def endpoint() -> Iterator[str]:
    with running_moto_server() as url:
        yield url


@pytest.fixture
def table(endpoint: str) -> DynamoTable:
    client = client_for("dynamodb", endpoint)
    # A table per test: nothing another test (or a reset of moto's state) did leaks in.
    return DynamoTable(create_table(client, f"race-{uuid.uuid4().hex[:8]}"), client=client)


@pytest.fixture
def service(table: DynamoTable) -> BookingService:
    catalog = DynamoCatalogRepository(table)
    catalog.put_tenant(
        Tenant(id=TENANT, name="Clinic", time_zone="Europe/Madrid", policy=TenantPolicy(slot_step_minutes=5))
    )
    catalog.put_treatment(Treatment(id=CLEANING, tenant_id=TENANT, name="Cleaning", duration_minutes=30))
    catalog.put_professional(
        Professional(
            id=PRO,
            tenant_id=TENANT,
            name="Dr. Ana",
            working_hours=weekdays(("09:00", "13:00"), ("14:00", "18:00")),
            treatment_ids=[CLEANING],
        )
    )
    users = DynamoUserRepository(table)
    # The callers' records: the access gate admits only users the tenant knows.
    for role, user_id in [(Role.RECEPTION, principal(Role.RECEPTION).user_id)] + [
        (Role.PATIENT, f"patient-{number:02d}") for number in range(50)
    ]:
        users.put_user(User(id=user_id, tenant_id=TENANT, email=f"{user_id}@example.com", role=role))
    return BookingService(
        catalog,
        DynamoBookingRepository(table, now=lambda: NOW),
        DynamoContextReader(table),
        FixedClock(NOW),
        SequentialIds("b"),
    )


def race(attempts: Sequence[Callable[[], Any]]) -> Counter[str]:
    """Run every attempt at once (a barrier releases them together); count outcomes.
    Anything but success or SlotTaken fails the test."""
    barrier = threading.Barrier(len(attempts))

    def attempt(action: Callable[[], Any]) -> str:
        barrier.wait()
        try:
            action()
        except SlotTaken:
            return "slot taken"
        return "won"

    with ThreadPoolExecutor(max_workers=len(attempts)) as pool:
        return Counter(pool.map(attempt, attempts))


def create_as_patient(service: BookingService, number: int, start: datetime) -> Booking:
    patient = principal(Role.PATIENT, user_id=f"patient-{number:02d}")
    request = CreateBooking(professional_id=PRO, treatment_id=CLEANING, start=start)
    return service.create(patient, request, idempotency_key=f"key-{number:02d}").booking


def test_fifty_overlapping_bookings_of_one_professional_give_exactly_one_winner(
    service: BookingService, table: DynamoTable, endpoint: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Starts 0..25 minutes after ten, 30 minutes long: every pair shares 10:25-10:30.
    attempts = [
        partial(create_as_patient, service, number, TUESDAY_TEN + timedelta(minutes=5 * (number % 6)))
        for number in range(50)
    ]

    outcomes = race(attempts)

    assert outcomes == Counter({"won": 1, "slot taken": 49})
    report = check_integrity(table, now=NOW)
    assert report.ok, report.problems
    assert report.bookings_checked == 1
    assert report.locks_checked == 6
    # The operator's command says the same about the emulator's table.
    fake_credentials(monkeypatch)
    assert main(["integrity", "--table", table.name, "--endpoint-url", endpoint]) == 0


def test_twenty_concurrent_reschedules_into_one_free_slot_give_exactly_one_winner(
    service: BookingService, table: DynamoTable
) -> None:
    # Eight half hours each on Tuesday, Wednesday and Thursday mornings (9:00-13:00).
    starts = [
        TUESDAY_TEN.replace(hour=9) + timedelta(days=day, minutes=30 * slot)
        for day in range(3)
        for slot in range(8)
    ]
    originals = [create_as_patient(service, number, start) for number, start in enumerate(starts[:20])]
    free_slot = TUESDAY_TEN.replace(hour=15)
    reception = principal(Role.RECEPTION)

    outcomes = race(
        [
            partial(service.reschedule, reception, booking.id, RescheduleBooking(start=free_slot))
            for booking in originals
        ]
    )

    assert outcomes == Counter({"won": 1, "slot taken": 19})
    stored = [service.get(reception, booking.id) for booking in originals]
    assert sum(booking.start == free_slot for booking in stored) == 1
    assert sum(booking == original for booking, original in zip(stored, originals, strict=True)) == 19
    report = check_integrity(table, now=NOW)
    assert report.ok, report.problems
    assert report.bookings_checked == 20
    assert report.locks_checked == 20 * 6
