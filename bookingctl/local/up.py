"""``bookingctl local up --stack dev [--port 8080]``: deploy and serve until Ctrl-C (the
API on --port, the web app on --web-port, the managed login on --login-port).

The steps (emulator, deployment, gateway, seed) are spinners on stderr; the banner that
says where everything is goes to stdout once the API answers.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from bookingctl import console

EXIT_BAD_SEED_FILE = 2  # a usage error, as a stack config that does not fit


def up(
    stack: Annotated[str, typer.Option(help="stack whose configuration to deploy")] = "dev",
    port: Annotated[int, typer.Option(help="port of the HTTP API")] = 8080,
    web_port: Annotated[
        int | None,
        typer.Option(help="port of the web app (default: --port + 1; 0: a free port)", show_default=False),
    ] = None,
    login_port: Annotated[
        int | None,
        typer.Option(
            help="port of the sign-in pages (default: --port + 2; 0: a free port)", show_default=False
        ),
    ] = None,
    emulator_port: Annotated[
        int | None,
        typer.Option(
            help="port of the AWS emulator (default: --port + 3; 0: a free port)", show_default=False
        ),
    ] = None,
    no_seed: Annotated[bool, typer.Option("--no-seed", help="do not load the demo seed")] = False,
    fresh: Annotated[
        bool,
        typer.Option(
            "--fresh",
            help="run the program even if build/ holds a snapshot of this deployment (and replace it)",
        ),
    ] = False,
    no_snapshot: Annotated[
        bool,
        typer.Option("--no-snapshot", help="neither restore nor save a deployment snapshot in build/"),
    ] = False,
    snapshot_dir: Annotated[
        Path | None,
        typer.Option(
            metavar="DIR",
            help="keep the deployment snapshot here (default: build/devstack, make local's own)",
            show_default=False,
        ),
    ] = None,
) -> None:
    """Deploy a stack onto the emulator, seed it, serve it until Ctrl-C.

    The stack's own Pulumi program runs against the embedded AWS emulator: every
    resource it declares is created there; its HTTP API is served on --port, its web app
    (the distribution) on --web-port and the user pool's managed login on --login-port.
    When nothing that decides the deployment changed since the last one (sources,
    artifacts, configuration, ports, versions), the snapshot it left in build/ is
    restored instead of running the program; --fresh runs the program anyway.
    """
    from devstack.options import UpOptions
    from devstack.seed import SeedFileInvalid
    from devstack.snapshot import SNAPSHOT_DIR, SnapshotUse

    use = SnapshotUse.OFF if no_snapshot else SnapshotUse.REFRESH if fresh else SnapshotUse.REUSE
    options = UpOptions(
        stack=stack,
        port=port,
        web_port=web_port,
        login_port=login_port,
        emulator_port=emulator_port,
        seed=not no_seed,
        deploy_in_child=True,
        snapshot=use,
        snapshot_dir=snapshot_dir or SNAPSHOT_DIR,
    )
    try:
        seed = options.load_seed()  # before anything starts: a bad file fails at once
    except SeedFileInvalid as error:
        console.fail(f"local up: {error}")
        raise typer.Exit(EXIT_BAD_SEED_FILE) from None
    addresses = options.addresses()
    plan = options.snapshot_plan(addresses)
    # What loads for seconds in a process of its own starts first, on the other core,
    # while this one imports the rest of the devstack (a second or two): the program's
    # run (the longest step) unless a snapshot replaces it; else the containers' fork
    # server, which the readiness probe's container waits for (warm, first 200 at 6.8 s
    # against 7.6 s, medians of 3 alternated pairs at load 7-9; beside the program's
    # process it would compete with it).
    deployment = None
    if plan is None or not plan.restorable:
        from devstack.deploy_process import start_deployment

        deployment = start_deployment(options, seed)
    else:
        from devstack.functions.pool import start_fork_server

        start_fork_server()
    from devstack.up import serve_forever

    with console.Steps() as steps:

        def show(text: str) -> None:
            steps.stop()  # the banner comes after the finished steps, not among them
            console.stdout().print(text, soft_wrap=True)

        status = serve_forever(
            options,
            printer=show,
            step=steps.step,
            deployment=deployment,
            addresses=addresses,
            plan=plan,
            seed=seed,
        )
    raise typer.Exit(status)
