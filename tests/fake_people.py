"""In-memory fakes of the users' ports: the table's user records and the identity provider.

They keep the adapters' contracts: versioned saves, the last-Owner check in the same
step as the save, searches by the normalised start of a field, a directory that
remembers each identity's tenant, group and whether it may sign in.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from itertools import count

from booking.domain.errors import BadRequest, ConcurrentModification, Conflict, LastOwner
from booking.domain.models import User
from booking.domain.ports import Page
from booking.domain.roles import Role
from booking.domain.user_search import UserSearchField, normalised


def offset_of(cursor: str | None) -> int:
    """Cursors are opaque to clients; like the adapters, refuse one this API did not issue."""
    if not cursor:
        return 0
    if not cursor.isdigit() or not cursor.isascii():
        raise BadRequest("the cursor is not one this API issued", code="INVALID_CURSOR")
    return int(cursor)


def _page(matches: list[User], limit: int, cursor: str | None) -> Page[User]:
    offset = offset_of(cursor)
    more = offset + limit < len(matches)
    return Page(items=matches[offset : offset + limit], next_cursor=str(offset + limit) if more else None)


class FakeUserRepository:
    def __init__(self) -> None:
        self.users: dict[tuple[str, str], User] = {}
        self.saves = 0
        self._lock = threading.Lock()

    def put_user(self, user: User) -> None:
        self.users[(user.tenant_id, user.id)] = user

    def save_user(self, current: User, updated: User, keep_owner: User | None = None) -> None:
        with self._lock:
            stored = self.users.get((current.tenant_id, current.id))
            if stored is None or stored.version != current.version:
                raise ConcurrentModification("the user changed meanwhile")
            if keep_owner is not None:
                witness = self.users.get((keep_owner.tenant_id, keep_owner.id))
                if witness is None or witness.role is not Role.OWNER or not witness.is_active:
                    raise LastOwner("the other Owner changed meanwhile")
            self.saves += 1
            self.users[(updated.tenant_id, updated.id)] = updated.model_copy(
                update={"version": current.version + 1}
            )

    def get_user(self, tenant_id: str, user_id: str) -> User | None:
        return self.users.get((tenant_id, user_id))

    def _of(self, tenant_id: str, role: Role | None) -> list[User]:
        return sorted(
            (
                user
                for user in self.users.values()
                if user.tenant_id == tenant_id and (role is None or user.role == role)
            ),
            key=lambda user: user.id,
        )

    def list_users(
        self, tenant_id: str, role: Role | None = None, limit: int = 50, cursor: str | None = None
    ) -> Page[User]:
        return _page(self._of(tenant_id, role), limit, cursor)

    def search_users(
        self,
        tenant_id: str,
        field: UserSearchField,
        prefix: str,
        role: Role | None = None,
        limit: int = 50,
        cursor: str | None = None,
    ) -> Page[User]:
        def value(user: User) -> str:
            raw = getattr(user, field.value)
            return normalised(field, raw) if raw else ""

        found = [user for user in self._of(tenant_id, role) if value(user) and value(user).startswith(prefix)]
        return _page(sorted(found, key=lambda user: (value(user), user.id)), limit, cursor)

    def active_owners(self, tenant_id: str) -> list[User]:
        return [user for user in self._of(tenant_id, Role.OWNER) if user.is_active]


@dataclass
class Identity:
    tenant_id: str
    email: str
    name: str | None
    role: Role
    enabled: bool = True
    signed_out: int = 0  # how many times the user was signed out everywhere


class FakeUserDirectory:
    """The identity provider: who was created with which tenant and group, and whether
    they may sign in."""

    def __init__(self) -> None:
        self.created: dict[str, Identity] = {}  # sub -> identity
        self._subs = count(1)

    def create_user(self, tenant_id: str, email: str, name: str | None, role: Role) -> str:
        if self._find(email) is not None:
            raise Conflict(f"a user with email {email} already exists", code="USER_EXISTS")
        sub = f"sub-{next(self._subs):06d}"
        self.created[sub] = Identity(tenant_id, email, name, role)
        return sub

    def add(self, sub: str, tenant_id: str, email: str, role: Role) -> None:
        """An identity made elsewhere (a test's clinic), under a known ``sub``."""
        self.created[sub] = Identity(tenant_id, email, None, role)

    def _find(self, email: str) -> Identity | None:
        return next(
            (identity for identity in self.created.values() if identity.email.lower() == email.lower()), None
        )

    def identity(self, email: str) -> Identity:
        found = self._find(email)
        assert found is not None, f"no identity {email}"
        return found

    def delete_user(self, email: str) -> None:
        for sub, identity in list(self.created.items()):
            if identity.email.lower() == email.lower():
                del self.created[sub]

    def set_role(self, email: str, role: Role) -> None:
        self.identity(email).role = role

    def disable_user(self, email: str) -> None:
        identity = self.identity(email)
        identity.enabled = False
        identity.signed_out += 1

    def enable_user(self, email: str) -> None:
        self.identity(email).enabled = True

    def tenant_of(self, email: str) -> str | None:
        found = self._find(email)
        return None if found is None else found.tenant_id
