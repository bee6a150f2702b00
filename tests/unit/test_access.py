"""The permission table is the one role matrix: routes take their roles from it, the
services enforce it, and an action without a row cannot load."""

from enum import StrEnum

import pytest
from booking.domain.access import PERMISSIONS, Action, authorize, ensure_own_tenant, roles_for
from booking.domain.errors import Forbidden
from booking.domain.roles import Role
from booking.routes import ROUTES
from booking.routing import Route

from tests.factories import OTHER_TENANT, TENANT, principal


class Unlisted(StrEnum):
    """An action someone added to the enum but not to the table."""

    ARCHIVE_BOOKING = "archiveBooking"


@pytest.mark.parametrize("action", list(Action))
@pytest.mark.parametrize("role", list(Role))
def test_authorize_lets_through_exactly_the_allowed_roles(action, role):
    if role in PERMISSIONS[action]:
        authorize(principal(role), action)
    else:
        with pytest.raises(Forbidden) as refused:
            authorize(principal(role), action)
        assert refused.value.code == "ROLE_NOT_ALLOWED"


def test_every_action_is_performed_by_exactly_one_route():
    performed = [route.action for route in ROUTES if route.action is not None]
    assert sorted(performed) == sorted(Action)


def test_a_route_is_named_by_its_action_and_allows_the_tables_roles():
    for route in ROUTES:
        if route.action is None:
            assert route.public
            assert route.roles == frozenset()
        else:
            assert route.operation_id == route.action.value
            assert route.roles == PERMISSIONS[route.action]


def test_an_action_without_a_row_is_refused_loudly_not_as_a_403():
    with pytest.raises(LookupError, match="archiveBooking"):
        roles_for(Unlisted.ARCHIVE_BOOKING)
    with pytest.raises(LookupError, match="archiveBooking"):
        authorize(principal(Role.OWNER), Unlisted.ARCHIVE_BOOKING)


def test_a_route_whose_action_has_no_row_cannot_be_declared(monkeypatch):
    monkeypatch.delitem(PERMISSIONS, Action.CANCEL_BOOKING)
    with pytest.raises(LookupError, match="cancelBooking"):
        Route("DELETE", "/bookings/{id}", "bookings", Action.CANCEL_BOOKING, "Cancel a booking")


def test_an_explicit_tenant_id_must_be_the_callers_own():
    ensure_own_tenant(principal(Role.OWNER), TENANT)
    ensure_own_tenant(principal(Role.OWNER), None)
    with pytest.raises(Forbidden) as refused:
        ensure_own_tenant(principal(Role.OWNER), OTHER_TENANT)
    assert refused.value.code == "TENANT_MISMATCH"
