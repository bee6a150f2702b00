"""Staff and patients of a tenant.

A user is created in the identity provider first (``UserDirectory``: the sign-in
identity with ``custom:tenant_id`` and one role group) and then recorded in the table
(``UserRepository``), which is what ``GET /users`` reads: the pool is never scanned.
"""

from __future__ import annotations

from dataclasses import dataclass

from booking.domain.access import CREATABLE_ROLES, Action, authorize
from booking.domain.commands import CreateUser, ListUsers
from booking.domain.errors import Forbidden
from booking.domain.models import User
from booking.domain.ports import Clock, Page, UserDirectory, UserRepository
from booking.domain.principal import Principal
from booking.domain.roles import Role


@dataclass(frozen=True)
class UserService:
    directory: UserDirectory
    users: UserRepository
    clock: Clock

    def create(self, principal: Principal, request: CreateUser) -> User:
        authorize(principal, Action.CREATE_USER)
        if request.role not in CREATABLE_ROLES.get(principal.role, frozenset()):
            raise Forbidden(
                f"role {principal.role} may not create {request.role} users", code="ROLE_NOT_ALLOWED"
            )
        user_id = self.directory.create_user(principal.tenant_id, request.email, request.name, request.role)
        user = User(
            id=user_id,
            tenant_id=principal.tenant_id,
            email=request.email,
            name=request.name,
            role=request.role,
            created_at=self.clock.now(),
        )
        try:
            self.users.put_user(user)
        except Exception:
            # A sign-in identity the table does not list could never be seen or managed
            # through the API: undo it, so a retry starts from nothing.
            self.directory.delete_user(request.email)
            raise
        return user

    def list_users(self, principal: Principal, request: ListUsers) -> Page[User]:
        authorize(principal, Action.LIST_USERS)
        role = request.role
        if principal.role is Role.RECEPTION:
            if role not in (None, Role.PATIENT):
                raise Forbidden("reception lists patients only", code="ROLE_NOT_ALLOWED")
            role = Role.PATIENT
        return self.users.list_users(
            principal.tenant_id, role=role, limit=request.limit, cursor=request.cursor
        )
