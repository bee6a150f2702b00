"""A Lambda container's cold start: the handler's import and its first invocation.

Both make objects that live as long as the container: modules, classes, route tables,
pydantic schemas and, in the first request, the boto3 clients with their large JSON
service models. Almost none of it is cyclic garbage, yet CPython's collector, started
by allocation counts, traverses it again and again: about 60 ms of the notifications
function's cold path, a collection of 30 ms among them (``benchmarks/README.md``,
cold path). So, in Lambda only, the collector is paused from the moment the handler
package is imported until the first invocation ends. Then everything alive is frozen
(``gc.freeze``: out of every later pass, as it lives as long as the container) and
collection resumes for what later invocations make. The cold start's own cyclic
garbage, some 800 small objects, is frozen with it rather than paid for with a full
pass inside the first request.

Outside Lambda (tests, tools, the benchmarks' bare functions) nothing changes.
"""

from __future__ import annotations

import functools
import gc
import os
import threading
from collections.abc import Callable
from typing import Any, TypeVar, cast

HandlerT = TypeVar("HandlerT", bound=Callable[..., Any])


def in_lambda() -> bool:
    """Lambda's runtime sets ``LAMBDA_TASK_ROOT`` (the devstack's workers do too)."""
    return bool(os.environ.get("LAMBDA_TASK_ROOT"))


class _ColdStart:
    def __init__(self) -> None:
        self.collector_paused = False
        self._lock = threading.Lock()

    def begin(self) -> None:
        if in_lambda() and gc.isenabled():
            gc.disable()
            self.collector_paused = True

    def end(self) -> None:
        with self._lock:
            if self.collector_paused:
                gc.freeze()
                gc.enable()
                self.collector_paused = False


_cold_start = _ColdStart()


def begin() -> None:
    """Pause the collector, in Lambda, for the rest of the cold start (``booking.handlers``
    calls it: importing any handler starts a container's cold start)."""
    _cold_start.begin()


def ends_with_first_invocation(handler: HandlerT) -> HandlerT:
    """The Lambda handler, ending the cold start when its first invocation returns or
    raises: what is alive is frozen and the collector resumes."""

    @functools.wraps(handler)
    def invoke(*args: Any, **kwargs: Any) -> Any:
        try:
            return handler(*args, **kwargs)
        finally:
            if _cold_start.collector_paused:
                _cold_start.end()

    return cast("HandlerT", invoke)
