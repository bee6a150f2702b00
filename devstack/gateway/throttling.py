"""API Gateway's throttling: a token bucket per route (rate per second, burst)."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

from devstack.gateway.model import Throttle


class TokenBucket:
    """Holds at most ``burst`` tokens, refilled at ``rate`` per second; each
    request takes one or is throttled."""

    def __init__(self, throttle: Throttle, clock: Callable[[], float] = time.monotonic) -> None:
        self._rate = throttle.rate_limit
        self._burst = float(throttle.burst_limit)
        self._tokens = self._burst
        self._clock = clock
        self._updated = clock()
        self._lock = threading.Lock()

    def try_take(self) -> bool:
        with self._lock:
            now = self._clock()
            self._tokens = min(self._burst, self._tokens + (now - self._updated) * self._rate)
            self._updated = now
            if self._tokens >= 1:
                self._tokens -= 1
                return True
            return False


class Throttles:
    """One bucket per route key, created from each route's limits."""

    def __init__(self, limits: dict[str, Throttle], clock: Callable[[], float] = time.monotonic) -> None:
        self._buckets = {route_key: TokenBucket(throttle, clock) for route_key, throttle in limits.items()}

    def allow(self, route_key: str) -> bool:
        return self._buckets[route_key].try_take()
