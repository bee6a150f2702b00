"""``bookingctl seed --stack NAME``: load the demo seed into a deployed stack.

For onboarding and UAT on a real AWS stack: the same seed file and the same code paths
as the devstack's (``devstack.seed.apply``), with boto3's usual credentials and region
(profile, environment, SSO). The table and user pool come from the stack's outputs
(``pulumi stack output --json --stack NAME``: ``tableName``, ``userPoolId``, ``region``)
unless given with ``--table`` and ``--user-pool-id``. Each item seeded is printed as it
is written (a line per user, professional, ...), which is the command's progress.

Seed data never reaches production: the stack's configuration (``Pulumi.<stack>.yaml``,
validated by ``stacks.config.StackConfig``) must allow it, which a prd stack never does
and any stack may refuse with ``seedData: false``. The seed file's passwords are
published in this repository, so they are never set here: each user gets a generated
one, printed once at the end.
"""

from __future__ import annotations

import json
import secrets
import shutil
import string
import subprocess
from pathlib import Path
from typing import Annotated, Any

import typer

from bookingctl import console

DEFAULT_SEED_FILE = "devstack/seed/demo.json"
EXIT_REFUSED = 2
# Well above the user pool's policy (12 characters, every class); symbols a shell and a
# password manager take without quoting.
PASSWORD_LENGTH = 24
PASSWORD_SYMBOLS = "-_.!@#%+="  # noqa: S105 (an alphabet, not a password)


class SeedTargetError(Exception):
    """The stack's table or pool could not be determined, or the stack refuses seed data."""


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


def ensure_seeding_allowed(stack: str, project_root: Path | None) -> None:
    """Refuse unless the stack's own configuration allows seed data (never in prd)."""
    from engine.stack_file import PROJECT_ROOT, ConfigFileError, read_stack_config
    from stacks.config import StackConfigError, validate_stack_config

    try:
        values, _ = read_stack_config(stack, project_root or PROJECT_ROOT)
        config = validate_stack_config(values)
    except (ConfigFileError, StackConfigError) as error:
        raise SeedTargetError(f"cannot tell whether stack {stack} allows seed data: {error}") from error
    if config.environment == "prd":
        raise SeedTargetError(
            f"refused: stack {stack} is a production stack (environment prd); "
            "seed data never reaches production"
        )
    if not config.seeding_allowed:
        raise SeedTargetError(f"refused: stack {stack} turns seeding off (booking-platform:seedData: false)")


def strong_password() -> str:
    """A random password with every class the user pool requires."""
    alphabet = string.ascii_letters + string.digits + PASSWORD_SYMBOLS
    while True:
        password = "".join(secrets.choice(alphabet) for _ in range(PASSWORD_LENGTH))
        classes = (string.ascii_lowercase, string.ascii_uppercase, string.digits, PASSWORD_SYMBOLS)
        if all(any(character in members for character in password) for members in classes):
            return password


def seed(
    stack: Annotated[str, typer.Option(help="the Pulumi stack: its configuration must allow seed data")],
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
    project_root: Annotated[
        Path | None,
        typer.Option(metavar="DIR", help="where Pulumi.<stack>.yaml lives (default: this repository)"),
    ] = None,
) -> None:
    """Load the demo tenant, catalog and users into a deployed stack (never prd).

    Refused (exit 2) for a prd stack, for any stack whose configuration sets
    seedData: false, and for a seed file that does not load. The table and user pool
    come from `pulumi stack output --json --stack NAME` unless given with --table and
    --user-pool-id; credentials and region are boto3's usual ones. Each user gets a
    generated password, printed once.
    """
    import boto3

    from devstack.seed import DEMO_SEED, SeedFileInvalid, load_seed
    from devstack.seed.apply import apply_seed

    out = console.stdout()
    try:
        chosen = load_seed(seed_file or DEMO_SEED)  # a bad file fails before any AWS call
        ensure_seeding_allowed(stack, project_root)
        outputs = {} if table and user_pool_id else stack_outputs(stack)
        table = table or outputs.get("tableName")
        pool = user_pool_id or outputs.get("userPoolId")
        if not table or not pool:
            raise SeedTargetError(
                f"stack {stack} exports no tableName/userPoolId: pass --table/--user-pool-id"
            )
    except (SeedTargetError, SeedFileInvalid) as error:
        console.fail(f"seed: {error}")
        raise typer.Exit(EXIT_REFUSED) from error
    region = region or outputs.get("region")
    session = boto3.session.Session(region_name=region) if region else boto3.session.Session()
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
        password_for=lambda _user: strong_password(),
    )
    passwords = console.table()
    for column in ("email", "role", "password"):
        passwords.add_column(column)
    for user in report.demo_users:
        passwords.add_row(user.email, user.role, user.password)
    out.print(f"done: tenant {report.tenant_id}, {len(report.demo_users)} users", soft_wrap=True)
    out.print("Passwords, shown this once (store them now; a second seed sets new ones):")
    out.print(passwords)
