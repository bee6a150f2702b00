import os

import boto3
import pytest

from devstack.access import credential_variables, emulator_client
from devstack.emulator import Emulator, running_emulator


def test_the_emulator_listens_on_loopback_and_points_boto3_at_itself():
    with running_emulator() as emulator:
        assert emulator.endpoint_url.startswith("http://127.0.0.1:")
        assert os.environ["AWS_ENDPOINT_URL"] == emulator.endpoint_url
        assert credential_variables().items() <= os.environ.items()
        sqs = boto3.client("sqs")  # no endpoint given: the environment says where
        url = sqs.create_queue(QueueName="probe")["QueueUrl"]
        assert emulator.endpoint_url in url or "localhost" in url


def test_stopping_restores_the_environment_and_frees_the_port(monkeypatch):
    monkeypatch.delenv("AWS_ENDPOINT_URL", raising=False)
    emulator = Emulator().start()
    endpoint = emulator.endpoint_url
    emulator.stop()
    assert "AWS_ENDPOINT_URL" not in os.environ
    with pytest.raises(RuntimeError):
        _ = emulator.endpoint_url
    import requests

    with pytest.raises(requests.ConnectionError):
        requests.get(endpoint, timeout=2)


def test_a_second_run_starts_from_an_empty_account():
    with running_emulator():
        boto3.client("sqs").create_queue(QueueName="left-over")
    with running_emulator():
        assert boto3.client("sqs").list_queues().get("QueueUrls", []) == []


def test_the_emulator_serializes_dynamodb_requests_and_nothing_else():
    """moto's TransactWriteItems is not thread-safe (``devstack.serialized_dynamodb``)."""
    from devstack.serialized_dynamodb import SerializedDynamoDB

    with Emulator(export_environment=False) as emulator:
        pools = emulator._server._server.app  # Cognito's triggers in front (devstack.user_pool_triggers)
        app = pools.app
        assert isinstance(app, SerializedDynamoDB)
        client = emulator_client("sqs", endpoint_url=emulator.endpoint_url, region=emulator.region)
        with app._lock:  # a DynamoDB request in flight does not hold up other services
            assert client.list_queues().get("QueueUrls", []) == []
