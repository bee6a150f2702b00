"""A deployment snapshot in ``build/``: what deploying a stack onto the emulator produced,
restored instead of running the program when nothing that decides it has changed.

Running the program is most of ``make local``'s time (importing pulumi_aws's service
modules, ~240 registrations under the mock engine), and with the same sources,
artifacts, configuration and addresses it creates the same resources every time. After
a full deploy the devstack saves the emulator's state (``devstack.moto_state``), the
inventory and what was recorded rather than created, under the deployment's key
(``devstack.snapshot_key``); the next start with the same key restores them into the
fresh emulator and goes on as after a deploy (pumps, gateway, seed, web, sign-in).

One file per stack, ``build/devstack/<stack>.snapshot``: a JSON header line (format,
key, the payload's SHA-256), then the payload (a pickle: this machine's own cache,
written and read only by the devstack). A missing, stale or unreadable snapshot means
a full deploy, with the reason said in one line.
"""

from __future__ import annotations

import hashlib
import json
import os
import pickle
import tempfile
from dataclasses import asdict, dataclass
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Any

from packager.lambda_artifacts import BUILD_DIR, PROJECT_ROOT

if TYPE_CHECKING:  # imported by ``bookingctl local up`` before the program starts: stay light
    from devstack.deploy_process import Deployed
    from engine.inventory import Inventory

SNAPSHOT_DIR = BUILD_DIR / "devstack"
FORMAT = "devstack-snapshot/1"
PROVIDER_TYPE = "pulumi:providers:aws"


class SnapshotUse(StrEnum):
    OFF = "off"  # neither restore nor save (the default: tests that change the program)
    REUSE = "reuse"  # restore a snapshot with this key, else deploy and save one
    REFRESH = "refresh"  # deploy (``--fresh``) and save the new snapshot


class SnapshotUnusable(RuntimeError):
    """The snapshot cannot be restored; the message says why, in one line."""


@dataclass(frozen=True)
class SnapshotPlan:
    """What a start does with the snapshot: restore it, or deploy (and why)."""

    use: SnapshotUse
    path: Path
    key: str
    restorable: bool
    reason: str  # why it deploys ("" when it restores)

    @property
    def saves(self) -> bool:
        return self.use is not SnapshotUse.OFF

    def shown_path(self) -> str:
        try:
            return str(self.path.relative_to(PROJECT_ROOT))
        except ValueError:
            return str(self.path)


def snapshot_path(stack: str, directory: Path = SNAPSHOT_DIR) -> Path:
    return directory / f"{stack}.snapshot"


def plan_snapshot(use: SnapshotUse, stack: str, key: str, directory: Path = SNAPSHOT_DIR) -> SnapshotPlan:
    path = snapshot_path(stack, directory)
    if use is SnapshotUse.OFF:
        return SnapshotPlan(use, path, key, False, "snapshots off")
    if use is SnapshotUse.REFRESH:
        return SnapshotPlan(use, path, key, False, "--fresh")
    plan = SnapshotPlan(use, path, key, False, "")
    if not path.exists():
        return _deploying(plan, f"no snapshot of stack {stack} in {plan.shown_path()} yet")
    try:
        header, _ = _read(path)
    except SnapshotUnusable as error:
        return _deploying(plan, f"the snapshot {plan.shown_path()} is unreadable ({error})")
    if header["key"] != key:
        stale = header["key"]
        return _deploying(plan, f"the snapshot {plan.shown_path()} is of another deployment ({stale})")
    return SnapshotPlan(use, path, key, True, "")


def _deploying(plan: SnapshotPlan, reason: str) -> SnapshotPlan:
    return SnapshotPlan(plan.use, plan.path, plan.key, False, reason)


def deployment_regions(inventory: Inventory, region: str) -> set[str]:
    """The stack's region and those of its explicit providers (CloudFront's WAF in us-east-1)."""
    regions = {region}
    for provider in inventory.of_type(PROVIDER_TYPE):
        if provider.inputs.get("region"):
            regions.add(str(provider.inputs["region"]))
    return regions


def save_snapshot(plan: SnapshotPlan, deployed: Deployed, region: str) -> int:
    """Capture the emulator's state now (before anything else writes to it) and write
    the snapshot atomically (another devstack may be reading it); its size in bytes."""
    from devstack import moto_state

    payload = pickle.dumps(
        {
            "inventory": deployed.inventory.to_json(),
            "recorded": [asdict(item) for item in deployed.recorded],
            "recorded_invokes": list(deployed.recorded_invokes),
            "moto": moto_state.capture(deployment_regions(deployed.inventory, region)),
        },
        protocol=pickle.HIGHEST_PROTOCOL,
    )
    header = {"format": FORMAT, "key": plan.key, "sha256": hashlib.sha256(payload).hexdigest()}
    plan.path.parent.mkdir(parents=True, exist_ok=True)
    descriptor, temporary = tempfile.mkstemp(dir=plan.path.parent, prefix=f".{plan.path.name}.")
    try:
        with os.fdopen(descriptor, "wb") as file:
            file.write(json.dumps(header).encode() + b"\n" + payload)
        os.replace(temporary, plan.path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return plan.path.stat().st_size


def restore_snapshot(plan: SnapshotPlan) -> Deployed:
    """Put the snapshot's state into this process's freshly started emulator; what the
    deployment produced. Raises ``SnapshotUnusable`` (the emulator untouched) if it
    cannot be restored."""
    from devstack import moto_state
    from devstack.backend import RecordedResource
    from devstack.deploy_process import Deployed
    from engine.inventory import Inventory

    header, payload = _read(plan.path)
    if header["key"] != plan.key:
        raise SnapshotUnusable(f"it is of another deployment ({header['key']})")
    try:
        # The devstack's own file in build/, checked against its checksum above.
        saved: dict[str, Any] = pickle.loads(payload)  # noqa: S301
        deployed = Deployed(
            inventory=Inventory.from_json(saved["inventory"]),
            recorded=[RecordedResource(**item) for item in saved["recorded"]],
            recorded_invokes=list(saved["recorded_invokes"]),
        )
        moto_state.restore(saved["moto"])
    except Exception as error:  # another moto or devstack wrote it: say so, deploy instead
        raise SnapshotUnusable(f"{type(error).__name__}: {error}") from error
    return deployed


def _read(path: Path) -> tuple[dict[str, Any], bytes]:
    try:
        content = path.read_bytes()
        first_line, payload = content.split(b"\n", 1)
        header = json.loads(first_line)
    except (OSError, ValueError) as error:
        raise SnapshotUnusable(f"{type(error).__name__}: {error}") from None
    if not isinstance(header, dict) or header.get("format") != FORMAT:
        raise SnapshotUnusable(f"not a {FORMAT} file")
    if hashlib.sha256(payload).hexdigest() != header.get("sha256"):
        raise SnapshotUnusable("its content does not match its checksum")
    return header, payload
