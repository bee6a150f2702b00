"""``bookingctl smoke --stack NAME [--devstack]``: check a deployed stack (its ``pulumi stack
output``) or the devstack running here: health, a sign-in, an authenticated catalog read,
a bad token refused, and a request straight to the API origin refused where the stack
refuses them. One line per check (Rich progress on stderr), the verdict on stdout; exit
status 0 all passed, 1 a check failed, 2 no stack to check. The checks are
``bookingctl/smoke.py``.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from bookingctl import console

if TYPE_CHECKING:
    from bookingctl.smoke import SmokeTarget


def _target(stack: str, devstack: bool, state_dir: Path | None, token: str | None) -> SmokeTarget:
    from bookingctl import smoke

    if devstack:
        from devstack.outputs import OutputsNotFound, read_outputs
        from devstack.state import STATE_DIR, StateDir

        try:
            outputs = read_outputs(StateDir(state_dir or STATE_DIR))
        except OutputsNotFound as error:
            raise smoke.SmokeFailed(str(error)) from error
        if outputs.stack != stack:
            raise smoke.SmokeFailed(f"the devstack here runs stack {outputs.stack}, not {stack}")
        return smoke.devstack_target(stack, outputs)
    from bookingctl.commands.seed import SeedTargetError, stack_outputs

    try:
        deployed = stack_outputs(stack)
        return smoke.deployed_target(stack, deployed, smoke.deployed_sign_in(deployed, token))
    except SeedTargetError as error:
        raise smoke.SmokeFailed(str(error)) from error


def smoke(
    stack: Annotated[str, typer.Option(help="the stack to check")],
    devstack: Annotated[bool, typer.Option("--devstack", help="check the devstack running here")] = False,
    state_dir: Annotated[Path | None, typer.Option(help="the devstack's state (default: .devstack)")] = None,
    token: Annotated[
        str | None,
        typer.Option(
            help="sign in with this ID token (deployed stacks; default: a user made for the run)",
            envvar="SMOKE_ID_TOKEN",
        ),
    ] = None,
) -> None:
    """Check that a stack answers as it should, from its outputs (exit 1 if a check fails)."""
    from contextlib import ExitStack

    import requests

    from bookingctl.smoke import Run, SmokeFailed, checks

    try:
        target = _target(stack, devstack, state_dir, token)
    except SmokeFailed as error:
        console.fail(f"bookingctl smoke: {error}")
        raise typer.Exit(2) from None
    failures: list[str] = []
    passed: list[str] = []
    with ExitStack() as exits, requests.Session() as session, console.Steps() as steps:
        run = Run(target, session, exits)
        for check in checks(target):
            try:
                with steps.step(check.name) as note:
                    note(check.run(run))
            except (SmokeFailed, requests.RequestException) as error:
                failures.append(f"{check.name}: {error}")
            else:
                passed.append(check.name)
    out = console.stdout()
    for failure in failures:
        console.fail(f"FAILED {failure}")
    if failures:
        out.print(
            f"smoke of {target.description}: {len(failures)} of {len(passed) + len(failures)} checks failed"
        )
        raise typer.Exit(1)
    out.print(f"smoke of {target.description}: all {len(passed)} checks passed ({', '.join(passed)})")
