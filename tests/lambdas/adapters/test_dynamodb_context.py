"""The context read: whatever a request names, in one strongly consistent BatchGetItem."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from booking.adapters.dynamodb_bookings import DynamoBookingRepository
from booking.adapters.dynamodb_catalog import DynamoCatalogRepository
from booking.adapters.dynamodb_context import DynamoContextReader
from booking.adapters.dynamodb_table import DynamoTable
from booking.adapters.dynamodb_users import DynamoUserRepository
from booking.domain.models import Closure, Closures, Tenant, Treatment, User
from booking.domain.ports import Context, ContextRequest
from booking.domain.roles import Role

from tests.aws import TABLE_NAME
from tests.lambdas.adapters.conftest import book, idempotency_for, make_booking
from tests.lambdas.adapters.test_dynamodb_catalog import a_professional

NINE = datetime(2030, 3, 5, 9, 0, tzinfo=UTC)
PATIENT = User(id="patient-1", tenant_id="t1", email="pat@example.com", name="Pat", role=Role.PATIENT)
CLOSED = Closure(id="c1", start=NINE, end=NINE + timedelta(days=1), reason="holiday")


def requests_of(table: DynamoTable) -> list[dict[str, Any]]:
    requests: list[dict[str, Any]] = []
    table.client.meta.events.register(
        "provide-client-params.dynamodb", lambda params, model, **_: requests.append({model.name: params})
    )
    return requests


def test_everything_a_booking_needs_is_one_consistent_batched_read(
    table: DynamoTable, catalog: DynamoCatalogRepository, bookings: DynamoBookingRepository
) -> None:
    tenant = Tenant(id="t1", name="Clinic")
    treatment = Treatment(id="trt-1", tenant_id="t1", name="Cleaning", duration_minutes=30)
    catalog.put_tenant(tenant)
    catalog.put_professional(a_professional())
    catalog.put_treatment(treatment)
    catalog.put_closures(Closures(tenant_id="t1"), Closures(tenant_id="t1", items=[CLOSED]))
    DynamoUserRepository(table).put_user(PATIENT)
    booking = book(bookings, make_booking("b1", NINE))
    requests = requests_of(table)

    context = DynamoContextReader(table).read(
        ContextRequest(
            "t1",
            caller_id="patient-1",
            professional_id="pro-1",
            treatment_id="trt-1",
            booking_id="b1",
            idempotency_key="key-b1",
            closures=True,
        )
    )

    assert context == Context(
        tenant=tenant,
        caller=PATIENT,
        professional=a_professional(),
        treatment=treatment,
        booking=booking,
        idempotency=idempotency_for(booking),
        closures=(CLOSED,),
    )
    assert len(requests) == 1
    (request,) = requests[0]["BatchGetItem"]["RequestItems"].values()
    assert request["ConsistentRead"] is True


def test_what_is_missing_is_none_and_another_tenants_items_are_never_read(
    table: DynamoTable, catalog: DynamoCatalogRepository
) -> None:
    catalog.put_professional(a_professional())
    DynamoUserRepository(table).put_user(PATIENT)
    reader = DynamoContextReader(table)

    assert reader.read(ContextRequest("t1", professional_id="pro-1", treatment_id="nope")) == Context(
        professional=a_professional()
    )
    assert reader.read(ContextRequest("t2", caller_id="patient-1", professional_id="pro-1")) == Context()


def test_the_same_item_named_twice_is_asked_for_once(table: DynamoTable) -> None:
    DynamoUserRepository(table).put_user(PATIENT)
    requests = requests_of(table)

    context = DynamoContextReader(table).read(
        ContextRequest("t1", caller_id="patient-1", patient_id="patient-1")
    )

    assert context.caller == context.patient == PATIENT
    (request,) = requests[0]["BatchGetItem"]["RequestItems"].values()
    assert len(request["Keys"]) == 2  # the tenant's profile and the user, once


def test_unprocessed_keys_of_the_batched_read_are_retried(
    table: DynamoTable, catalog: DynamoCatalogRepository, monkeypatch: pytest.MonkeyPatch
) -> None:
    catalog.put_tenant(Tenant(id="t1", name="Clinic"))
    catalog.put_professional(a_professional())
    real = table.client.batch_get_item
    calls: list[int] = []

    def throttled_once(**request: Any) -> Any:
        calls.append(1)
        if len(calls) == 1:
            keys = request["RequestItems"][TABLE_NAME]["Keys"]
            return {"Responses": {}, "UnprocessedKeys": {TABLE_NAME: {"Keys": keys, "ConsistentRead": True}}}
        return real(**request)

    monkeypatch.setattr(table.client, "batch_get_item", throttled_once)
    monkeypatch.setattr("booking.adapters.dynamodb_context.BATCH_BACKOFF_SECONDS", 0)

    context = DynamoContextReader(table).read(ContextRequest("t1", professional_id="pro-1", treatment_id="x"))

    assert len(calls) == 2
    assert context.tenant is not None
    assert context.professional == a_professional()
    assert context.treatment is None
