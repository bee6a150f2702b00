"""Lambda entry point of the ``users`` function: the tenant's users and the caller's profile."""

from __future__ import annotations

from booking import bootstrap
from booking.domain.access import Action
from booking.domain.users import UserService
from booking.handlers.http import Call, HttpFunction
from booking.schemas import ProfilePatch, User, UserCreate, UserList, UserListQuery, UserPatch

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


# An operation on one user admits the caller in the read of that user (``UserService``).
@function.operation(Action.GET_USER, admits_caller=True)
def get_user(call: Call) -> User:
    return _service().get_user(call.caller, call.path["id"])


@function.operation(Action.UPDATE_USER, admits_caller=True)
def update_user(call: Call) -> User:
    return _service().update_user(call.caller, call.path["id"], call.body_as(UserPatch))


@function.operation(Action.DISABLE_USER, admits_caller=True)
def disable_user(call: Call) -> User:
    return _service().disable_user(call.caller, call.path["id"])


@function.operation(Action.ENABLE_USER, admits_caller=True)
def enable_user(call: Call) -> User:
    return _service().enable_user(call.caller, call.path["id"])


@function.operation(Action.GET_PROFILE, admits_caller=True)
def get_profile(call: Call) -> User:
    return _service().get_profile(call.caller)


@function.operation(Action.UPDATE_PROFILE, admits_caller=True)
def update_profile(call: Call) -> User:
    return _service().update_profile(call.caller, call.body_as(ProfilePatch))


handler = function.build()
