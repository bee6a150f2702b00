"""``UserRepository`` on the table: the tenant's users, listed without touching Cognito.

Cognito has no per-tenant listing (``ListUsers`` filters cannot match a custom
attribute), so every user created through the API is also written as an item in the
tenant's partition; ``GET /users`` is one Query per page on it.
"""

from __future__ import annotations

from typing import Any

from booking.adapters import dynamodb_items as items
from booking.adapters.dynamodb_table import DynamoTable
from booking.domain.errors import BadRequest
from booking.domain.models import User
from booking.domain.ports import Page
from booking.domain.roles import Role

MAX_PAGE_SIZE = 200


class DynamoUserRepository:
    def __init__(self, table: DynamoTable) -> None:
        self._table = table

    def put_user(self, user: User) -> None:
        self._table.put(items.user_item(user))

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
            "Limit": max(1, min(limit, MAX_PAGE_SIZE)),
        }
        if role is not None:
            request["FilterExpression"] = "#role = :role"
            request["ExpressionAttributeNames"]["#role"] = "role"
            request["ExpressionAttributeValues"][":role"] = {"S": role.value}
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
