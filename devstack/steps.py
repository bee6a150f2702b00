"""How ``local up`` shows its steps: each step that takes a while runs inside
``step(description)``; printed lines by default, spinners under ``bookingctl local up``."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager

Printer = Callable[[str], None]
# A note rewrites the running step's description (e.g. with what it found).
Note = Callable[[str], None]
# ``with step("deploying …") as note:`` around each step that takes a while; steps may
# run in threads at the same time.
Step = Callable[[str], AbstractContextManager[Note]]


def printed_steps(printer: Printer) -> Step:
    """A step as two printed lines: its start, then its (noted) outcome and duration."""

    @contextmanager
    def step(description: str) -> Iterator[Note]:
        started = time.monotonic()
        outcome = description

        def note(text: str) -> None:
            nonlocal outcome
            outcome = text

        printer(f"{description} …")
        yield note
        printer(f"{outcome} ({time.monotonic() - started:.1f}s)")

    return step
