"""``bookingctl tenant create|list|disable|enable --stack NAME [--devstack]``: the clinics
of a stack, against the deployed stack NAME (its ``pulumi stack output``, your AWS
credentials) or, with ``--devstack``, the devstack running here
(``.devstack/outputs.json``). The options and the output only: the logic is
``bookingctl/tenants.py``. Results go to stdout, refusals to stderr; exit status 0 done
(or nothing to change), 1 refused, 2 a bad value or no stack to act on.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from bookingctl import console

if TYPE_CHECKING:
    from booking.domain.models import Tenant

    from bookingctl.tenants import Target

app = typer.Typer(
    name="tenant", help="Create, list, disable and enable the clinics of a stack.", no_args_is_help=True
)

Stack = Annotated[str, typer.Option(help="the stack whose clinics these are")]
Devstack = Annotated[bool, typer.Option("--devstack", help="act on the devstack running here")]
StateDirOption = Annotated[Path | None, typer.Option(help="the devstack's state (default: .devstack)")]
TenantId = Annotated[str, typer.Argument(help="the tenant id")]


class _Report:
    """``tenants.Report`` on the terminal: results on stdout, refusals on stderr."""

    def say(self, message: str) -> None:
        console.stdout().print(message, soft_wrap=True)

    def fail(self, message: str) -> None:
        console.fail(f"bookingctl tenant: {message}")

    def tenants(self, where: str, tenants: list[Tenant]) -> None:
        shown = console.table()
        # Ids and web addresses are what an operator copies into the next command: on a
        # narrow terminal the other columns wrap, these keep their whole width.
        widest_id = max((len(tenant.id) for tenant in tenants), default=2)
        widest_address = max((len(tenant.web_address or "-") for tenant in tenants), default=11)
        shown.add_column("id", no_wrap=True, min_width=widest_id)
        shown.add_column("name")
        shown.add_column("status")
        shown.add_column("web address", no_wrap=True, min_width=widest_address)
        for column in ("time zone", "locale", "sign-up"):
            shown.add_column(column)
        for tenant in tenants:
            sign_up = "on" if tenant.sign_up_enabled else "off"
            row = (tenant.id, tenant.name, tenant.status, tenant.web_address or "-", tenant.time_zone)
            shown.add_row(*row, tenant.locale, sign_up)
        out = console.stdout()
        out.print(f"{len(tenants)} tenant(s) on {where}", soft_wrap=True)
        out.print(shown)


def target_of(stack: str, devstack: bool, state_dir: Path | None) -> Callable[[], Target]:
    """Where a command acts (resolved when called): the devstack running here, or the
    deployed stack from its outputs. Also ``bookingctl test-user``'s."""
    from bookingctl import tenants
    from devstack.state import STATE_DIR, StateDir

    if devstack:
        return lambda: tenants.devstack_target(stack, StateDir(state_dir or STATE_DIR))

    def deployed() -> Target:
        from bookingctl.commands.seed import SeedTargetError, stack_outputs

        try:
            return tenants.stack_target(stack, stack_outputs)
        except SeedTargetError as error:
            raise tenants.TargetError(str(error)) from error

    return deployed


@app.command("create")
def create(
    stack: Stack,
    name: Annotated[str, typer.Option(help="the clinic's name")],
    time_zone: Annotated[str, typer.Option(help="IANA time zone, e.g. America/Guayaquil")],
    owner_email: Annotated[str, typer.Option(help="the Owner, invited by email to set a password")],
    locale: Annotated[str, typer.Option(help="the clinic's language")] = "es-EC",
    web_address: Annotated[
        str | None, typer.Option(help="how patients pick the clinic: lowercase letters, digits, hyphens")
    ] = None,
    tenant_id: Annotated[
        str | None, typer.Option("--id", help="default: the web address, else the name made an id")
    ] = None,
    devstack: Devstack = False,
    state_dir: StateDirOption = None,
) -> None:
    """Bring a clinic on board and invite its Owner by email.

    Every value is checked, and the tenant id, the web address and the Owner's email
    are checked free, before anything is written; run again with the same values it
    changes nothing and says so.
    """
    from bookingctl import tenants

    fields: dict[str, Any] = {"name": name, "time_zone": time_zone, "owner_email": owner_email}
    fields |= {"locale": locale, "web_address": web_address, "id": tenant_id}
    report = _Report()
    raise typer.Exit(tenants.create(fields, target_of(stack, devstack, state_dir), report))


@app.command("list")
def list_tenants(stack: Stack, devstack: Devstack = False, state_dir: StateDirOption = None) -> None:
    """List the stack's clinics."""
    from bookingctl import tenants

    raise typer.Exit(tenants.list_tenants(target_of(stack, devstack, state_dir), _Report()))


@app.command("disable")
def disable(
    tenant: TenantId, stack: Stack, devstack: Devstack = False, state_dir: StateDirOption = None
) -> None:
    """Refuse every user of a clinic on every route (nothing is deleted)."""
    _set_status(tenant, "disabled", target_of(stack, devstack, state_dir))


@app.command("enable")
def enable(
    tenant: TenantId, stack: Stack, devstack: Devstack = False, state_dir: StateDirOption = None
) -> None:
    """Admit a disabled clinic's users again, as they were."""
    _set_status(tenant, "active", target_of(stack, devstack, state_dir))


def _set_status(tenant: str, status: str, target: Callable[[], Target]) -> None:
    from booking.domain.models import AccountStatus

    from bookingctl import tenants

    raise typer.Exit(tenants.set_status(tenant, AccountStatus(status), target, _Report()))
