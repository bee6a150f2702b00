"""Time from ``make local`` (warm ``build/``) to the first 200 from ``GET /health``.

Each run does what ``make local`` does, in a fresh scratch directory: ``python -m
packager.web_app`` (the ``web`` target: with ``build/`` warm it only checks the cache),
then ``bookingctl local up --stack dev`` as a new process (on ports chosen once per
benchmark, free ones, as other devstacks may be running: the same in every run, so the
deployment's snapshot key is), polls ``.devstack/outputs.json`` and ``/health``, and
stops it with SIGINT. Two kinds of run, alternated:

- ``first run``: ``--fresh``, the program deployed onto the emulator (what the first
  ``make local`` after a change does); it saves the snapshot in a scratch directory of
  the benchmark's (``--snapshot-dir``), never in ``build/devstack/``: on its own ports
  it would replace ``make local``'s, and the next ``make local`` would deploy again;
- ``warm``: the snapshot that run left is restored (what ``make local`` does when
  nothing changed).

Reported per run:

- ``make web``: the web target alone;
- ``outputs``: outputs.json written (deployed, serving, seeded);
- ``first answer``: the first HTTP answer of any status from ``/health``;
- ``first 200``: the first 200 (needs the catalogs handler, which answers ``/health``);
- the devstack's own step timings (its log: ``✓ <step> <seconds>s``) and their share.

Baseline in the same run: the same stack's program under the mock engine with the
offline preview backend, in its own process (``engine.run.run_program``), i.e. what
the program costs before anything is emulated, served or seeded. The ratio is the
devstack's overhead on top of running the program. Also printed: the load average,
since other work on the machine inflates every absolute figure.
"""

from __future__ import annotations

import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

import requests

from devstack.addresses import Addresses, resolve_addresses
from devstack.net import LOOPBACK, free_port
from devstack.process import DevstackFailed, DevstackProcess, environment
from devstack.snapshot import SnapshotUse

ROOT = Path(__file__).resolve().parents[1]
RUNS = int(os.environ.get("DEVSTACK_BENCH_RUNS", "3"))
TIMEOUT_SECONDS = 300.0
# A finished step in the log: "✓ deployed 206 resources of stack dev onto the emulator  4.2s".
STEP_LINE = re.compile(r"^✓ (?P<step>.+?)\s+(?P<seconds>\d+\.\d)s\s*$")
# Step descriptions carry ports and counts; these words name the step.
STEP_NAMES = (
    ("fork server", "start the fork server (and the program)"),
    ("loading the gateway", "load the serving modules"),
    ("AWS emulator", "emulator"),
    ("unpacking", "unpack code, start pumps"),
    ("deployed", "deploy"),
    ("restored", "restore the snapshot"),
    ("serving the API", "gateway + warm containers"),
    ("seeding", "seed"),
    ("web app", "web app + sign-in"),
)


def program_only_seconds() -> float:
    started = time.perf_counter()
    subprocess.run(
        [sys.executable, "-c", "from engine.run import run_program; run_program('dev')"],
        cwd=ROOT,
        env=environment(),
        check=True,
        capture_output=True,
    )
    return time.perf_counter() - started


def make_web_seconds() -> float:
    started = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "packager.web_app"],
        cwd=ROOT,
        env=environment(),
        check=True,
        capture_output=True,
    )
    return time.perf_counter() - started


def step_seconds(log: str) -> dict[str, float]:
    steps: dict[str, float] = {}
    for line in log.splitlines():
        match = STEP_LINE.match(line.strip())
        if match:
            name = next((short for words, short in STEP_NAMES if words in match["step"]), match["step"])
            steps[name] = float(match["seconds"])
    return steps


Run = tuple[dict[str, float | None], dict[str, float]]  # the times to each mark, the steps


def devstack_run(addresses: Addresses, snapshot: SnapshotUse, snapshot_dir: Path) -> Run:
    web = make_web_seconds()
    with tempfile.TemporaryDirectory(prefix="devstack-bench-") as scratch:
        started = time.perf_counter()
        devstack = DevstackProcess(
            Path(scratch), addresses=addresses, snapshot=snapshot, snapshot_dir=snapshot_dir
        )
        times: dict[str, float | None] = {"outputs": None, "first answer": None, "first 200": None}
        try:
            while time.perf_counter() - started < TIMEOUT_SECONDS and None in (
                times["first 200"],
                times["outputs"],
            ):
                try:
                    devstack.check_running()
                except DevstackFailed as exited:
                    raise RuntimeError(f"local up exited:\n{devstack.log_tail(3000)}") from exited
                if times["outputs"] is None and devstack.written_outputs() is not None:
                    times["outputs"] = time.perf_counter() - started + web
                try:
                    status = requests.get(devstack.health_url, timeout=5).status_code
                except requests.ConnectionError:
                    status = None
                now = time.perf_counter() - started + web
                if status is not None and times["first answer"] is None:
                    times["first answer"] = now
                if status == 200 and times["first 200"] is None:
                    times["first 200"] = now
                if (
                    times["first 200"] is None
                    and times["first answer"] is not None
                    and now - times["first answer"] > 30
                ):
                    break  # answering, but not 200: the handler is missing or failing
                time.sleep(0.05)
        finally:
            devstack.stop()
        times["make web"] = web
        return times, step_seconds(devstack.log_tail(20_000))


def _fmt(value: float | None) -> str:
    return "n/a" if value is None else f"{value:6.2f}s"


def report(kind: str, runs: list[Run], base: float) -> None:
    print(f"{kind}:")
    for key in ("make web", "outputs", "first answer", "first 200"):
        values = [value for times, _ in runs if (value := times[key]) is not None]
        if not values:
            print(f"  make local -> {key:12}: n/a")
            continue
        median = statistics.median(values)
        print(
            f"  make local -> {key:12}: median {_fmt(median)} (runs {', '.join(_fmt(v) for v in values)}), "
            f"{median / base:.2f}x the program alone"
        )
    by_step: dict[str, list[float]] = defaultdict(list)
    for _, steps in runs:
        for name, seconds in steps.items():
            by_step[name].append(seconds)
    first_200 = statistics.median([t for times, _ in runs if (t := times["first 200"]) is not None] or [1.0])
    print("  devstack steps (median; the gateway's and the seed's run side by side):")
    for name, values in by_step.items():
        median = statistics.median(values)
        print(f"    {name:40} {median:6.2f}s  {median / first_200:5.1%} of the time to the first 200")


def main() -> int:
    print(f"load average before: {' '.join(f'{load:.1f}' for load in os.getloadavg())}")
    baseline = [program_only_seconds() for _ in range(RUNS)]
    base = statistics.median(baseline)
    print(f"program only (mock engine, preview backend): median {base:.2f}s over {RUNS} runs")
    addresses = resolve_addresses(LOOPBACK, free_port(), 0, 0, 0)
    first: list[Run] = []
    warm: list[Run] = []
    # The runs' snapshot, kept across them (each warm run restores the first run's before it).
    with tempfile.TemporaryDirectory(prefix="devstack-bench-snapshot-") as snapshots:
        for _ in range(RUNS):  # alternated, so both kinds see the same load
            first.append(devstack_run(addresses, SnapshotUse.REFRESH, Path(snapshots)))
            warm.append(devstack_run(addresses, SnapshotUse.REUSE, Path(snapshots)))
    report("first run (--fresh: the program deployed, the snapshot saved)", first, base)
    report("warm (the snapshot restored)", warm, base)
    print(f"load average after: {' '.join(f'{load:.1f}' for load in os.getloadavg())}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
