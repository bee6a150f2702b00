"""Users: a Cognito identity with tenant and role, and a table item to list it by."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import boto3
import pytest
from booking.adapters.cognito import CognitoUserDirectory
from booking.adapters.dynamodb_table import DynamoTable
from booking.adapters.dynamodb_users import DynamoUserRepository
from booking.domain.errors import BadRequest, Conflict
from booking.domain.models import User
from booking.domain.roles import Role

from tests.aws import create_user_pool


@pytest.fixture
def cognito(aws: None) -> Any:
    return boto3.client("cognito-idp")


@pytest.fixture
def pool_id(cognito: Any) -> str:
    return create_user_pool(cognito)


@pytest.fixture
def directory(pool_id: str) -> CognitoUserDirectory:
    return CognitoUserDirectory(pool_id)


@pytest.fixture
def users(table: DynamoTable) -> DynamoUserRepository:
    return DynamoUserRepository(table)


def attributes_of(cognito: Any, pool_id: str, username: str) -> dict[str, str]:
    user = cognito.admin_get_user(UserPoolId=pool_id, Username=username)
    return {attribute["Name"]: attribute["Value"] for attribute in user["UserAttributes"]}


def test_a_created_user_carries_the_tenant_the_verified_email_and_one_role_group(
    directory: CognitoUserDirectory, cognito: Any, pool_id: str
) -> None:
    sub = directory.create_user("t1", "ana@example.com", "Ana", Role.DENTIST)

    attributes = attributes_of(cognito, pool_id, "ana@example.com")
    assert attributes["sub"] == sub
    assert attributes["custom:tenant_id"] == "t1"
    assert attributes["email"] == "ana@example.com"
    assert attributes["email_verified"] == "true"
    assert attributes["name"] == "Ana"
    groups = cognito.admin_list_groups_for_user(UserPoolId=pool_id, Username="ana@example.com")["Groups"]
    assert [group["GroupName"] for group in groups] == ["Dentist"]


def test_a_duplicate_email_is_a_conflict_with_a_stable_code(directory: CognitoUserDirectory) -> None:
    directory.create_user("t1", "ana@example.com", None, Role.PATIENT)

    with pytest.raises(Conflict) as raised:
        directory.create_user("t1", "ana@example.com", None, Role.ADMIN)

    assert raised.value.code == "USER_EXISTS"
    assert raised.value.status == 409


def test_a_user_whose_group_cannot_be_assigned_is_removed_again(
    directory: CognitoUserDirectory, cognito: Any, pool_id: str
) -> None:
    cognito.delete_group(UserPoolId=pool_id, GroupName="Reception")

    with pytest.raises(Exception, match="Group"):
        directory.create_user("t1", "rita@example.com", None, Role.RECEPTION)

    listed = cognito.list_users(UserPoolId=pool_id)["Users"]
    assert listed == []


def a_user(user_id: str, role: Role, tenant_id: str = "t1") -> User:
    return User(
        id=user_id,
        tenant_id=tenant_id,
        email=f"{user_id}@example.com",
        role=role,
        created_at=datetime(2030, 1, 1, tzinfo=UTC),
    )


def test_users_round_trip_and_list_per_tenant_in_pages(users: DynamoUserRepository) -> None:
    for number in range(5):
        users.put_user(a_user(f"u{number}", Role.PATIENT))
    users.put_user(a_user("staff", Role.ADMIN))
    users.put_user(a_user("foreign", Role.PATIENT, tenant_id="t2"))

    assert users.get_user("t1", "u1") == a_user("u1", Role.PATIENT)
    assert users.get_user("t2", "u1") is None
    listed: list[str] = []
    cursor = None
    pages = 0
    while True:
        page = users.list_users("t1", limit=4, cursor=cursor)
        listed += [user.id for user in page.items]
        pages += 1
        cursor = page.next_cursor
        if cursor is None:
            break
    assert sorted(listed) == ["staff", "u0", "u1", "u2", "u3", "u4"]
    assert pages == 2


def test_users_can_be_listed_by_role(users: DynamoUserRepository) -> None:
    users.put_user(a_user("p1", Role.PATIENT))
    users.put_user(a_user("d1", Role.DENTIST))

    assert [user.id for user in users.list_users("t1", role=Role.DENTIST).items] == ["d1"]


def test_a_user_cursor_cannot_be_replayed_in_another_tenant(users: DynamoUserRepository) -> None:
    for number in range(3):
        users.put_user(a_user(f"u{number}", Role.PATIENT))
    cursor = users.list_users("t1", limit=1).next_cursor

    with pytest.raises(BadRequest):
        users.list_users("t2", limit=1, cursor=cursor)
