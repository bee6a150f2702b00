"""The event pumps: what AWS would deliver on its own, delivered by the devstack.

- ``stream``: the table's stream to the function of the program's event-source mapping;
- ``schedules``: due one-time schedules to their targets (``bookingctl local tick`` too);
- ``outbox``: every message SES accepted, as an ``.eml`` file in ``.devstack/outbox/``.

Each runs on a ``polling.PollingThread``. Functions are run by an ``Invoker`` (the
function runtime, or any object with ``invoke(function_name, event) -> dict``); the
pumps know functions by their deployed name, as AWS does.
"""

from devstack.pumps.event_filter import matches
from devstack.pumps.outbox import OutboxWriter, message_as_email
from devstack.pumps.polling import PollingThread
from devstack.pumps.schedules import FiredSchedule, SchedulePump, due_time, fire_due_schedules
from devstack.pumps.stream import StreamPump, StreamSubscription, lambda_stream_record, stream_subscriptions

__all__ = [
    "FiredSchedule",
    "OutboxWriter",
    "PollingThread",
    "SchedulePump",
    "StreamPump",
    "StreamSubscription",
    "due_time",
    "fire_due_schedules",
    "lambda_stream_record",
    "matches",
    "message_as_email",
    "stream_subscriptions",
]
