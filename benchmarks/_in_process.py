"""The baseline of ``benchmarks.gateway``: the route's handler called directly, in a
process of its own that has the function's environment, with the event the gateway
would have sent (same builder, same verified claims)."""

from __future__ import annotations

import multiprocessing
import os
import time
import uuid
from typing import Any

from werkzeug.test import EnvironBuilder
from werkzeug.wrappers import Request

from benchmarks._load import Request_, Run, timed
from devstack.functions import EmulatorEnvironment, LambdaFunction
from devstack.functions.context import LambdaContext
from devstack.functions.environment import worker_environment
from devstack.functions.worker import load_handler, use_task_root
from devstack.gateway.authorizer import JwtVerifier, bearer_token
from devstack.gateway.events import EventInputs, build_event, new_request_id
from devstack.gateway.model import ServedApi, ServedRoute


def _in_process(
    function: LambdaFunction, environment: dict[str, str], events: list[dict[str, Any]], clients: int
) -> Run:
    os.environ.clear()
    os.environ.update(environment)
    if function.code_path:
        use_task_root(function.code_path)
    handler = load_handler(function.handler)

    def call(event: dict[str, Any]) -> int:
        context = LambdaContext(
            function_name=function.name,
            invoked_function_arn=function.arn,
            memory_limit_in_mb=function.memory_mb,
            aws_request_id=str(uuid.uuid4()),
            log_group_name=function.log_group_name,
            log_stream_name="benchmark",
            deadline_epoch_ms=int((time.time() + function.timeout_seconds) * 1000),
        )
        return int(handler(event, context)["statusCode"])

    call(events[0])  # the cold start is not what is measured
    return timed(call, events[1:], clients)


def baseline(
    runtime_function: LambdaFunction,
    emulator: EmulatorEnvironment,
    events: list[dict[str, Any]],
    clients: int,
) -> Run:
    environment = worker_environment(runtime_function, emulator, "benchmark")
    if runtime_function.code_path:
        environment["LAMBDA_TASK_ROOT"] = runtime_function.code_path
    context = multiprocessing.get_context("spawn")
    with context.Pool(1) as pool:
        return pool.apply(_in_process, (runtime_function, environment, events, clients))


def event_for(api: ServedApi, route: ServedRoute, request: Request_, verifier: JwtVerifier) -> dict[str, Any]:
    """The event the gateway would send for ``request`` (same builder, same claims)."""
    builder = EnvironBuilder(
        path=request.path,
        method=request.method,
        query_string=request.params,
        json=request.body,
        headers=list(request.headers.items()),
    )
    authorizer = verifier.verify(bearer_token(request.headers["Authorization"]))
    inputs = EventInputs(
        route_key=route.route_key,
        request_id=new_request_id(),
        api_id=api.api_id,
        stage=api.stage,
        account_id="123456789012",
        authorizer=authorizer,
    )
    return build_event(Request(builder.get_environ()), inputs)
