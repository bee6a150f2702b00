"""The identity facts: one tenant attribute, its claim, and one order of the roles."""

from booking.domain.identity import (
    ROLE_PRECEDENCE,
    TENANT_ATTRIBUTE,
    TENANT_CLAIM,
    group_precedence,
    strongest_role,
)
from booking.domain.roles import Role


def test_the_tenant_claim_is_the_pools_custom_attribute():
    assert f"custom:{TENANT_ATTRIBUTE}" == TENANT_CLAIM


def test_the_precedence_ranks_every_role_once_the_owner_first():
    assert sorted(ROLE_PRECEDENCE) == sorted(Role)
    assert ROLE_PRECEDENCE[0] is Role.OWNER


def test_cognito_group_precedence_follows_the_role_order_lower_winning():
    numbers = [group_precedence(role) for role in ROLE_PRECEDENCE]
    assert numbers == sorted(numbers)
    assert len(set(numbers)) == len(numbers)
    # The numbers the user pools were created with: changing them updates every group.
    assert numbers == [0, 10, 20, 30, 40]


def test_a_user_in_several_groups_acts_with_the_strongest_role():
    assert strongest_role(["Patient", "Admin", "Reception"]) is Role.ADMIN
    assert strongest_role(["Patient"]) is Role.PATIENT


def test_groups_that_name_no_role_give_no_role():
    assert strongest_role(["Hacker", "admin"]) is None
    assert strongest_role([]) is None
