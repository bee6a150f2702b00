"""The stream pump keeps delivering after a failed transaction.

moto rolls a cancelled ``TransactWriteItems`` back by replacing the table with a deep
copy taken before it, stream shard included; a shard iterator obtained earlier keeps
pointing at the discarded shard. Every ``409 SLOT_TAKEN`` is such a transaction, so a
pump that kept its iterator went deaf (no more emails) after the first conflict."""

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


def _conflicting_transaction(ctx: Any, table_name: str, key: str) -> None:
    with pytest.raises(ClientError, match="TransactionCanceled"):
        ctx.client("dynamodb").transact_write_items(
            TransactItems=[
                {
                    "Put": {
                        "TableName": table_name,
                        "Item": {"pk": {"S": key}},
                        "ConditionExpression": "attribute_not_exists(pk)",
                    }
                }
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
