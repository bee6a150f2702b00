"""``bookingctl local``: the devstack on this machine.

``up`` deploys a stack onto the embedded emulator and serves it; ``token`` and ``tick``
talk to the devstack that ``up`` started (through ``.devstack/outputs.json``).
"""

from __future__ import annotations

import typer

from bookingctl.local import tick, token, up

app = typer.Typer(name="local", help="Run the dev stack on the embedded AWS emulator.", no_args_is_help=True)
app.command("up")(up.up)
app.command("token")(token.token)
app.command("tick")(tick.tick)
