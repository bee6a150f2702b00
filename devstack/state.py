"""Where a devstack keeps what it tells the world: ``.devstack/`` and its layout.

One default directory (relative to where ``bookingctl local up`` runs) and the names of
what ``up`` writes there, so the CLI, the tests and the benchmarks find the same files.
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path

STATE_DIR = Path(".devstack")


@dataclass(frozen=True)
class StateDir:
    """A devstack's state directory: ``outputs.json`` (written last, so its presence
    means "ready"), ``inventory.json`` (what the program registered) and ``outbox/``
    (every email SES accepted)."""

    root: Path = STATE_DIR

    @property
    def outputs(self) -> Path:
        return self.root / "outputs.json"

    @property
    def inventory(self) -> Path:
        return self.root / "inventory.json"

    @property
    def outbox(self) -> Path:
        return self.root / "outbox"

    def fresh(self) -> StateDir:
        """Empty it: nothing of an earlier run survives, because nothing of an earlier
        run's emulator does either."""
        if self.root.exists():
            shutil.rmtree(self.root)
        self.outbox.mkdir(parents=True)
        return self
