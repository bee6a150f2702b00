"""Shared AWS test helpers on moto: the table, the user pool, a moto server.

Reused across test packages, so the function names here are stable. The table is
built from ``table_design`` exactly as the Database component builds it (pk/sk, the
three GSIs with every attribute projected, on-demand, a NEW_AND_OLD_IMAGES stream,
TTL on ``expiresAt``); the pool has the ``tenant_id`` custom attribute and the five
role groups.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from booking.adapters import table_design
from booking.domain.identity import TENANT_ATTRIBUTE
from booking.domain.roles import Role
from botocore.config import Config
from moto.moto_server.werkzeug_app import DomainDispatcherApplication, MotoRequestHandler, create_backend_app
from moto.server import ThreadedMotoServer
from werkzeug.serving import make_server

from devstack.access import credential_variables, emulator_client
from devstack.net import free_port

REGION = "us-east-1"
TABLE_NAME = "booking-test"


def fake_credentials(monkeypatch: pytest.MonkeyPatch) -> None:
    """Credentials and region that can only ever reach moto."""
    for name, value in credential_variables().items():
        monkeypatch.setenv(name, value)
    monkeypatch.setenv("AWS_DEFAULT_REGION", REGION)
    monkeypatch.setenv("AWS_REGION", REGION)
    monkeypatch.delenv("AWS_PROFILE", raising=False)
    monkeypatch.delenv("AWS_ENDPOINT_URL", raising=False)


def table_definition(table_name: str) -> dict[str, Any]:
    """The CreateTable request the Database component's table amounts to."""
    return {
        "TableName": table_name,
        "BillingMode": "PAY_PER_REQUEST",
        "AttributeDefinitions": [
            {"AttributeName": name, "AttributeType": "S"} for name in table_design.key_attributes()
        ],
        "KeySchema": [
            {"AttributeName": table_design.PARTITION_KEY, "KeyType": "HASH"},
            {"AttributeName": table_design.SORT_KEY, "KeyType": "RANGE"},
        ],
        "GlobalSecondaryIndexes": [
            {
                "IndexName": index.name,
                "KeySchema": [
                    {"AttributeName": index.partition_key, "KeyType": "HASH"},
                    {"AttributeName": index.sort_key, "KeyType": "RANGE"},
                ],
                "Projection": {"ProjectionType": "ALL"},
            }
            for index in table_design.INDEXES
        ],
        "StreamSpecification": {"StreamEnabled": True, "StreamViewType": "NEW_AND_OLD_IMAGES"},
    }


def create_table(client: Any, table_name: str = TABLE_NAME) -> str:
    """Create the booking table (and its TTL) with ``client``; return its name."""
    client.create_table(**table_definition(table_name))
    client.get_waiter("table_exists").wait(TableName=table_name, WaiterConfig={"Delay": 0.1})
    client.update_time_to_live(
        TableName=table_name,
        TimeToLiveSpecification={"Enabled": True, "AttributeName": table_design.TTL_ATTRIBUTE},
    )
    return table_name


def create_user_pool(client: Any, name: str = "booking-test") -> str:
    """A pool like the Cognito component's: email sign-in, ``custom:tenant_id``, the
    five role groups. Returns the pool id."""
    pool = client.create_user_pool(
        PoolName=name,
        UsernameAttributes=["email"],
        AutoVerifiedAttributes=["email"],
        Schema=[
            {
                "Name": TENANT_ATTRIBUTE,
                "AttributeDataType": "String",
                "Mutable": True,
                "StringAttributeConstraints": {"MinLength": "1", "MaxLength": "64"},
            }
        ],
    )
    pool_id: str = pool["UserPool"]["Id"]
    for role in Role:
        client.create_group(UserPoolId=pool_id, GroupName=role.value)
    return pool_id


class _OneRequestAtATime:
    """WSGI middleware that lets one request into moto at a time.

    moto's ``TransactWriteItems`` is not atomic across threads: it snapshots the
    table, checks and writes item by item, and on a cancellation restores its
    snapshot, which can erase a transaction another thread committed meanwhile (seen
    here: two winners of one slot, and 500s from ``deepcopy`` of a table changing
    under it). DynamoDB itself runs transactions serializably, so serializing the
    emulator restores the semantics the code relies on, while the clients still race
    in as many threads as the test likes."""

    def __init__(self, app: Any) -> None:
        self._app = app
        self._lock = threading.Lock()

    def __call__(self, environ: dict[str, Any], start_response: Any) -> Iterable[bytes]:
        with self._lock:
            return list(self._app(environ, start_response))


class SerializedMotoServer(ThreadedMotoServer):
    """moto's threaded server, with requests applied one at a time (see above)."""

    def _server_entry(self) -> None:
        app = _OneRequestAtATime(DomainDispatcherApplication(create_backend_app))
        self._server = make_server(
            self._ip_address, self._port, app, True, request_handler=MotoRequestHandler
        )
        self._server_ready_event.set()
        self._server.serve_forever()


@contextmanager
def running_moto_server(serialize: bool = True) -> Iterator[str]:
    """moto's threaded server on 127.0.0.1 and a free port; yields its endpoint URL.

    ``serialize`` (the default) applies one request at a time, as DynamoDB's
    transactions behave; turn it off only for tests that never race writes."""
    server_type = SerializedMotoServer if serialize else ThreadedMotoServer
    server = server_type(ip_address="127.0.0.1", port=free_port(), verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    try:
        yield f"http://{host}:{port}"
    finally:
        server.stop()


def client_for(service: str, endpoint_url: str, max_connections: int = 64) -> Any:
    """A client for a moto server, with a connection pool large enough for a race."""
    return emulator_client(
        service,
        endpoint_url=endpoint_url,
        region=REGION,
        config=Config(max_pool_connections=max_connections, retries={"max_attempts": 1, "mode": "standard"}),
    )
