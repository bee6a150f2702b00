"""Invoke the program's functions as Lambda would, each in its own worker processes.

Every function gets a small pool of worker processes (its "containers"), forks of
multiprocessing's fork server (``pool.PRELOADED``) so each begins from a fresh
interpreter, none of the gateway's state, and only that function's
``environment.variables`` plus the emulator's endpoint, region and dummy credentials.
Two functions therefore never see each other's settings or module state. An
invocation that outlives the function's timeout, or a worker that dies, is a
:class:`FunctionError`, which the gateway answers with 502 as API Gateway does.
"""

from __future__ import annotations

import tempfile
import zipfile
from collections.abc import Iterable, Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace
from pathlib import Path
from typing import Any, Protocol

from devstack.functions.definitions import LambdaFunction
from devstack.functions.environment import EmulatorEnvironment
from devstack.functions.pool import WORKER_START_TIMEOUT_SECONDS, FunctionError, FunctionPool


class Invoker(Protocol):
    """What the gateway and the event pumps need: run a function, get its result."""

    def invoke(self, function_name: str, event: dict[str, Any]) -> dict[str, Any]: ...


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

    def stop(self) -> None:
        """``close``, as the devstack's other parts stop."""
        self.close()

    def __enter__(self) -> FunctionRuntime:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()
