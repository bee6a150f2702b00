"""The handlers on moto: the real DynamoDB and Cognito adapters behind every route.

A botocore ``before-call`` hook on the default session sees every DynamoDB request the
handlers' (lazily created) clients make: no handler may ever Scan the table.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import boto3
import pytest
from booking import bootstrap
from booking.adapters.dynamodb_bookings import DynamoBookingRepository
from booking.adapters.dynamodb_catalog import DynamoCatalogRepository
from booking.adapters.dynamodb_context import DynamoContextReader
from booking.adapters.dynamodb_table import DynamoTable
from booking.adapters.dynamodb_users import DynamoUserRepository
from booking.adapters.integrity import check_integrity
from booking.domain.bookings import BookingService
from booking.domain.commands import CreateBooking
from booking.domain.models import Closures, Professional, Treatment, User
from booking.domain.roles import Role
from booking.routes import ROUTES
from moto import mock_aws

from tests.aws import TABLE_NAME, create_table, create_user_pool, fake_credentials
from tests.factories import NOW, OTHER_PATIENT_ID, TENANT, clinic, principal, weekdays
from tests.lambdas.handlers.conftest import CARNIVAL, Answer, Api
from tests.lambdas.handlers.test_route_matrix import AFTER_THE_APPOINTMENT, REQUESTS


@dataclass
class DynamoCalls:
    operations: list[str] = field(default_factory=list)

    def __call__(self, model: Any, **_: Any) -> None:
        self.operations.append(model.name)


@dataclass
class MotoStack:
    pool_id: str
    calls: DynamoCalls


@pytest.fixture
def moto(monkeypatch: pytest.MonkeyPatch) -> Iterator[MotoStack]:
    fake_credentials(monkeypatch)
    with mock_aws():
        boto3.setup_default_session()  # a fresh session: clients and hooks of this test only
        create_table(boto3.client("dynamodb"))
        pool_id = create_user_pool(boto3.client("cognito-idp"))
        monkeypatch.setenv("TABLE_NAME", TABLE_NAME)
        monkeypatch.setenv("USER_POOL_ID", pool_id)
        calls = DynamoCalls()
        # Clients copy the session's hooks when created: the adapters create theirs later.
        boto3.DEFAULT_SESSION.events.register("before-call.dynamodb", calls)
        bootstrap.reset()
        yield MotoStack(pool_id, calls)
        bootstrap.reset()
    boto3.DEFAULT_SESSION = None


class RealApi(Api):
    def __init__(self) -> None:  # no fake world: the real adapters answer
        pass


def as_role(api: Api, role: Role, sub: str):
    def call(method: str, path: str, **kwargs: Any) -> Answer:
        return api.call(method, path, role=role, sub=sub, **kwargs)

    return call


def test_a_day_at_the_clinic_on_the_real_adapters_books_once_and_never_scans(moto):
    staff = DynamoUserRepository(DynamoTable(TABLE_NAME))
    for role, sub in (
        (Role.OWNER, "owner-sub"),
        (Role.RECEPTION, "reception-sub"),
        (Role.ADMIN, "admin-sub"),
    ):
        staff.put_user(User(id=sub, tenant_id=TENANT, email=f"{sub}@example.com", role=role))
    api = RealApi()
    owner = as_role(api, Role.OWNER, "owner-sub")
    reception = as_role(api, Role.RECEPTION, "reception-sub")
    treatment = owner(
        "POST", "/treatments", body={"name": "Cleaning", "durationMinutes": 30, "bufferAfterMinutes": 10}
    )
    assert treatment.status == 201, treatment.body
    every_day = {
        day: [{"start": "08:00", "end": "18:00"}]
        for day in ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
    }
    professional = owner(
        "POST",
        "/professionals",
        body={"name": "Dr. Ana", "treatmentIds": [treatment.body["id"]], "workingHours": every_day},
    )
    assert professional.status == 201, professional.body
    first = reception("POST", "/users", body={"email": "ana.patient@example.com", "role": "Patient"})
    second = reception("POST", "/users", body={"email": "bo.patient@example.com", "role": "Patient"})
    assert (first.status, second.status) == (201, 201), (first.body, second.body)
    cognito = boto3.client("cognito-idp")
    assert (
        cognito.admin_list_groups_for_user(UserPoolId=moto.pool_id, Username="ana.patient@example.com")[
            "Groups"
        ][0]["GroupName"]
        == "Patient"
    )
    patient = as_role(api, Role.PATIENT, first.body["id"])
    other_patient = as_role(api, Role.PATIENT, second.body["id"])

    zone = ZoneInfo("America/Guayaquil")  # the default time zone of a tenant
    day = datetime.now(zone).date() + timedelta(days=2)

    def at(hour: int, minute: int = 0) -> str:
        return datetime.combine(day, time(hour, minute), tzinfo=zone).isoformat()

    ids = {"professionalId": professional.body["id"], "treatmentId": treatment.body["id"]}
    window = {**ids, "from": day.isoformat(), "to": day.isoformat()}
    assert at(10) in [slot["start"] for slot in patient("GET", "/availability", query=window).body["slots"]]

    booked = patient("POST", "/bookings", body={**ids, "start": at(10)}, headers={"idempotency-key": "k1"})
    assert booked.status == 201, booked.body
    replay = patient("POST", "/bookings", body={**ids, "start": at(10)}, headers={"idempotency-key": "k1"})
    assert (replay.status, replay.body["id"]) == (201, booked.body["id"])
    reused = patient("POST", "/bookings", body={**ids, "start": at(11)}, headers={"idempotency-key": "k1"})
    assert (reused.status, reused.code) == (409, "IDEMPOTENCY_KEY_REUSED")
    clash = other_patient(
        "POST", "/bookings", body={**ids, "start": at(10, 15)}, headers={"idempotency-key": "k2"}
    )
    assert (clash.status, clash.code) == (409, "SLOT_TAKEN")

    offered = [slot["start"] for slot in patient("GET", "/availability", query=window).body["slots"]]
    assert at(9, 15) in offered  # ends 09:45 and its buffer 09:55, before 10:00
    assert not {at(9, 30), at(10), at(10, 30)} & set(offered)
    assert at(10, 45) in offered  # the booking blocks 10:00-10:40 (its buffer included)

    path = {"id": booked.body["id"]}
    moved = patient("PUT", "/bookings/{id}", path_parameters=path, body={"start": at(10, 15)})
    assert (moved.status, moved.body["start"]) == (200, at(10, 15))
    assert [item["id"] for item in patient("GET", "/bookings").body["items"]] == [booked.body["id"]]
    assert other_patient("GET", "/bookings").body["items"] == []
    assert other_patient("GET", "/bookings/{id}", path_parameters=path).status == 404
    cancelled = patient("DELETE", "/bookings/{id}", path_parameters=path, body={"reason": "feeling better"})
    assert (cancelled.status, cancelled.body["status"]) == (200, "cancelled")
    taken = other_patient(
        "POST", "/bookings", body={**ids, "start": at(10, 15)}, headers={"idempotency-key": "k3"}
    )
    assert taken.status == 201, taken.body
    listed = as_role(api, Role.ADMIN, "admin-sub")("GET", "/users", query={"role": "Patient"})
    assert {user["email"] for user in listed.body["items"]} == {
        "ana.patient@example.com",
        "bo.patient@example.com",
    }

    assert "TransactWriteItems" in moto.calls.operations
    assert "Scan" not in moto.calls.operations
    assert check_integrity(DynamoTable(TABLE_NAME), now=NOW).ok


def test_no_route_scans_the_table(moto):
    """Every route, with the factory clinic stored in DynamoDB and its fixed clock."""
    world = clinic()
    table = DynamoTable(TABLE_NAME)
    catalog, bookings, users = (
        DynamoCatalogRepository(table),
        DynamoBookingRepository(table, now=world.clock.now),
        DynamoUserRepository(table),
    )
    for tenant in world.catalog.tenants.values():
        catalog.put_tenant(tenant)
    for professional in world.catalog.professionals.values():
        catalog.put_professional(professional)
    for treatment in world.catalog.treatments.values():
        catalog.put_treatment(treatment)
    for user in world.users.users.values():
        users.put_user(user)

    catalog.put_treatment(Treatment(id="unused", tenant_id=TENANT, name="Unused", duration_minutes=30))
    catalog.put_professional(
        Professional(
            id="only-a", tenant_id=TENANT, name="Dr. Only", working_hours=weekdays(("09:00", "17:00"))
        )
    )
    catalog.put_closures(Closures(tenant_id=TENANT), Closures(tenant_id=TENANT, items=[CARNIVAL]))
    target = users.get_user(TENANT, OTHER_PATIENT_ID)
    assert target is not None
    boto3.client("cognito-idp").admin_create_user(
        UserPoolId=moto.pool_id, Username=target.email, MessageAction="SUPPRESS"
    )
    service = BookingService(catalog, bookings, DynamoContextReader(table), world.clock, world.ids)
    free_hours = iter([9, 14, 15, 16, 17])  # 11:00 and 12:00 are the matrix's own targets

    def fresh_booking() -> str:
        """Each booking route gets a confirmed booking of its own (one completes, one cancels)."""
        hour = next(free_hours)
        start = datetime.fromisoformat(f"2026-03-03T{hour:02d}:00:00+01:00")
        request = CreateBooking(professional_id="pro1", treatment_id="cleaning", start=start)
        return service.create(principal(Role.PATIENT), request, f"seed-{hour}").booking.id

    moto.calls.operations.clear()
    api = RealApi()
    # The user directory is the real one, built from USER_POOL_ID (the moto pool).
    with bootstrap.overridden(
        catalog=catalog, bookings=bookings, users=users, clock=world.clock, ids=world.ids
    ):
        for route in ROUTES:
            booking_id = (
                fresh_booking() if "{id}" in route.path and route.function == "bookings" else "unused"
            )
            if route.operation_id in AFTER_THE_APPOINTMENT:
                world.clock.current = bookings.get(TENANT, booking_id).end
            role = Role.OWNER if Role.OWNER in route.roles else Role.DENTIST
            answer = api.call(
                route.method,
                route.path,
                role=None if route.public else role,
                **REQUESTS[route.operation_id](role, booking_id),
            )
            world.clock.current = NOW
            assert answer.status == route.success_status, (route.route_key, answer.body)
    assert {"GetItem", "Query", "TransactWriteItems"} <= set(moto.calls.operations)
    assert "Scan" not in moto.calls.operations
