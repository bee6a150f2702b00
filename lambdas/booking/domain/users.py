"""Staff and patients of a tenant: their whole lifecycle.

A user is created in the identity provider first (``UserDirectory``: the sign-in
identity with ``custom:tenant_id`` and one role group, invited by email) and then
recorded in the table (``UserRepository``), which is what the API reads: the pool is
never scanned. The record is the authority the access gate reads on every request
(``admission``); a change of role or status is written to it first and then to the
pool, so a half-done change leaves the user with less access, never more.

Who may change whom is one rule: a caller manages the users whose role they may grant
(``access.GRANTABLE_ROLES``), and grants only those roles. Nobody demotes or disables
the tenant's last active Owner. An operation on one user reads that user with the
caller and admits the caller there (``admission``): one read, not the gate's and its own.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from booking.domain.access import GRANTABLE_ROLES, Action, authorize
from booking.domain.admission import admitted
from booking.domain.commands import CreateUser, ListUsers, UpdateProfile, UpdateUser
from booking.domain.errors import Forbidden, InvalidValue, LastOwner, NotFound
from booking.domain.models import AccountStatus, User
from booking.domain.ports import Clock, ContextReader, ContextRequest, Page, UserDirectory, UserRepository
from booking.domain.principal import Principal
from booking.domain.roles import Role
from booking.domain.user_search import inferred_field, normalised


def may_grant(principal: Principal, role: Role) -> bool:
    return role in GRANTABLE_ROLES.get(principal.role, frozenset())


@dataclass(frozen=True)
class UserService:
    directory: UserDirectory
    users: UserRepository
    context: ContextReader
    clock: Clock

    def create(self, principal: Principal, request: CreateUser) -> User:
        authorize(principal, Action.CREATE_USER)
        if not may_grant(principal, request.role):
            raise Forbidden(
                f"role {principal.role} may not create {request.role} users", code="ROLE_NOT_ALLOWED"
            )
        user_id = self.directory.create_user(principal.tenant_id, request.email, request.name, request.role)
        now = self.clock.now()
        user = User(
            id=user_id,
            tenant_id=principal.tenant_id,
            email=request.email,
            name=request.name,
            phone=request.phone,
            role=request.role,
            created_at=now,
            updated_at=now,
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
        """A page of the tenant's users, or of those whose name, email or phone starts
        with ``q`` (Reception: patients only)."""
        authorize(principal, Action.LIST_USERS)
        role = request.role
        if principal.role is Role.RECEPTION:
            if role not in (None, Role.PATIENT):
                raise Forbidden("reception lists patients only", code="ROLE_NOT_ALLOWED")
            role = Role.PATIENT
        if request.q is None:
            if request.by is not None:
                raise InvalidValue("'by' needs a search text 'q'", code="SEARCH_TEXT_REQUIRED")
            return self.users.list_users(
                principal.tenant_id, role=role, limit=request.limit, cursor=request.cursor
            )
        field = request.by or inferred_field(request.q)
        prefix = normalised(field, request.q)
        if not prefix:
            raise InvalidValue(f"nothing to search for in a {field}", code="EMPTY_SEARCH")
        return self.users.search_users(
            principal.tenant_id, field, prefix, role=role, limit=request.limit, cursor=request.cursor
        )

    def get_user(self, principal: Principal, user_id: str) -> User:
        authorize(principal, Action.GET_USER)
        return self._manageable(principal, user_id)

    def update_user(self, principal: Principal, user_id: str, request: UpdateUser) -> User:
        """Name, phone and role; a role only within what the caller may grant."""
        authorize(principal, Action.UPDATE_USER)
        current = self._manageable(principal, user_id)
        changes = request.model_dump(exclude_unset=True)
        for required in ("name", "role"):
            if required in changes and changes[required] is None:
                raise InvalidValue(f"{required} cannot be null", code="VALIDATION_ERROR")
        if request.role is not None and not may_grant(principal, request.role):
            raise Forbidden(f"role {principal.role} may not grant {request.role}", code="ROLE_NOT_ALLOWED")
        updated = self._save(current, changes)
        if request.role is not None:
            # After the record (the gate's authority): a failure here leaves the user's
            # new tokens at odds with it, refused as ROLE_CHANGED, and a retry mends it.
            self.directory.set_role(current.email, request.role)
        return updated

    def disable_user(self, principal: Principal, user_id: str) -> User:
        """Refused on their next request (the gate), unable to sign in, signed out."""
        authorize(principal, Action.DISABLE_USER)
        current = self._manageable(principal, user_id)
        updated = current
        if current.is_active:
            updated = self._save(current, {"status": AccountStatus.DISABLED})
        self.directory.disable_user(current.email)  # again on a retry: idempotent
        return updated

    def enable_user(self, principal: Principal, user_id: str) -> User:
        authorize(principal, Action.ENABLE_USER)
        current = self._manageable(principal, user_id)
        # The identity first: should the record then fail, the user stays refused.
        self.directory.enable_user(current.email)
        if current.is_active:
            return current
        return self._save(current, {"status": AccountStatus.ACTIVE})

    # The caller's own record (a patient's profile)
    def get_profile(self, principal: Principal) -> User:
        authorize(principal, Action.GET_PROFILE)
        return self._caller(principal)

    def update_profile(self, principal: Principal, request: UpdateProfile) -> User:
        authorize(principal, Action.UPDATE_PROFILE)
        current = self._caller(principal)
        changes = request.model_dump(exclude_unset=True)
        if "name" in changes and changes["name"] is None:
            raise InvalidValue("name cannot be null", code="VALIDATION_ERROR")
        return self._save(current, changes)

    def _caller(self, principal: Principal) -> User:
        """The caller's own record, read as they are admitted (it exists, or they are not)."""
        caller = admitted(self.context, principal).caller
        assert caller is not None, "an admitted caller has a record"
        return caller

    def _manageable(self, principal: Principal, user_id: str) -> User:
        """A user of the caller's tenant whose role the caller may grant, read with the
        caller as they are admitted."""
        user = admitted(self.context, principal, ContextRequest(principal.tenant_id, user_id=user_id)).user
        if user is None:
            raise NotFound(f"user {user_id} not found", code="USER_NOT_FOUND")
        if not may_grant(principal, user.role):
            raise Forbidden(
                f"role {principal.role} may not manage {user.role} users", code="ROLE_NOT_ALLOWED"
            )
        return user

    def _save(self, current: User, changes: dict[str, Any]) -> User:
        updated = User.model_validate(
            {
                **current.model_dump(),
                **changes,
                "updated_at": self.clock.now(),
                "version": current.version + 1,
            }
        )
        keep_owner = None
        if _is_active_owner(current) and not _is_active_owner(updated):
            keep_owner = self._another_owner(current)
        self.users.save_user(current, updated, keep_owner)
        return updated

    def _another_owner(self, leaving: User) -> User:
        """An active Owner other than ``leaving``; the save holds only while they stay one."""
        for owner in self.users.active_owners(leaving.tenant_id):
            if owner.id != leaving.id:
                return owner
        raise LastOwner(
            "the clinic's last Owner cannot be demoted or disabled: make another user Owner first"
        )


def _is_active_owner(user: User) -> bool:
    return user.role is Role.OWNER and user.is_active
