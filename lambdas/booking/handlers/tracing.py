"""X-Ray tracing of a function and of its AWS calls, set up by the first invocation.

Powertools' ``Tracer`` loads the X-Ray SDK and patches libraries when it is created.
Created at import, it made every handler's import pay for the SDK, and its default
``patch_all`` loaded and patched every library the SDK knows that happened to be
installed (requests, sqlite3, httplib, …) though the functions only call AWS. Here
the ``Tracer`` is created by the first invocation, before the first AWS client, and
patches botocore only: each AWS call is still a subsegment (``dynamodb``, ``ses``, …)
under the handler's and each operation's ``##`` subsegments.

Where tracing is off (outside Lambda, as in the tests, or ``POWERTOOLS_TRACE_DISABLED``
as in the devstack) the SDK is never loaded: the wrappers call straight through.
"""

from __future__ import annotations

import functools
import os
import threading
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TypeVar, cast

from booking.handlers.cold_start import in_lambda

if TYPE_CHECKING:
    from numbers import Number

    from aws_lambda_powertools import Tracer

# The functions' only outbound calls are AWS SDK calls.
PATCHED_MODULES = ("botocore",)
# Where Powertools' Tracer turns itself off (see ``Tracer._is_tracer_disabled``).
_LOCAL_EMULATORS = ("AWS_SAM_LOCAL", "AWS_CHALICE_CLI_MODE")
_TRUTHY = frozenset({"1", "y", "yes", "t", "true", "on"})

CallableT = TypeVar("CallableT", bound=Callable[..., Any])


def tracing_enabled() -> bool:
    """As Powertools decides: in Lambda (``LAMBDA_TASK_ROOT``), not in SAM or Chalice's
    local emulators, unless ``POWERTOOLS_TRACE_DISABLED`` is true."""
    if os.environ.get("POWERTOOLS_TRACE_DISABLED", "false").strip().lower() in _TRUTHY:
        return False
    if any(os.environ.get(name) for name in _LOCAL_EMULATORS):
        return False
    return in_lambda()


class LazyTracer:
    """Powertools' ``Tracer`` for ``service``, created when first needed, or never."""

    def __init__(self, service: str | None = None) -> None:
        self.service = service
        self._tracer: Tracer | None = None
        self._decided = False
        self._lock = threading.Lock()

    @property
    def tracer(self) -> Tracer | None:
        """The Tracer (created now if need be), or None where tracing is off."""
        if not self._decided:
            with self._lock:
                if not self._decided:
                    if tracing_enabled():
                        from aws_lambda_powertools import Tracer

                        self._tracer = Tracer(service=self.service, patch_modules=PATCHED_MODULES)
                    self._decided = True
        return self._tracer

    def _lazily(
        self, function: CallableT, decorate: Callable[[Tracer, CallableT], Callable[..., Any]]
    ) -> CallableT:
        traced: Callable[..., Any] | None = None

        @functools.wraps(function)
        def call(*args: Any, **kwargs: Any) -> Any:
            nonlocal traced
            if traced is None:
                tracer = self.tracer
                traced = function if tracer is None else decorate(tracer, function)
            return traced(*args, **kwargs)

        return cast("CallableT", call)

    def capture_lambda_handler(self, handler: CallableT) -> CallableT:
        """The handler in the ``## <name>`` subsegment (cold start and service annotated)."""
        return self._lazily(handler, lambda tracer, function: tracer.capture_lambda_handler(function))

    def capture_method(self, method: CallableT) -> CallableT:
        """The method in a ``## <module>.<name>`` subsegment."""
        return self._lazily(method, lambda tracer, function: tracer.capture_method(function))

    def put_annotation(self, key: str, value: str | Number | bool) -> None:
        tracer = self.tracer
        if tracer is not None:
            tracer.put_annotation(key=key, value=value)
