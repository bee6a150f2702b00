"""An invocation stopped at its timeout in the middle of a delivery, and the stream's
retries after it: the email still goes out, once, and nothing reaches the on-failure
destination.

The devstack's stream pump delivers the table's stream to the notifications handler in
this process (moto), with the mapping the program declares. The first invocation is
stopped as Lambda (and the devstack's runtime) stops one at its timeout: it claimed the
patient's cancellation email and then never ran another line (its thread stays blocked in
the mailer), so it neither sent the email nor released its claim. Time is a test clock
that moves only when the test stops the first invocation or the code under test waits;
nothing here sleeps.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

import boto3
import pytest
from aws_lambda_powertools.utilities.batch.exceptions import BatchProcessingError
from booking import bootstrap
from booking.adapters import dynamodb_items as items
from booking.domain.deliveries import FINISHING_TIME
from booking.domain.models import BookingStatus
from booking.domain.notifications import Audience, EmailKind, OutgoingEmail
from booking.domain.ports import Mailer
from booking.handlers import notifications
from booking.settings import FUNCTIONS

from devstack.functions import FunctionError
from devstack.pumps import StreamPump, StreamSubscription
from tests.aws import REGION
from tests.fakes import FixedClock
from tests.lambdas.notifications.mail import sent_messages
from tests.lambdas.notifications.runtime import (
    DEAD_LETTER_QUEUE,
    TABLE,
    Aws,
    LambdaContext,
    dead_letters,
    streams_client,
)
from tests.lambdas.notifications.streams import booking_inserted
from tests.notification_support import TENANT_ID, make_booking

FUNCTION = FUNCTIONS["notifications"]
TIMEOUT = timedelta(seconds=FUNCTION.timeout_seconds)


@dataclass
class ClockedContext(LambdaContext):
    """The Lambda context of an invocation that started at ``started`` on the test clock."""

    clock: FixedClock = field(default_factory=lambda: FixedClock(datetime.min))
    started: datetime = datetime.min

    def get_remaining_time_in_millis(self) -> int:
        remaining = self.started + TIMEOUT - self.clock.now()
        return max(0, int(remaining.total_seconds() * 1000))


class StuckOnFirstSend:
    """The real mailer, except that the first send to ``address`` never returns (until the
    test is over): the invocation making it is the one stopped at its timeout."""

    def __init__(self, real: Mailer, address: str) -> None:
        self.real, self.address = real, address
        self.stuck = threading.Event()
        self.test_over = threading.Event()

    def send(self, email: OutgoingEmail) -> str | None:
        if email.to == self.address and not self.stuck.is_set():
            self.stuck.set()
            self.test_over.wait()
            raise RuntimeError("this invocation was stopped at its timeout long ago")
        return self.real.send(email)


class StoppedOnceInvoker:
    """The devstack's ``Invoker`` for the notifications handler: the first invocation runs
    until it is stuck in the mailer, then is stopped at its timeout (the clock moves to
    its deadline, and the pump gets the runtime's ``Sandbox.Timedout`` error); the
    following ones run to completion."""

    def __init__(self, clock: FixedClock, mailer: StuckOnFirstSend) -> None:
        self.clock, self.mailer = clock, mailer
        self.invocations = 0
        self.stopped: threading.Thread | None = None

    def invoke(self, function_name: str, event: dict[str, Any]) -> dict[str, Any]:
        self.invocations += 1
        context = ClockedContext(clock=self.clock, started=self.clock.now())
        if self.stopped is None:
            self.stopped = threading.Thread(target=self._swallowing, args=(event, context), daemon=True)
            self.stopped.start()
            assert self.mailer.stuck.wait(timeout=60), "the first invocation never reached the mailer"
            self.clock.advance(seconds=TIMEOUT.total_seconds())
            raise FunctionError(function_name, "Sandbox.Timedout", "Task timed out")
        result: dict[str, Any] = notifications.handler(event, context)
        return result

    @staticmethod
    def _swallowing(event: dict[str, Any], context: ClockedContext) -> None:
        try:
            notifications.handler(event, context)
        except Exception:  # what it does once unblocked, after the test, does not matter
            return


@pytest.fixture
def stopped_once(aws: Aws, function: Any) -> Iterator[StoppedOnceInvoker]:
    clock = bootstrap.adapters("notifications").clock
    assert isinstance(clock, FixedClock)
    mailer = StuckOnFirstSend(bootstrap.adapters("notifications").mailer, "ana@example.com")
    with bootstrap.overridden(mailer=mailer, clock=clock):
        invoker = StoppedOnceInvoker(clock, mailer)
        yield invoker
        mailer.test_over.set()
        if invoker.stopped is not None:
            invoker.stopped.join(timeout=30)


def the_programs_mapping(stream_arn: str, on_failure_arn: str) -> StreamSubscription:
    """The notifications mapping as the devstack reads it from the program, but with a
    single retry (the program allows five): one is enough."""
    return StreamSubscription(
        function_name="booking-dev-notifications",
        stream_arn=stream_arn,
        batch_size=25,
        starting_position="LATEST",
        maximum_retry_attempts=1,
        report_batch_item_failures=True,
        on_failure_arn=on_failure_arn,
        filter_patterns=tuple(json.loads(pattern) for pattern in FUNCTION.stream_filter_patterns),
    )


def test_an_invocation_stopped_at_its_timeout_mid_send_loses_no_email_and_dead_letters_nothing(
    aws: Aws, function: Any, stopped_once: StoppedOnceInvoker
) -> None:
    booking = make_booking()
    function.put_item(TableName=TABLE, Item=items.booking_item(booking))
    stream_arn = function.describe_table(TableName=TABLE)["Table"]["LatestStreamArn"]
    sqs = boto3.client("sqs", region_name=REGION)
    queue_url = sqs.get_queue_url(QueueName=DEAD_LETTER_QUEUE)["QueueUrl"]
    queue_arn = sqs.get_queue_attributes(QueueUrl=queue_url, AttributeNames=["QueueArn"])["Attributes"][
        "QueueArn"
    ]
    pump = StreamPump(
        the_programs_mapping(stream_arn, queue_arn),
        streams_client(),
        stopped_once,
        sqs=sqs,
    )
    pump.prime()
    cancelled = make_booking(status=BookingStatus.CANCELLED, version=2)
    function.put_item(TableName=TABLE, Item=items.booking_item(cancelled))

    pump.poll_once()

    cancellations = [
        mime
        for _, mime in sent_messages()
        if mime["X-Booking-Email-Kind"] == EmailKind.CANCELLATION.value
        and mime["X-Booking-Audience"] == Audience.PATIENT.value
    ]
    assert len(cancellations) == 1, (
        f"{len(cancellations)} patient cancellations after {stopped_once.invocations} invocations"
    )
    assert pump.failed_batches == 0
    assert dead_letters() == []


def test_records_reached_too_close_to_the_deadline_are_left_to_the_retry_not_started(
    aws: Aws, function: Any
) -> None:
    clock = bootstrap.adapters("notifications").clock
    assert isinstance(clock, FixedClock)
    late = ClockedContext(clock=clock, started=clock.now() - TIMEOUT + FINISHING_TIME / 2)
    batch = {"Records": [booking_inserted(1, make_booking()), booking_inserted(2, make_booking(id="b-2"))]}
    with pytest.raises(BatchProcessingError):  # every record failed: the invocation fails
        notifications.handler(batch, late)
    assert sent_messages() == []
    assert (
        function.query(
            TableName=TABLE,
            KeyConditionExpression="pk = :p",
            ExpressionAttributeValues={":p": {"S": f"TENANT#{TENANT_ID}#DELIVERY#b-1"}},
        )["Items"]
        == []
    )  # nothing claimed
    assert notifications.handler(batch, ClockedContext(clock=clock, started=clock.now())) == {
        "batchItemFailures": []
    }
    assert sorted(str(mime["X-Booking-Id"]) for _, mime in sent_messages()) == ["b-1", "b-2"]
