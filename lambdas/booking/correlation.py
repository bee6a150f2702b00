"""The id of the API request being served, for the writes it causes.

A client sees the API Gateway request id in ``x-request-id`` and in every error body.
The booking items a request writes carry it (``REQUEST_ID_ATTRIBUTE``), so the table
stream hands it to the notifications function, whose log lines (and the emails it
sends) then carry it too: one id finds the whole story in Logs Insights (RUNBOOK).

It travels in a context variable rather than through every command and port: it is a
fact about the invocation, like the logger's keys, not about the booking.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

# The booking item's attribute (not a field of the entity: ``dynamodb_items`` treats it
# as storage) and the key the functions' log lines use for it.
REQUEST_ID_ATTRIBUTE = "requestId"
LOG_KEY = "request_id"

_current: ContextVar[str | None] = ContextVar("request_id", default=None)


def current_request_id() -> str | None:
    return _current.get()


@contextmanager
def serving(request_id: str | None) -> Iterator[None]:
    """Within the block, the writes made are on behalf of ``request_id``."""
    token = _current.set(request_id or None)
    try:
        yield
    finally:
        _current.reset(token)
