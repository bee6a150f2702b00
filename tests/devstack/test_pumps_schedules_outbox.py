import email
import json
from datetime import UTC, datetime

import pytest

from devstack.pumps import OutboxWriter, due_time, fire_due_schedules
from tests.devstack.fakes import RecordingInvoker

FUNCTION_ARN = "arn:aws:lambda:us-east-1:123456789012:function:booking-dev-notifications"
ROLE_ARN = "arn:aws:iam::123456789012:role/booking-dev-scheduler"


@pytest.fixture
def group(ctx, request):
    name = f"reminders-{request.node.name[-40:]}".replace("[", "-").replace("]", "")
    ctx.client("scheduler").create_schedule_group(Name=name)
    yield name
    # Other tests' ticks see every group: leave none of ours behind.
    scheduler = ctx.client("scheduler")
    for schedule in scheduler.list_schedules(GroupName=name).get("Schedules", []):
        scheduler.delete_schedule(GroupName=name, Name=schedule["Name"])
    scheduler.delete_schedule_group(Name=name)


def _schedule(ctx, group, name, at, *, zone="America/Guayaquil", after="DELETE", target=None):
    ctx.client("scheduler").create_schedule(
        GroupName=group,
        Name=name,
        ScheduleExpression=f"at({at})",
        ScheduleExpressionTimezone=zone,
        FlexibleTimeWindow={"Mode": "OFF"},
        ActionAfterCompletion=after,
        Target=target or {"Arn": FUNCTION_ARN, "RoleArn": ROLE_ARN, "Input": json.dumps({"bookingId": name})},
    )


def _in_group(fired, group):
    return [item for item in fired if item.group == group]


def test_at_expressions_are_read_in_their_time_zone():
    assert due_time("at(2026-12-01T09:00:00)", "America/Guayaquil") == datetime(
        2026, 12, 1, 14, 0, tzinfo=UTC
    )
    assert due_time("at(2026-12-01T09:00:00)", None) == datetime(2026, 12, 1, 9, 0, tzinfo=UTC)
    assert due_time("rate(5 minutes)", "UTC") is None


def test_a_due_reminder_invokes_its_function_with_its_input_and_is_deleted(ctx, group):
    _schedule(ctx, group, "b-1", "2026-12-01T09:00:00")  # 14:00 UTC
    invoker = RecordingInvoker()
    scheduler = ctx.client("scheduler")

    not_yet = fire_due_schedules(scheduler, invoker, datetime(2026, 12, 1, 13, 59, tzinfo=UTC))
    assert _in_group(not_yet, group) == []
    fired = _in_group(fire_due_schedules(scheduler, invoker, datetime(2026, 12, 1, 14, 0, tzinfo=UTC)), group)

    assert [(item.name, item.outcome, item.deleted) for item in fired] == [("b-1", "invoked", True)]
    assert ("booking-dev-notifications", {"bookingId": "b-1"}) in invoker.calls
    assert scheduler.list_schedules(GroupName=group)["Schedules"] == []


class DeletedOnceListed:
    """The scheduler as a cancellation leaves it while the pump polls: ``name`` is
    listed, then deleted (its booking cancelled) before the pump reads it."""

    def __init__(self, scheduler, group, name):
        self.scheduler, self.group, self.name = scheduler, group, name

    def __getattr__(self, attribute):
        return getattr(self.scheduler, attribute)

    def get_schedule(self, **request):
        if request["Name"] == self.name:
            self.scheduler.delete_schedule(GroupName=self.group, Name=self.name)
        return self.scheduler.get_schedule(**request)


def test_a_schedule_deleted_after_it_was_listed_is_skipped_and_the_others_still_fire(ctx, group):
    _schedule(ctx, group, "b-cancelled", "2026-12-01T09:00:00")
    _schedule(ctx, group, "b-kept", "2026-12-01T09:00:00")
    invoker = RecordingInvoker()
    scheduler = DeletedOnceListed(ctx.client("scheduler"), group, "b-cancelled")

    fired = _in_group(fire_due_schedules(scheduler, invoker, datetime(2026, 12, 1, 14, 0, tzinfo=UTC)), group)

    assert [item.name for item in fired] == ["b-kept"]
    assert ("booking-dev-notifications", {"bookingId": "b-cancelled"}) not in invoker.calls


def test_a_schedule_kept_after_completion_fires_only_once(ctx, group):
    _schedule(ctx, group, "keep", "2026-01-01T08:00:00", zone="UTC", after="NONE")
    invoker = RecordingInvoker()
    remembered: set[str] = set()
    now = datetime(2026, 1, 2, tzinfo=UTC)
    scheduler = ctx.client("scheduler")

    first = _in_group(fire_due_schedules(scheduler, invoker, now, already_fired=remembered), group)
    second = _in_group(fire_due_schedules(scheduler, invoker, now, already_fired=remembered), group)

    assert [item.deleted for item in first] == [False]
    assert second == []
    assert [schedule["Name"] for schedule in scheduler.list_schedules(GroupName=group)["Schedules"]] == [
        "keep"
    ]


def test_a_failing_target_goes_to_the_schedules_dead_letter_queue(ctx, group):
    sqs = ctx.client("sqs")
    dlq_url = sqs.create_queue(QueueName=f"dlq-{group}"[:80])["QueueUrl"]
    dlq_arn = sqs.get_queue_attributes(QueueUrl=dlq_url, AttributeNames=["QueueArn"])["Attributes"][
        "QueueArn"
    ]
    _schedule(
        ctx,
        group,
        "b-2",
        "2026-01-01T00:00:00",
        zone="UTC",
        target={
            "Arn": FUNCTION_ARN,
            "RoleArn": ROLE_ARN,
            "Input": '{"x": 1}',
            "DeadLetterConfig": {"Arn": dlq_arn},
        },
    )
    invoker = RecordingInvoker(answers=[RuntimeError("handler crashed")])

    fired = _in_group(
        fire_due_schedules(ctx.client("scheduler"), invoker, datetime(2026, 1, 2, tzinfo=UTC), sqs=sqs), group
    )

    assert fired[0].outcome == "failed: handler crashed"
    [message] = sqs.receive_message(QueueUrl=dlq_url)["Messages"]
    assert json.loads(message["Body"]) == {"x": 1}


def test_a_naive_now_is_refused(ctx):
    with pytest.raises(ValueError, match="timezone-aware"):
        fire_due_schedules(ctx.client("scheduler"), RecordingInvoker(), datetime(2026, 1, 1))


def test_every_email_ses_accepts_lands_in_the_outbox_as_an_eml_file(ctx, tmp_path):
    sesv2 = ctx.client("sesv2")
    sesv2.create_email_identity(EmailIdentity="clinic.test")
    outbox = OutboxWriter(tmp_path / "outbox", region=ctx.region)
    outbox.poll_once()  # what other tests sent before is not ours to check
    outbox.written.clear()

    sesv2.send_email(
        FromEmailAddress="noreply@clinic.test",
        Destination={"ToAddresses": ["ana@example.com"]},
        Content={"Simple": {"Subject": {"Data": "Cita confirmada"}, "Body": {"Text": {"Data": "Hola Ana"}}}},
    )
    raw = (
        "From: noreply@clinic.test\r\nTo: luis@example.com\r\nSubject: Recordatorio\r\n"
        "MIME-Version: 1.0\r\nContent-Type: text/plain\r\n\r\nManana a las 9\r\n"
    )
    sesv2.send_email(
        FromEmailAddress="noreply@clinic.test",
        Destination={"ToAddresses": ["luis@example.com"]},
        Content={"Raw": {"Data": raw.encode()}},
    )

    paths = outbox.poll_once()

    assert [path.name.split("-", 2)[2] for path in paths] == ["ana@example.com.eml", "luis@example.com.eml"]
    simple = email.message_from_bytes(paths[0].read_bytes())
    assert simple["Subject"] == "Cita confirmada"
    assert simple["To"] == "ana@example.com"
    assert simple.get_payload(decode=True).decode().strip() == "Hola Ana"
    assert email.message_from_bytes(paths[1].read_bytes())["Subject"] == "Recordatorio"
    assert outbox.poll_once() == []
