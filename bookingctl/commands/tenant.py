"""``bookingctl tenant create|list|disable|enable --stack NAME [--devstack]``: the clinics
of a stack. A thin argparse registration: the logic is ``bookingctl/tenants.py``.

Against the deployed stack NAME (its ``pulumi stack output``, your AWS credentials), or
with ``--devstack`` against the devstack running here (``.devstack/outputs.json``).
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from pathlib import Path
from typing import Any

from devstack.state import STATE_DIR, StateDir


def register(subparsers: Any) -> None:
    parser: argparse.ArgumentParser = subparsers.add_parser(
        "tenant", help="create, list, disable and enable the clinics of a stack", description=__doc__
    )
    commands = parser.add_subparsers(dest="tenant_command", required=True, metavar="TENANT_COMMAND")
    create = _command(commands, "create", "bring a clinic on board and invite its Owner by email", _create)
    create.add_argument("--name", required=True, help="the clinic's name")
    create.add_argument("--time-zone", required=True, help="IANA time zone, e.g. America/Guayaquil")
    create.add_argument("--owner-email", required=True, help="the Owner, invited by email to set a password")
    create.add_argument("--locale", default="es-EC", help="the clinic's language (default: es-EC)")
    create.add_argument(
        "--web-address", help="how patients pick the clinic: lowercase letters, digits, hyphens"
    )
    create.add_argument("--id", help="the tenant id (default: the web address, else the name made an id)")
    _command(commands, "list", "list the stack's clinics", _list)
    for name, verb in (
        ("disable", "refuse every user of a clinic"),
        ("enable", "admit a clinic's users again"),
    ):
        command = _command(commands, name, f"{verb}; nothing is deleted", _set_status)
        command.add_argument("tenant_id", metavar="TENANT_ID")


def _command(commands: Any, name: str, help_text: str, run: Callable[[argparse.Namespace], int]) -> Any:
    command: argparse.ArgumentParser = commands.add_parser(name, help=help_text)
    command.add_argument("--stack", required=True, help="the stack whose clinics these are")
    command.add_argument("--devstack", action="store_true", help="act on the devstack running here")
    command.add_argument(
        "--state-dir", type=Path, default=STATE_DIR, help="the devstack's (default: .devstack)"
    )
    command.set_defaults(run=run)
    return command


def _target_of(args: argparse.Namespace) -> Callable[[], Any]:
    from bookingctl import tenants

    if args.devstack:
        return lambda: tenants.devstack_target(args.stack, StateDir(args.state_dir))

    def deployed() -> Any:
        from bookingctl.commands.seed import SeedTargetError, stack_outputs

        try:
            return tenants.stack_target(args.stack, stack_outputs)
        except SeedTargetError as error:
            raise tenants.TargetError(str(error)) from error

    return deployed


def _create(args: argparse.Namespace) -> int:
    from bookingctl import tenants

    fields = {
        name: getattr(args, name)
        for name in ("id", "name", "time_zone", "owner_email", "locale", "web_address")
        if getattr(args, name) is not None
    }
    return tenants.create(fields, _target_of(args), _say)


def _list(args: argparse.Namespace) -> int:
    from bookingctl import tenants

    return tenants.list_tenants(_target_of(args), _say)


def _set_status(args: argparse.Namespace) -> int:
    from booking.domain.models import AccountStatus

    from bookingctl import tenants

    status = AccountStatus.DISABLED if args.tenant_command == "disable" else AccountStatus.ACTIVE
    return tenants.set_status(args.tenant_id, status, _target_of(args), _say)


def _say(message: str) -> None:
    print(message, flush=True)
