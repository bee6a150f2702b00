"""The notifications function end to end on moto: stream batches and fired reminders."""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Any

import pytest
from booking import bootstrap
from booking.adapters import dynamodb_items as items
from booking.domain.models import BookingStatus
from booking.domain.notifications import ReminderRequest
from booking.settings import FUNCTIONS
from botocore.client import BaseClient
from pydantic import ValidationError

from devstack.pumps.event_filter import matches
from tests.lambdas.notifications.mail import sent_messages
from tests.lambdas.notifications.runtime import (
    FUNCTION_ARN,
    SCHEDULE_GROUP,
    TABLE,
    Aws,
    email_kinds,
    invoke,
    schedules,
    streams_client,
)
from tests.lambdas.notifications.streams import booking_inserted, booking_modified, lock_item, record
from tests.notification_support import (
    START,
    TENANT_ID,
    make_booking,
    make_tenant,
)

REMINDER_NAME = f"reminder.{TENANT_ID}.b-1"


def test_a_new_booking_in_the_stream_sends_a_confirmation_and_schedules_its_reminder(
    aws: Aws, function: Any
) -> None:
    booking = make_booking()
    batch = {
        "Records": [
            booking_inserted(1, booking),
            record("INSERT", 2, new=lock_item(TENANT_ID, "pro-1", START - timedelta(minutes=5), "b-1")),
        ]
    }
    assert invoke(batch) == {"batchItemFailures": []}
    assert email_kinds() == ["confirmation"]
    [(destinations, mime)] = sent_messages()
    assert "ana@example.com" in destinations
    assert [part.get_param("method") for part in mime.iter_attachments()] == ["REQUEST"]
    assert schedules(aws) == [REMINDER_NAME]
    schedule = aws.scheduler.get_schedule(Name=REMINDER_NAME, GroupName=SCHEDULE_GROUP)
    assert schedule["Target"]["Arn"] == FUNCTION_ARN  # its own ARN, from the invocation context
    assert schedule["ScheduleExpression"] == "at(2026-11-30T10:00:00)"
    assert json.loads(schedule["Target"]["Input"])["bookingId"] == "b-1"


def test_only_booking_items_are_considered(aws: Aws, function: Any) -> None:
    batch = {
        "Records": [
            record("INSERT", 1, new=lock_item(TENANT_ID, "pro-1", START, "b-1")),
            record("MODIFY", 2, new=dict(items.tenant_item(make_tenant(name="Otra")))),
            record("REMOVE", 3, old=lock_item(TENANT_ID, "pro-1", START, "b-1")),
        ]
    }
    assert invoke(batch) == {"batchItemFailures": []}
    assert sent_messages() == []
    assert schedules(aws) == []


def test_a_cancellation_deletes_the_reminder_and_sends_a_calendar_cancel(aws: Aws, function: Any) -> None:
    booking = make_booking()
    cancelled = make_booking(status=BookingStatus.CANCELLED, cancellation_reason="Viaje", version=2)
    invoke({"Records": [booking_inserted(1, booking)]})
    invoke({"Records": [booking_modified(2, booking, cancelled)]})
    assert email_kinds() == ["confirmation", "cancellation"]
    _, cancellation = sent_messages()[1]
    [invite] = list(cancellation.iter_attachments())
    assert invite.get_param("method") == "CANCEL"
    assert schedules(aws) == []


def test_a_reschedule_replaces_the_reminder_and_emails_the_new_time(aws: Aws, function: Any) -> None:
    booking = make_booking()
    moved = make_booking(start=START + timedelta(days=2), version=2)
    invoke({"Records": [booking_inserted(1, booking)]})
    invoke({"Records": [booking_modified(2, booking, moved)]})
    assert email_kinds() == ["confirmation", "reschedule"]
    assert schedules(aws) == [REMINDER_NAME]
    schedule = aws.scheduler.get_schedule(Name=REMINDER_NAME, GroupName=SCHEDULE_GROUP)
    assert schedule["ScheduleExpression"] == "at(2026-12-02T10:00:00)"


def test_completing_a_booking_deletes_its_reminder_without_email(aws: Aws, function: Any) -> None:
    booking = make_booking()
    done = make_booking(status=BookingStatus.COMPLETED, version=2)
    invoke({"Records": [booking_inserted(1, booking)]})
    invoke({"Records": [booking_modified(2, booking, done)]})
    assert email_kinds() == ["confirmation"]
    assert schedules(aws) == []


def test_a_failing_record_is_reported_and_the_others_are_still_processed(aws: Aws, function: Any) -> None:
    broken = items.booking_item(make_booking(id="b-0"))
    del broken["start"]  # an image the model cannot read
    batch = {
        "Records": [
            record("INSERT", 1, new=broken),
            booking_inserted(2, make_booking()),
        ]
    }
    assert invoke(batch) == {"batchItemFailures": [{"itemIdentifier": f"{1:021d}"}]}
    assert email_kinds() == ["confirmation"]


def test_a_fired_reminder_reads_the_booking_and_sends_the_reminder(aws: Aws, function: Any) -> None:
    booking = make_booking()
    function.put_item(TableName=TABLE, Item=items.booking_item(booking))
    event = ReminderRequest.for_booking(booking).model_dump(mode="json", by_alias=True)
    assert invoke(event) == {"kind": "reminder", "bookingId": "b-1", "sent": True}
    assert email_kinds() == ["reminder"]
    [(_, mime)] = sent_messages()
    assert mime["Subject"].startswith("Recordatorio: Limpieza dental")


def test_a_fired_reminder_for_a_booking_moved_since_sends_nothing(aws: Aws, function: Any) -> None:
    scheduled = make_booking()
    function.put_item(
        TableName=TABLE, Item=items.booking_item(make_booking(start=START + timedelta(hours=2)))
    )
    event = ReminderRequest.for_booking(scheduled).model_dump(mode="json", by_alias=True)
    assert invoke(event)["sent"] is False
    assert sent_messages() == []


def test_a_malformed_reminder_event_fails_the_invocation(aws: Aws, function: Any) -> None:
    with pytest.raises(ValidationError):
        invoke({"kind": "reminder", "tenantId": TENANT_ID})


def test_in_the_sandbox_a_recipient_outside_the_allow_list_gets_nothing(
    aws: Aws, function: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("EMAIL_ALLOWLIST", "verified@clinica.example")
    bootstrap.reset()  # a new container reads the changed environment
    assert invoke({"Records": [booking_inserted(1, make_booking())]}) == {"batchItemFailures": []}
    assert sent_messages() == []
    assert schedules(aws) == [REMINDER_NAME]  # the reminder is still scheduled; it will be skipped too


def test_the_function_builds_itself_from_its_environment_at_cold_start(aws: Aws, function: Any) -> None:
    bootstrap.reset()
    booking = make_booking()
    function.put_item(TableName=TABLE, Item=items.booking_item(booking))
    event = ReminderRequest.for_booking(booking).model_dump(mode="json", by_alias=True)
    with bootstrap.overridden(clock=None):  # nothing installed by the test: the real clock too
        assert invoke(event)["sent"] is True
    assert email_kinds() == ["reminder"]


def test_the_function_calls_only_the_aws_actions_its_settings_grant(
    aws: Aws, function: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    granted = {
        action for permission in FUNCTIONS["notifications"].permissions for action in permission.actions
    }
    booking = make_booking()
    moved = make_booking(start=START + timedelta(days=2), version=2)
    cancelled = make_booking(start=moved.start, status=BookingStatus.CANCELLED, version=3)
    function.put_item(
        TableName=TABLE, Item=items.booking_item(moved)
    )  # before recording: the test's own write
    called: set[str] = set()
    make_api_call = getattr(BaseClient, "_make_api_call")  # noqa: B009  # private, so mypy does not know it

    def recording(client: BaseClient, operation: str, params: dict[str, Any]) -> Any:
        called.add(f"{client.meta.service_model.signing_name}:{operation}")
        return make_api_call(client, operation, params)

    monkeypatch.setattr(BaseClient, "_make_api_call", recording)
    invoke({"Records": [booking_inserted(1, booking)]})
    invoke({"Records": [booking_modified(2, booking, moved)]})
    invoke(ReminderRequest.for_booking(moved).model_dump(mode="json", by_alias=True))
    invoke({"Records": [booking_modified(3, moved, cancelled)]})
    assert called >= {
        "ses:SendEmail",
        "scheduler:CreateSchedule",
        "scheduler:DeleteSchedule",
        "dynamodb:GetItem",
    }
    assert called <= granted


def stream_records_since(iterator: str) -> tuple[list[dict[str, Any]], str]:
    """The records the function's mapping delivers: those its filter patterns match (the
    function's own delivery-ledger writes are in the stream too, and are not)."""
    response = streams_client().get_records(ShardIterator=iterator)
    patterns = [json.loads(pattern) for pattern in FUNCTIONS["notifications"].stream_filter_patterns]
    delivered = [record for record in response["Records"] if any(matches(p, record) for p in patterns)]
    return delivered, response["NextShardIterator"]


def test_records_read_from_the_tables_own_stream_drive_the_emails(aws: Aws, function: Any) -> None:
    """The shape moto's stream produces (what the devstack pumps) is what the handler reads."""
    stream_arn = function.describe_table(TableName=TABLE)["Table"]["LatestStreamArn"]
    streams = streams_client()
    shard = streams.describe_stream(StreamArn=stream_arn)["StreamDescription"]["Shards"][-1]
    iterator = streams.get_shard_iterator(
        StreamArn=stream_arn, ShardId=shard["ShardId"], ShardIteratorType="LATEST"
    )["ShardIterator"]
    booking = make_booking()
    function.put_item(TableName=TABLE, Item=items.booking_item(booking))
    records, iterator = stream_records_since(iterator)
    assert invoke({"Records": records}) == {"batchItemFailures": []}
    cancelled = make_booking(status=BookingStatus.CANCELLED, version=2)
    function.put_item(TableName=TABLE, Item=items.booking_item(cancelled))
    records, _ = stream_records_since(iterator)
    assert [record["eventName"] for record in records] == ["MODIFY"]
    assert invoke({"Records": records}) == {"batchItemFailures": []}
    assert email_kinds() == ["confirmation", "cancellation"]
    assert schedules(aws) == []
