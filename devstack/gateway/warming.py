"""Which containers start before the devstack is ready, and the others after.

Each container is a new interpreter; on two cores, five of them starting at once (beside
the seed) held the first answer back by seconds. So only the function behind
``GET /health`` (what whoever waits for the devstack polls) gets its container before
ready; the others start once ready, and a request that comes first starts its own, as
Lambda would.
"""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass
from typing import Any

from devstack.gateway.serving import RunningGateway

LOGGER = logging.getLogger("devstack")


def probe_functions(gateway: RunningGateway) -> list[str]:
    """The function that answers ``GET /health``, which whoever waits for the devstack
    polls (none if the program has no such route)."""
    return sorted({route.function.name for route in gateway.api.routes if route.route_key == "GET /health"})


@dataclass
class BackgroundWarming:
    """One container per API function, started after ready (a request that comes
    first starts its own, as Lambda would). Stopping it leaves its containers to the
    runtime, which closes next."""

    stopping: threading.Event

    def stop(self) -> None:
        self.stopping.set()


def warm_in_background(runtime: Any, gateway: RunningGateway) -> BackgroundWarming:
    names = sorted({route.function.name for route in gateway.api.routes})
    stopping = threading.Event()

    def warm() -> None:
        try:
            runtime.warm(names)
        except Exception:  # a container that cannot start fails its requests, which say why
            if not stopping.is_set():
                LOGGER.exception("warming the functions' containers failed")

    threading.Thread(target=warm, name="warm-containers", daemon=True).start()
    return BackgroundWarming(stopping)
