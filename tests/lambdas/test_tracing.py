"""X-Ray tracing of the functions: set up by the first invocation, only where tracing is
on, and still recording the handler, each operation and each AWS call."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from aws_lambda_powertools.tracing.tracer import Tracer
from booking.handlers.tracing import tracing_enabled

from devstack.access import credential_variables
from tests.aws import REGION

ROOT = Path(__file__).resolve().parents[2]
TRACE_HEADER = "Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1"


@pytest.mark.parametrize(
    "environment",
    [
        {},
        {"LAMBDA_TASK_ROOT": "/var/task"},
        {"LAMBDA_TASK_ROOT": "/var/task", "POWERTOOLS_TRACE_DISABLED": "true"},
        {"LAMBDA_TASK_ROOT": "/var/task", "POWERTOOLS_TRACE_DISABLED": "false"},
        {"LAMBDA_TASK_ROOT": "/var/task", "POWERTOOLS_TRACE_DISABLED": "1"},
        {"LAMBDA_TASK_ROOT": "/var/task", "AWS_SAM_LOCAL": "true"},
        {"LAMBDA_TASK_ROOT": "/var/task", "AWS_CHALICE_CLI_MODE": "true"},
        {"POWERTOOLS_TRACE_DISABLED": "false"},
    ],
)
def test_tracing_is_on_exactly_where_powertools_tracer_turns_itself_on(monkeypatch, environment):
    for name in ("LAMBDA_TASK_ROOT", "POWERTOOLS_TRACE_DISABLED", "AWS_SAM_LOCAL", "AWS_CHALICE_CLI_MODE"):
        monkeypatch.delenv(name, raising=False)
    for name, value in environment.items():
        monkeypatch.setenv(name, value)
    assert tracing_enabled() is not bool(Tracer._is_tracer_disabled())


@pytest.fixture
def xray_daemon() -> Iterator[socket.socket]:
    """A UDP socket where the X-Ray daemon would listen."""
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as daemon:
        daemon.bind(("127.0.0.1", 0))
        daemon.settimeout(0.5)
        yield daemon


def received_documents(daemon: socket.socket) -> list[dict[str, Any]]:
    documents: list[dict[str, Any]] = []
    while True:
        try:
            datagram = daemon.recv(65536).decode()
        except TimeoutError:
            return documents
        header, body = datagram.split("\n", 1)
        assert json.loads(header) == {"format": "json", "version": 1}
        documents.append(json.loads(body))


def invoke(environment: dict[str, str]) -> dict[str, Any]:
    base = {name: os.environ[name] for name in ("PATH", "HOME") if name in os.environ}
    completed = subprocess.run(
        [sys.executable, "-m", "tests.lambdas.traced_invocation"],
        capture_output=True,
        text=True,
        check=True,
        cwd=ROOT,
        timeout=120,
        env={
            **base,
            **credential_variables(),
            "PYTHONPATH": f"{ROOT}{os.pathsep}{ROOT / 'lambdas'}",
            "AWS_DEFAULT_REGION": REGION,
            "STAGE": "test",
            "TABLE_NAME": "booking-test",
            "POWERTOOLS_SERVICE_NAME": "catalogs",
            "APP_VERSION": "0.0.0-test",
            **environment,
        },
    )
    result: dict[str, Any] = json.loads(completed.stdout.strip().splitlines()[-1])
    return result


def test_a_traced_invocation_records_the_handler_its_operation_and_each_dynamodb_call(xray_daemon):
    host, port = xray_daemon.getsockname()
    result = invoke(
        {
            "LAMBDA_TASK_ROOT": str(ROOT),
            "_X_AMZN_TRACE_ID": TRACE_HEADER,
            "AWS_XRAY_DAEMON_ADDRESS": f"{host}:{port}",
        }
    )
    assert result["status"] == 200
    assert result["xray_loaded"] == {"at_import": False, "by_the_invocation": True}
    assert result["patched"] == ["botocore"]  # AWS calls only, not every library installed
    documents = received_documents(xray_daemon)
    by_name = {document["name"]: document for document in documents}
    handler = by_name["## handler"]
    operation = by_name["## booking.handlers.catalogs.list_professionals"]
    calls = {
        document["aws"]["operation"]: document for document in documents if document["name"] == "dynamodb"
    }
    # the access gate's read of the caller and their clinic, then the catalog's query
    assert sorted(calls) == ["BatchGetItem", "Query"]
    query = calls["Query"]
    assert handler["annotations"] == {
        "ColdStart": True,
        "Service": "catalogs",
        "tenant_id": "clinica-sonrisa",
    }
    assert operation["parent_id"] == handler["id"]
    assert query["parent_id"] == operation["id"]
    assert query["namespace"] == "aws"
    assert query["aws"]["operation"] == "Query"
    assert query["aws"]["table_name"] == "booking-test"
    assert calls["BatchGetItem"]["parent_id"] in {handler["id"], operation["id"]}
    assert {document["trace_id"] for document in documents} == {"1-5759e988-bd862e3fe1be46a994272793"}


def test_an_untraced_invocation_never_loads_the_xray_sdk(xray_daemon):
    result = invoke({"LAMBDA_TASK_ROOT": str(ROOT), "POWERTOOLS_TRACE_DISABLED": "true"})
    assert result["status"] == 200
    assert result["xray_loaded"] == {"at_import": False, "by_the_invocation": False}
    assert received_documents(xray_daemon) == []
