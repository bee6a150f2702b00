"""Handlers wired to the in-memory fakes of a small clinic."""

from __future__ import annotations

import importlib
import json
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import pytest
from booking import bootstrap
from booking.domain.commands import CreateBooking
from booking.domain.models import Closure, Closures, Professional, Treatment
from booking.domain.roles import Role
from booking.routes import find_route

from tests.factories import CLEANING, TENANT, Clinic, clinic, principal, weekdays
from tests.lambdas.events import LambdaContext, claims, http_event

HANDLER_MODULES = {
    name: f"booking.handlers.{name}" for name in ("catalogs", "availability", "bookings", "users")
}
EXISTING_BOOKING_START = "2026-03-03T10:00:00+01:00"
# A closure of the clinic the routes can read and delete.
CARNIVAL = Closure(
    id="carnival",
    start=datetime.fromisoformat("2026-03-16T00:00:00+01:00"),
    end=datetime.fromisoformat("2026-03-17T00:00:00+01:00"),
)


@dataclass
class Answer:
    status: int
    headers: dict[str, str]
    body: Any

    @property
    def code(self) -> str | None:
        return self.body.get("error", {}).get("code") if isinstance(self.body, dict) else None


def invoke(event: dict[str, Any], function: str) -> Answer:
    module = importlib.import_module(HANDLER_MODULES[function])
    response = module.handler(event, LambdaContext())
    headers = {key.lower(): value for key, value in (response.get("headers") or {}).items()}
    raw = response.get("body") or ""
    return Answer(response["statusCode"], headers, json.loads(raw) if raw else None)


class Api:
    """Call a route as a given role of a given tenant."""

    def __init__(self, world: Clinic) -> None:
        self.world = world

    def call(
        self,
        method: str,
        path: str,
        role: Role | str | list[str] | None = Role.OWNER,
        tenant: str | None = TENANT,
        sub: str | None = None,
        **kwargs: Any,
    ) -> Answer:
        route = find_route(method, path)
        token = None
        if role is not None:
            default_sub = principal(role).user_id if isinstance(role, Role) else "someone"
            token = claims(role, tenant, sub or default_sub, email="caller@example.com")
        return invoke(http_event(route, token_claims=token, **kwargs), route.function)


@pytest.fixture
def world() -> Iterator[Clinic]:
    """The factory clinic plus an unused treatment, a professional only this tenant has,
    a closure, and one booking of the patient with the linked dentist."""
    place = clinic()
    place.catalog.put_treatment(Treatment(id="unused", tenant_id=TENANT, name="Unused", duration_minutes=30))
    place.catalog.put_professional(
        Professional(
            id="only-a", tenant_id=TENANT, name="Dr. Only", working_hours=weekdays(("09:00", "17:00"))
        )
    )
    place.catalog.put_closures(Closures(tenant_id=TENANT), Closures(tenant_id=TENANT, items=[CARNIVAL]))
    place.booking_service().create(
        principal(Role.PATIENT),
        CreateBooking(
            professional_id="pro1",
            treatment_id=CLEANING,
            start=datetime.fromisoformat(EXISTING_BOOKING_START),
        ),
        "seed",
    )
    with bootstrap.overridden(
        catalog=place.catalog,
        bookings=place.bookings,
        users=place.users,
        clock=place.clock,
        ids=place.ids,
        directory=place.directory,
        context=place.context,
    ):
        yield place


@pytest.fixture
def api(world: Clinic) -> Api:
    return Api(world)


@pytest.fixture
def existing_booking_id(world: Clinic) -> str:
    (booking,) = world.bookings.bookings.values()
    return booking.id
