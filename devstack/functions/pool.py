"""The containers of one function: worker processes, reused while idle, at most a few
per function. An invocation that outlives the function's timeout, or a worker that
dies, is a :class:`FunctionError`.

Workers are forks of multiprocessing's fork server, which loads the libraries every
function imports (``PRELOADED``) once: a container starts as a fresh interpreter with
none of the gateway's state, minus the seconds each one spent importing pydantic,
boto3 and Powertools. None of them reads its environment at import in a way a
container here could tell apart (Powertools reads ``AWS_EXECUTION_ENV`` and
``AWS_LAMBDA_INITIALIZATION_TYPE``, which no container sets); the function's own
modules are imported after its environment is in place, as before.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import multiprocessing
import threading
import time
import uuid
from multiprocessing.process import BaseProcess
from typing import Any

from devstack.functions.definitions import LambdaFunction
from devstack.functions.environment import EmulatorEnvironment, worker_environment
from devstack.functions.worker import serve

WORKER_START_TIMEOUT_SECONDS = 60.0
PRELOADED = (
    "devstack.functions.worker",
    "pydantic",
    "boto3",
    "botocore.client",
    "aws_lambda_powertools",
    "aws_lambda_powertools.event_handler",
)


def worker_context() -> Any:
    """The fork server's context, its preload set (it starts on first use, or with
    ``start_fork_server``)."""
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(list(PRELOADED))
    return context


def start_fork_server() -> None:
    """Start the fork server now (it loads ``PRELOADED``), so it is ready by the time
    the first container is wanted."""
    from multiprocessing import forkserver

    worker_context()
    forkserver.ensure_running()


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


class _Worker:
    """One worker process and the parent's end of its pipe."""

    def __init__(self, function: LambdaFunction, emulator: EmulatorEnvironment) -> None:
        context = worker_context()
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
