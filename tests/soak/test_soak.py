"""Thirty seconds of ``benchmarks.soak``: mixed traffic by every role of two tenants on
a devstack of its own, then the books. Figures of a five-minute run are in
benchmarks/README.md; here only the outcome is checked, never a timing.

The soak runs in an interpreter of its own (it hosts the emulator, whose state is
process-wide), in an xdist group of its own so that it never waits behind the e2e
group's devstack on the same worker.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from devstack.process import environment

pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("soak")]

ROOT = Path(__file__).resolve().parents[2]
SECONDS = 30
CLIENTS = 3


@pytest.mark.timeout(900)
def test_half_a_minute_of_mixed_traffic_leaves_no_5xx_clean_locks_and_each_email_sent_once(tmp_path):
    figures = tmp_path / "soak.json"
    logs = tmp_path / "functions.log"
    command = [sys.executable, "-m", "benchmarks.soak", "--seconds", str(SECONDS), "--clients", str(CLIENTS)]
    completed = subprocess.run(
        [*command, "--json", str(figures), "--logs", str(logs)],
        cwd=ROOT,
        env=environment(),
        capture_output=True,
        text=True,
        timeout=840,
        check=False,
    )
    assert figures.exists(), f"the soak did not finish:\n{completed.stderr[-4000:]}"
    result = json.loads(figures.read_text())
    report = completed.stdout

    assert result["error_rate"] < 0.01, report
    assert result["integrity"]["ok"], result["integrity"]["problems"]
    emails = result["emails"]
    assert emails["missing"] == [], report
    assert emails["duplicated"] == [], report
    assert emails["unexpected"] == [], report
    assert emails["unexplained"] == [], report
    # Not vacuous: both tenants were used, and bookings were made and changed.
    assert {entry.split(":")[0] for entry in result["tenants_and_roles"]} == {"demo-clinic", "second-clinic"}
    assert result["bookings"]["created"] > 0, report
    assert result["bookings"]["reschedule"] + result["bookings"]["cancellation"] > 0, report
    assert completed.returncode == 0, report
