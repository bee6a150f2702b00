"""Lambda entry point of the ``users`` function."""

from __future__ import annotations

from booking import bootstrap
from booking.domain.access import Action
from booking.domain.users import UserService
from booking.handlers.http import Call, HttpFunction
from booking.schemas import User, UserCreate, UserList, UserListQuery

function = HttpFunction("users")


def _service() -> UserService:
    return bootstrap.users()


@function.operation(Action.CREATE_USER)
def create_user(call: Call) -> User:
    return _service().create(call.caller, call.body_as(UserCreate))


@function.operation(Action.LIST_USERS)
def list_users(call: Call) -> UserList:
    page = _service().list_users(call.caller, call.query_as(UserListQuery))
    return UserList(items=page.items, next_cursor=page.next_cursor)


handler = function.build()
