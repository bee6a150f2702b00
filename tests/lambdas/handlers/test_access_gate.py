"""The access gate on every route: a valid token of a disabled user or clinic, or of a
role since changed, is refused before anything is done, and the gate costs one read."""

from __future__ import annotations

import pytest
from booking.domain.access import PERMISSIONS
from booking.domain.models import AccountStatus
from booking.domain.roles import Role
from booking.routes import ROUTES
from booking.routing import Route

from tests.factories import TENANT, default_user_id
from tests.lambdas.handlers.test_route_matrix import REQUESTS, route_id

PROTECTED = [route for route in ROUTES if not route.public]
# Context reads of a successful request: the gate's, folded into the operation's own
# where it reads one; a reschedule reads the booking, then its new time's context.
READS = {"rescheduleBooking": 2}


def allowed_role(route: Route) -> Role:
    assert route.action is not None
    return next(role for role in (Role.OWNER, Role.DENTIST) if role in PERMISSIONS[route.action])


def snapshot(world) -> tuple:
    return (
        dict(world.bookings.bookings),
        dict(world.catalog.professionals),
        dict(world.catalog.closures),
        {key: user for key, user in world.users.users.items() if key[1] != default_user_id(Role.OWNER)},
    )


def call(api, route: Route, role: Role, booking_id: str):
    return api.call(route.method, route.path, role=role, **REQUESTS[route.operation_id](role, booking_id))


@pytest.mark.parametrize("route", PROTECTED, ids=route_id)
def test_a_disabled_users_unexpired_token_is_refused_on_every_route(api, world, existing_booking_id, route):
    role = allowed_role(route)
    key = (TENANT, default_user_id(role))
    world.users.users[key] = world.users.users[key].model_copy(update={"status": AccountStatus.DISABLED})
    before = snapshot(world)

    answer = call(api, route, role, existing_booking_id)

    assert (answer.status, answer.code) == (403, "USER_DISABLED")
    assert snapshot(world) == before


@pytest.mark.parametrize("route", PROTECTED, ids=route_id)
def test_every_user_of_a_disabled_clinic_is_refused_on_every_route(api, world, existing_booking_id, route):
    tenant = world.catalog.tenants[TENANT]
    world.catalog.tenants[TENANT] = tenant.model_copy(update={"status": AccountStatus.DISABLED})
    before = snapshot(world)

    answer = call(api, route, allowed_role(route), existing_booking_id)

    assert (answer.status, answer.code) == (403, "TENANT_DISABLED")
    assert snapshot(world) == before


@pytest.mark.parametrize("route", PROTECTED, ids=route_id)
def test_a_token_whose_role_has_changed_is_refused(api, world, existing_booking_id, route):
    role = allowed_role(route)
    key = (TENANT, default_user_id(role))
    world.users.users[key] = world.users.users[key].model_copy(update={"role": Role.PATIENT})

    answer = call(api, route, role, existing_booking_id)

    assert (answer.status, answer.code) == (403, "ROLE_CHANGED")


@pytest.mark.parametrize("route", PROTECTED, ids=route_id)
def test_an_admitted_request_reads_the_gate_once(api, world, existing_booking_id, route):
    if route.operation_id == "changeBookingStatus":
        world.clock.current = world.bookings.get(TENANT, existing_booking_id).end
    world.context.reads = 0  # the world's own booking was read once already
    answer = call(api, route, allowed_role(route), existing_booking_id)

    assert answer.status == route.success_status, answer.body
    assert world.context.reads == READS.get(route.operation_id, 1)


def test_a_stranger_with_a_valid_token_but_no_record_in_the_tenant_is_refused(api):
    answer = api.call("GET", "/tenant", role=Role.OWNER, sub="someone-else")
    assert (answer.status, answer.code) == (403, "USER_DISABLED")
