"""The reminders this function schedules are the ones the devstack knows how to fire:
its schedule pump reads our ``at()`` expression and zone, invokes this very function
with the schedule's input, and deletes the schedule afterwards."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import boto3
from booking.adapters import dynamodb_items as items
from booking.handlers import notifications

from devstack.pumps import fire_due_schedules
from tests.aws import REGION
from tests.lambdas.notifications.mail import sent_messages
from tests.lambdas.notifications.runtime import (
    FUNCTION_ARN,
    SCHEDULE_GROUP,
    TABLE,
    Aws,
    LambdaContext,
    invoke,
)
from tests.lambdas.notifications.streams import booking_inserted
from tests.notification_support import START, make_booking


class HandlerInvoker:
    """The devstack's ``Invoker``, calling the handler in this process."""

    def __init__(self) -> None:
        self.invoked: list[str] = []

    def invoke(self, function_name: str, event: dict[str, Any]) -> dict[str, Any]:
        self.invoked.append(function_name)
        result: dict[str, Any] = notifications.handler(event, LambdaContext())
        return result


def test_the_devstack_fires_the_reminder_at_its_time_and_the_reminder_email_goes_out(
    aws: Aws, function: Any
) -> None:
    booking = make_booking()
    function.put_item(TableName=TABLE, Item=items.booking_item(booking))
    invoke({"Records": [booking_inserted(1, booking)]})
    scheduler = boto3.client("scheduler", region_name=REGION)
    invoker = HandlerInvoker()
    reminder_at = START - timedelta(hours=24)

    assert fire_due_schedules(scheduler, invoker, reminder_at - timedelta(minutes=1)) == []
    [fired] = fire_due_schedules(scheduler, invoker, reminder_at)

    assert fired.due == reminder_at
    assert fired.target == FUNCTION_ARN
    assert fired.outcome == "invoked"
    assert fired.deleted
    assert invoker.invoked == ["booking-dev-notifications"]
    assert [mime["X-Booking-Email-Kind"] for _, mime in sent_messages()] == ["confirmation", "reminder"]
    assert scheduler.list_schedules(GroupName=SCHEDULE_GROUP)["Schedules"] == []
