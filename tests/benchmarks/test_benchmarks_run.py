"""The benchmarks still run: each one's own checks, never its timings.

A benchmark nobody runs rots: ``dynamodb_requests`` stopped at start-up, unnoticed, once the
catalogs function's settings required ``APP_VERSION``. These run the two that
drive the functions themselves, each as ``make bench`` would, with the least work that
reaches every function: request counts are checked (they are the benchmark's own
targets, the same on every machine); wall times are only printed.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys

import pytest
from booking.settings import FUNCTIONS

from packager.lambda_artifacts import PROJECT_ROOT

pytestmark = pytest.mark.slow


def _benchmark(*args: str) -> subprocess.CompletedProcess[str]:
    environment = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join([str(PROJECT_ROOT), str(PROJECT_ROOT / "lambdas")]),
    }
    return subprocess.run(
        [sys.executable, "-m", *args],
        cwd=PROJECT_ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=240,
        check=False,
    )


def test_dynamodb_requests_meets_every_operations_request_target() -> None:
    completed = _benchmark("benchmarks.dynamodb_requests")
    assert completed.returncode == 0, completed.stderr[-3000:]
    met = re.search(r"^(\d+)/(\d+) operations meet their target$", completed.stdout, re.MULTILINE)
    assert met, completed.stdout[-3000:]
    assert met[1] == met[2]


def test_cold_path_starts_every_function_from_its_code_archive() -> None:
    completed = _benchmark("benchmarks.cold_path", "--runs", "1")
    # Exit 1 is a goal not met (a figure, not a failure); a crash prints no goal line.
    assert "goal: total <= 1.5x" in completed.stdout, completed.stderr[-3000:]
    table = completed.stdout.splitlines()
    for name in FUNCTIONS:
        assert any(line.startswith(f"{name}: ") for line in table), name
