"""The one table, as the repositories see it: a lazily created low-level client.

The client is built on first use, not at import or construction, so a test can start
moto (``mock_aws`` or a server) after importing the adapters, and a Lambda container
pays for the client only when a request needs it. Tests may inject their own client
(e.g. one pointed at a ``ThreadedMotoServer``). ``AWS_ENDPOINT_URL`` in the
environment (the devstack) is honoured by botocore itself.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, Any

import boto3
from botocore.exceptions import ClientError

if TYPE_CHECKING:
    from mypy_boto3_dynamodb.client import DynamoDBClient
    from mypy_boto3_dynamodb.type_defs import AttributeValueTypeDef

    Item = dict[str, AttributeValueTypeDef]
else:
    DynamoDBClient = Any
    Item = dict[str, Any]

ClientFactory = Callable[[], "DynamoDBClient"]


def cancellation_codes(error: ClientError) -> list[str] | None:
    """The code of each action of a cancelled ``TransactWriteItems`` (in order; "None"
    for an action that did not fail), or None when ``error`` is not a cancellation."""
    if error.response.get("Error", {}).get("Code") != "TransactionCanceledException":
        return None
    reasons: list[Any] = list(error.response.get("CancellationReasons", []))
    return [str(reason.get("Code", "None")) for reason in reasons]


def condition_failed(error: ClientError) -> bool:
    return error.response.get("Error", {}).get("Code") == "ConditionalCheckFailedException"


def _default_client() -> DynamoDBClient:
    return boto3.client("dynamodb")


class DynamoTable:
    """The table name plus a client created on first use (thread-safe)."""

    def __init__(
        self,
        table_name: str,
        client: DynamoDBClient | None = None,
        client_factory: ClientFactory = _default_client,
    ) -> None:
        self.name = table_name
        self._client = client
        self._client_factory = client_factory
        self._lock = threading.Lock()

    @property
    def client(self) -> DynamoDBClient:
        if self._client is None:
            with self._lock:
                if self._client is None:
                    self._client = self._client_factory()
        return self._client

    def get(self, key: Item) -> Item | None:
        """A strongly consistent GetItem: the item as it is now, or None."""
        response = self.client.get_item(TableName=self.name, Key=key, ConsistentRead=True)
        return response.get("Item")

    def put(self, item: Item) -> None:
        self.client.put_item(TableName=self.name, Item=item)

    def delete(self, key: Item) -> bool:
        """Delete an item; True when it existed."""
        response = self.client.delete_item(TableName=self.name, Key=key, ReturnValues="ALL_OLD")
        return bool(response.get("Attributes"))

    def query_all(self, **kwargs: Any) -> Iterator[Item]:
        """Every item of a Query, following ``LastEvaluatedKey`` (one logical query)."""
        start_key: Item | None = None
        while True:
            request = dict(kwargs, TableName=self.name)
            if start_key is not None:
                request["ExclusiveStartKey"] = start_key
            response = self.client.query(**request)
            yield from response.get("Items", [])
            start_key = response.get("LastEvaluatedKey")
            if not start_key:
                return

    def transact(self, actions: list[Any]) -> list[str] | None:
        """Run ``TransactWriteItems``; None when it committed, else the code of each
        action if a condition cancelled it (any other error is raised)."""
        try:
            self.client.transact_write_items(TransactItems=actions)
        except ClientError as error:
            codes = cancellation_codes(error)
            if codes is None:
                raise
            return codes
        return None

    def query_page(self, **kwargs: Any) -> tuple[list[Item], Item | None]:
        """One Query request: the items and the key to continue from."""
        response = self.client.query(TableName=self.name, **kwargs)
        return list(response.get("Items", [])), response.get("LastEvaluatedKey")
