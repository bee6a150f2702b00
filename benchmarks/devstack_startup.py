"""Time from ``bookingctl local up`` to the first 200 from ``GET /health``.

Each run starts ``bookingctl local up --stack dev`` in a fresh scratch directory (a
new process, as ``make local`` does), polls ``.devstack/outputs.json`` and then
``/health``, and stops it with SIGINT. Reported per run:

- ``outputs``: outputs.json written (deployed, serving, seeded);
- ``first answer``: the first HTTP answer of any status from ``/health``;
- ``first 200``: the first 200 (needs the catalogs handler, which answers ``/health``).

Baseline in the same run: the same stack's program under the mock engine with the
offline preview backend, in its own process (``engine.run.run_program``), i.e. what
the program costs before anything is emulated, served or seeded. The ratio is the
devstack's overhead on top of running the program.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import requests

from devstack.process import DevstackFailed, DevstackProcess, environment

ROOT = Path(__file__).resolve().parents[1]
RUNS = int(os.environ.get("DEVSTACK_BENCH_RUNS", "3"))
TIMEOUT_SECONDS = 300.0


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


def devstack_run() -> dict[str, float | None]:
    with tempfile.TemporaryDirectory(prefix="devstack-bench-") as scratch:
        started = time.perf_counter()
        devstack = DevstackProcess(Path(scratch))
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
                    times["outputs"] = time.perf_counter() - started
                try:
                    status = requests.get(devstack.health_url, timeout=5).status_code
                except requests.ConnectionError:
                    status = None
                now = time.perf_counter() - started
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
        return times


def _fmt(value: float | None) -> str:
    return "n/a" if value is None else f"{value:6.2f}s"


def main() -> int:
    baseline = [program_only_seconds() for _ in range(RUNS)]
    runs = [devstack_run() for _ in range(RUNS)]
    base = statistics.median(baseline)
    print(f"program only (mock engine, preview backend): median {base:.2f}s over {RUNS} runs")
    for key in ("outputs", "first answer", "first 200"):
        values = [value for run in runs if (value := run[key]) is not None]
        if not values:
            print(f"local up -> {key:12}: n/a")
            continue
        median = statistics.median(values)
        print(
            f"local up -> {key:12}: median {_fmt(median)} (runs {', '.join(_fmt(v) for v in values)}), "
            f"{median / base:.2f}x the program alone"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
