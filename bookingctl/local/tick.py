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

import argparse
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from devstack.state import STATE_DIR, StateDir


def _aware(text: str) -> datetime:
    value = datetime.fromisoformat(text.replace("Z", "+00:00"))
    return value if value.tzinfo else value.replace(tzinfo=UTC)


def register(subparsers: Any) -> None:
    parser: argparse.ArgumentParser = subparsers.add_parser(
        "tick", help="fire the devstack's schedules that are due (reminders)", description=__doc__
    )
    parser.add_argument(
        "--now",
        type=_aware,
        default=None,
        help="pretend it is this instant (ISO 8601; UTC when no offset), e.g. 2030-01-01T09:00:00-05:00",
    )
    parser.add_argument("--state-dir", type=Path, default=STATE_DIR, help="default: .devstack")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from devstack.functions import EmulatorEnvironment, FunctionRuntime, functions_from_inventory
    from devstack.outputs import OutputsNotFound, read_outputs
    from devstack.pumps import fire_due_schedules
    from engine.inventory import Inventory

    state = StateDir(args.state_dir)
    try:
        outputs = read_outputs(state)
    except OutputsNotFound as error:
        print(error)
        return 2
    inventory = Inventory.load(state.inventory)
    now = args.now or datetime.now(UTC)
    runtime = FunctionRuntime(
        functions_from_inventory(inventory, outputs.region),
        EmulatorEnvironment(outputs.aws_endpoint_url, outputs.region),
    )
    try:
        fired = fire_due_schedules(outputs.client("scheduler"), runtime, now, sqs=outputs.client("sqs"))
    finally:
        runtime.close()
    print(f"now {now.isoformat()}: {len(fired)} schedule(s) fired")
    for item in fired:
        print(f"  {item.group}/{item.name} due {item.due.isoformat()} -> {item.target}: {item.outcome}")
    return 1 if any(item.outcome.startswith("failed") for item in fired) else 0
