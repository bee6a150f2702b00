"""THE role matrix: every action a caller may try, and the roles allowed to try it.

Declared once, here. The route table names each route's action and takes its roles
from this table (the HTTP edge rejects a wrong role before parsing a body, the API
Gateway documents it in the OpenAPI ``x-roles``); the services check again with
``authorize`` so that no other entry point (a script, a future queue consumer) can
skip it. Row-level rules (a patient's own bookings, a dentist's own calendar) live in
the services, next to the data they inspect.
"""

from __future__ import annotations

from collections.abc import Mapping
from enum import StrEnum

from booking.domain.errors import Forbidden
from booking.domain.principal import Principal
from booking.domain.roles import ALL_ROLES, MANAGERS, STAFF_ROLES, Role


class Action(StrEnum):
    """What a caller may try; values are the API's operation ids (no second spelling)."""

    GET_TENANT = "getTenant"
    UPDATE_TENANT = "updateTenant"
    LIST_PROFESSIONALS = "listProfessionals"
    GET_PROFESSIONAL = "getProfessional"
    CREATE_PROFESSIONAL = "createProfessional"
    UPDATE_PROFESSIONAL = "updateProfessional"
    DELETE_PROFESSIONAL = "deleteProfessional"
    LIST_TREATMENTS = "listTreatments"
    GET_TREATMENT = "getTreatment"
    CREATE_TREATMENT = "createTreatment"
    UPDATE_TREATMENT = "updateTreatment"
    DELETE_TREATMENT = "deleteTreatment"
    GET_AVAILABILITY = "getAvailability"
    CREATE_BOOKING = "createBooking"
    LIST_BOOKINGS = "listBookings"
    GET_BOOKING = "getBooking"
    RESCHEDULE_BOOKING = "rescheduleBooking"
    CHANGE_BOOKING_STATUS = "changeBookingStatus"
    CANCEL_BOOKING = "cancelBooking"
    CREATE_USER = "createUser"
    LIST_USERS = "listUsers"
    GET_USER = "getUser"
    UPDATE_USER = "updateUser"
    DISABLE_USER = "disableUser"
    ENABLE_USER = "enableUser"
    GET_PROFILE = "getProfile"
    UPDATE_PROFILE = "updateProfile"
    SET_TIME_OFF = "setTimeOff"
    LIST_CLOSURES = "listClosures"
    CREATE_CLOSURE = "createClosure"
    DELETE_CLOSURE = "deleteClosure"


# Rows shared by several actions: who books (dentists only see their calendar) and who
# manages users (Reception: patients only, see ``GRANTABLE_ROLES``).
BOOKING_ACTORS: frozenset[Role] = frozenset({Role.PATIENT, Role.RECEPTION, Role.ADMIN, Role.OWNER})
USER_MANAGERS: frozenset[Role] = frozenset({Role.OWNER, Role.ADMIN, Role.RECEPTION})
# Who blocks a professional's time (a dentist only their own: the service checks it).
TIME_OFF_EDITORS: frozenset[Role] = STAFF_ROLES

PERMISSIONS: Mapping[Action, frozenset[Role]] = {
    Action.GET_TENANT: ALL_ROLES,
    Action.UPDATE_TENANT: frozenset({Role.OWNER}),
    Action.LIST_PROFESSIONALS: ALL_ROLES,
    Action.GET_PROFESSIONAL: ALL_ROLES,
    Action.CREATE_PROFESSIONAL: MANAGERS,
    Action.UPDATE_PROFESSIONAL: MANAGERS,
    Action.DELETE_PROFESSIONAL: MANAGERS,
    Action.LIST_TREATMENTS: ALL_ROLES,
    Action.GET_TREATMENT: ALL_ROLES,
    Action.CREATE_TREATMENT: MANAGERS,
    Action.UPDATE_TREATMENT: MANAGERS,
    Action.DELETE_TREATMENT: MANAGERS,
    Action.GET_AVAILABILITY: ALL_ROLES,
    Action.CREATE_BOOKING: BOOKING_ACTORS,
    Action.LIST_BOOKINGS: ALL_ROLES,
    Action.GET_BOOKING: ALL_ROLES,
    Action.RESCHEDULE_BOOKING: BOOKING_ACTORS,
    Action.CHANGE_BOOKING_STATUS: STAFF_ROLES,
    Action.CANCEL_BOOKING: BOOKING_ACTORS,
    Action.CREATE_USER: USER_MANAGERS,
    Action.LIST_USERS: USER_MANAGERS,
    Action.GET_USER: USER_MANAGERS,
    Action.UPDATE_USER: USER_MANAGERS,
    Action.DISABLE_USER: USER_MANAGERS,
    Action.ENABLE_USER: USER_MANAGERS,
    Action.GET_PROFILE: ALL_ROLES,
    Action.UPDATE_PROFILE: ALL_ROLES,
    Action.SET_TIME_OFF: TIME_OFF_EDITORS,
    Action.LIST_CLOSURES: ALL_ROLES,
    Action.CREATE_CLOSURE: MANAGERS,
    Action.DELETE_CLOSURE: MANAGERS,
}

# Which roles each role may grant: create users in, change users from and to, and
# disable or enable (Admins cannot mint, change or disable Owners; Reception manages
# patients only).
GRANTABLE_ROLES: Mapping[Role, frozenset[Role]] = {
    Role.OWNER: ALL_ROLES,
    Role.ADMIN: ALL_ROLES - {Role.OWNER},
    Role.RECEPTION: frozenset({Role.PATIENT}),
}


def roles_for(action: Action) -> frozenset[Role]:
    """The roles allowed ``action``. An action without a row is a programming error, not
    a refusal: it raises ``LookupError`` (the route table raises it at import)."""
    try:
        return PERMISSIONS[action]
    except KeyError:
        raise LookupError(f"action {action!r} has no row in access.PERMISSIONS") from None


def authorize(principal: Principal, action: Action) -> None:
    """Raise ``Forbidden`` unless the caller's role may perform ``action``."""
    if principal.role not in roles_for(action):
        raise Forbidden(f"role {principal.role} may not {action}", code="ROLE_NOT_ALLOWED")


def ensure_own_tenant(principal: Principal, tenant_id: str | None) -> None:
    """An explicit tenant id (body, query, header) must be the caller's own: never an override."""
    if tenant_id is not None and tenant_id != principal.tenant_id:
        raise Forbidden("the tenant id does not match the caller's tenant", code="TENANT_MISMATCH")
