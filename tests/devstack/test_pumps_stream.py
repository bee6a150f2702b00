import json

import pytest

from devstack.adapters.dynamodb import create_table
from devstack.pumps import StreamPump, StreamSubscription, matches, stream_subscriptions
from devstack.pumps.stream import EVENT_SOURCE_MAPPING_TYPE as EVENT_SOURCE_MAPPING
from engine.inventory import Inventory, ResourceRecord
from tests.devstack.fakes import RecordingInvoker


@pytest.fixture
def table(ctx, make_record):
    name, outputs = create_table(
        ctx,
        make_record(
            "aws:dynamodb/table:Table",
            "stream-table",
            billingMode="PAY_PER_REQUEST",
            hashKey="pk",
            rangeKey="sk",
            attributes=[{"name": "pk", "type": "S"}, {"name": "sk", "type": "S"}],
            streamEnabled=True,
            streamViewType="NEW_AND_OLD_IMAGES",
        ),
    )
    return name, outputs["streamArn"]


def _put(ctx, table_name, count, kind="booking"):
    for index in range(count):
        ctx.client("dynamodb").put_item(
            TableName=table_name,
            Item={"pk": {"S": f"T#{index}"}, "sk": {"S": "X"}, "type": {"S": kind}, "n": {"N": str(index)}},
        )


def _pump(ctx, subscription, invoker):
    return StreamPump(subscription, ctx.client("dynamodbstreams"), invoker, sqs=ctx.client("sqs"))


def _failure_queue(ctx, name):
    """An SQS queue for the mapping's on-failure destination: its URL and ARN."""
    sqs = ctx.client("sqs")
    queue_url = sqs.create_queue(QueueName=name)["QueueUrl"]
    arn = sqs.get_queue_attributes(QueueUrl=queue_url, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
    return queue_url, arn


class PoisonedInvoker(RecordingInvoker):
    """A function that fails (raises) on every batch holding a record of type ``poison``."""

    def invoke(self, function_name, event):
        super().invoke(function_name, event)
        if any(record["dynamodb"]["NewImage"]["type"] == {"S": "poison"} for record in event["Records"]):
            raise RuntimeError("poisoned batch")
        return {}

    def delivered(self):
        """The ``n`` of every record in a batch the function took."""
        return [
            int(record["dynamodb"]["NewImage"]["n"]["N"])
            for _, event in self.calls
            if all(record["dynamodb"]["NewImage"]["type"] != {"S": "poison"} for record in event["Records"])
            for record in event["Records"]
        ]


def _poisoned_batch(ctx, table, queue_name, **mapping):
    """Five records, the third poisoned, under a mapping that retries once and sends what
    fails for good to a new queue: the queue's URL, the invoker and the pump."""
    table_name, stream_arn = table
    queue_url, queue_arn = _failure_queue(ctx, queue_name)
    invoker = PoisonedInvoker()
    subscription = StreamSubscription(
        "fn",
        stream_arn,
        starting_position="TRIM_HORIZON",
        maximum_retry_attempts=1,
        on_failure_arn=queue_arn,
        **mapping,
    )
    _put_with_poison(ctx, table_name, 5, poisoned=2)
    return queue_url, invoker, _pump(ctx, subscription, invoker)


def _put_with_poison(ctx, table_name, count, poisoned):
    for index in range(count):
        kind = "poison" if index == poisoned else "booking"
        ctx.client("dynamodb").put_item(
            TableName=table_name,
            Item={"pk": {"S": f"T#{index}"}, "sk": {"S": "X"}, "type": {"S": kind}, "n": {"N": str(index)}},
        )


def test_stream_records_reach_the_function_in_lambdas_event_format_and_batch_size(ctx, table):
    table_name, stream_arn = table
    invoker = RecordingInvoker()
    pump = _pump(
        ctx,
        StreamSubscription(
            "booking-dev-notifications", stream_arn, batch_size=2, starting_position="TRIM_HORIZON"
        ),
        invoker,
    )
    _put(ctx, table_name, 3)

    assert pump.poll_once() == 3
    assert [len(event["Records"]) for _, event in invoker.calls] == [2, 1]
    function, event = invoker.calls[0]
    assert function == "booking-dev-notifications"
    record = event["Records"][0]
    assert record["eventName"] == "INSERT"
    assert record["eventSource"] == "aws:dynamodb"
    assert record["eventSourceARN"] == stream_arn
    assert record["dynamodb"]["NewImage"]["pk"] == {"S": "T#0"}
    assert record["dynamodb"]["StreamViewType"] == "NEW_AND_OLD_IMAGES"
    assert isinstance(record["dynamodb"]["ApproximateCreationDateTime"], int)

    # Nothing new: nothing delivered; a change is delivered once, with its old image.
    assert pump.poll_once() == 0
    ctx.client("dynamodb").delete_item(TableName=table_name, Key={"pk": {"S": "T#1"}, "sk": {"S": "X"}})
    assert pump.poll_once() == 1
    removed = invoker.calls[-1][1]["Records"][0]
    assert removed["eventName"] == "REMOVE"
    assert removed["dynamodb"]["OldImage"]["n"] == {"N": "1"}


def test_latest_starting_position_skips_what_was_written_before_the_pump_started(ctx, table):
    table_name, stream_arn = table
    _put(ctx, table_name, 2)
    invoker = RecordingInvoker()
    pump = _pump(ctx, StreamSubscription("fn", stream_arn, starting_position="LATEST"), invoker)
    assert pump.poll_once() == 0
    _put(ctx, table_name, 1, kind="later")
    assert pump.poll_once() == 1
    assert invoker.calls[0][1]["Records"][0]["dynamodb"]["NewImage"]["type"] == {"S": "later"}


def test_filter_criteria_drop_records_the_pattern_does_not_match(ctx, table):
    table_name, stream_arn = table
    invoker = RecordingInvoker()
    pattern = {"dynamodb": {"NewImage": {"type": {"S": ["booking"]}}}}
    pump = _pump(
        ctx,
        StreamSubscription("fn", stream_arn, starting_position="TRIM_HORIZON", filter_patterns=(pattern,)),
        invoker,
    )
    _put(ctx, table_name, 2, kind="tenant")
    _put(ctx, table_name, 1, kind="booking")

    pump.poll_once()

    delivered = [record for _, event in invoker.calls for record in event["Records"]]
    assert [record["dynamodb"]["NewImage"]["type"]["S"] for record in delivered] == ["booking"]


def test_a_failing_batch_is_retried_then_sent_to_the_on_failure_queue(ctx, table):
    table_name, stream_arn = table
    queue_url, queue_arn = _failure_queue(ctx, "stream-failures")
    invoker = RecordingInvoker(answers=[RuntimeError("boom")] * 3)
    pump = _pump(
        ctx,
        StreamSubscription(
            "fn",
            stream_arn,
            starting_position="TRIM_HORIZON",
            maximum_retry_attempts=2,
            on_failure_arn=queue_arn,
        ),
        invoker,
    )
    _put(ctx, table_name, 1)

    pump.poll_once()

    assert len(invoker.calls) == 3
    assert pump.failed_batches == 1
    [message] = ctx.client("sqs").receive_message(QueueUrl=queue_url)["Messages"]
    info = json.loads(message["Body"])["DDBStreamBatchInfo"]
    assert info["streamArn"] == stream_arn
    assert info["batchSize"] == 1


@pytest.mark.parametrize("bisect", [False, True])
def test_partial_batch_failures_retry_from_the_first_failed_record_bisecting_or_not(ctx, table, bisect):
    table_name, stream_arn = table
    invoker = RecordingInvoker()
    pump = _pump(
        ctx,
        StreamSubscription(
            "fn",
            stream_arn,
            starting_position="TRIM_HORIZON",
            report_batch_item_failures=True,
            bisect_batch_on_function_error=bisect,
        ),
        invoker,
    )
    _put(ctx, table_name, 3)
    records = ctx.client("dynamodbstreams")
    shard = records.describe_stream(StreamArn=stream_arn)["StreamDescription"]["Shards"][0]["ShardId"]
    iterator = records.get_shard_iterator(
        StreamArn=stream_arn, ShardId=shard, ShardIteratorType="TRIM_HORIZON"
    )
    second = records.get_records(ShardIterator=iterator["ShardIterator"])["Records"][1]["dynamodb"][
        "SequenceNumber"
    ]
    invoker.answers = [{"batchItemFailures": [{"itemIdentifier": second}]}, {}]

    pump.poll_once()

    assert [len(event["Records"]) for _, event in invoker.calls] == [3, 2]
    assert invoker.calls[1][1]["Records"][0]["dynamodb"]["SequenceNumber"] == second


def test_with_bisect_a_poisoned_record_is_split_out_alone_and_the_others_are_delivered(ctx, table):
    queue_url, invoker, pump = _poisoned_batch(
        ctx,
        table,
        "bisected-failures",
        report_batch_item_failures=True,  # as the program's mapping: errors still bisect
        bisect_batch_on_function_error=True,
    )

    assert pump.poll_once() == 4

    # [0-4] fails: halves [0,1] (taken) and [2,3,4] (fails: halves [2] and [3,4]); [2]
    # alone fails, is retried once (splits used none of its quota), then goes to the queue.
    assert [len(event["Records"]) for _, event in invoker.calls] == [5, 2, 3, 1, 1, 2]
    assert invoker.delivered() == [0, 1, 3, 4]
    assert pump.failed_batches == 1
    [message] = ctx.client("sqs").receive_message(QueueUrl=queue_url)["Messages"]
    failure = json.loads(message["Body"])
    poisoned = invoker.calls[-2][1]["Records"][0]["dynamodb"]["SequenceNumber"]
    assert failure["requestContext"]["approximateInvokeCount"] == 2
    assert failure["DDBStreamBatchInfo"]["batchSize"] == 1
    assert failure["DDBStreamBatchInfo"]["startSequenceNumber"] == poisoned
    assert failure["DDBStreamBatchInfo"]["endSequenceNumber"] == poisoned


def test_without_bisect_a_poisoned_record_fails_its_whole_batch(ctx, table):
    queue_url, invoker, pump = _poisoned_batch(ctx, table, "unbisected-failures")

    assert pump.poll_once() == 0

    assert [len(event["Records"]) for _, event in invoker.calls] == [5, 5]
    [message] = ctx.client("sqs").receive_message(QueueUrl=queue_url)["Messages"]
    assert json.loads(message["Body"])["DDBStreamBatchInfo"]["batchSize"] == 5


def test_subscriptions_are_read_from_the_programs_event_source_mappings():
    mapping = ResourceRecord(
        urn="urn:x::esm",
        type="aws:lambda/eventSourceMapping:EventSourceMapping",
        name="fn-notifications-stream",
        parent=None,
        provider=None,
        inputs={
            "functionName": "arn:aws:lambda:us-east-1:123456789012:function:booking-dev-notifications",
            "eventSourceArn": "arn:aws:dynamodb:us-east-1:123456789012:table/t/stream/2026",
            "startingPosition": "LATEST",
            "batchSize": 25.0,
            "maximumRetryAttempts": -1,
            "functionResponseTypes": ["ReportBatchItemFailures"],
            "bisectBatchOnFunctionError": True,
            "destinationConfig": {"onFailure": {"destinationArn": "arn:aws:sqs:us-east-1:123456789012:dlq"}},
            "filterCriteria": {"filters": [{"pattern": json.dumps({"eventName": ["INSERT"]})}]},
        },
    )
    queue_mapping = ResourceRecord(
        urn="urn:x::q",
        type="aws:lambda/eventSourceMapping:EventSourceMapping",
        name="queue",
        parent=None,
        provider=None,
        inputs={"functionName": "f", "eventSourceArn": "arn:aws:sqs:us-east-1:123456789012:q"},
    )

    [subscription] = stream_subscriptions(Inventory("p", "dev", [mapping, queue_mapping]))

    assert subscription.function_name == "booking-dev-notifications"
    assert subscription.batch_size == 25
    assert subscription.maximum_retry_attempts == 2
    assert subscription.report_batch_item_failures
    assert subscription.bisect_batch_on_function_error
    assert subscription.on_failure_arn == "arn:aws:sqs:us-east-1:123456789012:dlq"
    assert subscription.filter_patterns == ({"eventName": ["INSERT"]},)


@pytest.mark.parametrize(("declared", "used"), [(-1, 2), (None, 2), (0, 0), (5, 5)])
def test_the_mappings_retry_limit_is_kept_and_only_forever_is_bounded(declared, used):
    inputs = {"functionName": "fn", "eventSourceArn": "arn:aws:dynamodb:us-east-1:1:table/t/stream/2026"}
    if declared is not None:
        inputs["maximumRetryAttempts"] = declared
    mapping = ResourceRecord(
        urn="urn:x::esm", type=EVENT_SOURCE_MAPPING, name="m", parent=None, provider=None, inputs=inputs
    )
    assert StreamSubscription.from_record(mapping).maximum_retry_attempts == used


@pytest.mark.parametrize(
    ("pattern", "record", "expected"),
    [
        ({"eventName": ["INSERT", "MODIFY"]}, {"eventName": "MODIFY"}, True),
        ({"eventName": ["INSERT"]}, {"eventName": "REMOVE"}, False),
        (
            {"dynamodb": {"Keys": {"pk": {"S": [{"prefix": "TENANT#"}]}}}},
            {"dynamodb": {"Keys": {"pk": {"S": "TENANT#a"}}}},
            True,
        ),
        (
            {"dynamodb": {"Keys": {"pk": {"S": [{"prefix": "TENANT#"}]}}}},
            {"dynamodb": {"Keys": {"pk": {"S": "LOCK#a"}}}},
            False,
        ),
        ({"dynamodb": {"OldImage": [{"exists": False}]}}, {"dynamodb": {"NewImage": {}}}, True),
        ({"dynamodb": {"OldImage": [{"exists": False}]}}, {"dynamodb": {"OldImage": {}}}, False),
        ({"eventName": [{"anything-but": ["REMOVE"]}]}, {"eventName": "INSERT"}, True),
        ({"eventName": [{"anything-but": "REMOVE"}]}, {"eventName": "REMOVE"}, False),
    ],
)
def test_event_filter_patterns_match_like_lambdas(pattern, record, expected):
    assert matches(pattern, record) is expected
