"""DynamoDB requests per API operation, counted with a botocore event hook.

Every request the adapters send passes ``before-call.dynamodb.<Operation>`` on their
client; the hook records it. The operations run through the domain services wired to
the real DynamoDB adapters (what each handler does after parsing), against moto's
in-process emulator with a clinic of 200 existing bookings over 31 days.

Targets (issue 2): create = one transaction plus at most two reads; availability = at
most three requests for any range; list = one query per page.

    python -m benchmarks.dynamodb_requests
"""

from __future__ import annotations

import os
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from functools import partial
from itertools import count
from typing import Any
from zoneinfo import ZoneInfo

import boto3
from booking.adapters import dynamodb_items as items
from booking.adapters.dynamodb_bookings import DynamoBookingRepository
from booking.adapters.dynamodb_catalog import DynamoCatalogRepository
from booking.adapters.dynamodb_table import DynamoTable
from booking.adapters.dynamodb_users import DynamoUserRepository
from booking.domain.availability import AvailabilityService
from booking.domain.bookings import BookingService
from booking.domain.catalogs import CatalogService
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
from booking.domain.principal import Principal
from booking.domain.roles import Role
from booking.domain.users import UserService
from booking.schemas import BookingCreate, BookingListQuery, BookingReschedule, UserListQuery
from moto import mock_aws

from tests.aws import create_table

TENANT = "bench"
PRO = "pro-1"
TREATMENT = "cleaning"
ZONE = ZoneInfo("America/New_York")
NOW = datetime(2026, 3, 2, 12, 0, tzinfo=UTC)  # Monday; the 31 days span the DST change of 8 March
FIRST_DAY = date(2026, 3, 3)
EXISTING_BOOKINGS = 200


class FixedClock:
    def now(self) -> datetime:
        return NOW


class Ids:
    def __init__(self) -> None:
        self._numbers = count(1)

    def new_id(self) -> str:
        return f"b{next(self._numbers):06d}"


class RequestCounter:
    """Records the DynamoDB requests a client sends while ``measuring``: the operation
    name, with the index for a query on a GSI (``Query(gsi2)``)."""

    def __init__(self, client: Any) -> None:
        self.calls: list[str] = []
        self._on = False
        client.meta.events.register("provide-client-params.dynamodb", self._record)

    def _record(self, params: dict[str, Any], model: Any, **_: Any) -> None:
        if self._on:
            index = params.get("IndexName")
            self.calls.append(f"{model.name}({index})" if index else model.name)

    @contextmanager
    def measuring(self) -> Iterator[list[str]]:
        self.calls = []
        self._on = True
        try:
            yield self.calls
        finally:
            self._on = False


@dataclass(frozen=True)
class Result:
    operation: str
    calls: list[str]
    target: str
    met: bool

    @property
    def breakdown(self) -> str:
        return ", ".join(f"{name} x{number}" for name, number in Counter(self.calls).items())


def seed(table: DynamoTable, catalog: DynamoCatalogRepository, users: DynamoUserRepository) -> None:
    hours = [TimeRange(start=time(8), end=time(18))]
    catalog.put_tenant(
        Tenant(
            id=TENANT,
            name="Bench clinic",
            time_zone=ZONE.key,
            policy=TenantPolicy(slot_step_minutes=15, change_window_hours=0),
        )
    )
    catalog.put_treatment(
        Treatment(
            id=TREATMENT,
            tenant_id=TENANT,
            name="Cleaning",
            duration_minutes=30,
            buffer_before_minutes=5,
            buffer_after_minutes=10,
        )
    )
    catalog.put_professional(
        Professional(
            id=PRO,
            tenant_id=TENANT,
            name="Dr. Bench",
            working_hours=WeeklySchedule(
                **dict.fromkeys(("monday", "tuesday", "wednesday", "thursday"), hours)
            ),
            treatment_ids=[TREATMENT],
            user_id="dentist",
        )
    )
    for user_id, role in (("patient", Role.PATIENT), ("dentist", Role.DENTIST), ("owner", Role.OWNER)):
        users.put_user(User(id=user_id, tenant_id=TENANT, email=f"{user_id}@example.com", role=role))
    # 200 bookings, 45 minutes apart from 08:05 on every working day (7 per day). Written
    # with BatchWriteItem (not counted): moto copies the whole table for every
    # transaction, which would make seeding quadratic.
    seeded: list[Any] = []
    day, slot = FIRST_DAY, 0
    for number in range(EXISTING_BOOKINGS):
        while day.weekday() > 3:
            day += timedelta(days=1)
        start = datetime.combine(day, time(8), tzinfo=ZONE) + timedelta(minutes=45 * slot + 5)
        booking = Booking(
            id=f"seed{number:03d}",
            tenant_id=TENANT,
            professional_id=PRO,
            treatment_id=TREATMENT,
            patient_id="patient",
            start=start,
            end=start + timedelta(minutes=30),
            blocked_start=start - timedelta(minutes=5),
            blocked_end=start + timedelta(minutes=40),
            created_by="patient",
            created_at=NOW,
            updated_at=NOW,
        )
        seeded.append(items.booking_item(booking))
        seeded += [
            items.lock_item(cell, booking.id)
            for cell in cells_for(TENANT, PRO, booking.blocked_start, booking.blocked_end)
        ]
        slot += 1
        if slot == 7:
            day, slot = day + timedelta(days=1), 0
    for chunk in range(0, len(seeded), 25):
        requests: list[Any] = [{"PutRequest": {"Item": item}} for item in seeded[chunk : chunk + 25]]
        table.client.batch_write_item(RequestItems={table.name: requests})


def run() -> list[Result]:
    client = boto3.client("dynamodb")
    table = DynamoTable(create_table(client, "bench"), client=client)
    catalog = DynamoCatalogRepository(table)
    bookings = DynamoBookingRepository(table, now=FixedClock().now)
    users = DynamoUserRepository(table)
    seed(table, catalog, users)
    counter = RequestCounter(client)
    booking_service = BookingService(catalog, bookings, users, FixedClock(), Ids())
    availability = AvailabilityService(catalog, bookings, FixedClock())
    catalogs = CatalogService(catalog, bookings, FixedClock(), Ids())
    user_service = UserService(directory=None, users=users, clock=FixedClock())  # type: ignore[arg-type]

    patient = Principal("patient", TENANT, Role.PATIENT)
    owner = Principal("owner", TENANT, Role.OWNER)
    reception = Principal("reception", TENANT, Role.RECEPTION)
    dentist = Principal("dentist", TENANT, Role.DENTIST)
    # Monday 2 March is free: nothing was seeded on it after the clock's noon.
    free_start = datetime(2026, 3, 2, 15, 0, tzinfo=ZONE)
    results: list[Result] = []

    def measure(
        operation: str, target: str, check: Callable[[list[str]], bool], action: Callable[[], Any]
    ) -> Any:
        with counter.measuring() as calls:
            value = action()
        results.append(Result(operation, list(calls), target, check(calls)))
        return value

    def create_target(calls: list[str]) -> bool:
        return calls.count("TransactWriteItems") == 1 and len(calls) - 1 <= 2

    request = BookingCreate(professional_id=PRO, treatment_id=TREATMENT, start=free_start)
    created = measure(
        "POST /bookings (patient)",
        "1 transaction + <= 2 reads",
        create_target,
        lambda: booking_service.create(patient, request, "bench-key-1"),
    ).booking
    measure(
        "POST /bookings (reception, for a patient)",
        "1 transaction + <= 2 reads",
        create_target,
        lambda: booking_service.create(
            reception,
            BookingCreate(
                professional_id=PRO,
                treatment_id=TREATMENT,
                start=free_start + timedelta(hours=1),
                patient_id="patient",
            ),
            "bench-key-2",
        ),
    )
    measure(
        "POST /bookings (replay of the same key)",
        "(informative)",
        lambda calls: True,
        lambda: booking_service.create(patient, request, "bench-key-1"),
    )
    measure(
        "GET /bookings/{id}",
        "1 read",
        lambda calls: calls == ["GetItem"],
        lambda: booking_service.get(patient, created.id),
    )

    def list_all(principal: Principal, query: BookingListQuery) -> int:
        pages, cursor = 0, None
        while True:
            page = booking_service.list_bookings(principal, query.model_copy(update={"cursor": cursor}))
            pages += 1
            cursor = page.next_cursor
            if cursor is None:
                return pages

    for label, principal, query in (
        ("GET /bookings (owner, all 202, 50 a page)", owner, BookingListQuery(limit=50)),
        ("GET /bookings (patient, own 202, 50 a page)", patient, BookingListQuery(limit=50)),
        ("GET /bookings (dentist, own calendar, 100 a page)", dentist, BookingListQuery(limit=100)),
    ):
        with counter.measuring() as calls:
            pages = list_all(principal, query)
        booking_queries = sum(call.startswith("Query(gsi") for call in calls)
        results.append(
            Result(
                f"{label}: {pages} pages", list(calls), "1 bookings query per page", booking_queries == pages
            )
        )

    measure(
        "PUT /bookings/{id} (reschedule, overlapping itself)",
        "1 transaction + reads",
        lambda calls: calls.count("TransactWriteItems") == 1,
        lambda: booking_service.reschedule(
            patient, created.id, BookingReschedule(start=free_start + timedelta(minutes=15))
        ),
    )
    measure(
        "DELETE /bookings/{id} (cancel)",
        "1 transaction + reads",
        lambda calls: calls.count("TransactWriteItems") == 1,
        lambda: booking_service.cancel(patient, created.id, "bench"),
    )
    for days in (1, 7, 31):
        measure(
            f"GET /availability ({days} day{'s' if days > 1 else ''}, 200 bookings)",
            "<= 3 requests",
            lambda calls: len(calls) <= 3,
            partial(
                availability.slots, patient, PRO, TREATMENT, FIRST_DAY, FIRST_DAY + timedelta(days=days - 1)
            ),
        )
    measure(
        "GET /professionals",
        "1 query",
        lambda calls: calls == ["Query"],
        lambda: catalogs.list_professionals(patient),
    )
    measure(
        "GET /users (one page)",
        "1 query per page",
        lambda calls: calls == ["Query"],
        lambda: user_service.list_users(owner, UserListQuery()),
    )
    return results


def main() -> int:
    for name, value in {
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
        "AWS_DEFAULT_REGION": "us-east-1",
    }.items():
        os.environ.setdefault(name, value)
    os.environ.pop("AWS_ENDPOINT_URL", None)
    with mock_aws():
        results = run()
    width = max(len(result.operation) for result in results)
    print(f"{'operation':<{width}}  requests  {'target':<27} met  breakdown")
    for result in results:
        mark = "yes" if result.met else "NO"
        requests = len(result.calls)
        print(f"{result.operation:<{width}}  {requests:>8}  {result.target:<27} {mark:<4} {result.breakdown}")
    missed = [result.operation for result in results if not result.met]
    print(f"\n{len(results) - len(missed)}/{len(results)} operations meet their target")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
