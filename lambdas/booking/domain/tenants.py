"""Bringing a clinic on board, listing the clinics, switching one off and on again.

The operator's work (``bookingctl tenant …``), not an API route: no tenant's user may
create tenants. Creating one checks everything before it writes anything (the tenant
id and the web address free, the Owner's email not a user of another clinic; the
values themselves are ``CreateTenant``'s: a known IANA zone, a well-formed email), then
writes the profile and invites the Owner by email (``UserService.create``, as the
operator). Run again with the same values it changes nothing and says so; a run cut
short after the profile finishes the job.

Disabling a clinic deletes nothing: its users are refused on every route
(``admission``) until it is enabled again, as they were.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from booking.domain.commands import CreateTenant, CreateUser
from booking.domain.errors import Conflict, NotFound
from booking.domain.models import AccountStatus, Tenant, User
from booking.domain.ports import CatalogRepository, Clock, ContextReader, UserDirectory, UserRepository
from booking.domain.principal import Principal
from booking.domain.roles import Role
from booking.domain.user_search import UserSearchField, normalised
from booking.domain.users import UserService

# Who the operator's changes are recorded as (an Owner of the tenant at hand).
OPERATOR_ID = "bookingctl"
# The fields a re-run must repeat to be "the same values".
PROFILE_FIELDS = ("name", "time_zone", "locale", "web_address")

Progress = Callable[[str], None]


@dataclass(frozen=True)
class Onboarding:
    tenant: Tenant
    owner: User
    changes: tuple[str, ...]  # what this run did; empty: nothing to change


@dataclass(frozen=True)
class TenantAdministration:
    catalog: CatalogRepository
    users: UserRepository
    directory: UserDirectory
    context: ContextReader
    clock: Clock

    def create(self, request: CreateTenant, progress: Progress = lambda _: None) -> Onboarding:
        existing = self.catalog.get_tenant(request.id)
        if existing is not None:
            differences = [
                name for name in PROFILE_FIELDS if getattr(existing, name) != getattr(request, name)
            ]
            if differences:
                raise Conflict(
                    f"the tenant id {request.id} is taken (by {existing.name!r}; "
                    f"its {', '.join(differences)} differ)",
                    code="TENANT_EXISTS",
                )
        if request.web_address is not None:
            holder = self.catalog.find_tenant_by_web_address(request.web_address)
            if holder is not None and holder.id != request.id:
                raise Conflict(
                    f"the web address {request.web_address} belongs to tenant {holder.id}",
                    code="WEB_ADDRESS_TAKEN",
                )
        owner = self._owner(request)
        changes: list[str] = []
        tenant = existing
        if tenant is None:
            now = self.clock.now()
            fields = request.model_dump(include={"id", *PROFILE_FIELDS})
            tenant = Tenant(**fields, created_at=now, updated_at=now)
            self.catalog.create_tenant(tenant)
            changes.append(f"created tenant {tenant.id} ({tenant.name}, {tenant.time_zone})")
            progress(changes[-1])
        if owner is None:
            users = UserService(self.directory, self.users, self.context, self.clock)
            operator = Principal(user_id=OPERATOR_ID, tenant_id=request.id, role=Role.OWNER)
            owner = users.create(operator, CreateUser(email=request.owner_email, role=Role.OWNER))
            changes.append(f"invited the Owner {owner.email} by email")
            progress(changes[-1])
        return Onboarding(tenant, owner, tuple(changes))

    def _owner(self, request: CreateTenant) -> User | None:
        """The Owner a previous run invited, if any; an email that is anyone else's is
        an error."""
        elsewhere = self.directory.tenant_of(request.owner_email)
        if elsewhere is None:
            return None
        if elsewhere != request.id:
            raise Conflict(f"{request.owner_email} is already a user of another clinic", code="USER_EXISTS")
        email = normalised(UserSearchField.EMAIL, request.owner_email)
        found = self.users.search_users(request.id, UserSearchField.EMAIL, email, role=Role.OWNER)
        for user in found.items:
            if normalised(UserSearchField.EMAIL, user.email) == email:
                return user
        raise Conflict(
            f"{request.owner_email} is a user of tenant {request.id} but not its Owner", code="USER_EXISTS"
        )

    def list_tenants(self) -> list[Tenant]:
        return sorted(self.catalog.list_tenants(), key=lambda tenant: tenant.id)

    def set_status(self, tenant_id: str, status: AccountStatus) -> tuple[Tenant, bool]:
        """The tenant with ``status``, and whether this call changed it."""
        tenant = self.catalog.get_tenant(tenant_id)
        if tenant is None:
            raise NotFound(f"no tenant {tenant_id}", code="TENANT_NOT_FOUND")
        if tenant.status is status:
            return tenant, False
        updated = tenant.model_copy(update={"status": status, "updated_at": self.clock.now()})
        self.catalog.put_tenant(updated, previous=tenant)
        return updated, True
