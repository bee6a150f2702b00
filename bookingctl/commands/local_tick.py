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
import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import boto3


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
    parser.add_argument("--state-dir", type=Path, default=Path(".devstack"), help="default: .devstack")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from devstack.functions import EmulatorEnvironment, FunctionRuntime, functions_from_inventory
    from devstack.pumps import fire_due_schedules
    from engine.inventory import Inventory

    outputs_path = args.state_dir / "outputs.json"
    if not outputs_path.is_file():
        print(f"{outputs_path} not found: start the devstack first (bookingctl local up)")
        return 2
    outputs = json.loads(outputs_path.read_text(encoding="utf-8"))
    endpoint, region = outputs["awsEndpointUrl"], outputs["region"]
    inventory = Inventory.load(args.state_dir / "inventory.json")
    now = args.now or datetime.now(UTC)

    def client(service: str) -> Any:
        return boto3.client(
            service,  # type: ignore[call-overload]  # boto3's overloads want a literal name
            endpoint_url=endpoint,
            region_name=region,
            aws_access_key_id="testing",
            aws_secret_access_key="testing",  # noqa: S106 - the emulator's dummy credentials
        )

    runtime = FunctionRuntime(
        functions_from_inventory(inventory, region), EmulatorEnvironment(endpoint, region)
    )
    try:
        fired = fire_due_schedules(client("scheduler"), runtime, now, sqs=client("sqs"))
    finally:
        runtime.close()
    print(f"now {now.isoformat()}: {len(fired)} schedule(s) fired")
    for item in fired:
        print(f"  {item.group}/{item.name} due {item.due.isoformat()} -> {item.target}: {item.outcome}")
    return 1 if any(item.outcome.startswith("failed") for item in fired) else 0
