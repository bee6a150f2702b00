"""One DynamoDB request at a time in the emulator.

moto's DynamoDB is not thread-safe: ``TransactWriteItems`` deep-copies the tables it
touches while another request thread writes to them, and answers 500 ("dictionary
changed size during iteration"). Fifty clients racing for one slot hit it. DynamoDB
itself is linearizable per item, so serializing the emulator's DynamoDB (and Streams)
requests keeps every answer right and costs little: moto runs under one interpreter
lock anyway. Wrap moto's WSGI application with :class:`SerializedDynamoDB`.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable
from typing import Any

WsgiApp = Callable[[dict[str, Any], Callable[..., Any]], Iterable[bytes]]
DYNAMODB_TARGETS = ("DynamoDB_20120810.", "DynamoDBStreams_20120810.")


class SerializedDynamoDB:
    """WSGI middleware: DynamoDB requests one at a time, everything else untouched."""

    def __init__(self, app: WsgiApp) -> None:
        self.app = app
        self._lock = threading.Lock()

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        if not str(environ.get("HTTP_X_AMZ_TARGET", "")).startswith(DYNAMODB_TARGETS):
            return self.app(environ, start_response)
        with self._lock:
            # The whole answer is produced inside the lock (moto may build it lazily).
            return list(self.app(environ, start_response))
