"""One cold start of ``benchmarks.cold_path``, in the fresh interpreter it runs in.

    python -m benchmarks._cold_probe SPEC.json RESULT.json

The spec names the side (``real``: the packaged handler; ``bare``: a few lines of
plain boto3 replaying the AWS requests the real handler made; ``toolkit``: the bare
function after loading the libraries every function needs), the event, and whether to
record the AWS requests. Only the standard library is loaded before the clock
starts: the import of the handler (or of boto3) and the first request are what is
timed. Recording registers botocore's ``provide-client-params`` hook on boto3's
default session (as ``benchmarks.dynamodb_requests`` does), which loads boto3 first;
recorded runs are therefore never the timed ones.
"""

from __future__ import annotations

import base64
import importlib
import json
import os
import sys
import time
from datetime import datetime
from pathlib import Path
from typing import Any


class Context:
    """What Lambda hands a handler besides the event (the attributes Powertools reads)."""

    function_name = "cold-path"
    function_version = "$LATEST"
    memory_limit_in_mb = 512
    aws_request_id = "cold-path-request"
    log_group_name = "/aws/lambda/cold-path"
    log_stream_name = "cold-path"

    def __init__(self, function_arn: str, timeout_ms: int) -> None:
        self.invoked_function_arn = function_arn
        self._deadline = time.monotonic() + timeout_ms / 1000

    def get_remaining_time_in_millis(self) -> int:
        return int((self._deadline - time.monotonic()) * 1000)


def encode(value: Any) -> Any:
    """Request parameters as JSON: bytes and datetimes tagged, the rest as is."""
    if isinstance(value, bytes):
        return {"$bytes": base64.b64encode(value).decode()}
    if isinstance(value, datetime):
        return {"$datetime": value.isoformat()}
    if isinstance(value, dict):
        return {key: encode(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [encode(item) for item in value]
    return value


def decode(value: dict[str, Any]) -> Any:
    if "$bytes" in value:
        return base64.b64decode(value["$bytes"])
    if "$datetime" in value:
        return datetime.fromisoformat(value["$datetime"])
    return value


def recorder() -> list[dict[str, Any]]:
    """Every AWS request sent from now on: service, operation and parameters."""
    import boto3

    requests: list[dict[str, Any]] = []

    def record(params: dict[str, Any], model: Any, **_: Any) -> None:
        service = model.service_model.service_name
        requests.append({"service": service, "operation": model.name, "params": encode(params)})

    boto3.setup_default_session()
    boto3.DEFAULT_SESSION.events.register("provide-client-params", record)  # type: ignore[union-attr]
    return requests


def bare_handler(requests: list[dict[str, Any]]) -> Any:
    """The baseline: a function that sends exactly these requests with plain boto3."""
    import boto3
    from botocore import xform_name

    def handler(event: dict[str, Any], context: Any) -> dict[str, Any]:
        clients: dict[str, Any] = {}
        for request in requests:
            service = request["service"]
            client = clients.get(service) or clients.setdefault(service, boto3.client(service))
            getattr(client, xform_name(request["operation"]))(**request["params"])
        return {"statusCode": 200, "body": json.dumps({"requests": len(requests)})}

    return handler


def toolkit_handler(requests: list[dict[str, Any]]) -> Any:
    """The floor: the bare function after loading what every function must load besides
    boto3 (pydantic, Powertools' logger, metrics and HTTP resolver, and, where tracing
    is on, the X-Ray SDK patching botocore), using none of it."""
    from aws_lambda_powertools import Logger, Metrics
    from aws_lambda_powertools.event_handler import APIGatewayHttpResolver
    from pydantic import BaseModel

    del BaseModel, Logger, Metrics, APIGatewayHttpResolver  # loaded, not used
    if os.environ.get("_X_AMZN_TRACE_ID"):
        import aws_xray_sdk.core  # type: ignore[import-untyped]

        aws_xray_sdk.core.patch(["botocore"])
    return bare_handler(requests)


def main(spec_path: str, result_path: str) -> None:
    spec = json.loads(Path(spec_path).read_text(), object_hook=decode)
    recorded = recorder() if spec["record"] else None
    started, cpu_started = time.perf_counter(), time.process_time()
    if spec["side"] == "real":
        module_name, _, attribute = spec["handler"].rpartition(".")
        handler = getattr(importlib.import_module(module_name), attribute)
    elif spec["side"] == "toolkit":
        handler = toolkit_handler(spec["requests"])
    else:
        handler = bare_handler(spec["requests"])
    imported = time.perf_counter()
    response = handler(spec["event"], Context(spec["function_arn"], spec["timeout_ms"]))
    answered, cpu_answered = time.perf_counter(), time.process_time()
    result = {
        "cpu_s": cpu_answered - cpu_started,
        "import_s": imported - started,
        "request_s": answered - imported,
        "status": response.get("statusCode", 200) if isinstance(response, dict) else None,
        "response": response,
        "requests": recorded,
        "modules": sorted(sys.modules),
    }
    Path(result_path).write_text(json.dumps(result, default=str))


if __name__ == "__main__":
    main(*sys.argv[1:3])
