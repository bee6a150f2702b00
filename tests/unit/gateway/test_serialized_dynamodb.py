"""Racing transactions against moto's server get DynamoDB's answers, never a 500."""

from __future__ import annotations

import copy
import threading
import uuid
from collections import Counter
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest
from moto.moto_server.werkzeug_app import DomainDispatcherApplication, create_backend_app
from werkzeug.serving import make_server

from devstack.serialized_dynamodb import SerializedDynamoDB, back_up_each_table_once
from tests.aws import client_for

CLIENTS = 50


@pytest.fixture
def endpoint_url() -> Iterator[str]:
    """moto's server as the devstack's emulator runs it."""
    back_up_each_table_once()
    app = SerializedDynamoDB(DomainDispatcherApplication(create_backend_app))
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()


def _new_table(endpoint_url: str) -> str:
    table = f"race-{uuid.uuid4().hex[:8]}"
    client_for("dynamodb", endpoint_url).create_table(
        TableName=table,
        KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}, {"AttributeName": "sk", "KeyType": "RANGE"}],
        AttributeDefinitions=[
            {"AttributeName": "pk", "AttributeType": "S"},
            {"AttributeName": "sk", "AttributeType": "S"},
        ],
        BillingMode="PAY_PER_REQUEST",
        StreamSpecification={"StreamEnabled": True, "StreamViewType": "NEW_AND_OLD_IMAGES"},
    )
    return table


def _put(table: str, pk: str, sk: str, condition: str | None = None) -> dict[str, Any]:
    action: dict[str, Any] = {"TableName": table, "Item": {"pk": {"S": pk}, "sk": {"S": sk}}}
    if condition:
        action["ConditionExpression"] = condition
    return {"Put": action}


def test_a_cancelled_transaction_leaves_the_table_as_it_was(endpoint_url):
    client = client_for("dynamodb", endpoint_url)
    table = _new_table(endpoint_url)
    client.put_item(TableName=table, Item={"pk": {"S": "lock"}, "sk": {"S": "cell#3"}})
    cells = [_put(table, "lock", f"cell#{cell}", "attribute_not_exists(pk)") for cell in range(6)]

    with pytest.raises(client.exceptions.TransactionCanceledException):
        client.transact_write_items(TransactItems=[*cells, _put(table, "booking", "b1")])

    items = client.scan(TableName=table)["Items"]
    assert [(item["pk"]["S"], item["sk"]["S"]) for item in items] == [("lock", "cell#3")]


def test_a_transaction_backs_its_table_up_once_however_many_actions_name_it(endpoint_url, monkeypatch):
    from moto.dynamodb.models.table import Table

    table = _new_table(endpoint_url)
    copied_tables = []
    real_deepcopy = copy.deepcopy

    def counting_deepcopy(value: Any, memo: Any = None) -> Any:
        if isinstance(value, Table):
            copied_tables.append(value.name)
        return real_deepcopy(value, memo)

    monkeypatch.setattr(copy, "deepcopy", counting_deepcopy)
    actions = [_put(table, "lock", f"cell#{cell}", "attribute_not_exists(pk)") for cell in range(14)]

    client_for("dynamodb", endpoint_url).transact_write_items(TransactItems=actions)

    assert copied_tables == [table]


def test_fifty_racing_transactions_give_one_success_and_49_cancellations(endpoint_url):
    table = _new_table(endpoint_url)
    clients = [client_for("dynamodb", endpoint_url) for _ in range(CLIENTS)]

    for _round in range(3):
        slot = uuid.uuid4().hex
        barrier = threading.Barrier(CLIENTS)

        def book(index: int, slot: str = slot, barrier: threading.Barrier = barrier) -> str:
            booking = uuid.uuid4().hex
            cells = [
                {
                    "Put": {
                        "TableName": table,
                        "Item": {"pk": {"S": f"lock#{slot}"}, "sk": {"S": f"cell#{cell}"}},
                        "ConditionExpression": "attribute_not_exists(pk)",
                    }
                }
                for cell in range(12)
            ]
            booking_item = {
                "Put": {"TableName": table, "Item": {"pk": {"S": "booking"}, "sk": {"S": booking}}}
            }
            barrier.wait()
            try:
                clients[index].transact_write_items(TransactItems=[*cells, booking_item])
            except clients[index].exceptions.TransactionCanceledException:
                return "cancelled"
            except Exception as error:
                return repr(error)[:200]
            return "booked"

        with ThreadPoolExecutor(max_workers=CLIENTS) as pool:
            outcomes = Counter(pool.map(book, range(CLIENTS)))

        assert outcomes == Counter({"booked": 1, "cancelled": CLIENTS - 1})
