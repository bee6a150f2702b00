"""The context object Lambda passes to a handler, as far as handlers and Powertools
read it (``aws_request_id``, ``function_name``, ``get_remaining_time_in_millis`` …)."""

from __future__ import annotations

import time
from typing import Any


class LambdaContext:
    """What ``awslambdaric`` gives a Python handler as its second argument."""

    def __init__(
        self,
        *,
        function_name: str,
        invoked_function_arn: str,
        memory_limit_in_mb: int,
        aws_request_id: str,
        log_group_name: str,
        log_stream_name: str,
        deadline_epoch_ms: int,
        function_version: str = "$LATEST",
    ) -> None:
        self.function_name = function_name
        self.function_version = function_version
        self.invoked_function_arn = invoked_function_arn
        # Lambda exposes this as a string-typed int in some runtimes; Powertools reads it as-is.
        self.memory_limit_in_mb = memory_limit_in_mb
        self.aws_request_id = aws_request_id
        self.log_group_name = log_group_name
        self.log_stream_name = log_stream_name
        self.identity: Any = None
        self.client_context: Any = None
        self.tenant_id: str | None = None
        self._deadline_epoch_ms = deadline_epoch_ms

    def get_remaining_time_in_millis(self) -> int:
        return max(0, self._deadline_epoch_ms - int(time.time() * 1000))

    def __repr__(self) -> str:
        return f"LambdaContext(function_name={self.function_name!r}, aws_request_id={self.aws_request_id!r})"
