"""The ``Clock`` and ``IdGenerator`` ports on the machine itself."""

from __future__ import annotations

import time
import uuid
from datetime import UTC, datetime


class SystemClock:
    def now(self) -> datetime:
        return datetime.now(UTC)

    def sleep(self, seconds: float) -> None:
        time.sleep(seconds)


class RandomIds:
    """Random 128-bit ids: unguessable, so an id never reveals another tenant's data."""

    def new_id(self) -> str:
        return uuid.uuid4().hex
