"""``bookingctl stack up|destroy|list|gc``: throwaway cloud stacks that expire.

A developer's own stack (``dev-<user>``, the user from ``--user`` or the OS) or a pull
request's (``--pr N``: ``pr-<N>``), configured from dev by :mod:`stacks.throwaway` and
deployed through Pulumi's Automation API (:mod:`engine.automation`). ``up`` tags the
stack with its expiry (``--ttl``, 8h by default); ``gc`` destroys and removes the
expired throwaway stacks, never dev, qas or prd. Pulumi's own output goes to stderr;
results (outputs, tables) to stdout.

Exit status: 0 done, 1 a deploy or destroy failed, 2 a bad option or no Pulumi CLI.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer

from bookingctl import console

if TYPE_CHECKING:
    from engine.automation import StackBackend

EXIT_FAILED, EXIT_USAGE = 1, 2
DEFAULT_TTL = "8h"  # how long `up` gives a stack when --ttl is not given

app = typer.Typer(
    name="stack",
    help="Throwaway stacks of your own or of a pull request, which expire (Pulumi Automation API).",
    no_args_is_help=True,
)

User = Annotated[
    str | None,
    typer.Option(
        metavar="USER", help="whose stack: dev-<user> (default: your OS user name)", show_default=False
    ),
]
PullRequest = Annotated[int | None, typer.Option("--pr", metavar="N", help="a pull request's stack: pr-<N>")]


def make_backend() -> StackBackend:
    """The Automation API on this repository (tests put a recording fake here)."""
    from engine.automation import AutomationBackend

    return AutomationBackend()


def _backend() -> StackBackend:
    from engine.automation import PulumiCliMissing

    try:
        return make_backend()
    except PulumiCliMissing as missing:
        console.fail(f"bookingctl stack: {missing}")
        raise typer.Exit(EXIT_USAGE) from missing


def _usage_error(message: str) -> typer.Exit:
    console.fail(f"bookingctl stack: {message}")
    return typer.Exit(EXIT_USAGE)


def _stack_name(user: str | None, pr: int | None) -> str:
    import getpass

    from stacks.throwaway import ThrowawayStackError, developer_stack, pull_request_stack

    if user is not None and pr is not None:
        raise _usage_error("--user and --pr name different stacks: give one of them")
    try:
        return pull_request_stack(pr) if pr is not None else developer_stack(user or getpass.getuser())
    except ThrowawayStackError as error:
        raise _usage_error(str(error)) from error


def _pulumi_output(line: str) -> None:
    console.stderr().print(line.rstrip("\n"), soft_wrap=True)


def up(
    user: User = None,
    pr: PullRequest = None,
    ttl: Annotated[
        str, typer.Option(metavar="DURATION", help="how long it lives: 30m, 8h, 2d (at most 14d)")
    ] = DEFAULT_TTL,
) -> None:
    """Deploy your own stack (dev-<user>) or a pull request's (pr-<N>), expiring after --ttl.

    The configuration is dev's with unique names, no PITR or deletion protection, low
    throttling and 1-day log retention. Running it again updates the stack and moves its
    expiry to --ttl from now.
    """
    from datetime import UTC, datetime

    from engine.automation import StackOperationFailed
    from engine.stack_file import ConfigFileError, read_stack_config
    from stacks.config import StackConfigError
    from stacks.throwaway import (
        BASE_STACK,
        EXPIRES_TAG,
        ThrowawayStackError,
        derive_config,
        expiry_tag,
        parse_ttl,
    )

    stack = _stack_name(user, pr)
    try:
        lifetime = parse_ttl(ttl)
        config = derive_config(stack, read_stack_config(BASE_STACK)[0])
    except (ThrowawayStackError, ConfigFileError, StackConfigError) as error:
        raise _usage_error(str(error)) from error
    expires = expiry_tag(datetime.now(UTC), lifetime)
    backend = _backend()
    console.stderr().print(f"deploying {stack} (expires {expires}) from {BASE_STACK}'s configuration")
    try:
        outputs = backend.up(stack, config, {EXPIRES_TAG: expires}, _pulumi_output)
    except StackOperationFailed as failed:
        console.fail(f"bookingctl stack up: {stack} failed (it expires {expires}; `gc` removes it): {failed}")
        raise typer.Exit(EXIT_FAILED) from failed
    out = console.stdout()
    out.print(f"{stack} is up; expires {expires}", soft_wrap=True)
    for name, value in sorted(outputs.items()):
        out.print(f"    {name}: {value}", soft_wrap=True)


def destroy(user: User = None, pr: PullRequest = None) -> None:
    """Destroy your own stack (dev-<user>) or a pull request's (pr-<N>) and remove it."""
    from engine.automation import StackOperationFailed

    stack = _stack_name(user, pr)
    backend = _backend()
    try:
        backend.destroy(stack, _pulumi_output)
    except StackOperationFailed as failed:
        console.fail(f"bookingctl stack destroy: {stack} failed: {failed}")
        raise typer.Exit(EXIT_FAILED) from failed
    console.stdout().print(f"{stack} destroyed and removed")


def list_stacks() -> None:
    """Every stack of the project with its expiry; only throwaway stacks ever expire."""
    from datetime import UTC, datetime

    from engine.automation import StackOperationFailed
    from stacks.throwaway import stack_expiries

    backend = _backend()
    now = datetime.now(UTC)
    try:
        stacks = stack_expiries({name: backend.tags(name) for name in backend.stack_names()})
    except StackOperationFailed as failed:
        console.fail(f"bookingctl stack list: {failed}")
        raise typer.Exit(EXIT_FAILED) from failed
    shown = console.table()
    for column in ("stack", "expires (UTC)", "state"):
        shown.add_column(column)
    for stack in stacks:
        expires = stack.expires_at.strftime("%Y-%m-%d %H:%M") if stack.expires_at else "-"
        shown.add_row(stack.name, expires, stack.state(now))
    console.stdout().print(shown)


def gc(
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="say what would be destroyed, destroy nothing")
    ] = False,
) -> None:
    """Destroy and remove every expired throwaway stack (dev-*, pr-*); never dev, qas or prd."""
    from datetime import UTC, datetime

    from engine.automation import StackOperationFailed
    from stacks.throwaway import choose_expired, stack_expiries

    backend = _backend()
    now = datetime.now(UTC)
    try:
        expired = choose_expired(
            stack_expiries({name: backend.tags(name) for name in backend.stack_names()}), now
        )
    except StackOperationFailed as failed:
        console.fail(f"bookingctl stack gc: {failed}")
        raise typer.Exit(EXIT_FAILED) from failed
    out = console.stdout()
    if not expired:
        out.print("no expired throwaway stack")
        return
    failures = 0
    for stack in expired:
        if dry_run:
            out.print(f"would destroy {stack} (expired)")
            continue
        try:
            backend.destroy(stack, _pulumi_output)
        except StackOperationFailed as failed:
            failures += 1
            console.fail(f"bookingctl stack gc: destroying {stack} failed: {failed}")
            continue
        out.print(f"destroyed {stack} (expired)")
    if failures:
        raise typer.Exit(EXIT_FAILED)


app.command("up")(up)
app.command("destroy")(destroy)
app.command("list")(list_stacks)
app.command("gc")(gc)
