"""Invoke the program's functions as Lambda would, each in its own worker processes.

Every function gets a small pool of worker processes (its "containers"), started
with multiprocessing's ``spawn`` so each begins from a fresh interpreter with only
that function's ``environment.variables`` plus the emulator's endpoint, region and
dummy credentials. Two functions therefore never see each other's settings or
module state. An invocation that outlives the function's timeout, or a worker that
dies, is a :class:`FunctionError`, which the gateway answers with 502 as API Gateway
does.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import multiprocessing
import os
import tempfile
import threading
import time
import uuid
import zipfile
from collections.abc import Iterable, Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, replace
from multiprocessing.process import BaseProcess
from pathlib import Path
from typing import Any, Protocol

from devstack.functions.definitions import LambdaFunction
from devstack.functions.worker import serve

# Variables of the host a worker keeps: enough to find Python and its libraries,
# never the host's AWS profile or credentials.
HOST_VARIABLES = ("PATH", "HOME", "LANG", "LC_ALL", "PYTHONPATH", "SYSTEMROOT", "TMPDIR")
WORKER_START_TIMEOUT_SECONDS = 60.0


class Invoker(Protocol):
    """What the gateway and the event pumps need: run a function, get its result."""

    def invoke(self, function_name: str, event: dict[str, Any]) -> dict[str, Any]: ...


class FunctionError(Exception):
    """The invocation failed (Lambda's ``FunctionError``): unhandled exception,
    timeout, import error or a crashed worker."""

    def __init__(
        self, function_name: str, error_type: str, message: str, details: dict[str, Any] | None = None
    ):
        super().__init__(f"{function_name}: {error_type}: {message}")
        self.function_name = function_name
        self.error_type = error_type
        self.message = message
        self.details = details or {}


@dataclass(frozen=True)
class EmulatorEnvironment:
    """Where the functions' AWS SDK calls go: the emulator, with dummy credentials."""

    endpoint_url: str
    region: str = "us-east-1"

    def variables(self) -> dict[str, str]:
        return {
            "AWS_ENDPOINT_URL": self.endpoint_url,
            "AWS_REGION": self.region,
            "AWS_DEFAULT_REGION": self.region,
            "AWS_ACCESS_KEY_ID": "testing",
            "AWS_SECRET_ACCESS_KEY": "testing",
            "AWS_SESSION_TOKEN": "testing",
            # X-Ray has no daemon here; the handlers still run their Tracer code paths.
            "POWERTOOLS_TRACE_DISABLED": "true",
        }


def worker_environment(
    function: LambdaFunction, emulator: EmulatorEnvironment, log_stream: str
) -> dict[str, str]:
    """The whole environment of one container: host basics, the function's own
    variables, then what Lambda itself sets (which a function cannot override)."""
    host = {name: os.environ[name] for name in HOST_VARIABLES if name in os.environ}
    lambda_variables = {
        "AWS_LAMBDA_FUNCTION_NAME": function.name,
        "AWS_LAMBDA_FUNCTION_MEMORY_SIZE": str(function.memory_mb),
        "AWS_LAMBDA_FUNCTION_VERSION": "$LATEST",
        "AWS_LAMBDA_LOG_GROUP_NAME": function.log_group_name,
        "AWS_LAMBDA_LOG_STREAM_NAME": log_stream,
        "_HANDLER": function.handler,
        "TZ": ":UTC",
    }
    if function.code_path and Path(function.code_path).exists():
        lambda_variables["LAMBDA_TASK_ROOT"] = str(Path(function.code_path).resolve())
    return {**host, **function.environment, **lambda_variables, **emulator.variables()}


class _Worker:
    """One worker process and the parent's end of its pipe."""

    def __init__(self, function: LambdaFunction, emulator: EmulatorEnvironment) -> None:
        context = multiprocessing.get_context("spawn")
        self.connection, child_connection = context.Pipe()
        today = dt.datetime.now(dt.UTC).strftime("%Y/%m/%d")
        log_stream = f"{today}/[$LATEST]{uuid.uuid4().hex}"
        meta = {
            "function_name": function.name,
            "arn": function.arn,
            "memory_mb": function.memory_mb,
            "log_group_name": function.log_group_name,
            "log_stream_name": log_stream,
        }
        environment = worker_environment(function, emulator, log_stream)
        self.process: BaseProcess = context.Process(
            target=serve,
            args=(child_connection, function.handler, environment, meta),
            name=f"lambda:{function.name}",
            daemon=True,
        )
        self.process.start()
        child_connection.close()
        self._ready = False
        self._ready_lock = threading.Lock()

    def wait_ready(self, timeout: float) -> None:
        # A warmed worker may be handed to a request while its warmer still waits.
        with self._ready_lock:
            if self._ready:
                return
            if not self.connection.poll(timeout):
                raise RuntimeError("worker did not start in time")
            kind, _init_error = self.connection.recv()
            if kind != "ready":
                raise RuntimeError(f"unexpected first message {kind!r} from worker")
            # An import error is reported per invocation, as Lambda does.
            self._ready = True

    def call(self, request_id: str, event: dict[str, Any], timeout_seconds: float) -> tuple[str, Any]:
        deadline_epoch_ms = int((time.time() + timeout_seconds) * 1000)
        self.connection.send((request_id, event, deadline_epoch_ms))
        if not self.connection.poll(timeout_seconds):
            raise TimeoutError
        kind, payload = self.connection.recv()
        return str(kind), payload

    def stop(self) -> None:
        with contextlib.suppress(OSError, ValueError):
            self.connection.send(None)
        self.process.join(timeout=2)
        self.kill()

    def kill(self) -> None:
        if self.process.is_alive():
            self.process.kill()
            self.process.join(timeout=5)
        self.connection.close()


class FunctionPool:
    """The containers of one function: reused while idle, at most ``max_workers``."""

    def __init__(self, function: LambdaFunction, emulator: EmulatorEnvironment, max_workers: int = 4) -> None:
        self.function = function
        self._emulator = emulator
        self._max_workers = max_workers
        self._idle: list[_Worker] = []
        self._count = 0
        self._closed = False
        self._condition = threading.Condition()

    @property
    def containers(self) -> int:
        """How many containers (worker processes) this function has now."""
        with self._condition:
            return self._count

    def warm(self, containers: int = 1) -> list[_Worker]:
        """Start containers ahead of the first requests (provisioned concurrency), up to
        ``containers`` in all; the caller waits for them with ``wait_ready``."""
        started: list[_Worker] = []
        while True:
            with self._condition:
                if self._closed or self._count >= min(containers, self._max_workers):
                    return started
                self._count += 1
            worker = _Worker(self.function, self._emulator)
            started.append(worker)
            with self._condition:
                self._idle.append(worker)
                self._condition.notify()

    def _acquire(self) -> _Worker:
        with self._condition:
            while True:
                if self._closed:
                    raise FunctionError(self.function.name, "ServiceException", "the runtime is shut down")
                if self._idle:
                    return self._idle.pop()
                if self._count < self._max_workers:
                    self._count += 1
                    break
                self._condition.wait()
        try:
            return _Worker(self.function, self._emulator)
        except BaseException:
            self._discard(None)
            raise

    def _release(self, worker: _Worker) -> None:
        with self._condition:
            if self._closed:
                worker.stop()
                return
            self._idle.append(worker)
            self._condition.notify()

    def _discard(self, worker: _Worker | None) -> None:
        if worker is not None:
            worker.kill()
        with self._condition:
            self._count -= 1
            self._condition.notify()

    def invoke(self, event: dict[str, Any], request_id: str | None = None) -> dict[str, Any]:
        name = self.function.name
        request_id = request_id or str(uuid.uuid4())
        worker = self._acquire()
        try:
            worker.wait_ready(WORKER_START_TIMEOUT_SECONDS)
            kind, payload = worker.call(request_id, event, self.function.timeout_seconds)
        except TimeoutError:
            # Lambda stops the container of a timed-out invocation.
            self._discard(worker)
            raise FunctionError(
                name, "Sandbox.Timedout", f"Task timed out after {self.function.timeout_seconds:.2f} seconds"
            ) from None
        except (EOFError, OSError, RuntimeError) as error:
            self._discard(worker)
            raise FunctionError(name, "Runtime.ExitError", f"worker exited unexpectedly: {error!r}") from None
        self._release(worker)
        if kind == "ok":
            return payload  # type: ignore[no-any-return]
        details = payload or {}
        raise FunctionError(name, str(details.get("errorType")), str(details.get("errorMessage")), details)

    def close(self) -> None:
        with self._condition:
            self._closed = True
            idle, self._idle = self._idle, []
            self._condition.notify_all()
        for worker in idle:  # ask them all first, so they shut down side by side
            with contextlib.suppress(OSError, ValueError):
                worker.connection.send(None)
        for worker in idle:
            worker.stop()


class FunctionRuntime:
    """All functions of a deployment, invoked by name or ARN."""

    def __init__(
        self,
        functions: Mapping[str, LambdaFunction],
        emulator: EmulatorEnvironment,
        *,
        max_workers_per_function: int = 4,
    ) -> None:
        self._unpacked = tempfile.TemporaryDirectory(prefix="devstack-code-")
        task_roots: dict[str, str] = {}
        self._pools = {
            name: FunctionPool(
                replace(function, code_path=self._task_root(function.code_path, task_roots)),
                emulator,
                max_workers_per_function,
            )
            for name, function in functions.items()
        }
        self._by_arn = {function.arn: name for name, function in functions.items() if function.arn}

    def _task_root(self, code_path: str | None, task_roots: dict[str, str]) -> str | None:
        """Lambda unzips the code archive into ``/var/task``; so do we, once per
        archive, so handlers that read files next to their modules work as there."""
        if not code_path or not Path(code_path).exists():
            return None
        if not zipfile.is_zipfile(code_path):
            return code_path
        if code_path not in task_roots:
            target = Path(self._unpacked.name) / f"task-{len(task_roots)}"
            with zipfile.ZipFile(code_path) as archive:
                archive.extractall(target)
            task_roots[code_path] = str(target)
        return task_roots[code_path]

    def _pool(self, function_name: str) -> FunctionPool:
        name = self._by_arn.get(function_name, function_name)
        if name not in self._pools:
            raise FunctionError(function_name, "ResourceNotFoundException", "Function not found")
        return self._pools[name]

    @property
    def function_names(self) -> tuple[str, ...]:
        return tuple(self._pools)

    def containers(self, function_name: str) -> int:
        return self._pool(function_name).containers

    def function(self, function_name: str) -> LambdaFunction:
        """The function as its containers run it (code archive unpacked to its task root)."""
        return self._pool(function_name).function

    def invoke(
        self, function_name: str, event: dict[str, Any], request_id: str | None = None
    ) -> dict[str, Any]:
        """Run ``function_name`` (a name or ARN) with ``event``; its result, or
        :class:`FunctionError`."""
        return self._pool(function_name).invoke(event, request_id)

    def warm(self, function_names: Iterable[str] | None = None, containers: int = 1) -> None:
        """Start ``containers`` containers per function, all in parallel, and wait for them."""
        workers = [
            worker for name in (function_names or self._pools) for worker in self._pool(name).warm(containers)
        ]
        for worker in workers:
            worker.wait_ready(WORKER_START_TIMEOUT_SECONDS)

    def close(self) -> None:
        # Each worker takes a moment to shut its interpreter down; closing the pools one
        # after another made Ctrl-C on a busy devstack wait tens of seconds.
        pools = list(self._pools.values())
        if pools:
            with ThreadPoolExecutor(max_workers=len(pools), thread_name_prefix="close") as executor:
                list(executor.map(lambda pool: pool.close(), pools))
        self._unpacked.cleanup()

    def __enter__(self) -> FunctionRuntime:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()
