"""Every route x every role x a foreign tenant, driven by the route table itself: each
role is answered exactly as the permission table says, at the handler."""

from __future__ import annotations

import importlib
from collections.abc import Callable
from datetime import datetime
from typing import Any

import pytest
from booking.domain.access import PERMISSIONS
from booking.domain.roles import Role
from booking.routes import ROUTES, routes_for
from booking.routing import Route
from booking.settings import FUNCTIONS

from tests.factories import OTHER_PATIENT_ID, OTHER_TENANT, PATIENT_ID, TENANT
from tests.lambdas.handlers.conftest import CARNIVAL, HANDLER_MODULES

BOOKING = "2026-03-03T10:00:00+01:00"


def _with_patient(role: Role, body: dict[str, Any]) -> dict[str, Any]:
    return body if role is Role.PATIENT else {**body, "patientId": PATIENT_ID}


# What a well-formed request of each operation looks like; the booking id is filled in.
REQUESTS: dict[str, Callable[[Role, str], dict[str, Any]]] = {
    "getHealth": lambda role, booking: {},
    "getTenant": lambda role, booking: {},
    "updateTenant": lambda role, booking: {"body": {"name": "Sonrisas", "policy": {"slotStepMinutes": 30}}},
    "listProfessionals": lambda role, booking: {},
    "getProfessional": lambda role, booking: {"path_parameters": {"id": "pro1"}},
    "createProfessional": lambda role, booking: {"body": {"name": "Dr. Bo", "treatmentIds": ["cleaning"]}},
    "updateProfessional": lambda role, booking: {
        "path_parameters": {"id": "pro1"},
        "body": {"name": "Dr. Ana M."},
    },
    "deleteProfessional": lambda role, booking: {"path_parameters": {"id": "only-a"}},
    "listTreatments": lambda role, booking: {},
    "getTreatment": lambda role, booking: {"path_parameters": {"id": "cleaning"}},
    "createTreatment": lambda role, booking: {"body": {"name": "Whitening", "durationMinutes": 60}},
    "updateTreatment": lambda role, booking: {
        "path_parameters": {"id": "cleaning"},
        "body": {"name": "Deep clean"},
    },
    "deleteTreatment": lambda role, booking: {"path_parameters": {"id": "unused"}},
    "getAvailability": lambda role, booking: {
        "query": {
            "professionalId": "pro1",
            "treatmentId": "cleaning",
            "from": "2026-03-03",
            "to": "2026-03-04",
        }
    },
    "createBooking": lambda role, booking: {
        "body": _with_patient(
            role, {"professionalId": "pro1", "treatmentId": "cleaning", "start": "2026-03-03T11:00:00+01:00"}
        ),
        "headers": {"idempotency-key": "matrix"},
    },
    "listBookings": lambda role, booking: {"query": {"limit": "10"}},
    "getBooking": lambda role, booking: {"path_parameters": {"id": booking}},
    "rescheduleBooking": lambda role, booking: {
        "path_parameters": {"id": booking},
        "body": {"start": "2026-03-03T12:00:00+01:00"},
    },
    "changeBookingStatus": lambda role, booking: {
        "path_parameters": {"id": booking},
        "body": {"status": "completed"},
    },
    "cancelBooking": lambda role, booking: {"path_parameters": {"id": booking}, "body": {"reason": "flu"}},
    "createUser": lambda role, booking: {"body": {"email": "new@example.com", "role": "Patient"}},
    "listUsers": lambda role, booking: {},
    "getUser": lambda role, booking: {"path_parameters": {"id": OTHER_PATIENT_ID}},
    "updateUser": lambda role, booking: {
        "path_parameters": {"id": OTHER_PATIENT_ID},
        "body": {"name": "Pat Two", "phone": "+593 99 123 4567"},
    },
    "disableUser": lambda role, booking: {"path_parameters": {"id": OTHER_PATIENT_ID}},
    "enableUser": lambda role, booking: {"path_parameters": {"id": OTHER_PATIENT_ID}},
    "getProfile": lambda role, booking: {},
    "updateProfile": lambda role, booking: {"body": {"phone": "+593 99 765 4321"}},
    "setTimeOff": lambda role, booking: {
        "path_parameters": {"id": "pro1"},
        "body": {"timeOff": [{"start": "2026-03-10T09:00:00+01:00", "end": "2026-03-10T13:00:00+01:00"}]},
    },
    "listClosures": lambda role, booking: {},
    "createClosure": lambda role, booking: {
        "body": {"start": "2026-03-20T00:00:00+01:00", "end": "2026-03-21T00:00:00+01:00", "reason": "Fiesta"}
    },
    "deleteClosure": lambda role, booking: {"path_parameters": {"id": CARNIVAL.id}},
}
# Operations whose success needs time to pass first (closing a booking that has begun).
AFTER_THE_APPOINTMENT = {"changeBookingStatus"}


def route_id(route: Route) -> str:
    return route.route_key


def test_every_route_has_a_request_in_this_matrix_and_nothing_else_does():
    assert {route.operation_id for route in ROUTES} == set(REQUESTS)


def test_every_route_has_a_handler_operation_and_every_operation_a_route():
    for function, spec in FUNCTIONS.items():
        if not spec.behind_api:
            continue
        module = importlib.import_module(HANDLER_MODULES[function])
        assert spec.handler == f"{HANDLER_MODULES[function]}.handler"
        assert callable(module.handler)
        assert set(module.function.operations) == {route.operation_id for route in routes_for(function)}
    assert set(HANDLER_MODULES) == {name for name, spec in FUNCTIONS.items() if spec.behind_api}


def _call(api, world, route: Route, role: Role, booking_id: str, **overrides):
    if route.operation_id in AFTER_THE_APPOINTMENT:
        world.clock.current = datetime.fromisoformat("2026-03-03T10:45:00+01:00")
    return api.call(
        route.method,
        route.path,
        role=None if route.public else role,
        **REQUESTS[route.operation_id](role, booking_id),
        **overrides,
    )


@pytest.mark.parametrize("role", list(Role))
@pytest.mark.parametrize("route", ROUTES, ids=route_id)
def test_each_role_gets_the_route_exactly_when_the_table_allows_it(
    api, world, existing_booking_id, route, role
):
    answer = _call(api, world, route, role, existing_booking_id)
    assert answer.headers["x-request-id"].startswith("req-")
    if route.action is None or role in PERMISSIONS[route.action]:
        assert answer.status == route.success_status, answer.body
    else:
        assert (answer.status, answer.code) == (403, "ROLE_NOT_ALLOWED")
        assert answer.body["error"]["requestId"] == answer.headers["x-request-id"]


@pytest.mark.parametrize("route", [route for route in ROUTES if not route.public], ids=route_id)
def test_an_explicit_tenant_id_of_another_tenant_is_forbidden_on_every_route(
    api, world, existing_booking_id, route
):
    answer = api.call(
        route.method,
        route.path,
        role=Role.OWNER,
        tenant=OTHER_TENANT,
        **{**REQUESTS[route.operation_id](Role.OWNER, existing_booking_id), "query": {"tenantId": TENANT}},
    )
    assert (answer.status, answer.code) == (403, "TENANT_MISMATCH")


def test_an_explicit_tenant_id_equal_to_the_callers_is_accepted(api):
    answer = api.call(
        "POST", "/treatments", body={"name": "Whitening", "durationMinutes": 60, "tenantId": TENANT}
    )
    assert answer.status == 201
    assert answer.body["tenantId"] == TENANT


def test_a_tenant_header_of_another_tenant_is_forbidden(api):
    answer = api.call("GET", "/tenant", headers={"x-tenant-id": OTHER_TENANT})
    assert (answer.status, answer.code) == (403, "TENANT_MISMATCH")


FOREIGN_RESOURCES = [
    ("GET", "/professionals/{id}", "only-a", None),
    ("PATCH", "/professionals/{id}", "only-a", {"name": "x"}),
    ("DELETE", "/professionals/{id}", "only-a", None),
    ("GET", "/treatments/{id}", "unused", None),
    ("PATCH", "/treatments/{id}", "unused", {"name": "x"}),
    ("DELETE", "/treatments/{id}", "unused", None),
    ("GET", "/bookings/{id}", "BOOKING", None),
    ("PUT", "/bookings/{id}", "BOOKING", {"start": "2026-03-03T12:00:00+01:00"}),
    ("PATCH", "/bookings/{id}", "BOOKING", {"status": "completed"}),
    ("DELETE", "/bookings/{id}", "BOOKING", {}),
    ("PUT", "/professionals/{id}/time-off", "only-a", {"timeOff": []}),
    ("DELETE", "/closures/{id}", CARNIVAL.id, None),
    ("GET", "/users/{id}", OTHER_PATIENT_ID, None),
    ("PATCH", "/users/{id}", OTHER_PATIENT_ID, {"name": "x"}),
    ("POST", "/users/{id}/disable", OTHER_PATIENT_ID, None),
    ("POST", "/users/{id}/enable", OTHER_PATIENT_ID, None),
]


@pytest.mark.parametrize(("method", "path", "resource", "body"), FOREIGN_RESOURCES)
def test_another_tenants_resources_are_not_found(
    api, world, existing_booking_id, method, path, resource, body
):
    identifier = existing_booking_id if resource == "BOOKING" else resource
    answer = api.call(
        method, path, role=Role.OWNER, tenant=OTHER_TENANT, path_parameters={"id": identifier}, body=body
    )
    assert answer.status == 404, answer.body
    assert world.bookings.get(TENANT, existing_booking_id).status == "confirmed"
    assert world.catalog.get_professional(TENANT, "only-a") is not None


def test_another_tenants_lists_do_not_include_this_tenants_data(api):
    bookings = api.call("GET", "/bookings", role=Role.OWNER, tenant=OTHER_TENANT)
    users = api.call("GET", "/users", role=Role.OWNER, tenant=OTHER_TENANT)

    assert (bookings.status, bookings.body["items"]) == (200, [])
    assert users.status == 200
    assert {user["tenantId"] for user in users.body["items"]} == {OTHER_TENANT}
