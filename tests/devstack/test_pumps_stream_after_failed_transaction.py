"""The stream pump keeps delivering after a failed transaction.

moto rolls a cancelled ``TransactWriteItems`` back by replacing the table with a deep
copy taken before it, stream shard included; a shard iterator obtained earlier keeps
pointing at the discarded shard. Every ``409 SLOT_TAKEN`` is such a transaction, so a
pump that kept its iterator went deaf (no more emails) after the first conflict. The
emulator now keeps the table's own shard through a rollback, cut back to the records it
had (``serialized_dynamodb.keep_stream_shards_through_rollbacks``): an iterator taken
before neither reads what the cancelled transaction wrote nor misses what comes next."""

from __future__ import annotations

from typing import Any

import pytest
from botocore.exceptions import ClientError

from devstack.adapters.dynamodb import create_table
from devstack.pumps import StreamPump, StreamSubscription


class RecordingInvoker:
    def __init__(self) -> None:
        self.calls: list[tuple[str, dict[str, Any]]] = []

    def invoke(self, function_name: str, event: dict[str, Any]) -> dict[str, Any]:
        self.calls.append((function_name, event))
        return {}


@pytest.fixture
def table(ctx: Any, make_record: Any) -> tuple[str, str]:
    name, outputs = create_table(
        ctx,
        make_record(
            "aws:dynamodb/table:Table",
            "rollback-table",
            billingMode="PAY_PER_REQUEST",
            hashKey="pk",
            attributes=[{"name": "pk", "type": "S"}],
            streamEnabled=True,
            streamViewType="NEW_AND_OLD_IMAGES",
        ),
    )
    return name, outputs["streamArn"]


def _put(ctx: Any, table_name: str, key: str) -> None:
    ctx.client("dynamodb").put_item(TableName=table_name, Item={"pk": {"S": key}})


def _conflicting_transaction(ctx: Any, table_name: str, key: str, written_first: str | None = None) -> None:
    """A transaction cancelled on ``key``'s condition; ``written_first``: an item it puts
    before reaching that condition (as a booking precedes its lock cells)."""
    first = (
        [{"Put": {"TableName": table_name, "Item": {"pk": {"S": written_first}}}}] if written_first else []
    )
    with pytest.raises(ClientError, match="TransactionCanceled"):
        ctx.client("dynamodb").transact_write_items(
            TransactItems=[
                *first,
                {
                    "Put": {
                        "TableName": table_name,
                        "Item": {"pk": {"S": key}},
                        "ConditionExpression": "attribute_not_exists(pk)",
                    }
                },
            ]
        )


@pytest.mark.parametrize("starting_position", ["LATEST", "TRIM_HORIZON"])
def test_records_written_after_a_cancelled_transaction_are_still_delivered(
    ctx: Any, table: tuple[str, str], starting_position: str
) -> None:
    table_name, stream_arn = table
    invoker = RecordingInvoker()
    subscription = StreamSubscription("fn", stream_arn, starting_position=starting_position)
    pump = StreamPump(subscription, ctx.client("dynamodbstreams"), invoker)
    assert pump.poll_once() == 0
    _put(ctx, table_name, "first")
    assert pump.poll_once() == 1

    _conflicting_transaction(ctx, table_name, "first")
    _put(ctx, table_name, "second")

    assert pump.poll_once() == 1
    keys = [event["Records"][0]["dynamodb"]["Keys"]["pk"]["S"] for _, event in invoker.calls]
    assert keys == ["first", "second"]


def test_a_conflict_before_anything_was_delivered_does_not_deafen_a_latest_pump(
    ctx: Any, table: tuple[str, str]
) -> None:
    table_name, stream_arn = table
    _put(ctx, table_name, "before")
    invoker = RecordingInvoker()
    pump = StreamPump(
        StreamSubscription("fn", stream_arn, starting_position="LATEST"),
        ctx.client("dynamodbstreams"),
        invoker,
    )
    assert pump.poll_once() == 0
    _conflicting_transaction(ctx, table_name, "before")
    _put(ctx, table_name, "after")
    assert pump.poll_once() == 1
    assert invoker.calls[0][1]["Records"][0]["dynamodb"]["Keys"]["pk"]["S"] == "after"


def _keys(records: list[dict[str, Any]]) -> list[str]:
    return [record["dynamodb"]["Keys"]["pk"]["S"] for record in records]


def test_an_iterator_taken_before_a_cancelled_transaction_reads_neither_its_writes_nor_misses_the_next(
    ctx: Any, table: tuple[str, str]
) -> None:
    table_name, stream_arn = table
    _put(ctx, table_name, "first")
    streams = ctx.client("dynamodbstreams")
    shard_id = streams.describe_stream(StreamArn=stream_arn)["StreamDescription"]["Shards"][0]["ShardId"]
    iterator = streams.get_shard_iterator(StreamArn=stream_arn, ShardId=shard_id, ShardIteratorType="LATEST")

    _conflicting_transaction(ctx, table_name, "first", written_first="never-committed")
    _put(ctx, table_name, "second")

    assert _keys(streams.get_records(ShardIterator=iterator["ShardIterator"])["Records"]) == ["second"]


class ConflictDuringDelivery(RecordingInvoker):
    """While the pump delivers its first batch, an API request's transaction is
    cancelled after writing a booking, and another booking is committed: the pump's
    poll goes on with the iterator it took before."""

    def __init__(self, ctx: Any, table_name: str) -> None:
        super().__init__()
        self.ctx, self.table_name = ctx, table_name

    def invoke(self, function_name: str, event: dict[str, Any]) -> dict[str, Any]:
        if not self.calls:
            _conflicting_transaction(self.ctx, self.table_name, "first", written_first="never-committed")
            _put(self.ctx, self.table_name, "second")
        return super().invoke(function_name, event)


def test_a_transaction_cancelled_while_the_pump_delivers_is_not_delivered_and_the_next_write_is(
    ctx: Any, table: tuple[str, str]
) -> None:
    table_name, stream_arn = table
    invoker = ConflictDuringDelivery(ctx, table_name)
    pump = StreamPump(
        StreamSubscription("fn", stream_arn, starting_position="TRIM_HORIZON", batch_size=1),
        ctx.client("dynamodbstreams"),
        invoker,
    )
    _put(ctx, table_name, "first")

    pump.poll_once()
    pump.poll_once()

    assert [_keys(event["Records"]) for _, event in invoker.calls] == [["first"], ["second"]]
