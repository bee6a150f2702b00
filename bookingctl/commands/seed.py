"""``bookingctl seed --stack NAME``: load the demo seed into a deployed stack.

For onboarding and UAT on a real AWS stack: the same seed file and the same code paths
as the devstack's (``devstack.seed``), with boto3's usual credentials and region
(profile, environment, SSO). The table and user pool come from the stack's outputs
(``pulumi stack output --json --stack NAME``: ``tableName``, ``userPoolId``, ``region``)
unless given with ``--table`` and ``--user-pool-id``. Each item seeded is printed as it
is written (a line per user, professional, ...), which is the command's progress.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path
from typing import Annotated, Any

import typer

from bookingctl import console

DEFAULT_SEED_FILE = "devstack/seed/demo.json"


class SeedTargetError(Exception):
    """The stack's table or pool could not be determined."""


def stack_outputs(stack: str) -> dict[str, Any]:
    """``pulumi stack output --json`` of ``stack`` (needs the Pulumi CLI and its login)."""
    pulumi = shutil.which("pulumi")
    if pulumi is None:
        raise SeedTargetError("the Pulumi CLI is not on PATH: pass --table and --user-pool-id instead")
    completed = subprocess.run(
        [pulumi, "stack", "output", "--json", "--stack", stack], capture_output=True, text=True, check=False
    )
    if completed.returncode:
        raise SeedTargetError(f"pulumi stack output failed: {completed.stderr.strip()}")
    outputs: dict[str, Any] = json.loads(completed.stdout or "{}")
    return outputs


def seed(
    stack: Annotated[str, typer.Option(help="the Pulumi stack whose outputs name the table and pool")],
    table: Annotated[
        str | None, typer.Option(help="table name (default: the stack output tableName)")
    ] = None,
    user_pool_id: Annotated[
        str | None, typer.Option(help="user pool id (default: the stack output userPoolId)")
    ] = None,
    region: Annotated[
        str | None, typer.Option(help="AWS region (default: the stack output region, else boto3's)")
    ] = None,
    seed_file: Annotated[Path | None, typer.Option(help=f"default: {DEFAULT_SEED_FILE}")] = None,
) -> None:
    """Load the demo tenant, catalog and users into a deployed stack.

    The table and user pool come from `pulumi stack output --json --stack NAME` unless
    given with --table and --user-pool-id; credentials and region are boto3's usual ones.
    """
    import boto3

    from devstack.seed import DEMO_SEED, apply_seed, load_seed

    out = console.stdout()
    try:
        outputs = {} if table and user_pool_id else stack_outputs(stack)
        table = table or outputs.get("tableName")
        pool = user_pool_id or outputs.get("userPoolId")
        if not table or not pool:
            raise SeedTargetError(
                f"stack {stack} exports no tableName/userPoolId: pass --table/--user-pool-id"
            )
    except SeedTargetError as error:
        out.print(f"seed: {error}", soft_wrap=True)
        raise typer.Exit(2) from error
    region = region or outputs.get("region")
    session = boto3.session.Session(region_name=region) if region else boto3.session.Session()
    chosen = load_seed(seed_file or DEMO_SEED)
    out.print(
        f"seeding stack {stack}: table {table}, user pool {pool}, region {session.region_name}",
        soft_wrap=True,
    )
    report = apply_seed(
        chosen,
        table_name=table,
        user_pool_id=pool,
        dynamodb=session.client("dynamodb"),
        cognito=session.client("cognito-idp"),
        progress=lambda message: out.print(f"  {message}", soft_wrap=True),
    )
    users = len(report.demo_users)
    shown_file = str(seed_file) if seed_file else DEFAULT_SEED_FILE
    out.print(f"done: tenant {report.tenant_id}, {users} users (passwords in {shown_file})", soft_wrap=True)
