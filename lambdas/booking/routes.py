"""THE declaration of the HTTP API.

Read by the ApiGateway component (routes, integrations, authorizer, throttling
overrides), by the devstack gateway (what it serves), by the OpenAPI generator and by
the handlers' own routers. A test fails when a handler has no route or a route has no
handler. Keep this module free of AWS and Pulumi imports: the Lambda imports it too.
"""

from __future__ import annotations

from dataclasses import dataclass

from pydantic import BaseModel

from booking import schemas
from booking.domain.roles import ALL_ROLES, MANAGERS, Role


@dataclass(frozen=True)
class Throttle:
    """A per-route override of the stage's throttling (requests per second, burst)."""

    rate_limit: float
    burst_limit: int


@dataclass(frozen=True)
class Route:
    method: str
    path: str  # API Gateway syntax: /bookings/{id}
    function: str  # key of settings.FUNCTIONS
    operation_id: str
    summary: str
    roles: frozenset[Role] = ALL_ROLES
    public: bool = False
    throttle: Throttle | None = None
    body: type[BaseModel] | None = None
    query: type[BaseModel] | None = None
    response: type[BaseModel] | None = None
    success_status: int = 200

    @property
    def route_key(self) -> str:
        """The HTTP API route key, e.g. ``POST /bookings``."""
        return f"{self.method} {self.path}"

    @property
    def is_write(self) -> bool:
        return self.method in {"POST", "PUT", "PATCH", "DELETE"}


BOOKING_ACTORS = frozenset({Role.PATIENT, Role.RECEPTION, Role.ADMIN, Role.OWNER})
STAFF = frozenset({Role.OWNER, Role.ADMIN, Role.DENTIST, Role.RECEPTION})
USER_MANAGERS = frozenset({Role.OWNER, Role.ADMIN, Role.RECEPTION})

# Writes that create load downstream (a transaction, an email, a schedule) get a
# stricter per-route limit than the stage default.
WRITE_THROTTLE = Throttle(rate_limit=10, burst_limit=20)

ROUTES: tuple[Route, ...] = (
    Route(
        "GET", "/health", "catalogs", "getHealth", "Liveness of the API", public=True, response=schemas.Health
    ),
    # Tenant profile and policy
    Route(
        "GET",
        "/tenant",
        "catalogs",
        "getTenant",
        "The caller's tenant profile and policy",
        response=schemas.Tenant,
    ),
    Route(
        "PATCH",
        "/tenant",
        "catalogs",
        "updateTenant",
        "Change the tenant profile or policy",
        roles=frozenset({Role.OWNER}),
        body=schemas.TenantPatch,
        response=schemas.Tenant,
    ),
    # Professionals
    Route(
        "GET",
        "/professionals",
        "catalogs",
        "listProfessionals",
        "List professionals",
        response=schemas.ProfessionalList,
    ),
    Route(
        "POST",
        "/professionals",
        "catalogs",
        "createProfessional",
        "Create a professional",
        roles=MANAGERS,
        body=schemas.ProfessionalCreate,
        response=schemas.Professional,
        success_status=201,
    ),
    Route(
        "GET",
        "/professionals/{id}",
        "catalogs",
        "getProfessional",
        "Get a professional",
        response=schemas.Professional,
    ),
    Route(
        "PATCH",
        "/professionals/{id}",
        "catalogs",
        "updateProfessional",
        "Update a professional",
        roles=MANAGERS,
        body=schemas.ProfessionalPatch,
        response=schemas.Professional,
    ),
    Route(
        "DELETE",
        "/professionals/{id}",
        "catalogs",
        "deleteProfessional",
        "Delete a professional",
        roles=MANAGERS,
        success_status=204,
    ),
    # Treatments
    Route(
        "GET", "/treatments", "catalogs", "listTreatments", "List treatments", response=schemas.TreatmentList
    ),
    Route(
        "POST",
        "/treatments",
        "catalogs",
        "createTreatment",
        "Create a treatment",
        roles=MANAGERS,
        body=schemas.TreatmentCreate,
        response=schemas.Treatment,
        success_status=201,
    ),
    Route(
        "GET", "/treatments/{id}", "catalogs", "getTreatment", "Get a treatment", response=schemas.Treatment
    ),
    Route(
        "PATCH",
        "/treatments/{id}",
        "catalogs",
        "updateTreatment",
        "Update a treatment",
        roles=MANAGERS,
        body=schemas.TreatmentPatch,
        response=schemas.Treatment,
    ),
    Route(
        "DELETE",
        "/treatments/{id}",
        "catalogs",
        "deleteTreatment",
        "Delete a treatment",
        roles=MANAGERS,
        success_status=204,
    ),
    # Availability
    Route(
        "GET",
        "/availability",
        "availability",
        "getAvailability",
        "Bookable start times of a professional for a treatment (at most 31 days)",
        query=schemas.AvailabilityQuery,
        response=schemas.Availability,
    ),
    # Bookings
    Route(
        "POST",
        "/bookings",
        "bookings",
        "createBooking",
        "Book a slot (requires an Idempotency-Key header)",
        roles=BOOKING_ACTORS,
        throttle=WRITE_THROTTLE,
        body=schemas.BookingCreate,
        response=schemas.Booking,
        success_status=201,
    ),
    Route(
        "GET",
        "/bookings",
        "bookings",
        "listBookings",
        "List bookings (patients see their own, dentists their calendar)",
        query=schemas.BookingListQuery,
        response=schemas.BookingList,
    ),
    Route("GET", "/bookings/{id}", "bookings", "getBooking", "Get a booking", response=schemas.Booking),
    Route(
        "PUT",
        "/bookings/{id}",
        "bookings",
        "rescheduleBooking",
        "Reschedule a booking",
        roles=BOOKING_ACTORS,
        throttle=WRITE_THROTTLE,
        body=schemas.BookingReschedule,
        response=schemas.Booking,
    ),
    Route(
        "PATCH",
        "/bookings/{id}",
        "bookings",
        "changeBookingStatus",
        "Mark a booking completed or no_show (staff)",
        roles=STAFF,
        body=schemas.BookingStatusChange,
        response=schemas.Booking,
    ),
    Route(
        "DELETE",
        "/bookings/{id}",
        "bookings",
        "cancelBooking",
        "Cancel a booking (soft)",
        roles=BOOKING_ACTORS,
        throttle=WRITE_THROTTLE,
        body=schemas.BookingCancel,
        response=schemas.Booking,
    ),
    # Users
    Route(
        "POST",
        "/users",
        "users",
        "createUser",
        "Create a user in the tenant (Reception: patients only)",
        roles=USER_MANAGERS,
        throttle=WRITE_THROTTLE,
        body=schemas.UserCreate,
        response=schemas.User,
        success_status=201,
    ),
    Route(
        "GET",
        "/users",
        "users",
        "listUsers",
        "List the tenant's users",
        roles=USER_MANAGERS,
        query=schemas.UserListQuery,
        response=schemas.UserList,
    ),
)


def routes_for(function: str) -> tuple[Route, ...]:
    return tuple(route for route in ROUTES if route.function == function)


def find_route(method: str, path: str) -> Route:
    """The route declared for ``method`` and API Gateway ``path`` (e.g. ``/bookings/{id}``)."""
    for route in ROUTES:
        if route.method == method and route.path == path:
            return route
    raise KeyError(f"{method} {path} is not declared in routes.py")
