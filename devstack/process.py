"""A devstack in a process of its own: ``bookingctl local up`` exactly as a person starts
it (``make local``), in a directory of the caller's choosing so its ``.devstack/`` is
the caller's own.

A child process also keeps its emulator and Pulumi's mock engine apart from whatever
else runs in the caller (moto's backends and Pulumi's runtime are process-global).
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from types import TracebackType

import requests

from devstack.addresses import Addresses, resolve_addresses
from devstack.net import LOOPBACK, free_port
from devstack.outputs import DevstackOutputs
from devstack.snapshot import SnapshotUse
from devstack.state import STATE_DIR, StateDir

ROOT = Path(__file__).resolve().parents[1]


class DevstackFailed(RuntimeError):
    """The devstack exited or did not serve in time; the message ends with its log."""


def environment() -> dict[str, str]:
    """The caller's environment without its AWS settings (the devstack sets its own,
    dummy ones; the host's must not leak in), with the project on the path."""
    variables = {name: value for name, value in os.environ.items() if not name.startswith("AWS_")}
    variables["PYTHONPATH"] = os.pathsep.join([str(ROOT), str(ROOT / "lambdas")])
    return variables


class DevstackProcess:
    """``bookingctl local up --stack S --port P`` running in ``workdir``; its output goes
    to ``log_path``. ``stop()`` sends Ctrl-C, as a person stops it, then makes sure."""

    def __init__(
        self,
        workdir: Path,
        *,
        stack: str = "dev",
        port: int | None = None,
        snapshot: SnapshotUse = SnapshotUse.OFF,
        snapshot_dir: Path | None = None,
        addresses: Addresses | None = None,
    ) -> None:
        """Free ports of its own (``port + 1`` and so on may be another devstack's), or
        ``addresses``; no deployment snapshot unless ``snapshot`` asks, and then in
        ``snapshot_dir`` if given: a devstack on free ports that kept it in ``build/``
        would replace ``make local``'s (its key includes the ports)."""
        self.workdir = workdir
        self.addresses = addresses or resolve_addresses(LOOPBACK, port or free_port(), 0, 0, 0)
        self.port = self.addresses.port
        self.state = StateDir(workdir / STATE_DIR)
        self.log_path = workdir / "devstack.log"
        ports = self.addresses
        command = ["bookingctl", "local", "up", f"--stack={stack}", f"--port={ports.port}"]
        command += [f"--web-port={ports.web_port}", f"--login-port={ports.login_port}"]
        command += [f"--emulator-port={ports.emulator_port}"]
        command += {SnapshotUse.OFF: ["--no-snapshot"], SnapshotUse.REFRESH: ["--fresh"]}.get(snapshot, [])
        command += [f"--snapshot-dir={snapshot_dir}"] if snapshot_dir else []
        with self.log_path.open("wb") as log:
            self.process = subprocess.Popen(
                [sys.executable, "-m", *command],
                cwd=workdir,
                env=environment(),
                stdout=log,
                stderr=subprocess.STDOUT,
            )

    @property
    def health_url(self) -> str:
        return f"http://{LOOPBACK}:{self.port}/health"

    def log_tail(self, characters: int = 4000) -> str:
        return self.log_path.read_text(errors="replace")[-characters:]

    def check_running(self) -> None:
        if self.process.poll() is not None:
            raise DevstackFailed(
                f"bookingctl local up exited with {self.process.returncode}:\n{self.log_tail()}"
            )

    def written_outputs(self) -> DevstackOutputs | None:
        """The outputs once ``up`` has written them (deployed, serving, seeded), else None."""
        if not self.state.outputs.is_file():
            return None
        return DevstackOutputs.load(self.state.outputs)

    def wait_until_serving(self, timeout: float = 240.0) -> DevstackOutputs:
        """The outputs, once written and ``/api/health`` answers 200 through the
        distribution (served before the outputs are written): a stack that refuses
        direct calls answers the gateway's own ``/health`` with 403."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            self.check_running()
            try:
                outputs = self.written_outputs()
                if outputs is not None:
                    health = requests.get(f"{outputs.web_url.rstrip('/')}/api/health", timeout=5)
                    if health.status_code == 200:
                        return outputs
            except (ValueError, requests.ConnectionError):  # half-written, or not listening yet
                pass
            time.sleep(0.25)
        raise DevstackFailed(f"the devstack did not serve /api/health within {timeout}s:\n{self.log_tail()}")

    def stop(self) -> None:
        self.process.send_signal(signal.SIGINT)
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(timeout=10)

    def __enter__(self) -> DevstackProcess:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.stop()
