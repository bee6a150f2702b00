"""The body of one worker process: one "container" of one function.

It runs in a fork of multiprocessing's fork server, which holds only the libraries
of ``pool.PRELOADED``: no module state is shared with the gateway or with any other
function. Before importing the handler it replaces ``os.environ`` with the
function's own environment, as Lambda starts each container with only its
function's variables.
"""

from __future__ import annotations

import importlib
import json
import os
import signal
import sys
import time
import traceback
from collections.abc import Callable
from multiprocessing.connection import Connection
from typing import Any

from devstack.functions.context import LambdaContext

Handler = Callable[[dict[str, Any], LambdaContext], Any]


def error_payload(error: BaseException, error_type: str | None = None) -> dict[str, Any]:
    """Lambda's error document (``errorMessage``, ``errorType``, ``stackTrace``)."""
    return {
        "errorMessage": str(error),
        "errorType": error_type or type(error).__name__,
        "stackTrace": traceback.format_exception(error),
    }


def load_handler(handler: str) -> Handler:
    """Import ``module.attribute`` as Lambda's Python runtime does (``/`` also works)."""
    module_name, _, attribute = handler.replace("/", ".").rpartition(".")
    if not module_name:
        raise ValueError(f"bad handler {handler!r}: expected module.function")
    module = importlib.import_module(module_name)
    function = getattr(module, attribute, None)
    if not callable(function):
        raise AttributeError(f"handler {attribute!r} missing on module {module_name!r}")
    return function  # type: ignore[no-any-return]


def use_task_root(task_root: str) -> None:
    """Import the packaged code first, as Lambda does from ``/var/task``; the layer's
    libraries are this interpreter's site-packages (same versions, built for this
    machine). A package of the archive that this process already imported from
    elsewhere (e.g. by re-importing the parent's main module) is forgotten, so the
    handler runs the archive's code."""
    sys.path.insert(0, task_root)
    packaged = {entry.name.removesuffix(".py") for entry in os.scandir(task_root)}
    for name in [name for name in sys.modules if name.split(".", 1)[0] in packaged]:
        origin = getattr(sys.modules[name], "__file__", None) or ""
        if not origin.startswith(task_root):
            del sys.modules[name]


def serve(
    connection: Connection, handler_name: str, environment: dict[str, str], meta: dict[str, Any]
) -> None:
    """Answer invocations from ``connection`` until the parent closes it."""
    os.environ.clear()
    os.environ.update(environment)
    task_root = environment.get("LAMBDA_TASK_ROOT")
    # Ctrl-C in the terminal reaches the whole process group; the devstack stops its
    # workers itself (closing their pipes), so a worker must not die mid-invocation
    # with a KeyboardInterrupt traceback.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    if task_root:
        use_task_root(task_root)
    if hasattr(time, "tzset"):
        time.tzset()
    handler: Handler | None = None
    init_error: dict[str, Any] | None = None
    try:
        handler = load_handler(handler_name)
    except Exception as error:
        init_error = error_payload(error, "Runtime.ImportModuleError")
    connection.send(("ready", init_error))

    while True:
        try:
            message = connection.recv()
        except (EOFError, OSError):
            return
        if message is None:
            return
        request_id, event, deadline_epoch_ms = message
        if handler is None:
            connection.send(("error", init_error))
            continue
        context = LambdaContext(
            function_name=meta["function_name"],
            invoked_function_arn=meta["arn"],
            memory_limit_in_mb=meta["memory_mb"],
            aws_request_id=request_id,
            log_group_name=meta["log_group_name"],
            log_stream_name=meta["log_stream_name"],
            deadline_epoch_ms=deadline_epoch_ms,
        )
        try:
            result = handler(event, context)
        except Exception as error:
            connection.send(("error", error_payload(error)))
            continue
        try:
            # Lambda returns JSON: what cannot be serialised is an error, not a value.
            connection.send(("ok", json.loads(json.dumps(result))))
        except (TypeError, ValueError) as error:
            connection.send(("error", error_payload(error, "Runtime.MarshalError")))
        finally:
            sys.stdout.flush()
            sys.stderr.flush()
