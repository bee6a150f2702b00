"""``bookingctl seed --stack NAME``: load the demo seed into a deployed stack.

For onboarding and UAT on a real AWS stack: the same seed file and the same code paths
as the devstack's (``devstack.seed``), with boto3's usual credentials and region
(profile, environment, SSO). The table and user pool come from the stack's outputs
(``pulumi stack output --json --stack NAME``: ``tableName``, ``userPoolId``, ``region``)
unless given with ``--table`` and ``--user-pool-id``.
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
from pathlib import Path
from typing import Any


class SeedTargetError(Exception):
    """The stack's table or pool could not be determined."""


def register(subparsers: Any) -> None:
    parser: argparse.ArgumentParser = subparsers.add_parser(
        "seed", help="load the demo tenant, catalog and users into a deployed stack", description=__doc__
    )
    parser.add_argument(
        "--stack", required=True, help="the Pulumi stack whose outputs name the table and pool"
    )
    parser.add_argument("--table", help="table name (default: the stack output tableName)")
    parser.add_argument("--user-pool-id", help="user pool id (default: the stack output userPoolId)")
    parser.add_argument("--region", help="AWS region (default: the stack output region, else boto3's)")
    parser.add_argument("--seed-file", type=Path, default=None, help="default: devstack/seed/demo.json")
    parser.set_defaults(run=run)


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


def run(args: argparse.Namespace) -> int:
    import boto3

    from devstack.seed import DEMO_SEED, apply_seed, load_seed

    try:
        outputs = {} if args.table and args.user_pool_id else stack_outputs(args.stack)
        table = args.table or outputs.get("tableName")
        pool = args.user_pool_id or outputs.get("userPoolId")
        if not table or not pool:
            raise SeedTargetError(
                f"stack {args.stack} exports no tableName/userPoolId: pass --table/--user-pool-id"
            )
    except SeedTargetError as error:
        print(f"seed: {error}")
        return 2
    region = args.region or outputs.get("region")
    session = boto3.session.Session(region_name=region) if region else boto3.session.Session()
    seed = load_seed(args.seed_file or DEMO_SEED)
    print(f"seeding stack {args.stack}: table {table}, user pool {pool}, region {session.region_name}")
    report = apply_seed(
        seed,
        table_name=table,
        user_pool_id=pool,
        dynamodb=session.client("dynamodb"),
        cognito=session.client("cognito-idp"),
        progress=lambda message: print(f"  {message}", flush=True),
    )
    users = len(report.demo_users)
    print(f"done: tenant {report.tenant_id}, {users} users (passwords in {seed_file_name(args)})")
    return 0


def seed_file_name(args: argparse.Namespace) -> str:
    return str(args.seed_file) if args.seed_file else "devstack/seed/demo.json"
