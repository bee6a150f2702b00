"""``bookingctl local tick [--now ISO]``: fire the schedules that are due by ``--now``.

EventBridge Scheduler would fire a reminder a day before the appointment; on a laptop
nobody waits a day. ``tick`` lists the schedules of the running devstack's emulator,
fires every one-time ``at(…)`` schedule due by ``--now`` (default: the wall clock) in
its own time zone, invoking the target function with the schedule's input (in a
container of its own, with the environment the program gave it), and deletes the
fired schedules as ``ActionAfterCompletion=DELETE`` does. The emails the reminders
send land in ``.devstack/outbox/``.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated

import typer

from bookingctl import console


def aware(text: str) -> datetime:
    """An ISO 8601 instant; UTC when it names no offset."""
    value = datetime.fromisoformat(text.replace("Z", "+00:00"))
    return value if value.tzinfo else value.replace(tzinfo=UTC)


def tick(
    now: Annotated[
        datetime | None,
        typer.Option(
            parser=aware,
            metavar="ISO",
            help="pretend it is this instant (ISO 8601; UTC when no offset), e.g. 2030-01-01T09:00:00-05:00",
        ),
    ] = None,
    state_dir: Annotated[Path | None, typer.Option(help="default: .devstack")] = None,
) -> None:
    """Fire the devstack's schedules that are due (reminders).

    Fires every one-time schedule due by --now (default: now) in its own time zone,
    invoking its target function, and deletes it as ActionAfterCompletion=DELETE does.
    The reminders' emails land in .devstack/outbox/. Exit status 1 if one failed.
    """
    raise typer.Exit(fire(now, state_dir))


def fire(now: datetime | None, state_dir: Path | None) -> int:
    """Fire what is due by ``now`` (default: the wall clock); the exit status."""
    from devstack.functions import EmulatorEnvironment, FunctionRuntime, functions_from_inventory
    from devstack.outputs import OutputsNotFound, read_outputs
    from devstack.pumps import fire_due_schedules
    from devstack.state import STATE_DIR, StateDir
    from engine.inventory import Inventory

    out = console.stdout()
    state = StateDir(state_dir or STATE_DIR)
    try:
        outputs = read_outputs(state)
    except OutputsNotFound as error:
        out.print(str(error), soft_wrap=True)
        return 2
    inventory = Inventory.load(state.inventory)
    now = now or datetime.now(UTC)
    runtime = FunctionRuntime(
        functions_from_inventory(inventory, outputs.region),
        EmulatorEnvironment(outputs.aws_endpoint_url, outputs.region),
    )
    try:
        with console.Steps() as steps, steps.step(f"firing the schedules due by {now.isoformat()}"):
            fired = fire_due_schedules(outputs.client("scheduler"), runtime, now, sqs=outputs.client("sqs"))
    finally:
        runtime.close()
    out.print(f"now {now.isoformat()}: {len(fired)} schedule(s) fired")
    for item in fired:
        out.print(
            f"  {item.group}/{item.name} due {item.due.isoformat()} -> {item.target}: {item.outcome}",
            soft_wrap=True,
        )
    return 1 if any(item.outcome.startswith("failed") for item in fired) else 0
