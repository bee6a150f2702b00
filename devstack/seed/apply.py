"""A seed (``devstack.seed``) written into a stack through the API's own code paths.

The tenant, treatments and professionals go through ``CatalogService`` and the users
through ``UserService`` (Cognito directory + user items), with the DynamoDB and
Cognito adapters the Lambda functions use, so the seed obeys the same validation and
lands in the same item layout as anything created over HTTP. The only step outside
the API is giving each demo user a permanent password (``AdminSetUserPassword``): in
the devstack the seed file's published ones, which is the point of a demo; on a real
stack ``bookingctl seed`` passes generated ones (``password_for``), shown once.

Works against the devstack's emulator and, with boto3's usual credentials, against a
real stack (``bookingctl seed --stack NAME``). Running it twice is harmless: ids are
fixed and existing users are kept.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from booking.adapters.cognito import USER_EXISTS, CognitoUserDirectory
from booking.adapters.dynamodb_bookings import DynamoBookingRepository
from booking.adapters.dynamodb_catalog import DynamoCatalogRepository
from booking.adapters.dynamodb_context import DynamoContextReader
from booking.adapters.dynamodb_table import DynamoTable
from booking.adapters.dynamodb_users import DynamoUserRepository
from booking.adapters.system import SystemClock
from booking.domain.catalogs import CatalogService
from booking.domain.commands import CreateProfessional, CreateTreatment, CreateUser, UpdateTenant
from booking.domain.errors import Conflict
from booking.domain.models import User
from booking.domain.principal import Principal
from booking.domain.roles import Role
from booking.domain.users import UserService

from devstack.outputs import DemoUser
from devstack.seed import Seed, SeedUser

# Who the seed acts as: the tenant's owner (the only role allowed every write).
SEED_ACTOR_ID = "seed"

Progress = Callable[[str], None]


@dataclass(frozen=True)
class SeedReport:
    tenant_id: str
    treatment_ids: list[str]
    professional_ids: list[str]
    demo_users: list[DemoUser]


class _DeclaredIds:
    """``IdGenerator`` that hands out the seed's own ids, so the demo's ids are stable
    (``dr-ana-torres``) and a second run overwrites rather than duplicates."""

    def __init__(self) -> None:
        self._next: deque[str] = deque()

    def expect(self, identifier: str) -> None:
        self._next.append(identifier)

    def new_id(self) -> str:
        return self._next.popleft()


def apply_seed(
    seed: Seed,
    *,
    table_name: str,
    user_pool_id: str,
    dynamodb: Any,
    cognito: Any,
    progress: Progress = lambda _message: None,
    password_for: Callable[[SeedUser], str] = lambda user: user.password,
) -> SeedReport:
    """Write ``seed`` into the table and user pool (boto3 clients given, so the same code
    seeds the emulator and a real account). Each user's password is ``password_for(user)``:
    by default the seed file's (published in the repository: the devstack only)."""
    table = DynamoTable(table_name, client=dynamodb)
    ids = _DeclaredIds()
    clock = SystemClock()
    catalog = CatalogService(
        catalog=DynamoCatalogRepository(table),
        bookings=DynamoBookingRepository(table),
        clock=clock,
        ids=ids,
    )
    user_items = DynamoUserRepository(table)
    users = UserService(
        # The demo users get the seed's passwords: no invitation with a temporary one.
        directory=CognitoUserDirectory(user_pool_id, client=cognito, invite=False),
        users=user_items,
        context=DynamoContextReader(table),
        clock=clock,
    )
    tenant = seed.tenant
    actor = Principal(user_id=SEED_ACTOR_ID, tenant_id=tenant.id, role=Role.OWNER)

    catalog.update_tenant(
        actor,
        UpdateTenant(
            name=tenant.name,
            time_zone=tenant.time_zone,
            locale=tenant.locale,
            policy=tenant.policy,
            web_address=tenant.web_address,
        ),
    )
    progress(f"tenant {tenant.id} ({tenant.name}, {tenant.time_zone})")

    demo_users = []
    for seed_user in seed.users:
        user_id = _ensure_user(users, user_items, cognito, user_pool_id, actor, seed_user)
        password = password_for(seed_user)
        cognito.admin_set_user_password(
            UserPoolId=user_pool_id, Username=seed_user.email, Password=password, Permanent=True
        )
        demo_users.append(
            DemoUser(
                email=seed_user.email,
                password=password,
                role=seed_user.role.value,
                tenant_id=tenant.id,
                user_id=user_id,
            )
        )
        progress(f"user {seed_user.email} ({seed_user.role.value})")
    subs = {user.email: user.user_id for user in demo_users}

    for treatment in seed.treatments:
        ids.expect(treatment.id)
        catalog.create_treatment(actor, CreateTreatment(**treatment.model_dump(exclude={"id"})))
        progress(f"treatment {treatment.id} ({treatment.duration_minutes} min)")

    for professional in seed.professionals:
        ids.expect(professional.id)
        fields = professional.model_dump(exclude={"id", "user_email"})
        if professional.user_email:
            fields["user_id"] = subs[professional.user_email]
        catalog.create_professional(actor, CreateProfessional(**fields))
        progress(f"professional {professional.id} ({', '.join(professional.treatment_ids)})")

    return SeedReport(
        tenant_id=tenant.id,
        treatment_ids=[treatment.id for treatment in seed.treatments],
        professional_ids=[professional.id for professional in seed.professionals],
        demo_users=demo_users,
    )


def _ensure_user(
    users: UserService,
    user_items: DynamoUserRepository,
    cognito: Any,
    user_pool_id: str,
    actor: Principal,
    seed_user: SeedUser,
) -> str:
    """Create the user as ``POST /users`` does; on a second run keep the existing one."""
    try:
        created = users.create(
            actor, CreateUser(email=seed_user.email, name=seed_user.name, role=seed_user.role)
        )
    except Conflict as error:
        if error.code != USER_EXISTS:
            raise
    else:
        return created.id
    existing = cognito.admin_get_user(UserPoolId=user_pool_id, Username=seed_user.email)
    sub = next(attribute["Value"] for attribute in existing["UserAttributes"] if attribute["Name"] == "sub")
    if user_items.get_user(actor.tenant_id, sub) is None:
        user_items.put_user(
            User(
                id=sub,
                tenant_id=actor.tenant_id,
                email=seed_user.email,
                name=seed_user.name,
                role=seed_user.role,
                created_at=datetime.now(UTC),
            )
        )
    return str(sub)
