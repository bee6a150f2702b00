"""The event pumps: what AWS would deliver on its own, delivered by the devstack.

- ``StreamPump``: the table's stream to the function of the program's
  ``aws:lambda/eventSourceMapping`` (read from the emulator with ``dynamodbstreams``,
  delivered as Lambda's DynamoDB-stream event, in batches, with the mapping's batch
  size, filters, retries, partial-batch responses and on-failure destination).
- ``fire_due_schedules`` (``bookingctl local tick``) and ``SchedulePump``: one-time
  ``at(…)`` schedules whose time has come, in their time zone, to their target, then
  deleted as ``ActionAfterCompletion=DELETE`` does.
- ``OutboxWriter``: every message SES accepted, as an ``.eml`` file in
  ``.devstack/outbox/``.

Functions are run by an ``Invoker`` (the gateway's worker runtime, or any object with
``invoke(function_name, event) -> dict``); the pumps know functions by their deployed
name, as AWS does.
"""

from __future__ import annotations

import base64
import json
import logging
import re
import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.message import EmailMessage
from email.utils import format_datetime
from pathlib import Path
from typing import Any, Protocol
from zoneinfo import ZoneInfo

from engine.inventory import Inventory, ResourceRecord

LOGGER = logging.getLogger("devstack.pumps")


class PollingThread:
    """Calls ``poll`` at once and then every ``interval`` seconds on a daemon thread until
    stopped. A failing poll is logged, not fatal: a pump must outlive one bad poll (e.g.
    while the emulator is stopping)."""

    def __init__(self, name: str, poll: Callable[[], object], interval: float) -> None:
        self._poll = poll
        self._interval = interval
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name=name, daemon=True)

    def start(self) -> PollingThread:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(timeout=10)

    def _run(self) -> None:
        while True:
            try:
                self._poll()
            except Exception:
                LOGGER.exception("%s poll failed", self._thread.name)
            if self._stop.wait(self._interval):
                return


EVENT_SOURCE_MAPPING_TYPE = "aws:lambda/eventSourceMapping:EventSourceMapping"
# Lambda retries a failing stream batch until the record expires (-1, "forever"); on a
# laptop that would stall the stream behind one bug, so the devstack stops at this.
DEVSTACK_MAX_STREAM_RETRIES = 2
AT_EXPRESSION = re.compile(r"^at\((\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})\)$")


class Invoker(Protocol):
    """Runs a deployed function (by name) with an event and answers its result."""

    def invoke(self, function_name: str, event: dict[str, Any]) -> dict[str, Any]: ...


def function_name_of(name_or_arn: str) -> str:
    """``arn:aws:lambda:…:function:NAME[:qualifier]`` or ``NAME`` → ``NAME``."""
    if ":function:" in name_or_arn:
        return name_or_arn.split(":function:", 1)[1].split(":", 1)[0]
    return name_or_arn


# --------------------------------------------------------------------------- streams


@dataclass(frozen=True)
class StreamSubscription:
    """One ``aws:lambda/eventSourceMapping`` of a DynamoDB stream, as declared."""

    function_name: str
    stream_arn: str
    batch_size: int = 100
    starting_position: str = "LATEST"
    maximum_retry_attempts: int = DEVSTACK_MAX_STREAM_RETRIES
    report_batch_item_failures: bool = False
    on_failure_arn: str | None = None
    filter_patterns: tuple[dict[str, Any], ...] = ()
    enabled: bool = True

    @classmethod
    def from_record(cls, record: ResourceRecord) -> StreamSubscription:
        props = {**record.inputs, **record.outputs}
        retries = props.get("maximumRetryAttempts")
        on_failure = ((props.get("destinationConfig") or {}).get("onFailure") or {}).get("destinationArn")
        filters = (props.get("filterCriteria") or {}).get("filters") or []
        return cls(
            function_name=function_name_of(str(props["functionName"])),
            stream_arn=str(props["eventSourceArn"]),
            batch_size=int(props.get("batchSize") or 100),
            starting_position=str(props.get("startingPosition") or "LATEST"),
            maximum_retry_attempts=(
                DEVSTACK_MAX_STREAM_RETRIES
                if retries is None or int(retries) < 0
                else min(int(retries), DEVSTACK_MAX_STREAM_RETRIES)
            ),
            report_batch_item_failures="ReportBatchItemFailures"
            in (props.get("functionResponseTypes") or []),
            on_failure_arn=str(on_failure) if on_failure else None,
            filter_patterns=tuple(json.loads(item["pattern"]) for item in filters if item.get("pattern")),
            enabled=props.get("enabled", True) is not False,
        )


def stream_subscriptions(inventory: Inventory) -> list[StreamSubscription]:
    """Every DynamoDB-stream mapping the program declared (SQS/Kinesis ones are not
    pumped: the program has none)."""
    subscriptions = []
    for record in inventory.of_type(EVENT_SOURCE_MAPPING_TYPE):
        source = str({**record.inputs, **record.outputs}.get("eventSourceArn") or "")
        if ":dynamodb:" in source and "/stream/" in source:
            subscriptions.append(StreamSubscription.from_record(record))
    return subscriptions


def _json_safe(value: Any) -> Any:
    """boto3 decodes ``B``/``BS`` attributes to bytes and times to datetimes; Lambda's
    event carries base64 text and epoch seconds."""
    if isinstance(value, bytes):
        return base64.b64encode(value).decode()
    if isinstance(value, datetime):
        return int(value.timestamp())
    if isinstance(value, dict):
        return {key: _json_safe(item) for key, item in value.items()}
    if isinstance(value, (list, tuple, set)):
        return [_json_safe(item) for item in value]
    return value


def lambda_stream_record(record: dict[str, Any], stream_arn: str) -> dict[str, Any]:
    """A ``dynamodbstreams.get_records`` record in Lambda's event format."""
    converted: dict[str, Any] = _json_safe(record)
    converted.setdefault("eventVersion", "1.1")
    converted.setdefault("eventSource", "aws:dynamodb")
    converted["eventSourceARN"] = stream_arn
    return converted


def matches(pattern: Any, value: Any) -> bool:
    """Lambda event filtering (the EventBridge pattern subset programs use: exact values,
    ``prefix``, ``exists``, ``anything-but``, ``equals-ignore-case``)."""
    if isinstance(pattern, dict):
        if not isinstance(value, dict):
            return False
        for key, sub_pattern in pattern.items():
            if isinstance(sub_pattern, list) and any(
                isinstance(rule, dict) and "exists" in rule for rule in sub_pattern
            ):
                exists = next(
                    rule["exists"] for rule in sub_pattern if isinstance(rule, dict) and "exists" in rule
                )
                if (key in value) != bool(exists):
                    return False
                continue
            if key not in value or not matches(sub_pattern, value[key]):
                return False
        return True
    if isinstance(pattern, list):
        return any(_matches_rule(rule, value) for rule in pattern)
    return bool(pattern == value)


def _matches_rule(rule: Any, value: Any) -> bool:
    if isinstance(rule, dict):
        if "prefix" in rule:
            return isinstance(value, str) and value.startswith(rule["prefix"])
        if "equals-ignore-case" in rule:
            return isinstance(value, str) and value.lower() == str(rule["equals-ignore-case"]).lower()
        if "anything-but" in rule:
            excluded = rule["anything-but"]
            excluded = excluded if isinstance(excluded, list) else [excluded]
            return value not in excluded
        return matches(rule, value)
    return bool(rule == value)


@dataclass
class StreamPump:
    """Delivers one stream to one function. ``poll_once`` is the whole behaviour (and
    what tests call); ``start`` runs it on a thread every ``interval`` seconds."""

    subscription: StreamSubscription
    streams: Any  # a boto3 ``dynamodbstreams`` client on the emulator
    invoker: Invoker
    sqs: Any = None  # for an SQS on-failure destination
    sns: Any = None  # for an SNS on-failure destination
    interval: float = 0.5
    delivered: int = 0
    failed_batches: int = 0
    # The last sequence number delivered per shard (None: nothing yet, read from the
    # start). Each poll takes a fresh iterator from it rather than keeping one: moto
    # rolls a failed transaction back by swapping the table for a copy, stream shard
    # included, and an iterator kept from before reads the discarded shard for ever.
    _positions: dict[str, str | None] = field(default_factory=dict)
    _poller: PollingThread | None = None

    def poll_once(self) -> int:
        """Read what is new on every shard and deliver it; the number of records delivered."""
        if not self.subscription.enabled:
            return 0
        count = 0
        self.prime()
        for shard_id in list(self._positions):
            iterator: str | None = self._iterator_after(shard_id, self._positions[shard_id])
            while iterator:
                page = self.streams.get_records(ShardIterator=iterator, Limit=self.subscription.batch_size)
                records = page.get("Records", [])
                iterator = page.get("NextShardIterator")
                if not records:
                    break
                count += self._deliver(shard_id, records)
                self._positions[shard_id] = records[-1]["dynamodb"]["SequenceNumber"]
        self.delivered += count
        return count

    def _iterator_after(self, shard_id: str, position: str | None) -> str:
        request: dict[str, Any] = {"StreamArn": self.subscription.stream_arn, "ShardId": shard_id}
        if position is None:
            request["ShardIteratorType"] = "TRIM_HORIZON"
        else:
            request.update(ShardIteratorType="AFTER_SEQUENCE_NUMBER", SequenceNumber=position)
        return str(self.streams.get_shard_iterator(**request)["ShardIterator"])

    def _starting_position(self, shard_id: str) -> str | None:
        """``TRIM_HORIZON``: from the start (None). ``LATEST``: after the last record
        written so far, which is read (not delivered) to learn its sequence number."""
        if self.subscription.starting_position != "LATEST":
            return None
        position = None
        iterator: str | None = self._iterator_after(shard_id, None)
        while iterator:
            page = self.streams.get_records(ShardIterator=iterator)
            records = page.get("Records", [])
            if not records:
                break
            position = records[-1]["dynamodb"]["SequenceNumber"]
            iterator = page.get("NextShardIterator")
        return position

    def prime(self) -> None:
        """Take the mapping's starting position on every shard not read yet. ``start``
        does it at once, so ``LATEST`` means "from when the mapping was deployed",
        as in AWS, not "from whenever the pump thread first ran"."""
        for shard_id in self._shard_ids():
            if shard_id not in self._positions:
                self._positions[shard_id] = self._starting_position(shard_id)

    def _shard_ids(self) -> list[str]:
        description = self.streams.describe_stream(StreamArn=self.subscription.stream_arn)[
            "StreamDescription"
        ]
        return [shard["ShardId"] for shard in description.get("Shards", [])]

    def _deliver(self, shard_id: str, raw_records: list[dict[str, Any]]) -> int:
        records = [lambda_stream_record(record, self.subscription.stream_arn) for record in raw_records]
        if self.subscription.filter_patterns:
            records = [
                record
                for record in records
                if any(matches(pattern, record) for pattern in self.subscription.filter_patterns)
            ]
        pending = records
        for _attempt in range(self.subscription.maximum_retry_attempts + 1):
            if not pending:
                return len(records)
            try:
                result = self.invoker.invoke(self.subscription.function_name, {"Records": pending})
            except Exception as error:  # a failed invocation is retried, as Lambda does
                LOGGER.warning("stream batch to %s failed: %s", self.subscription.function_name, error)
                continue
            pending = self._still_failing(pending, result)
        if pending:
            self.failed_batches += 1
            self._send_to_failure_destination(shard_id, pending)
        return len(records) - len(pending)

    def _still_failing(self, batch: list[dict[str, Any]], result: Any) -> list[dict[str, Any]]:
        """With ``ReportBatchItemFailures``, Lambda retries from the first failed record."""
        if not self.subscription.report_batch_item_failures or not isinstance(result, dict):
            return []
        failures = result.get("batchItemFailures") or []
        failed_ids = [item.get("itemIdentifier") for item in failures]
        if not failed_ids:
            return []
        for index, record in enumerate(batch):
            if record["dynamodb"].get("SequenceNumber") in failed_ids:
                return batch[index:]
        return batch  # an identifier Lambda cannot match fails the whole batch

    def _send_to_failure_destination(self, shard_id: str, records: list[dict[str, Any]]) -> None:
        arn = self.subscription.on_failure_arn
        LOGGER.error(
            "%d stream records to %s failed after retries%s",
            len(records),
            self.subscription.function_name,
            f"; sent to {arn}" if arn else "; dropped (no on-failure destination)",
        )
        if not arn:
            return
        sequence_numbers = [record["dynamodb"].get("SequenceNumber") for record in records]
        message = json.dumps(
            {
                "requestContext": {
                    "condition": "RetryAttemptsExhausted",
                    "functionArn": self.subscription.function_name,
                    "approximateInvokeCount": self.subscription.maximum_retry_attempts + 1,
                },
                "DDBStreamBatchInfo": {
                    "shardId": shard_id,
                    "startSequenceNumber": sequence_numbers[0],
                    "endSequenceNumber": sequence_numbers[-1],
                    "batchSize": len(records),
                    "streamArn": self.subscription.stream_arn,
                },
                "timestamp": datetime.now(UTC).isoformat(),
            }
        )
        if ":sqs:" in arn and self.sqs is not None:
            queue_url = self.sqs.get_queue_url(QueueName=arn.rsplit(":", 1)[1])["QueueUrl"]
            self.sqs.send_message(QueueUrl=queue_url, MessageBody=message)
        elif ":sns:" in arn and self.sns is not None:
            self.sns.publish(TopicArn=arn, Message=message)

    def start(self) -> StreamPump:
        self.prime()
        self._poller = PollingThread("stream-pump", self.poll_once, self.interval).start()
        return self

    def stop(self) -> None:
        if self._poller is not None:
            self._poller.stop()
            self._poller = None


# --------------------------------------------------------------------------- schedules


@dataclass(frozen=True)
class FiredSchedule:
    group: str
    name: str
    due: datetime
    target: str
    outcome: str  # "invoked", "sent", "failed: …"
    deleted: bool


def due_time(expression: str, time_zone: str | None) -> datetime | None:
    """The instant of a one-time ``at(yyyy-mm-ddThh:mm:ss)`` schedule in its zone;
    None for ``rate``/``cron`` schedules (the program creates none)."""
    found = AT_EXPRESSION.match(expression.strip())
    if not found:
        return None
    local = datetime.fromisoformat(found.group(1))
    return local.replace(tzinfo=ZoneInfo(time_zone or "UTC"))


def fire_due_schedules(
    scheduler: Any,
    invoker: Invoker,
    now: datetime,
    *,
    sqs: Any = None,
    already_fired: set[str] | None = None,
) -> list[FiredSchedule]:
    """Fire every enabled one-time schedule due at ``now`` (aware), in every group.

    A Lambda target gets the schedule's ``Input`` as its event; an SQS target gets it as
    a message. A failed target goes to the schedule's dead-letter queue when it has
    one. Schedules with ``ActionAfterCompletion=DELETE`` are then deleted; others are
    remembered in ``already_fired`` so they fire once, as AWS's do.
    """
    if now.tzinfo is None:
        raise ValueError("now must be timezone-aware")
    fired_keys = already_fired if already_fired is not None else set()
    fired: list[FiredSchedule] = []
    for group in _schedule_groups(scheduler):
        for summary in _schedules_in(scheduler, group):
            schedule = scheduler.get_schedule(GroupName=group, Name=summary["Name"])
            key = f"{group}/{schedule['Name']}/{schedule['ScheduleExpression']}"
            due = due_time(schedule["ScheduleExpression"], schedule.get("ScheduleExpressionTimezone"))
            if due is None or due > now or schedule.get("State", "ENABLED") != "ENABLED" or key in fired_keys:
                continue
            outcome = _deliver_schedule(schedule, invoker, sqs)
            deleted = schedule.get("ActionAfterCompletion") == "DELETE"
            if deleted:
                scheduler.delete_schedule(GroupName=group, Name=schedule["Name"])
            else:
                fired_keys.add(key)
            fired.append(
                FiredSchedule(group, schedule["Name"], due, schedule["Target"]["Arn"], outcome, deleted)
            )
    return fired


def _schedule_groups(scheduler: Any) -> list[str]:
    groups = []
    for page in scheduler.get_paginator("list_schedule_groups").paginate():
        groups += [group["Name"] for group in page.get("ScheduleGroups", [])]
    return groups or ["default"]


def _schedules_in(scheduler: Any, group: str) -> Iterable[dict[str, Any]]:
    for page in scheduler.get_paginator("list_schedules").paginate(GroupName=group):
        yield from page.get("Schedules", [])


def _deliver_schedule(schedule: dict[str, Any], invoker: Invoker, sqs: Any) -> str:
    target = schedule["Target"]
    arn: str = target["Arn"]
    payload = target.get("Input") or "{}"
    try:
        if ":lambda:" in arn:
            event = json.loads(payload)
            invoker.invoke(function_name_of(arn), event if isinstance(event, dict) else {"input": event})
            return "invoked"
        if ":sqs:" in arn and sqs is not None:
            queue_url = sqs.get_queue_url(QueueName=arn.rsplit(":", 1)[1])["QueueUrl"]
            sqs.send_message(QueueUrl=queue_url, MessageBody=payload)
            return "sent"
        return f"failed: target {arn} is not emulated"
    except Exception as error:  # the target failed: dead-letter it as Scheduler would
        dead_letter = (target.get("DeadLetterConfig") or {}).get("Arn")
        if dead_letter and sqs is not None:
            queue_url = sqs.get_queue_url(QueueName=dead_letter.rsplit(":", 1)[1])["QueueUrl"]
            sqs.send_message(QueueUrl=queue_url, MessageBody=payload)
        return f"failed: {error}"


@dataclass
class SchedulePump:
    """Fires due schedules at the wall-clock time, every ``interval`` seconds (AWS's
    own precision is about a minute)."""

    scheduler: Any
    invoker: Invoker
    sqs: Any = None
    interval: float = 15.0
    clock: Callable[[], datetime] = field(default=lambda: datetime.now(UTC))
    fired: list[FiredSchedule] = field(default_factory=list)
    _already_fired: set[str] = field(default_factory=set)
    _poller: PollingThread | None = None

    def poll_once(self) -> list[FiredSchedule]:
        fired = fire_due_schedules(
            self.scheduler, self.invoker, self.clock(), sqs=self.sqs, already_fired=self._already_fired
        )
        self.fired += fired
        return fired

    def start(self) -> SchedulePump:
        self._poller = PollingThread("schedule-pump", self.poll_once, self.interval).start()
        return self

    def stop(self) -> None:
        if self._poller is not None:
            self._poller.stop()
            self._poller = None


# --------------------------------------------------------------------------- outbox


def _safe_file_part(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9@._+-]", "_", text)[:80] or "unknown"


def message_as_email(message: Any) -> tuple[bytes, list[str]]:
    """A message moto's SES stored, as RFC 5322 bytes, and its recipients."""
    raw = getattr(message, "raw_data", None)
    if isinstance(raw, str):
        return raw.encode(), [str(address) for address in getattr(message, "destinations", [])]
    destinations: dict[str, list[str]] = getattr(message, "destinations", {}) or {}
    email = EmailMessage()
    email["From"] = message.source
    for header, key in (("To", "ToAddresses"), ("Cc", "CcAddresses"), ("Bcc", "BccAddresses")):
        if destinations.get(key):
            email[header] = ", ".join(destinations[key])
    email["Subject"] = message.subject
    email["Date"] = format_datetime(datetime.now(UTC))
    email["Message-ID"] = f"<{message.id}@email.amazonses.com>"
    body: str = message.body
    email.set_content(body, subtype="html" if body.lstrip().startswith("<") else "plain")
    recipients = [
        address
        for key in ("ToAddresses", "CcAddresses", "BccAddresses")
        for address in destinations.get(key, [])
    ]
    return bytes(email), recipients


@dataclass
class OutboxWriter:
    """Writes every message the emulator's SES accepted to ``root`` as
    ``<UTC timestamp>-<n>-<first recipient>.eml`` (reads moto's in-process store:
    the Lambda code is not patched)."""

    root: Path
    account_id: str = "123456789012"
    region: str = "us-east-1"
    interval: float = 0.5
    written: list[Path] = field(default_factory=list)
    _seen: int = 0
    _poller: PollingThread | None = None

    def _messages(self) -> list[Any]:
        from moto.ses.models import ses_backends

        messages: list[Any] = ses_backends[self.account_id][self.region].sent_messages
        return messages

    def poll_once(self) -> list[Path]:
        messages = self._messages()
        if len(messages) < self._seen:  # the emulator was reset
            self._seen = 0
        new = messages[self._seen :]
        self._seen += len(new)
        paths = []
        self.root.mkdir(parents=True, exist_ok=True)
        for message in new:
            content, recipients = message_as_email(message)
            stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%fZ")
            first = recipients[0] if recipients else "unknown"
            path = self.root / f"{stamp}-{len(self.written) + 1:04d}-{_safe_file_part(first)}.eml"
            path.write_bytes(content)
            self.written.append(path)
            paths.append(path)
        return paths

    def start(self) -> OutboxWriter:
        self._poller = PollingThread("outbox", self.poll_once, self.interval).start()
        return self

    def stop(self) -> None:
        if self._poller is not None:
            self._poller.stop()
            self._poller = None
        self.poll_once()  # what arrived since the last poll
