"""``bookingctl tenant create|list|disable|enable``: clinics brought on board, listed,
switched off and on again.

The commands' logic, free of any command-line library (``commands/tenant.py`` gives it
Typer's options and Rich's output through ``Report``). They act on a deployed stack,
found from its outputs (``tableName``, ``userPoolId``, ``region`` of ``pulumi stack
output --json``: the one boundary to Pulumi, which a test replaces) with the caller's own
AWS credentials, or (``--devstack``) on the devstack running here, from its typed
outputs. The work is the domain's ``TenantAdministration``: every check before any
write, and a re-run with the same values changes nothing and says so.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, Protocol

from booking.domain.commands import CreateTenant
from booking.domain.errors import DomainError
from booking.domain.models import AccountStatus, Tenant
from booking.domain.tenants import TenantAdministration
from pydantic import ValidationError

from devstack.state import StateDir

# A stack's outputs by its name: ``pulumi stack output --json --stack NAME``.
StackOutputs = Callable[[str], Mapping[str, Any]]

# Exit codes: done (or nothing to change), refused by the platform, bad input or target.
DONE, REFUSED, INVALID = 0, 1, 2


class Report(Protocol):
    """Where a command's words go."""

    def say(self, message: str) -> None:
        """A result: what was done, or that there was nothing to change."""

    def fail(self, message: str) -> None:
        """Why nothing (more) was done."""

    def tenants(self, where: str, tenants: list[Tenant]) -> None:
        """The clinics of a stack."""


class TargetError(Exception):
    """Where to act could not be determined, in words for a person."""


@dataclass(frozen=True)
class Target:
    """A stack's table and user pool, and the clients that reach them."""

    description: str
    table_name: str
    user_pool_id: str
    dynamodb: Any
    cognito: Any


def devstack_target(stack: str, state: StateDir) -> Target:
    """The devstack running here (its outputs name its emulator, table and pool)."""
    from devstack.outputs import OutputsNotFound, read_outputs

    try:
        outputs = read_outputs(state)
    except OutputsNotFound as error:
        raise TargetError(str(error)) from error
    if outputs.stack != stack:
        raise TargetError(f"the devstack in {state.root} runs stack {outputs.stack}, not {stack}")
    return Target(
        f"the devstack of stack {stack} ({outputs.aws_endpoint_url})",
        outputs.table_name,
        outputs.user_pool_id,
        outputs.client("dynamodb"),
        outputs.client("cognito-idp"),
    )


def stack_target(stack: str, outputs_of: StackOutputs, session: Any = None) -> Target:
    """The deployed ``stack``, with boto3's usual credentials (profile, environment, SSO)."""
    outputs = outputs_of(stack)
    table, pool = outputs.get("tableName"), outputs.get("userPoolId")
    if not table or not pool:
        raise TargetError(f"stack {stack} exports no tableName/userPoolId")
    if session is None:
        import boto3

        session = boto3.session.Session(region_name=outputs.get("region"))
    return Target(
        f"stack {stack} ({session.region_name})",
        str(table),
        str(pool),
        session.client("dynamodb"),
        session.client("cognito-idp"),
    )


def administration(target: Target) -> TenantAdministration:
    from booking.adapters.cognito import CognitoUserDirectory
    from booking.adapters.dynamodb_catalog import DynamoCatalogRepository
    from booking.adapters.dynamodb_context import DynamoContextReader
    from booking.adapters.dynamodb_table import DynamoTable
    from booking.adapters.dynamodb_users import DynamoUserRepository
    from booking.adapters.system import SystemClock

    table = DynamoTable(target.table_name, client=target.dynamodb)
    return TenantAdministration(
        catalog=DynamoCatalogRepository(table),
        users=DynamoUserRepository(table),
        directory=CognitoUserDirectory(target.user_pool_id, client=target.cognito),
        context=DynamoContextReader(table),
        clock=SystemClock(),
    )


def default_tenant_id(name: str, web_address: str | None) -> str:
    """The web address, else the name made an identifier ("Clínica Sonrisa" → "clinica-sonrisa")."""
    if web_address:
        return web_address
    plain = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", plain.lower()).strip("-")[:63]


def _option(location: tuple[Any, ...]) -> str:
    """A validation error's field as the command's option (``timeZone`` → ``--time-zone``)."""
    field = str(location[0]) if location else "value"
    return "--" + re.sub(r"(?<!^)(?=[A-Z])", "-", field).replace("_", "-").lower()


# What a pattern means, for the options whose pattern a person should not have to read.
EXPECTED = {
    "owner_email": "not an email address",
    "ownerEmail": "not an email address",
    "web_address": "use lowercase letters, digits and hyphens",
    "webAddress": "use lowercase letters, digits and hyphens",
    "id": "use letters, digits, '-' and '_' (at most 64)",
}


def _explained(problem: Any) -> str:
    field = str(problem["loc"][0]) if problem["loc"] else ""
    if problem["type"] == "string_pattern_mismatch" and field in EXPECTED:
        return EXPECTED[field]
    return str(problem["msg"]).removeprefix("Value error, ")


def create(fields: Mapping[str, Any], target_of: Callable[[], Target], report: Report) -> int:
    """Validate ``fields`` (the options), then bring the clinic on board."""
    values = dict(fields)
    values["id"] = values.get("id") or default_tenant_id(
        str(values.get("name", "")), values.get("web_address")
    )
    try:
        request = CreateTenant.model_validate(values)
    except ValidationError as error:
        for problem in error.errors(include_url=False):
            report.fail(f"invalid {_option(problem['loc'])} {problem.get('input')!r}: {_explained(problem)}")
        return INVALID
    return _on_target(target_of, report, lambda admin, where: _create(admin, where, request, report))


def _create(admin: TenantAdministration, where: str, request: CreateTenant, report: Report) -> int:
    report.say(f"tenant {request.id} on {where}")
    done = admin.create(request, progress=lambda message: report.say(f"  {message}"))
    if not done.changes:
        owner = done.owner.email
        report.say(f"nothing to change: tenant {done.tenant.id} and its Owner {owner} are there already")
    return DONE


def list_tenants(target_of: Callable[[], Target], report: Report) -> int:
    def show(admin: TenantAdministration, where: str) -> int:
        report.tenants(where, admin.list_tenants())
        return DONE

    return _on_target(target_of, report, show)


def set_status(tenant_id: str, status: AccountStatus, target_of: Callable[[], Target], report: Report) -> int:
    def change(admin: TenantAdministration, where: str) -> int:
        _, changed = admin.set_status(tenant_id, status)
        done = f"tenant {tenant_id} {status} on {where}"
        report.say(done if changed else f"nothing to change: tenant {tenant_id} is {status}")
        return DONE

    return _on_target(target_of, report, change)


def _on_target(
    target_of: Callable[[], Target], report: Report, work: Callable[[TenantAdministration, str], int]
) -> int:
    try:
        target = target_of()
    except TargetError as error:
        report.fail(f"no target: {error}")
        return INVALID
    try:
        return work(administration(target), target.description)
    except DomainError as error:
        report.fail(f"refused: {error.message} ({error.code})")
        return REFUSED
