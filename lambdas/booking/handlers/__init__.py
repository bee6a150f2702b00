"""Thin Lambda entry points: parse, call one domain service, respond.

Importing a handler is where a Lambda container's cold start begins: the garbage
collector is paused here, before the toolkit loads, until the handler's first
invocation ends (``booking.handlers.cold_start``).
"""

from booking.handlers import cold_start

cold_start.begin()
