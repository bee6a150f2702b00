"""Cold-start import time of each API handler module against ``import boto3`` alone,
each measured in fresh interpreters (median of several), in the same run.

The handlers import boto3 only when their first request builds the adapters, so a
handler's import cost is Powertools, pydantic and the domain.

    PYTHONPATH=.:lambdas python -m benchmarks.imports
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
from pathlib import Path

RUNS = 9
HANDLERS = ("catalogs", "availability", "bookings", "users")
ROOT = Path(__file__).resolve().parents[1]
PROBE = "import time; started = time.perf_counter(); import {module}; print(time.perf_counter() - started)"


def _sample(module: str, env: dict[str, str]) -> float:
    completed = subprocess.run(
        [sys.executable, "-c", PROBE.format(module=module)],
        capture_output=True,
        text=True,
        env=env,
        check=True,
    )
    return float(completed.stdout.strip())


def main() -> None:
    env = {**os.environ, "PYTHONPATH": f"{ROOT}{os.pathsep}{ROOT / 'lambdas'}"}
    # X-Ray's SDK is what Powertools' Tracer loads when it is created: shown for scale.
    modules = ["boto3", "aws_xray_sdk.core", *(f"booking.handlers.{name}" for name in HANDLERS)]
    for module in modules:
        _sample(module, env)  # warm the bytecode cache
    samples: dict[str, list[float]] = {module: [] for module in modules}
    for _ in range(RUNS):  # round-robin, so a burst of machine load hits every module alike
        for module in modules:
            samples[module].append(_sample(module, env))
    baseline = statistics.median(samples["boto3"])
    print(f"{'module (median of ' + str(RUNS) + ' fresh interpreters)':44} {'ms':>8} {'vs boto3':>9}")
    for module in modules:
        seconds = statistics.median(samples[module])
        print(f"{module:44} {seconds * 1000:8.1f} {seconds / baseline:8.2f}x")


if __name__ == "__main__":
    main()
