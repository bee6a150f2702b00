"""The table's stream to the function of the program's
``aws:lambda/eventSourceMapping`` (read from the emulator with ``dynamodbstreams``,
delivered as Lambda's DynamoDB-stream event, in batches, with the mapping's batch size,
filters, retries, partial-batch responses, bisection on a function error and on-failure
destination). Not emulated: the batching window, the maximum record age and the
parallelization factor (one batch at a time per shard)."""

from __future__ import annotations

import base64
import json
import logging
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from devstack.functions.definitions import function_name_of
from devstack.functions.runtime import Invoker
from devstack.pumps.event_filter import matches
from devstack.pumps.polling import PollingThread
from engine.inventory import Inventory, ResourceRecord

LOGGER = logging.getLogger("devstack.pumps")

EVENT_SOURCE_MAPPING_TYPE = "aws:lambda/eventSourceMapping:EventSourceMapping"
# Lambda retries a failing stream batch until the record expires (-1, "forever"); on a
# laptop that would stall the stream behind one bug, so the devstack stops at this. A
# limit the mapping sets is kept as it is, as in AWS.
DEVSTACK_MAX_STREAM_RETRIES = 2


@dataclass(frozen=True)
class StreamSubscription:
    """One ``aws:lambda/eventSourceMapping`` of a DynamoDB stream, as declared."""

    function_name: str
    stream_arn: str
    batch_size: int = 100
    starting_position: str = "LATEST"
    maximum_retry_attempts: int = DEVSTACK_MAX_STREAM_RETRIES
    report_batch_item_failures: bool = False
    bisect_batch_on_function_error: bool = False
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
                DEVSTACK_MAX_STREAM_RETRIES if retries is None or int(retries) < 0 else int(retries)
            ),
            report_batch_item_failures="ReportBatchItemFailures"
            in (props.get("functionResponseTypes") or []),
            bisect_batch_on_function_error=props.get("bisectBatchOnFunctionError") is True,
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
    # start). Each poll takes a fresh iterator from it rather than keeping one: an
    # iterator holds moto's shard object, which a cancelled transaction used to replace
    # (``serialized_dynamodb.keep_stream_shards_through_rollbacks``); one request per
    # poll keeps the pump from relying on the object staying the same.
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
        if not records:
            return 0
        return len(records) - self._deliver_batch(shard_id, records)

    def _deliver_batch(self, shard_id: str, batch: list[dict[str, Any]]) -> int:
        """Invoke the function with ``batch`` and retry it as Lambda does; the number of
        records that failed for good (sent to the on-failure destination).

        A retry is the same batch sent again (or, after a partial-batch response, its
        records from the first failed one). With ``bisectBatchOnFunctionError``, a
        function error instead splits the batch in two and each half is delivered as a
        batch of its own, with a retry quota of its own: Lambda documents that a split
        does not use up retries (DynamoDB Streams error handling). So a poisoned record
        ends alone in a batch of one, is retried, then goes to the destination, while
        the records beside it are delivered. A partial-batch response is not a function
        error: its retry is never split (Lambda splits it at the first failed record,
        which is what retrying from that record does)."""
        pending = batch
        invocations = 0
        while invocations <= self.subscription.maximum_retry_attempts:
            invocations += 1
            try:
                result = self.invoker.invoke(self.subscription.function_name, {"Records": pending})
            except Exception as error:  # a function error: retried, or bisected, as Lambda does
                LOGGER.warning("stream batch to %s failed: %s", self.subscription.function_name, error)
                if self.subscription.bisect_batch_on_function_error and len(pending) > 1:
                    middle = len(pending) // 2
                    return self._deliver_batch(shard_id, pending[:middle]) + self._deliver_batch(
                        shard_id, pending[middle:]
                    )
                continue
            pending = self._still_failing(pending, result)
            if not pending:
                return 0
        self.failed_batches += 1
        self._send_to_failure_destination(shard_id, pending, invocations)
        return len(pending)

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

    def _send_to_failure_destination(
        self, shard_id: str, records: list[dict[str, Any]], invocations: int
    ) -> None:
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
                    "approximateInvokeCount": invocations,
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
