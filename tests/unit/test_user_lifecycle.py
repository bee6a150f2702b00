"""A user's whole life: read, change, find, disable and enable; the last Owner kept."""

from __future__ import annotations

import pytest
from booking.domain.commands import CreateUser, ListUsers, UpdateProfile, UpdateUser
from booking.domain.errors import Forbidden, InvalidValue, LastOwner, NotFound
from booking.domain.models import AccountStatus
from booking.domain.roles import Role
from booking.domain.user_search import UserSearchField

from tests.factories import (
    OTHER_PATIENT_ID,
    OTHER_TENANT,
    PATIENT_ID,
    TENANT,
    clinic,
    default_user_id,
    principal,
)

OWNER, ADMIN, RECEPTION = principal(Role.OWNER), principal(Role.ADMIN), principal(Role.RECEPTION)
OWNER_ID, ADMIN_ID = default_user_id(Role.OWNER), default_user_id(Role.ADMIN)


@pytest.mark.parametrize(
    ("caller", "target", "allowed"),
    [
        (Role.OWNER, Role.OWNER, True),
        (Role.ADMIN, Role.ADMIN, True),
        (Role.ADMIN, Role.OWNER, False),
        (Role.RECEPTION, Role.PATIENT, True),
        (Role.RECEPTION, Role.DENTIST, False),
    ],
)
def test_a_caller_reads_and_edits_only_the_users_whose_role_they_may_grant(caller, target, allowed):
    world = clinic()
    service = world.user_service()
    target_id = default_user_id(target)
    if allowed:
        assert service.get_user(principal(caller), target_id).id == target_id
        changed = service.update_user(principal(caller), target_id, UpdateUser(name="Renamed"))
        assert world.users.get_user(TENANT, target_id) == changed
        assert changed.version == 2
    else:
        with pytest.raises(Forbidden):
            service.get_user(principal(caller), target_id)
        with pytest.raises(Forbidden):
            service.update_user(principal(caller), target_id, UpdateUser(name="Renamed"))


@pytest.mark.parametrize(("caller", "role"), [(Role.ADMIN, Role.OWNER), (Role.RECEPTION, Role.RECEPTION)])
def test_nobody_grants_a_role_they_may_not_grant(caller, role):
    world = clinic()
    with pytest.raises(Forbidden):
        world.user_service().update_user(principal(caller), OTHER_PATIENT_ID, UpdateUser(role=role))
    assert world.users.get_user(TENANT, OTHER_PATIENT_ID).role is Role.PATIENT  # type: ignore[union-attr]


def test_a_role_change_moves_the_record_and_the_identity_together():
    world = clinic()
    changed = world.user_service().update_user(ADMIN, OTHER_PATIENT_ID, UpdateUser(role=Role.RECEPTION))

    assert changed.role is Role.RECEPTION
    assert world.directory.identity(changed.email).role is Role.RECEPTION


def test_a_user_of_another_tenant_does_not_exist_for_the_caller():
    world = clinic()
    with pytest.raises(NotFound):
        world.user_service().update_user(
            principal(Role.OWNER, tenant=OTHER_TENANT), OTHER_PATIENT_ID, UpdateUser(name="x")
        )
    assert world.users.get_user(TENANT, OTHER_PATIENT_ID).name is None  # type: ignore[union-attr]


def test_a_name_or_role_cannot_be_removed_but_a_phone_can():
    world = clinic()
    service = world.user_service()
    service.update_user(OWNER, OTHER_PATIENT_ID, UpdateUser(phone="+593 99 000 1111"))
    for empty in ({"name": None}, {"role": None}):
        with pytest.raises(InvalidValue):
            service.update_user(OWNER, OTHER_PATIENT_ID, UpdateUser.model_validate(empty))

    assert service.update_user(OWNER, OTHER_PATIENT_ID, UpdateUser(phone=None)).phone is None


def test_disabling_signs_the_user_out_and_enabling_restores_them():
    world = clinic()
    service = world.user_service()
    disabled = service.disable_user(RECEPTION, OTHER_PATIENT_ID)
    again = service.disable_user(RECEPTION, OTHER_PATIENT_ID)
    identity = world.directory.identity(disabled.email)

    assert (disabled.status, again) == (AccountStatus.DISABLED, disabled)
    assert (identity.enabled, identity.signed_out) == (False, 2)
    enabled = service.enable_user(RECEPTION, OTHER_PATIENT_ID)
    assert (enabled.status, identity.enabled) == (AccountStatus.ACTIVE, True)
    assert world.users.get_user(TENANT, OTHER_PATIENT_ID) == enabled


def test_reception_cannot_disable_staff():
    world = clinic()
    with pytest.raises(Forbidden):
        world.user_service().disable_user(RECEPTION, ADMIN_ID)
    assert world.directory.identity(f"{ADMIN_ID}@{TENANT}.example").enabled


def test_the_last_owner_can_be_neither_demoted_nor_disabled_even_by_themselves():
    world = clinic()
    service = world.user_service()
    for attempt in (
        lambda: service.update_user(OWNER, OWNER_ID, UpdateUser(role=Role.ADMIN)),
        lambda: service.disable_user(OWNER, OWNER_ID),
    ):
        with pytest.raises(LastOwner) as refused:
            attempt()
        assert (refused.value.status, refused.value.code) == (409, "LAST_OWNER")
    owner = world.users.get_user(TENANT, OWNER_ID)
    assert (owner.role, owner.status) == (Role.OWNER, AccountStatus.ACTIVE)  # type: ignore[union-attr]
    assert world.directory.identity(owner.email).enabled  # type: ignore[union-attr]


def test_with_a_second_owner_one_may_step_down_and_the_other_then_may_not():
    world = clinic()
    service = world.user_service()
    second = service.create(OWNER, CreateUser(email="second@example.com", role=Role.OWNER))

    assert service.update_user(OWNER, OWNER_ID, UpdateUser(role=Role.ADMIN)).role is Role.ADMIN
    with pytest.raises(LastOwner):
        service.disable_user(principal(Role.OWNER, user_id=second.id), second.id)


def test_reception_finds_patients_by_the_start_of_a_name_email_or_phone_only():
    world = clinic()
    service = world.user_service()
    service.update_user(OWNER, OTHER_PATIENT_ID, UpdateUser(name="Ángela Ruiz", phone="+593 99 123 4567"))
    service.update_user(OWNER, ADMIN_ID, UpdateUser(name="Angelo Admin"))

    by_name = service.list_users(RECEPTION, ListUsers(q="angel"))
    by_phone = service.list_users(RECEPTION, ListUsers(q="+593 99 1"))
    by_email = service.list_users(RECEPTION, ListUsers(q="patient-2@"))
    everyone = service.list_users(OWNER, ListUsers(q="ANGEL", by=UserSearchField.NAME))

    assert [user.id for user in by_name.items] == [OTHER_PATIENT_ID]
    assert [user.id for user in by_phone.items] == [OTHER_PATIENT_ID]
    assert [user.id for user in by_email.items] == [OTHER_PATIENT_ID]
    assert {user.id for user in everyone.items} == {OTHER_PATIENT_ID, ADMIN_ID}


def test_a_search_needs_text_that_means_something_in_its_field():
    service = clinic().user_service()
    with pytest.raises(InvalidValue):
        service.list_users(OWNER, ListUsers(by=UserSearchField.NAME))
    with pytest.raises(InvalidValue):
        service.list_users(OWNER, ListUsers(q="abc", by=UserSearchField.PHONE))


def test_a_patient_reads_and_edits_their_own_profile_only():
    world = clinic()
    service = world.user_service()
    patient = principal(Role.PATIENT)

    changed = service.update_profile(patient, UpdateProfile(name="Pat", phone="+593 99 555 0000"))

    assert service.get_profile(patient) == changed
    assert (changed.id, changed.role, changed.name) == (PATIENT_ID, Role.PATIENT, "Pat")
    assert world.users.get_user(TENANT, OTHER_PATIENT_ID).name is None  # type: ignore[union-attr]
    with pytest.raises(InvalidValue):
        service.update_profile(patient, UpdateProfile.model_validate({"name": None}))
