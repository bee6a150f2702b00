"""The table wrapper: lazy client, consistent reads, queries that follow every page."""

from __future__ import annotations

from typing import Any

import boto3
from booking.adapters.dynamodb_items import key_of
from booking.adapters.dynamodb_table import DynamoTable

from tests.aws import TABLE_NAME


def test_the_client_is_created_on_first_use_and_then_reused(dynamodb: Any) -> None:
    created: list[Any] = []

    def factory() -> Any:
        created.append(boto3.client("dynamodb"))
        return created[-1]

    table = DynamoTable(TABLE_NAME, client_factory=factory)
    assert created == []

    table.put({**key_of("P", "S"), "value": {"S": "v"}})
    table.get(key_of("P", "S"))

    assert len(created) == 1
    assert table.client is created[0]


def test_query_all_follows_last_evaluated_key_until_the_end(dynamodb: Any) -> None:
    table = DynamoTable(TABLE_NAME, client=dynamodb)
    for number in range(10):
        table.put(key_of("P", f"S#{number}"))
    requests: list[str] = []
    dynamodb.meta.events.register("before-call.dynamodb.Query", lambda **_: requests.append("Query"))

    found = list(
        table.query_all(
            KeyConditionExpression="pk = :pk",
            ExpressionAttributeValues={":pk": {"S": "P"}},
            Limit=3,
        )
    )

    assert [item["sk"]["S"] for item in found] == [f"S#{number}" for number in range(10)]
    assert len(requests) == 4


def test_delete_reports_whether_the_item_existed(dynamodb: Any) -> None:
    table = DynamoTable(TABLE_NAME, client=dynamodb)
    table.put(key_of("P", "S"))

    assert table.delete(key_of("P", "S")) is True
    assert table.delete(key_of("P", "S")) is False
    assert table.get(key_of("P", "S")) is None
