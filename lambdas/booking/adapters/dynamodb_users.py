"""``UserRepository`` on the table: the tenant's users, found without touching Cognito.

Cognito has no per-tenant listing (``ListUsers`` filters cannot match a custom
attribute), so every user created through the API is also written as an item in the
tenant's partition; ``GET /users`` is one Query per page on it. Each record is written
in one transaction with its index entries (``dynamodb_directory_items``): a search by
the start of a name, email or phone is one Query per page on the directory index, and
so is finding the tenant's Owners. A change is versioned; a change that removes an
active Owner also checks, in the same transaction, that another one still is.
"""

from __future__ import annotations

from typing import Any

from booking.adapters import dynamodb_directory_items as directory
from booking.adapters import dynamodb_items as items
from booking.adapters.dynamodb_table import DynamoTable, Item
from booking.domain.errors import BadRequest, ConcurrentModification, LastOwner
from booking.domain.models import AccountStatus, User
from booking.domain.ports import Page
from booking.domain.roles import Role
from booking.domain.user_search import UserSearchField

MAX_PAGE_SIZE = 200
CONDITION_FAILED = "ConditionalCheckFailed"
ACTIVE = "attribute_not_exists(#status) OR #status = :active"


def _page_size(limit: int) -> int:
    return max(1, min(limit, MAX_PAGE_SIZE))


class DynamoUserRepository:
    def __init__(self, table: DynamoTable) -> None:
        self._table = table

    def _key(self, user: User) -> Item:
        return items.key_of(items.tenant_pk(user.tenant_id), items.USER_PREFIX + user.id)

    def _puts(self, user: User) -> list[Any]:
        """The record and every index entry of ``user``."""
        written = [items.user_item(user), *directory.user_index_items(user)]
        return [{"Put": {"TableName": self._table.name, "Item": item}} for item in written]

    def put_user(self, user: User) -> None:
        codes = self._table.transact(self._puts(user))
        if codes is not None:
            raise ConcurrentModification(f"user {user.id} is being written by another request; try again")

    def delete_user(self, user: User) -> None:
        """Remove the record and its index entries. People are disabled, never deleted:
        this is for a user made for a moment (``bookingctl smoke``'s own)."""
        keys = [{name: put["Put"]["Item"][name] for name in (items.PK, items.SK)} for put in self._puts(user)]
        self._table.transact([{"Delete": {"TableName": self._table.name, "Key": key}} for key in keys])

    def save_user(self, current: User, updated: User, keep_owner: User | None = None) -> None:
        actions = self._puts(updated)
        record = actions[0]["Put"]
        record["ExpressionAttributeNames"] = {"#pk": items.PK, "#version": "version"}
        record["ExpressionAttributeValues"] = {":version": {"N": str(current.version)}}
        # A record written before users were versioned has none: it reads as version 1.
        unversioned = " OR attribute_not_exists(#version)" if current.version == 1 else ""
        record["ConditionExpression"] = f"attribute_exists(#pk) AND (#version = :version{unversioned})"
        gone = set(directory.indexed_values(current)) - set(directory.indexed_values(updated))
        actions += [
            {
                "Delete": {
                    "TableName": self._table.name,
                    "Key": directory.user_index_key(current.tenant_id, field, current.id),
                }
            }
            for field in sorted(gone)
        ]
        if keep_owner is not None:
            actions.append(
                {
                    "ConditionCheck": {
                        "TableName": self._table.name,
                        "Key": self._key(keep_owner),
                        "ConditionExpression": f"#role = :owner AND ({ACTIVE})",
                        "ExpressionAttributeNames": {"#role": "role", "#status": "status"},
                        "ExpressionAttributeValues": {
                            ":owner": {"S": Role.OWNER.value},
                            ":active": {"S": AccountStatus.ACTIVE.value},
                        },
                    }
                }
            )
        codes = self._table.transact(actions)
        if codes is None:
            return
        if keep_owner is not None and codes[-1] == CONDITION_FAILED:
            raise LastOwner("the clinic's other Owner changed meanwhile: it would be left without one")
        raise ConcurrentModification(f"user {current.id} was changed by someone else; read it again")

    def get_user(self, tenant_id: str, user_id: str) -> User | None:
        item = self._table.get(items.key_of(items.tenant_pk(tenant_id), items.USER_PREFIX + user_id))
        return items.model_from_item(User, item) if item else None

    def list_users(
        self, tenant_id: str, role: Role | None = None, limit: int = 50, cursor: str | None = None
    ) -> Page[User]:
        partition = items.tenant_pk(tenant_id)
        request: dict[str, Any] = {
            "KeyConditionExpression": "#pk = :pk AND begins_with(#sk, :prefix)",
            "ExpressionAttributeNames": {"#pk": items.PK, "#sk": items.SK},
            "ExpressionAttributeValues": {":pk": {"S": partition}, ":prefix": {"S": items.USER_PREFIX}},
            "ConsistentRead": True,
            "Limit": _page_size(limit),
        }
        _filter_role(request, role)
        if cursor:
            start_key = items.decode_cursor(cursor, None, (items.PK, partition))
            if not start_key[items.SK]["S"].startswith(items.USER_PREFIX):
                raise BadRequest("the cursor belongs to another listing", code=items.INVALID_CURSOR)
            request["ExclusiveStartKey"] = start_key
        found, last_key = self._table.query_page(**request)
        return Page(
            items=[items.model_from_item(User, item) for item in found],
            next_cursor=items.encode_cursor(None, last_key),
        )

    def search_users(
        self,
        tenant_id: str,
        field: UserSearchField,
        prefix: str,
        role: Role | None = None,
        limit: int = 50,
        cursor: str | None = None,
    ) -> Page[User]:
        index = directory.DIRECTORY
        partition = directory.directory_pk(tenant_id, field.value)
        request = _directory_query(partition, prefix)
        request["Limit"] = _page_size(limit)
        _filter_role(request, role)
        if cursor:
            request["ExclusiveStartKey"] = items.decode_cursor(
                cursor, index.name, (index.partition_key, partition)
            )
        found, last_key = self._table.query_page(**request)
        return Page(
            items=[items.model_from_item(User, item) for item in found],
            next_cursor=items.encode_cursor(index.name, last_key),
        )

    def active_owners(self, tenant_id: str) -> list[User]:
        request = _directory_query(directory.directory_pk(tenant_id, directory.ROLE_FIELD), f"{Role.OWNER}#")
        request["FilterExpression"] = ACTIVE
        request["ExpressionAttributeNames"]["#status"] = "status"
        request["ExpressionAttributeValues"][":active"] = {"S": AccountStatus.ACTIVE.value}
        return [items.model_from_item(User, item) for item in self._table.query_all(**request)]


def _directory_query(partition: str, prefix: str) -> dict[str, Any]:
    index = directory.DIRECTORY
    return {
        "IndexName": index.name,
        "KeyConditionExpression": "#pk = :pk AND begins_with(#sk, :prefix)",
        "ExpressionAttributeNames": {"#pk": index.partition_key, "#sk": index.sort_key},
        "ExpressionAttributeValues": {":pk": {"S": partition}, ":prefix": {"S": prefix}},
    }


def _filter_role(request: dict[str, Any], role: Role | None) -> None:
    if role is not None:
        request["FilterExpression"] = "#role = :role"
        request["ExpressionAttributeNames"]["#role"] = "role"
        request["ExpressionAttributeValues"][":role"] = {"S": role.value}
