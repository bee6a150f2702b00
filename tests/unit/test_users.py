"""Creating and listing users: identity first, then the table; Reception only patients."""

import pytest
from booking.domain.commands import CreateUser, ListUsers
from booking.domain.errors import Forbidden
from booking.domain.roles import Role

from tests.factories import OTHER_TENANT, TENANT, clinic, principal
from tests.fake_people import Identity


def create(world, who: Role, role: Role, email: str = "new@example.com"):
    return world.user_service().create(principal(who), CreateUser(email=email, role=role))


@pytest.mark.parametrize("role", list(Role))
def test_the_owner_creates_users_of_any_role_in_their_tenant(role):
    world = clinic()
    user = create(world, Role.OWNER, role)
    assert world.directory.created[user.id] == Identity(TENANT, "new@example.com", None, role)
    assert world.users.get_user(TENANT, user.id) == user


def test_admins_create_staff_and_patients_but_not_owners():
    world = clinic()
    assert create(world, Role.ADMIN, Role.DENTIST).role is Role.DENTIST
    with pytest.raises(Forbidden):
        create(world, Role.ADMIN, Role.OWNER, "boss@example.com")


@pytest.mark.parametrize("role", [Role.OWNER, Role.ADMIN, Role.DENTIST, Role.RECEPTION])
def test_reception_creates_patients_only(role):
    world = clinic()
    assert create(world, Role.RECEPTION, Role.PATIENT).role is Role.PATIENT
    with pytest.raises(Forbidden):
        create(world, Role.RECEPTION, role, "staff@example.com")
    assert "staff@example.com" not in {identity.email for identity in world.directory.created.values()}


@pytest.mark.parametrize("role", [Role.DENTIST, Role.PATIENT])
def test_dentists_and_patients_cannot_create_or_list_users(role):
    world = clinic()
    before = dict(world.directory.created)
    with pytest.raises(Forbidden):
        create(world, role, Role.PATIENT)
    with pytest.raises(Forbidden):
        world.user_service().list_users(principal(role), ListUsers())
    assert world.directory.created == before


def test_listing_is_per_tenant_and_reception_sees_patients_only():
    world = clinic()
    new = create(world, Role.OWNER, Role.DENTIST, "dentist@example.com")
    service = world.user_service()
    everyone = service.list_users(principal(Role.ADMIN), ListUsers(limit=100))
    assert {user.role for user in everyone.items} == set(Role)
    patients = service.list_users(principal(Role.RECEPTION), ListUsers())
    assert {user.role for user in patients.items} == {Role.PATIENT}
    with pytest.raises(Forbidden):
        service.list_users(principal(Role.RECEPTION), ListUsers(role=Role.DENTIST))
    foreign = service.list_users(principal(Role.OWNER, tenant=OTHER_TENANT), ListUsers(limit=100)).items
    assert new.id not in {user.id for user in foreign}
    assert {user.tenant_id for user in foreign} == {OTHER_TENANT}


def test_an_identity_the_table_could_not_record_is_removed_so_a_retry_starts_clean(monkeypatch):
    world = clinic()
    before = dict(world.directory.created)

    def table_unavailable(user):
        raise RuntimeError("table unavailable")

    monkeypatch.setattr(world.users, "put_user", table_unavailable)
    with pytest.raises(RuntimeError, match="table unavailable"):
        create(world, Role.OWNER, Role.DENTIST, "retry@example.com")
    assert world.directory.created == before

    monkeypatch.undo()
    user = create(world, Role.OWNER, Role.DENTIST, "retry@example.com")
    assert world.users.get_user(TENANT, user.id) == user
