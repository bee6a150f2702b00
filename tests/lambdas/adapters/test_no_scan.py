"""No repository method ever issues a Scan (only the operator's integrity check may)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from booking.adapters.dynamodb_bookings import DynamoBookingRepository
from booking.adapters.dynamodb_catalog import DynamoCatalogRepository
from booking.adapters.dynamodb_context import DynamoContextReader
from booking.adapters.dynamodb_table import DynamoTable
from booking.adapters.dynamodb_users import DynamoUserRepository
from booking.domain.models import BookingStatus, Professional, Tenant, Treatment, User
from booking.domain.ports import BookingQuery, ContextRequest
from booking.domain.roles import Role
from booking.domain.user_search import UserSearchField

from tests.lambdas.adapters.conftest import book, cells_of, idempotency_for, make_booking

NINE = datetime(2030, 3, 5, 9, 0, tzinfo=UTC)


def test_every_repository_operation_uses_only_keyed_reads_queries_and_writes(
    table: DynamoTable, catalog: DynamoCatalogRepository, bookings: DynamoBookingRepository
) -> None:
    operations: list[str] = []
    table.client.meta.events.register(
        "before-call.dynamodb", lambda model, **_: operations.append(model.name)
    )
    users = DynamoUserRepository(table)

    catalog.create_tenant(Tenant(id="t1", name="Clinic", web_address="clinic"))
    catalog.put_tenant(
        Tenant(id="t1", name="Clinic"), previous=Tenant(id="t1", name="C", web_address="clinic")
    )
    catalog.get_tenant("t1")
    catalog.find_tenant_by_web_address("clinic")
    catalog.list_tenants()
    closures = catalog.get_closures("t1")
    catalog.put_closures(closures, closures)
    catalog.put_professional(Professional(id="p1", tenant_id="t1", name="Ana"))
    catalog.get_professional("t1", "p1")
    catalog.list_professionals("t1")
    catalog.delete_professional("t1", "p1")
    catalog.put_treatment(Treatment(id="x1", tenant_id="t1", name="Cleaning", duration_minutes=30))
    catalog.get_treatment("t1", "x1")
    catalog.list_treatments("t1")
    DynamoContextReader(table).read(
        ContextRequest("t1", caller_id="u1", professional_id="p1", treatment_id="x1", closures=True)
    )
    catalog.delete_treatment("t1", "x1")
    users.put_user(User(id="u1", tenant_id="t1", email="u1@example.com", role=Role.PATIENT))
    users.get_user("t1", "u1")
    users.list_users("t1", role=Role.PATIENT)
    users.search_users("t1", UserSearchField.NAME, "an", role=Role.PATIENT)
    users.active_owners("t1")
    user = users.get_user("t1", "u1")
    assert user is not None
    users.save_user(user, user.model_copy(update={"name": "Ana", "version": 2}))
    booking = book(bookings, make_booking("b1", NINE, 30))
    bookings.get("t1", "b1")
    bookings.get_idempotency("t1", booking.created_by, "key-b1")
    later = booking.model_copy(
        update={"start": NINE + timedelta(hours=1), "end": NINE + timedelta(hours=1, minutes=30)}
    )
    later = later.model_copy(update={"blocked_start": later.start, "blocked_end": later.end})
    bookings.reschedule(booking, later, cells_of(booking), cells_of(later), idempotency_for(later, "move"))
    current = bookings.get("t1", "b1")
    assert current is not None
    bookings.update(current, current.model_copy(update={"notes": "x"}))
    current = bookings.get("t1", "b1")
    assert current is not None
    bookings.release(current, current.model_copy(update={"status": BookingStatus.CANCELLED}), cells_of(later))
    bookings.list_live_for_professional("t1", "pro-1", NINE, NINE + timedelta(days=1))
    for query in (
        BookingQuery(tenant_id="t1"),
        BookingQuery(tenant_id="t1", professional_id="pro-1", start_from=NINE),
        BookingQuery(tenant_id="t1", patient_id="patient-1", statuses=frozenset({BookingStatus.CANCELLED})),
    ):
        bookings.query(query)

    used: set[Any] = set(operations)
    assert "Scan" not in used
    assert used == {"PutItem", "GetItem", "BatchGetItem", "Query", "DeleteItem", "TransactWriteItems"}
