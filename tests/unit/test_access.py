"""The domain's role matrix is the route table's, and it is enforced."""

import pytest
from booking.domain.access import PERMISSIONS, Action, authorize, ensure_own_tenant
from booking.domain.errors import Forbidden
from booking.domain.roles import Role
from booking.routes import ROUTES

from tests.factories import OTHER_TENANT, TENANT, principal


def test_the_domain_matrix_and_the_route_table_allow_the_same_roles_for_every_operation():
    from_routes = {route.operation_id: route.roles for route in ROUTES if not route.public}
    assert from_routes == {action.value: roles for action, roles in PERMISSIONS.items()}


@pytest.mark.parametrize("action", list(Action))
@pytest.mark.parametrize("role", list(Role))
def test_authorize_lets_through_exactly_the_allowed_roles(action, role):
    if role in PERMISSIONS[action]:
        authorize(principal(role), action)
    else:
        with pytest.raises(Forbidden):
            authorize(principal(role), action)


def test_an_explicit_tenant_id_must_be_the_callers_own():
    ensure_own_tenant(principal(Role.OWNER), TENANT)
    ensure_own_tenant(principal(Role.OWNER), None)
    with pytest.raises(Forbidden) as refused:
        ensure_own_tenant(principal(Role.OWNER), OTHER_TENANT)
    assert refused.value.code == "TENANT_MISMATCH"
