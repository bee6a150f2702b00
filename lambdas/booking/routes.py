"""THE declaration of the HTTP API.

Read by the ApiGateway component (routes, integrations, authorizer, throttling
overrides; through ``booking.contract``), by the devstack gateway (what it serves), by
the OpenAPI generator and by the handlers' own routers. Each route names the domain
action it performs: who may call it is that action's row of ``access.PERMISSIONS`` and
its operation id is the action's value, so neither is spelled here. A handler without a
route, or a route without a handler, stops its function from starting. Keep this module
free of AWS and Pulumi imports: the Lambda imports it too.
"""

from __future__ import annotations

from booking import schemas
from booking.domain.access import Action
from booking.routing import PublicOperation, Route, Throttle

# Writes that create load downstream (a transaction, an email, a schedule) get a
# stricter per-route limit than the stage default.
WRITE_THROTTLE = Throttle(rate_limit=10, burst_limit=20)

ROUTES: tuple[Route, ...] = (
    Route(
        "GET",
        "/health",
        "catalogs",
        PublicOperation.GET_HEALTH,
        "Liveness of the API",
        response=schemas.Health,
    ),
    # Tenant profile and policy
    Route(
        "GET",
        "/tenant",
        "catalogs",
        Action.GET_TENANT,
        "The caller's tenant profile and policy",
        response=schemas.Tenant,
    ),
    Route(
        "PATCH",
        "/tenant",
        "catalogs",
        Action.UPDATE_TENANT,
        "Change the tenant profile or policy",
        body=schemas.TenantPatch,
        response=schemas.Tenant,
    ),
    # Professionals
    Route(
        "GET",
        "/professionals",
        "catalogs",
        Action.LIST_PROFESSIONALS,
        "List professionals",
        response=schemas.ProfessionalList,
    ),
    Route(
        "POST",
        "/professionals",
        "catalogs",
        Action.CREATE_PROFESSIONAL,
        "Create a professional",
        body=schemas.ProfessionalCreate,
        response=schemas.Professional,
        success_status=201,
    ),
    Route(
        "GET",
        "/professionals/{id}",
        "catalogs",
        Action.GET_PROFESSIONAL,
        "Get a professional",
        response=schemas.Professional,
    ),
    Route(
        "PATCH",
        "/professionals/{id}",
        "catalogs",
        Action.UPDATE_PROFESSIONAL,
        "Update a professional",
        body=schemas.ProfessionalPatch,
        response=schemas.Professional,
    ),
    Route(
        "DELETE",
        "/professionals/{id}",
        "catalogs",
        Action.DELETE_PROFESSIONAL,
        "Delete a professional",
        success_status=204,
    ),
    Route(
        "PUT",
        "/professionals/{id}/time-off",
        "catalogs",
        Action.SET_TIME_OFF,
        "Replace a professional's time off (a dentist: their own only)",
        body=schemas.TimeOffUpdate,
        response=schemas.Professional,
    ),
    # Closures: times the whole clinic is closed
    Route(
        "GET",
        "/closures",
        "catalogs",
        Action.LIST_CLOSURES,
        "List the clinic's closures",
        response=schemas.ClosureList,
    ),
    Route(
        "POST",
        "/closures",
        "catalogs",
        Action.CREATE_CLOSURE,
        "Close the clinic for a time (409 with the bookings it would fall on)",
        body=schemas.ClosureCreate,
        response=schemas.Closure,
        success_status=201,
    ),
    Route(
        "DELETE", "/closures/{id}", "catalogs", Action.DELETE_CLOSURE, "Delete a closure", success_status=204
    ),
    # Treatments
    Route(
        "GET",
        "/treatments",
        "catalogs",
        Action.LIST_TREATMENTS,
        "List treatments",
        response=schemas.TreatmentList,
    ),
    Route(
        "POST",
        "/treatments",
        "catalogs",
        Action.CREATE_TREATMENT,
        "Create a treatment",
        body=schemas.TreatmentCreate,
        response=schemas.Treatment,
        success_status=201,
    ),
    Route(
        "GET",
        "/treatments/{id}",
        "catalogs",
        Action.GET_TREATMENT,
        "Get a treatment",
        response=schemas.Treatment,
    ),
    Route(
        "PATCH",
        "/treatments/{id}",
        "catalogs",
        Action.UPDATE_TREATMENT,
        "Update a treatment",
        body=schemas.TreatmentPatch,
        response=schemas.Treatment,
    ),
    Route(
        "DELETE",
        "/treatments/{id}",
        "catalogs",
        Action.DELETE_TREATMENT,
        "Delete a treatment",
        success_status=204,
    ),
    # Availability
    Route(
        "GET",
        "/availability",
        "availability",
        Action.GET_AVAILABILITY,
        "Bookable start times of a professional for a treatment (at most 31 days)",
        query=schemas.AvailabilityQuery,
        response=schemas.Availability,
    ),
    # Bookings
    Route(
        "POST",
        "/bookings",
        "bookings",
        Action.CREATE_BOOKING,
        "Book a slot (requires an Idempotency-Key header)",
        throttle=WRITE_THROTTLE,
        body=schemas.BookingCreate,
        response=schemas.Booking,
        success_status=201,
    ),
    Route(
        "GET",
        "/bookings",
        "bookings",
        Action.LIST_BOOKINGS,
        "List bookings (patients see their own, dentists their calendar)",
        query=schemas.BookingListQuery,
        response=schemas.BookingList,
    ),
    Route("GET", "/bookings/{id}", "bookings", Action.GET_BOOKING, "Get a booking", response=schemas.Booking),
    Route(
        "PUT",
        "/bookings/{id}",
        "bookings",
        Action.RESCHEDULE_BOOKING,
        "Reschedule a booking",
        throttle=WRITE_THROTTLE,
        body=schemas.BookingReschedule,
        response=schemas.Booking,
    ),
    Route(
        "PATCH",
        "/bookings/{id}",
        "bookings",
        Action.CHANGE_BOOKING_STATUS,
        "Mark a booking completed or no_show (staff)",
        body=schemas.BookingStatusChange,
        response=schemas.Booking,
    ),
    Route(
        "DELETE",
        "/bookings/{id}",
        "bookings",
        Action.CANCEL_BOOKING,
        "Cancel a booking (soft)",
        throttle=WRITE_THROTTLE,
        body=schemas.BookingCancel,
        response=schemas.Booking,
    ),
    # Users
    Route(
        "POST",
        "/users",
        "users",
        Action.CREATE_USER,
        "Create a user in the tenant (Reception: patients only)",
        throttle=WRITE_THROTTLE,
        body=schemas.UserCreate,
        response=schemas.User,
        success_status=201,
    ),
    Route(
        "GET",
        "/users",
        "users",
        Action.LIST_USERS,
        "List the tenant's users, or find them by the start of a name, email or phone (q)",
        query=schemas.UserListQuery,
        response=schemas.UserList,
    ),
    Route("GET", "/users/{id}", "users", Action.GET_USER, "Get a user", response=schemas.User),
    Route(
        "PATCH",
        "/users/{id}",
        "users",
        Action.UPDATE_USER,
        "Change a user's name, phone or role (within the roles the caller may grant)",
        body=schemas.UserPatch,
        response=schemas.User,
    ),
    Route(
        "POST",
        "/users/{id}/disable",
        "users",
        Action.DISABLE_USER,
        "Disable a user: refused from their next request on, signed out everywhere",
        response=schemas.User,
    ),
    Route("POST", "/users/{id}/enable", "users", Action.ENABLE_USER, "Enable a user", response=schemas.User),
    # The caller's own record (a patient's profile)
    Route("GET", "/me", "users", Action.GET_PROFILE, "The caller's own profile", response=schemas.User),
    Route(
        "PATCH",
        "/me",
        "users",
        Action.UPDATE_PROFILE,
        "Change the caller's own name or phone",
        body=schemas.ProfilePatch,
        response=schemas.User,
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
