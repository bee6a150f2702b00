"""``bookingctl local up --stack dev [--port 8080]``: deploy and serve until Ctrl-C (the
API on --port, the web app on --web-port, the managed login on --login-port).

The steps (emulator, deployment, gateway, seed) are spinners on stderr; the banner that
says where everything is goes to stdout once the API answers.
"""

from __future__ import annotations

from typing import Annotated

import typer

from bookingctl import console


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
    from devstack.snapshot import SnapshotUse

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
    )
    addresses = options.addresses()
    plan = options.snapshot_plan(addresses)
    # The program's run first (a process of its own, the longest step) unless a snapshot
    # replaces it, then the rest of the devstack's modules, which take a second or two
    # to import.
    deployment = None
    if plan is None or not plan.restorable:
        from devstack.deploy_process import start_deployment

        deployment = start_deployment(options)
    from devstack.up import serve_forever

    with console.Steps() as steps:

        def show(text: str) -> None:
            steps.stop()  # the banner comes after the finished steps, not among them
            console.stdout().print(text, soft_wrap=True)

        status = serve_forever(
            options, printer=show, step=steps.step, deployment=deployment, addresses=addresses, plan=plan
        )
    raise typer.Exit(status)
