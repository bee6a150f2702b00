"""Users on the table: versioned changes, searches by the start of a field, the Owners."""

from __future__ import annotations

import pytest
from booking.adapters import dynamodb_items as items
from booking.adapters.dynamodb_table import DynamoTable
from booking.adapters.dynamodb_users import DynamoUserRepository
from booking.domain.errors import ConcurrentModification, LastOwner
from booking.domain.models import AccountStatus, User
from booking.domain.roles import Role
from booking.domain.user_search import UserSearchField

ANGELA = User(
    id="u1",
    tenant_id="t1",
    email="Angela.Ruiz@Example.com",
    name="Ángela Ruiz",
    phone="+593 99 123 4567",
    role=Role.PATIENT,
)
BORIS = User(id="u2", tenant_id="t1", email="boris@example.com", name="Boris", role=Role.RECEPTION)


@pytest.fixture
def users(table: DynamoTable) -> DynamoUserRepository:
    repository = DynamoUserRepository(table)
    for user in (ANGELA, BORIS):
        repository.put_user(user)
    return repository


@pytest.mark.parametrize(
    ("field", "prefix"),
    [
        (UserSearchField.NAME, "angela r"),
        (UserSearchField.EMAIL, "angela."),
        (UserSearchField.PHONE, "5939912"),
    ],
)
def test_a_user_is_found_by_the_normalised_start_of_each_field(users, field, prefix) -> None:
    assert users.search_users("t1", field, prefix).items == [ANGELA]
    assert users.search_users("t2", field, prefix).items == []


def test_a_search_is_paginated_and_filtered_by_role(users: DynamoUserRepository) -> None:
    for number in range(3):
        users.put_user(
            User(
                id=f"a{number}",
                tenant_id="t1",
                email=f"a{number}@x.com",
                name=f"Ana {number}",
                role=Role.PATIENT,
            )
        )

    first = users.search_users("t1", UserSearchField.NAME, "an", limit=2)
    rest = users.search_users("t1", UserSearchField.NAME, "an", limit=2, cursor=first.next_cursor)
    staff = users.search_users("t1", UserSearchField.NAME, "b", role=Role.PATIENT)

    assert [user.name for user in first.items + rest.items] == ["Ana 0", "Ana 1", "Ana 2", "Ángela Ruiz"]
    assert staff.items == []


def test_a_change_is_versioned_and_moves_the_users_index_entries(users: DynamoUserRepository) -> None:
    renamed = ANGELA.model_copy(update={"name": "Gela", "phone": None, "version": 2})

    users.save_user(ANGELA, renamed)
    with pytest.raises(ConcurrentModification):
        users.save_user(ANGELA, ANGELA.model_copy(update={"status": AccountStatus.DISABLED, "version": 2}))

    assert users.get_user("t1", "u1") == renamed
    assert users.search_users("t1", UserSearchField.NAME, "gela").items == [renamed]
    assert users.search_users("t1", UserSearchField.NAME, "angela").items == []
    assert users.search_users("t1", UserSearchField.PHONE, "593").items == []


def test_a_record_written_before_versions_saves_as_version_one(table: DynamoTable, users) -> None:
    table.client.update_item(
        TableName=table.name,
        Key=items.key_of(items.tenant_pk("t1"), items.USER_PREFIX + "u2"),
        UpdateExpression="REMOVE version",
    )
    legacy = users.get_user("t1", "u2")
    assert legacy is not None
    assert legacy.version == 1

    users.save_user(legacy, legacy.model_copy(update={"name": "Bo", "version": 2}))

    assert users.get_user("t1", "u2").name == "Bo"  # type: ignore[union-attr]


def test_an_owner_leaves_only_while_another_owner_is_still_active(users: DynamoUserRepository) -> None:
    first = User(id="o1", tenant_id="t1", email="o1@x.com", role=Role.OWNER)
    second = User(id="o2", tenant_id="t1", email="o2@x.com", role=Role.OWNER)
    users.put_user(first)
    users.put_user(second)
    assert {owner.id for owner in users.active_owners("t1")} == {"o1", "o2"}

    users.save_user(first, first.model_copy(update={"role": Role.ADMIN, "version": 2}), keep_owner=second)
    with pytest.raises(LastOwner):
        users.save_user(
            second,
            second.model_copy(update={"status": AccountStatus.DISABLED, "version": 2}),
            keep_owner=first,
        )

    assert [owner.id for owner in users.active_owners("t1")] == ["o2"]
    assert users.get_user("t1", "o2") == second


def test_a_deleted_user_leaves_no_record_and_no_index_entry(table: DynamoTable, users) -> None:
    users.delete_user(ANGELA)
    assert users.get_user("t1", ANGELA.id) is None
    remaining = table.client.scan(TableName=table.name)["Items"]
    assert not [item for item in remaining if ANGELA.id in str(item) or "angela" in str(item).lower()]
    assert users.get_user("t1", BORIS.id) == BORIS
