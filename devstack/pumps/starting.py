"""Every pump a deployment needs, started."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from devstack.adapters.base import EmulatorContext
from devstack.pumps.outbox import OutboxWriter
from devstack.pumps.schedules import SchedulePump
from devstack.pumps.stream import StreamPump, stream_subscriptions
from engine.inventory import Inventory


def start_pumps(inventory: Inventory, context: EmulatorContext, runtime: Any, outbox: Path) -> list[Any]:
    """The pumps stand for the event-source mapping, the schedules and SES, which exist
    from the deployment on: they start before anything writes."""
    pumps: list[Any] = [OutboxWriter(outbox, account_id=context.account_id, region=context.region).start()]
    for subscription in stream_subscriptions(inventory):
        pump = StreamPump(
            subscription,
            context.client("dynamodbstreams"),
            runtime,
            sqs=context.client("sqs"),
            sns=context.client("sns"),
        )
        pumps.append(pump.start())
    schedules = SchedulePump(context.client("scheduler"), runtime, sqs=context.client("sqs"))
    pumps.append(schedules.start())
    return pumps
