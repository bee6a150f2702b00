import threading
import time
from concurrent.futures import ThreadPoolExecutor

import pytest
from botocore.exceptions import ClientError
from moto.utilities.utils import PARTITION_NAMES as PARTITIONS

from devstack import moto_speedups
from devstack.access import emulator_client


@pytest.fixture
def dynamodb(emulator):
    moto_speedups.copy_stream_records_by_reference()
    client = emulator_client("dynamodb", endpoint_url=emulator.endpoint_url, region=emulator.region)
    name = f"speedups-{threading.get_ident()}-{time.monotonic_ns()}"
    description = client.create_table(
        TableName=name,
        KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}],
        AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"}],
        BillingMode="PAY_PER_REQUEST",
        StreamSpecification={"StreamEnabled": True, "StreamViewType": "NEW_AND_OLD_IMAGES"},
    )["TableDescription"]
    return client, name, description["LatestStreamArn"]


def _stream_keys(emulator, stream_arn):
    streams = emulator_client("dynamodbstreams", endpoint_url=emulator.endpoint_url, region=emulator.region)
    shard = streams.describe_stream(StreamArn=stream_arn)["StreamDescription"]["Shards"][0]["ShardId"]
    iterator = streams.get_shard_iterator(
        StreamArn=stream_arn, ShardId=shard, ShardIteratorType="TRIM_HORIZON"
    )
    records = streams.get_records(ShardIterator=iterator["ShardIterator"])["Records"]
    return [record["dynamodb"]["Keys"]["pk"]["S"] for record in records]


def _put(name, key, condition=None):
    action = {"TableName": name, "Item": {"pk": {"S": key}}}
    if condition:
        action["ConditionExpression"] = condition
    return {"Put": action}


def test_a_cancelled_transaction_leaves_neither_items_nor_stream_records(emulator, dynamodb):
    client, name, stream_arn = dynamodb
    client.put_item(TableName=name, Item={"pk": {"S": "taken"}})

    with pytest.raises(ClientError, match="TransactionCanceledException"):
        client.transact_write_items(
            TransactItems=[_put(name, f"new-{i}") for i in range(10)]
            + [_put(name, "taken", "attribute_not_exists(pk)")]
        )

    assert client.scan(TableName=name)["Items"] == [{"pk": {"S": "taken"}}]
    assert _stream_keys(emulator, stream_arn) == ["taken"]


def test_a_committed_transaction_writes_every_item_and_its_stream_records(emulator, dynamodb):
    client, name, stream_arn = dynamodb
    client.transact_write_items(TransactItems=[_put(name, f"cell-{i}") for i in range(12)])
    client.transact_write_items(TransactItems=[_put(name, "after")])

    assert len(client.scan(TableName=name)["Items"]) == 13
    assert _stream_keys(emulator, stream_arn) == [f"cell-{i}" for i in range(12)] + ["after"]


def test_racing_transactions_for_one_item_have_exactly_one_winner(emulator, dynamodb):
    client, name, _ = dynamodb

    def book(attempt):
        try:
            client.transact_write_items(
                TransactItems=[
                    _put(name, "slot", "attribute_not_exists(pk)"),
                    _put(name, f"record-{attempt}"),
                ]
            )
        except ClientError as error:
            return error.response["Error"]["Code"]
        return "ok"

    with ThreadPoolExecutor(max_workers=20) as pool:
        outcomes = list(pool.map(book, range(20)))

    assert outcomes.count("ok") == 1
    assert set(outcomes) == {"ok", "TransactionCanceledException"}
    assert len(client.scan(TableName=name)["Items"]) == 2


def test_only_the_emulators_partition_loads_awss_managed_policies(emulator):
    from moto.iam.models import iam_backends

    # moto looks a request's access key up in every partition's IAM backend, creating them.
    account = iam_backends["123456789012"]
    loaded = {partition: len(account[partition].aws_managed_policies) for partition in PARTITIONS}

    assert loaded["aws"] > 1000  # the program attaches AWSLambdaBasicExecutionRole and others
    others = {partition: count for partition, count in loaded.items() if partition != "aws"}
    assert "aws-cn" in others
    assert set(others.values()) == {0}
