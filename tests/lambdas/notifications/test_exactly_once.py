"""Exactly once on AWS's terms (moto): the ledger's conditional writes and TTL, racing
invocations on moto's threaded server, and the function itself given a replayed batch,
a transient SES error and a permanent one."""

from __future__ import annotations

import threading
import time
import uuid
from collections import Counter
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta
from typing import Any

import pytest
from booking import bootstrap
from booking.adapters import dynamodb_items as items
from booking.adapters.dynamodb_deliveries import DynamoDeliveryLedger, delivery_key
from booking.adapters.dynamodb_table import DynamoTable
from booking.adapters.system import SystemClock
from booking.contract import TTL_ATTRIBUTE
from booking.domain.deliveries import (
    LEDGER_RETENTION,
    ClaimOutcome,
    Delivery,
    DeliveryInProgress,
)
from booking.domain.notifications import OutgoingEmail, ReminderRequest
from botocore.exceptions import ClientError

from tests.aws import client_for, create_table, fake_credentials, running_moto_server
from tests.lambdas.notifications.mail import sent_messages
from tests.lambdas.notifications.runtime import TABLE, Aws, dead_letters, email_kinds, invoke, schedules
from tests.lambdas.notifications.streams import booking_inserted, booking_modified
from tests.notification_support import (
    NOW,
    TENANT_ID,
    TIMEOUT,
    FakeMailer,
    FakeReminders,
    make_booking,
    make_professional,
    notification_service,
    seeded_repositories,
)

DELIVERY = Delivery(TENANT_ID, "b-1", 1, "confirmation", "patient", request_id="req-1", recipient="a@x.com")
HELD = NOW + timedelta(seconds=40)  # a claim's holder's deadline, and margin


@pytest.fixture
def ledger(aws: Aws, function: Any) -> DynamoDeliveryLedger:
    return DynamoDeliveryLedger(DynamoTable(TABLE, client=function))


def stored(function: Any, delivery: Delivery = DELIVERY) -> dict[str, Any]:
    item: dict[str, Any] = function.get_item(TableName=TABLE, Key=delivery_key(delivery))["Item"]
    return item


def test_the_first_claim_wins_and_the_record_expires_through_the_tables_ttl(
    ledger: DynamoDeliveryLedger, function: Any
) -> None:
    assert ledger.claim(DELIVERY, NOW, HELD) is ClaimOutcome.CLAIMED
    assert ledger.claim(DELIVERY, NOW, HELD) is ClaimOutcome.IN_PROGRESS
    item = stored(function)
    assert int(item[TTL_ATTRIBUTE]["N"]) == int((NOW + LEDGER_RETENTION).timestamp())
    assert item["requestId"]["S"] == "req-1"
    ledger.complete(DELIVERY, NOW, "message-1")
    assert ledger.claim(DELIVERY, NOW + timedelta(days=1), HELD + timedelta(days=1)) is ClaimOutcome.DONE
    assert stored(function)["status"]["S"] == "sent"
    assert stored(function)["messageId"]["S"] == "message-1"


def test_a_released_claim_can_be_claimed_again_and_a_failure_is_final(
    ledger: DynamoDeliveryLedger, function: Any
) -> None:
    assert ledger.claim(DELIVERY, NOW, HELD) is ClaimOutcome.CLAIMED
    ledger.release(DELIVERY)
    assert ledger.claim(DELIVERY, NOW, HELD) is ClaimOutcome.CLAIMED
    ledger.fail(DELIVERY, NOW, "MessageRejected: not verified")
    ledger.release(DELIVERY)  # only a pending claim is released
    assert ledger.claim(DELIVERY, NOW, HELD) is ClaimOutcome.DONE
    assert stored(function)["failure"]["S"] == "MessageRejected: not verified"


def test_a_claim_holds_until_its_holders_deadline_and_margin_then_is_taken_over(
    ledger: DynamoDeliveryLedger, function: Any
) -> None:
    assert ledger.claim(DELIVERY, NOW, HELD) is ClaimOutcome.CLAIMED
    later = HELD + timedelta(seconds=40)
    assert ledger.claim(DELIVERY, HELD, later) is ClaimOutcome.IN_PROGRESS
    assert ledger.claim(DELIVERY, HELD + timedelta(milliseconds=1), later) is ClaimOutcome.TAKEN_OVER
    assert int(stored(function)["heldUntil"]["N"]) == int(later.timestamp() * 1000)
    assert ledger.claim(DELIVERY, HELD + timedelta(seconds=2), later) is ClaimOutcome.IN_PROGRESS


def test_a_pending_claim_written_before_claims_carried_their_holders_deadline_is_taken_over(
    ledger: DynamoDeliveryLedger, function: Any
) -> None:
    assert ledger.claim(DELIVERY, NOW, HELD) is ClaimOutcome.CLAIMED
    function.update_item(TableName=TABLE, Key=delivery_key(DELIVERY), UpdateExpression="REMOVE heldUntil")
    assert ledger.claim(DELIVERY, NOW, HELD) is ClaimOutcome.TAKEN_OVER


# --- racing invocations ------------------------------------------------------------------


class SlowMailer(FakeMailer):
    """Takes a moment to send, so racing invocations overlap; thread safe."""

    def __init__(self) -> None:
        super().__init__()
        self._lock = threading.Lock()

    def send(self, email: OutgoingEmail) -> str | None:
        time.sleep(0.05)
        with self._lock:
            return super().send(email)


@pytest.fixture(scope="module")
def endpoint() -> Iterator[str]:
    with running_moto_server() as url:
        yield url


def test_racing_invocations_of_one_record_send_each_email_once(
    endpoint: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    fake_credentials(monkeypatch)
    client = client_for("dynamodb", endpoint)
    table = DynamoTable(create_table(client, f"race-{uuid.uuid4().hex[:8]}"), client=client)
    catalogs, users, bookings = seeded_repositories()
    catalogs.put_professional(make_professional(email="lucia@clinica.example"))
    mailer, reminders, clock = SlowMailer(), FakeReminders(), SystemClock()
    booking = make_booking()

    def invocation() -> str:
        """One invocation with the record (real time: a racer waits for the holder)."""
        service = notification_service(
            catalogs,
            users,
            bookings,
            mailer,
            reminders=reminders,
            ledger=DynamoDeliveryLedger(table),
            clock=clock,
            deadline=clock.now() + TIMEOUT,
        )
        try:
            service.booking_changed(None, booking, "req-race")
        except DeliveryInProgress:
            return "retry later"
        return "done"

    with ThreadPoolExecutor(max_workers=8) as pool:
        answers = Counter(pool.map(lambda _: invocation(), range(8)))
    assert answers["done"] >= 1
    # Lambda retries the records reported as failed: by then every delivery is done.
    for _ in range(answers["retry later"]):
        assert invocation() == "done"
    assert sorted((email.audience.value, email.to) for email in mailer.sent) == [
        ("patient", "ana@example.com"),
        ("professional", "lucia@clinica.example"),
    ]


# --- the function ------------------------------------------------------------------------


def sent_booking_ids() -> list[str]:
    return [str(mime["X-Booking-Id"]) for _, mime in sent_messages()]


def test_a_replayed_batch_sends_nothing_twice_and_creates_no_second_schedule(aws: Aws, function: Any) -> None:
    batch = {"Records": [booking_inserted(1, make_booking())]}
    assert invoke(batch) == {"batchItemFailures": []}
    aws.scheduler.delete_schedule(Name=schedules(aws)[0], GroupName="booking-dev-reminders")  # it fired
    assert invoke(batch) == {"batchItemFailures": []}
    assert email_kinds() == ["confirmation"]
    assert schedules(aws) == []


def test_a_transient_ses_error_fails_the_record_and_its_retry_sends_the_email_once(
    aws: Aws, function: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    mailer = bootstrap.adapters("notifications").mailer
    real_send = mailer.client.send_email
    throttled = ClientError(
        {"Error": {"Code": "TooManyRequestsException", "Message": "slow down"}}, "SendEmail"
    )
    calls: list[int] = []

    def send_email(**arguments: Any) -> Any:
        calls.append(1)
        if len(calls) == 1:
            raise throttled
        return real_send(**arguments)

    monkeypatch.setattr(mailer.client, "send_email", send_email)
    batch = {"Records": [booking_inserted(1, make_booking()), booking_inserted(2, make_booking(id="b-2"))]}
    assert invoke(batch) == {"batchItemFailures": [{"itemIdentifier": f"{1:021d}"}]}
    assert sent_booking_ids() == ["b-2"]
    assert invoke(batch) == {"batchItemFailures": []}  # Lambda's retry from the failed record
    assert invoke(batch) == {"batchItemFailures": []}  # and a replay on top
    assert sent_booking_ids() == ["b-2", "b-1"]
    assert len(schedules(aws)) == 2


def test_a_permanent_ses_refusal_is_recorded_dead_lettered_and_not_retried(
    aws: Aws, function: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SENDER_EMAIL", "nobody@unverified.example")  # SES answers MessageRejected
    bootstrap.reset()
    batch = {"Records": [booking_inserted(1, make_booking())]}
    assert invoke(batch) == {"batchItemFailures": []}  # the shard moves on
    [letter] = dead_letters()
    assert letter["kind"] == "undeliverable-notification"
    assert letter["delivery"]["booking_id"] == "b-1"
    assert letter["reason"].startswith("MessageRejected")
    patient = Delivery(TENANT_ID, "b-1", 1, "confirmation", "patient")
    assert stored(function, patient)["status"]["S"] == "failed"
    assert invoke(batch) == {"batchItemFailures": []}
    assert len(dead_letters()) == 1  # recorded once: a replay does not try it again


def test_a_reminder_fired_twice_sends_one_email(aws: Aws, function: Any) -> None:
    booking = make_booking()
    function.put_item(TableName=TABLE, Item=items.booking_item(booking))
    event = ReminderRequest.for_booking(booking).model_dump(mode="json", by_alias=True)
    assert invoke(event)["sent"] is True
    assert invoke(event)["sent"] is False  # Scheduler's second delivery
    assert email_kinds() == ["reminder"]


def test_a_reschedule_to_another_professional_tells_the_previous_one_once(aws: Aws, function: Any) -> None:
    for professional in (
        make_professional(email="lucia.mora@clinica.example"),
        make_professional(id="pro-2", name="Dr. Pablo Ríos", email="pablo.rios@clinica.example"),
    ):
        function.put_item(TableName=TABLE, Item=items.professional_item(professional))
    old = make_booking()
    new = make_booking(professional_id="pro-2", version=2)
    batch = {"Records": [booking_modified(1, old, new)]}
    assert invoke(batch) == {"batchItemFailures": []}
    assert invoke(batch) == {"batchItemFailures": []}  # a replay
    told = [
        (str(mime["To"]), mime["X-Booking-Email-Kind"], mime["X-Booking-Audience"])
        for _, mime in sent_messages()
    ]
    assert told == [
        ("ana@example.com", "reschedule", "patient"),
        ("pablo.rios@clinica.example", "reschedule", "professional"),
        ("lucia.mora@clinica.example", "cancellation", "previous-professional"),
    ]
    previous = Delivery(TENANT_ID, "b-1", 2, "cancellation", "previous-professional")
    assert stored(function, previous)["status"]["S"] == "sent"
    assert stored(function, previous)["recipient"]["S"] == "lucia.mora@clinica.example"
