"""The thread every pump runs on."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable

LOGGER = logging.getLogger("devstack.pumps")


class PollingThread:
    """Calls ``poll`` at once and then every ``interval`` seconds on a daemon thread until
    stopped. A failing poll is logged, not fatal: a pump must outlive one bad poll (e.g.
    while the emulator is stopping)."""

    def __init__(self, name: str, poll: Callable[[], object], interval: float) -> None:
        self._poll = poll
        self._interval = interval
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name=name, daemon=True)

    def start(self) -> PollingThread:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(timeout=10)

    def _run(self) -> None:
        while True:
            try:
                self._poll()
            except Exception:
                LOGGER.exception("%s poll failed", self._thread.name)
            if self._stop.wait(self._interval):
                return
