"""How long ``bookingctl --help`` takes, in fresh processes, against ``python -c pass``.

The command line imports only Typer and Rich at start; what a command needs (Pulumi,
boto3, moto, the engine, the devstack) is imported when it runs. This measures that
promise from the outside: the console script in a new process each time, round-robin
with the baseline (the same interpreter starting and doing nothing) so that machine
load hits both alike, medians of many runs. The target is under 0.5 s.

    .venv/bin/python -m benchmarks.cli_help
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import time
from pathlib import Path

RUNS = 15
TARGET_SECONDS = 0.5
SCRIPT = Path(sys.executable).with_name("bookingctl")
COMMANDS: dict[str, list[str]] = {
    "python -c pass (baseline)": [sys.executable, "-c", "pass"],
    "bookingctl --help": [str(SCRIPT), "--help"],
    "bookingctl preview --help": [str(SCRIPT), "preview", "--help"],
    "bookingctl local up --help": [str(SCRIPT), "local", "up", "--help"],
}


def _seconds(command: list[str]) -> float:
    started = time.perf_counter()
    subprocess.run(command, stdout=subprocess.DEVNULL, check=True)
    return time.perf_counter() - started


def main() -> int:
    if not SCRIPT.exists():
        print(f"{SCRIPT} not found: install the project (make .venv/.installed)", file=sys.stderr)
        return 2
    for command in COMMANDS.values():
        _seconds(command)  # warm the bytecode cache
    samples: dict[str, list[float]] = {name: [] for name in COMMANDS}
    for _ in range(RUNS):
        for name, command in COMMANDS.items():
            samples[name].append(_seconds(command))
    baseline = statistics.median(samples["python -c pass (baseline)"])
    print(f"{'fresh process (median of ' + str(RUNS) + ')':32} {'ms':>8} {'vs baseline':>12}")
    slow = []
    for name in COMMANDS:
        seconds = statistics.median(samples[name])
        print(f"{name:32} {seconds * 1000:8.0f} {seconds / baseline:11.1f}x", flush=True)
        if seconds >= TARGET_SECONDS:
            slow.append(name)
    if slow:
        print(f"over {TARGET_SECONDS} s: {', '.join(slow)}", file=sys.stderr)
    return 1 if slow else 0


if __name__ == "__main__":
    raise SystemExit(main())
