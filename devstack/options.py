"""What ``local up`` is asked to do (``UpOptions``), and what follows from it before
anything starts: the seed it will load, the addresses it will listen on and whether it
restores a snapshot.

Light on purpose: ``bookingctl local up`` reads these before it starts the program's
process (which it does not start at all when a snapshot will be restored).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from devstack.addresses import Addresses, resolve_addresses
from devstack.snapshot import SNAPSHOT_DIR, SnapshotPlan, SnapshotUse, plan_snapshot
from devstack.state import STATE_DIR

if TYPE_CHECKING:
    from devstack.gateway.model import Throttle
    from devstack.seed import Seed


@dataclass(frozen=True)
class UpOptions:
    stack: str = "dev"
    port: int = 8080  # 0: a free port
    # None: the API's port + 1, + 2 and + 3 (free ports when the API's is 0); 0: a free port.
    web_port: int | None = None
    login_port: int | None = None
    emulator_port: int | None = 0
    host: str = "127.0.0.1"
    seed: bool = True
    seed_file: Path | None = None  # None: the demo seed (``devstack.seed.DEMO_SEED``)
    state_dir: Path = STATE_DIR
    # Config keys replaced for this run (``run_program``'s ``config_overrides``).
    config_overrides: dict[str, Any] = field(default_factory=dict)
    # False: no stream, schedule or outbox pumps (a benchmark of the gateway alone).
    pumps: bool = True
    # Every route's throttle instead of the program's (a benchmark lifts them).
    throttle: Throttle | None = None
    # True: the program runs in a process of its own, started before the emulator
    # (``devstack.deploy_process``; what ``bookingctl local up`` does). False: in this
    # process, so a test may change the program it deploys (monkeypatching it).
    deploy_in_child: bool = False
    # Whether to restore a deployment snapshot (``devstack.snapshot``) instead of running
    # the program, and to save one after a full deploy. Off unless asked for: a test
    # that changes the program must deploy it, not restore what an unchanged one made.
    snapshot: SnapshotUse = SnapshotUse.OFF
    snapshot_dir: Path = SNAPSHOT_DIR

    def load_seed(self) -> Seed | None:
        """The seed to load once deployed (None: no seed), read and checked first: a bad
        seed file fails with ``SeedFileInvalid`` before anything is started or deployed,
        not after the whole deploy."""
        if not self.seed:
            return None
        from devstack.seed import DEMO_SEED, load_seed

        return load_seed(self.seed_file or DEMO_SEED)

    def addresses(self) -> Addresses:
        return resolve_addresses(self.host, self.port, self.web_port, self.login_port, self.emulator_port)

    def snapshot_plan(self, addresses: Addresses) -> SnapshotPlan | None:
        """None when snapshots are off (no key to compute)."""
        if self.snapshot is SnapshotUse.OFF:
            return None
        from devstack.snapshot_key import DeploymentInputs, deployment_key

        inputs = DeploymentInputs(
            stack=self.stack,
            seed=self.seed,
            seed_file=self.seed_file,
            config_overrides=self.config_overrides,
            api_url=addresses.api_url,
            web_url=addresses.web_url,
            login_url=addresses.login_url,
            emulator_url=addresses.emulator_url,
        )
        return plan_snapshot(self.snapshot, self.stack, deployment_key(inputs), self.snapshot_dir)
